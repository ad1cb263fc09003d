"""Several kiosks fed from one place (README, "Several kiosks"): a synced content folder and
config file that change under a running kiosk, its status file for IT, and statistics
files that head office adds up. Qt-free; the kiosk's side is ``kiosk.ui.updates``."""
