"""Entry point of the packaged build: `resettle …` as on the command line; no arguments opens
the window (what a double-click or the Start-menu shortcut does)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["gui"]))
