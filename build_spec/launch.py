"""Entry point of the frozen app: ``kiosk`` / ``kiosk.exe`` runs ``kiosk.__main__.main``."""

import sys

from kiosk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
