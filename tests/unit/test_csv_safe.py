"""CSV exports are read as data by spreadsheets, never run as formulas (OWASP CSV injection)."""

import csv
import io
import re
from pathlib import Path

import pytest

from app.domain import csv_safe

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.mark.parametrize("text", ["=1+1", "+44 20 7946 0000 ext", "-2+3", "@SUM(A1)",
                                  "\t=cmd", "\r=cmd", '=HYPERLINK("http://example.invalid")'])
def test_a_cell_that_would_start_a_formula_is_written_as_text(text):
    assert csv_safe.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Zoë Ødegård", "O'Brien", "", "-5", "+4.5", "12", 7, None,
                                   "a=b", " =spaced"])
def test_other_cells_and_plain_numbers_are_left_as_they_are(value):
    assert csv_safe.neutralise(value) == value


def test_both_writers_neutralise_every_cell_and_stay_readable():
    out = io.StringIO()
    csv_safe.writer(out).writerows([["=1+1", "Ann"], ["-5", "@x"]])
    buffer = io.StringIO()
    w = csv_safe.DictWriter(buffer, fieldnames=["a", "b"])
    w.writeheader()
    w.writerows([{"a": "+cmd", "b": "Bea"}])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "Ann"], ["-5", "'@x"]]
    assert list(csv.DictReader(io.StringIO(buffer.getvalue()))) == [{"a": "'+cmd", "b": "Bea"}]


def test_every_csv_writer_in_the_app_is_the_safe_one():
    raw = re.compile(r"\bcsv\.(writer|DictWriter)\b")
    found = [f"{path.relative_to(APP)}:{n}" for path in APP.rglob("*.py")
             if path.name != "csv_safe.py"
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if raw.search(line)]  # fmt: skip
    assert found == []
