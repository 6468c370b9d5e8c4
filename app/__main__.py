"""`python -m app` opens the window, as `resettle gui` does."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main(["gui", *sys.argv[1:]]))
