"""Entry point of the frozen app: ``kiosk`` / ``kiosk.exe`` runs ``kiosk.__main__.main``."""

import os
import sys

if getattr(sys, "frozen", False) and sys.platform.startswith("linux"):
    # PyInstaller's bootloader started this process with LD_LIBRARY_PATH set to the bundle
    # (_internal/); the dynamic loader read it at start and keeps it for this process.
    # Children must not inherit it: speech-dispatcher, which the speech plugin starts on
    # demand, would run on the bundle's glib, libdbus and libpulse instead of its own.
    # Before any import, while this is the only thread (setenv is not thread-safe).
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original

from kiosk.__main__ import main  # after the environment is restored

if __name__ == "__main__":
    sys.exit(main())
