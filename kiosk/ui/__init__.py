"""The Qt widgets: the window, its pages and the controller that wires them to the core."""
