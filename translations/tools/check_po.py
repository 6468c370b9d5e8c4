"""Check one or more sheets.po catalogues: complete, no fuzzy entries, placeholders kept.

Usage: python translations/tools/check_po.py translations/pl/LC_MESSAGES/sheets.po [...]
Prints each problem and exits 1 if there is any; `msgfmt --check` is run by the tests too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def problems(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id:
            continue
        where = f"{path}: {str(message.id)[:50]!r}"
        if message.fuzzy:
            found.append(f"{where}: fuzzy")
        if not message.string or not str(message.string).strip():
            found.append(f"{where}: not translated")
            continue
        if sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string)):
            found.append(f"{where}: placeholders differ")
        if "%" in message.string.replace("%%", "") and not PLACEHOLDER.search(message.string):
            found.append(f"{where}: stray % sign")
    return found


def main(paths: list[str]) -> int:
    found = [p for path in paths for p in problems(Path(path))]
    print("\n".join(found) if found else f"OK: {len(paths)} catalogue(s) complete")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
