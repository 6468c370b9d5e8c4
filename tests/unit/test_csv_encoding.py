"""The caseload file's encoding is decided for the whole file: UTF-8, or else Windows-1252 only
when nothing in it is UTF-8, and a file mixing both is refused with the first line that is not."""

import pytest

from app.domain.csv_people import decode
from app.errors import UserError

HEADER = "prison_number,family_name,given_names\n"


def test_utf8_is_read_with_or_without_a_byte_order_mark():
    text = HEADER + "Z1001AA,Ødegård,Zoë\n"
    assert decode(text.encode("utf-8"), "a.csv") == text
    assert decode(text.encode("utf-8-sig"), "a.csv") == text


def test_a_whole_windows_1252_file_is_read_as_windows_1252():
    text = HEADER + "Z1001AA,Ødegård,Zoë\r\nZ1002AB,Ångström,Renée\r\n"
    assert decode(text.encode("cp1252"), "a.csv") == text


def test_a_utf8_file_with_one_stray_windows_1252_byte_is_refused_naming_its_line():
    raw = (HEADER + "Z1001AA,Ødegård,Zoë\n").encode() + "Z1002AB,Renée,Ann\n".encode("cp1252")
    with pytest.raises(UserError, match=r"a\.csv mixes two text encodings.*line 3 is not"):
        decode(raw, "a.csv")


def test_the_first_bad_line_is_named_even_before_any_utf8():
    raw = HEADER.encode() + "Z1002AB,Renée,Ann\n".encode("cp1252") + "Z1001AA,Zoë,A\n".encode()
    with pytest.raises(UserError, match="line 2 is not"):
        decode(raw, "a.csv")


def test_bytes_that_are_neither_are_not_a_text_file():
    with pytest.raises(UserError, match="not a text"):
        decode(HEADER.encode() + b"Z1001AA,\x81\x8d,A\n", "a.csv")
