"""Replacing a few women's rows after a change gives exactly what a full reload would."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from app.domain.caseload import CaseloadFilter, CaseloadRow, ReleaseWindow, search_key
from ui.caseload_model import COL_NAME, COL_RELEASE, CaseloadModel

TODAY = date(2026, 11, 23)
FAMILIES = ["Ashdown", "Brackwell", "Corrin", "Dunmore", "Ellery", "Fenwick"]


def fake_row(rng: random.Random, person_id: int) -> CaseloadRow:
    family, given = rng.choice(FAMILIES), rng.choice(["Ann", "Bea", "Cat"])
    release = TODAY + timedelta(days=rng.randint(-5, 60)) if rng.random() > 0.2 else None
    windows = frozenset(rng.sample(list(ReleaseWindow), rng.randint(0, 2)))
    number = f"Z{person_id:04d}AA"
    return CaseloadRow(person_id, number, family, given, date(1990, 1, 1), "GB",
                       rng.choice(["SENTENCED", "REMAND"]), release, None, "",
                       search_key(number, family, given, ""), windows)


def shown(model: CaseloadModel) -> list[CaseloadRow]:
    return [model.row_at(i) for i in range(model.rowCount())]


@pytest.mark.parametrize("column", [COL_NAME, COL_RELEASE])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("flt", [CaseloadFilter(), CaseloadFilter(text="a", window=None),
                                 CaseloadFilter(custody_status="REMAND",
                                                window=ReleaseWindow.WITHIN_12_WEEKS)])
def test_replace_matches_a_full_reload(qapp, column, order, flt):
    rng = random.Random(f"{column}{order}{flt}")
    rows = {i: fake_row(rng, i) for i in range(1, 200)}
    model = CaseloadModel(lambda: TODAY)
    model.set_rows(sorted(rows.values(), key=lambda r: (r.family_name.casefold(),
                                                        r.given_names.casefold())))
    model.sort(column, order)
    model.set_filter(flt)
    for _ in range(30):
        changed = rng.sample(sorted(rows), 3)
        new = []
        for person_id in changed:
            if rng.random() < 0.2:
                del rows[person_id]  # she left the caseload
            else:
                rows[person_id] = fake_row(rng, person_id)
                new.append(rows[person_id])
        model.replace(changed, new)
        full = CaseloadModel(lambda: TODAY)
        full.set_rows(sorted(rows.values(), key=lambda r: (r.family_name.casefold(),
                                                           r.given_names.casefold())))
        full.sort(column, order)
        full.set_filter(flt)
        key = full._key(column)
        assert [key(r) for r in shown(model)] == [key(r) for r in shown(full)]
        assert {r.id for r in shown(model)} == {r.id for r in shown(full)}
        assert model.window_counts() == full.window_counts()
        assert model.total() == full.total() and model.count_any_window() == full.count_any_window()


def test_a_change_that_keeps_her_place_repaints_only_her_line(qapp, qtbot):
    rng = random.Random(7)
    rows = [fake_row(rng, i) for i in range(1, 50)]
    model = CaseloadModel(lambda: TODAY)
    model.set_rows(sorted(rows, key=lambda r: (r.family_name.casefold(),
                                               r.given_names.casefold())))
    line = 10
    old = model.row_at(line)
    new = old._replace(home_local_authority="E09000012")  # not a sort key, same windows
    with qtbot.assertNotEmitted(model.modelReset), \
            qtbot.assertNotEmitted(model.rowsRemoved), \
            qtbot.waitSignal(model.dataChanged) as changed:
        model.replace([old.id], [new])
    assert changed.args[0].row() == line
    assert model.row_at(line) == new


def test_a_woman_new_to_the_list_is_inserted_not_lost(qapp):
    rng = random.Random(8)
    rows = [fake_row(rng, i) for i in range(1, 20)]
    model = CaseloadModel(lambda: TODAY)
    model.set_rows(sorted(rows, key=lambda r: (r.family_name.casefold(),
                                               r.given_names.casefold())))
    newcomer = fake_row(rng, 99)
    model.replace([99], [newcomer])
    assert model.total() == 20 and model.row_of(99) is not None
