"""The caseload filter (text, custody, window) and the per-window counts on the buttons."""

from datetime import date

from app.domain.caseload import CaseloadFilter, CaseloadRow, search_key, windows_for
from app.domain.caseload import ReleaseWindow as W

TODAY = date(2026, 3, 2)  # a Monday


def row(row_id, number, family, given, custody, release, aliases=""):
    return CaseloadRow(
        id=row_id,
        prison_number=number,
        family_name=family,
        given_names=given,
        date_of_birth=date(1990, 1, 1),
        nationality="GB",
        custody_status=custody,
        release_date=release,
        release_time=None,
        home_local_authority="",
        search_key=search_key(number, family, given, aliases),
        windows=windows_for(release, TODAY),
    )


ROWS = [
    row(1, "Z0001AA", "Ashdown", "Amara", "SENTENCED", date(2026, 2, 20)),  # overdue
    row(2, "Z0002AB", "Brackwell", "Beth Ann", "SENTENCED", date(2026, 3, 5)),  # this week
    row(3, "Z0003AC", "Corrin", "Carys", "REMAND", None),  # unknown
    row(4, "Z0004AD", "Dunmore", "Dana", "RECALL", date(2026, 3, 10)),  # next week
    row(5, "Z0005AE", "Elsworth", "Ann", "SENTENCED", date(2026, 7, 1), aliases="Ellie Brook"),
    row(6, "Z0006AF", "Fenwick", "Fern", "REMAND", date(2027, 1, 1)),  # beyond 24 weeks
]


def ids(rows):
    return [r.id for r in rows]


def test_an_empty_filter_shows_everyone():
    assert ids(CaseloadFilter().apply(ROWS)) == [1, 2, 3, 4, 5, 6]


def test_text_matches_names_prison_numbers_and_aliases_ignoring_case():
    assert ids(CaseloadFilter(text="CORRIN").apply(ROWS)) == [3]
    assert ids(CaseloadFilter(text="z0004ad").apply(ROWS)) == [4]
    assert ids(CaseloadFilter(text="ellie").apply(ROWS)) == [5]
    assert ids(CaseloadFilter(text="ann").apply(ROWS)) == [2, 5]


def test_every_word_of_the_text_must_match():
    assert ids(CaseloadFilter(text="ann  brack").apply(ROWS)) == [2]
    assert ids(CaseloadFilter(text="ann nobody").apply(ROWS)) == []


def test_custody_status_filter():
    assert ids(CaseloadFilter(custody_status="REMAND").apply(ROWS)) == [3, 6]


def test_window_filter():
    assert ids(CaseloadFilter(window=W.OVERDUE).apply(ROWS)) == [1]
    assert ids(CaseloadFilter(window=W.THIS_WEEK).apply(ROWS)) == [2]
    assert ids(CaseloadFilter(window=W.NEXT_WEEK).apply(ROWS)) == [4]
    assert ids(CaseloadFilter(window=W.WITHIN_12_WEEKS).apply(ROWS)) == [2, 4]
    assert ids(CaseloadFilter(window=W.WITHIN_24_WEEKS).apply(ROWS)) == [2, 4, 5]
    assert ids(CaseloadFilter(window=W.UNKNOWN).apply(ROWS)) == [3]


def test_filters_combine():
    found = CaseloadFilter(text="ann", custody_status="SENTENCED", window=W.THIS_WEEK)
    assert ids(found.apply(ROWS)) == [2]


def test_window_counts_cover_every_window_and_count_overlaps_in_each():
    assert CaseloadFilter().window_counts(ROWS) == {
        W.OVERDUE: 1,
        W.THIS_WEEK: 1,
        W.NEXT_WEEK: 1,
        W.WITHIN_12_WEEKS: 2,
        W.WITHIN_24_WEEKS: 3,
        W.UNKNOWN: 1,
    }


def test_window_counts_ignore_the_window_but_respect_text_and_custody():
    by_window = CaseloadFilter(window=W.OVERDUE).window_counts(ROWS)
    assert by_window == CaseloadFilter().window_counts(ROWS)
    remand = CaseloadFilter(custody_status="REMAND", window=W.OVERDUE).window_counts(ROWS)
    assert remand[W.UNKNOWN] == 1
    assert sum(remand.values()) == 1
    text = CaseloadFilter(text="ann").window_counts(ROWS)
    assert text[W.THIS_WEEK] == 1
    assert text[W.WITHIN_24_WEEKS] == 2
    assert text[W.OVERDUE] == 0


def test_the_counts_match_what_each_window_would_show():
    base = CaseloadFilter(text="a")
    counts = base.window_counts(ROWS)
    for window in W:
        shown = CaseloadFilter(text="a", window=window).apply(ROWS)
        assert counts[window] == len(shown), window
