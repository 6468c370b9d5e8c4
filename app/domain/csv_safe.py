"""CSV that a spreadsheet opens as data, never as formulas (the OWASP "CSV injection" rule).

A cell beginning with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the file is opened, so a name typed as `=HYPERLINK(...)` could act on the
reader's machine. Such a cell is written with a leading apostrophe, which spreadsheets show as
text and which a person reads past; plain numbers (`-3`, `+4.5`) stay as they are. Every CSV
the app writes goes through `writer` or `DictWriter` here (a test checks that).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def neutralise(value: object) -> object:
    """The value as it is safe to put in a cell: text that would start a formula gets a "'"."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class writer:  # noqa: N801 - stands in for csv.writer
    """csv.writer whose every cell is neutralised."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):
    """csv.DictWriter whose every cell is neutralised."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
