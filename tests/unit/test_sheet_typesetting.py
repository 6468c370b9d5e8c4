"""Line layout for every script: bidi levels and reordering, breaking, fallback fonts."""

from __future__ import annotations

import pytest

from app.sheets import fonts
from app.sheets.bidi_levels import base_is_rtl, levels, visual_order
from app.sheets.typeset import TextStyle, layout

ARABIC = "اتصلي بالرقم 999 ثم اضغطي 55"


def _words_left_to_right(line) -> list[str]:
    return [piece.actual for piece in line.pieces if piece.actual]


def test_levels_follow_the_unicode_algorithm():
    text = "مرحبا A1234BC في 2026"
    got = levels(text, rtl=True)
    assert got[:5] == [1] * 5  # Arabic letters
    assert set(got[6:13]) == {2}  # a Latin prison number inside right-to-left text
    assert got[-4:] == [2] * 4  # European digits
    assert levels("plain English", rtl=False) == [0] * 13


def test_joiners_keep_their_place():
    farsi = "می\u200cتوانید"  # the zero-width non-joiner Farsi writes inside words
    assert len(levels(farsi, rtl=True)) == len(farsi)
    assert set(levels(farsi, rtl=True)) == {1}


@pytest.mark.parametrize("run_levels, expected", [
    ([0, 0, 0], [0, 1, 2]),
    ([1, 1, 1], [2, 1, 0]),
    ([1, 2, 1], [2, 1, 0]),
    ([1, 2, 2, 1], [3, 1, 2, 0]),  # a left-to-right phrase keeps its own order
    ([0, 1, 1, 0], [0, 2, 1, 3]),
])
def test_rule_l2_reorders_runs(run_levels, expected):
    assert visual_order(run_levels) == expected


def test_base_direction_comes_from_the_first_strong_character():
    assert base_is_rtl("«مرحبا» hello")
    assert not base_is_rtl("12 Example Road مرحبا")
    assert not base_is_rtl("123")


def test_arabic_line_runs_right_to_left_with_numbers_left_to_right():
    [line] = layout(ARABIC, TextStyle("arabic", 12, rtl=True), 500)
    assert _words_left_to_right(line) == ["55", "اضغطي", "ثم", "999", "بالرقم", "اتصلي"]
    xs = [piece.x for piece in line.pieces]
    assert xs == sorted(xs)
    assert line.rtl


def test_urdu_latin_name_inside_keeps_its_order():
    [line] = layout("نام: Maria Ionescu", TextStyle("nastaliq", 12, rtl=True), 500)
    assert _words_left_to_right(line) == ["Maria", "Ionescu", "نام:"]


def test_lines_never_exceed_the_width_and_keep_every_word():
    text = ("Staff need your permission to share your details with the council. You can say "
            "yes or no. ") * 3
    lines = layout(text, TextStyle("latin", 12), 200)
    assert len(lines) > 3
    assert all(line.width <= 200.5 for line in lines)
    words = [w for line in lines for w in _words_left_to_right(line)]
    assert words == text.split()


def test_a_phone_number_with_no_break_spaces_stays_on_one_line():
    number = "020\u00a07946\u00a00123"
    for width in range(120, 260, 7):
        lines = layout(f"Call the Sample Women's Centre on {number} today.",
                       TextStyle("latin", 12), width)
        assert sum(number in "".join(p.actual for p in line.pieces) for line in lines) == 1


def test_chinese_breaks_between_characters_but_not_before_punctuation():
    text = "如果您不明白这张纸上的内容，请向工作人员要求翻译。" * 2
    lines = layout(text, TextStyle("han", 12), 120)
    assert len(lines) > 2
    assert all(line.width <= 120.5 for line in lines)
    for line in lines[1:]:
        first = line.pieces[0].actual[:1]
        assert first not in "，。"


def test_fallback_fonts_draw_what_the_script_font_lacks():
    runs = fonts.font_runs("ትግርኛ 2026 (A1)", fonts.chain("ethiopic", False))
    assert runs[0][0] == "NotoSansEthiopic-Regular"
    assert any(font == "NotoSans-Regular" and "2026" in text for font, text in runs)
    assert not fonts.uncovered("中文 Polski العربية ਪੰਜਾਬੀ বাংলা",
                               ("NotoSans-Regular", "NotoSansArabic-Regular",
                                "NotoSansGurmukhi-Regular", "NotoSansBengali-Regular",
                                "DroidSansFallback"))  # fmt: skip


def test_a_word_longer_than_the_line_is_cut_not_lost():
    lines = layout("A" * 80, TextStyle("latin", 12), 100)
    assert len(lines) > 1
    assert "".join(p.actual for line in lines for p in line.pieces) == "A" * 80


@pytest.mark.parametrize("script", sorted(fonts.FAMILIES))
def test_staff_words_in_any_bundled_script_print_on_any_sheet(script):
    typed = "Contact: مرحبا 中文 ਪੰਜਾਬੀ বাংলা ትግርኛ Łódź Дом Việt"
    assert not fonts.uncovered(typed, fonts.chain(script, False))
    assert not fonts.uncovered(typed, fonts.chain(script, True))
