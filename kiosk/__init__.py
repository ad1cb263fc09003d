"""Patient-education kiosk for a thoracic medial branch block."""

__version__ = "0.1.0"
