"""Fixtures for signed-bundle tests, shared by tests/integration and tests/gui.

Registered from tests/conftest.py (`pytest_plugins`). RSA-3072 generation takes about a second,
so each team's real key is made once per test run and reused (autouse, everywhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.bundles import identity as ident
from app.domain.referrals import ReferralDraft
from app.domain.timezone import now_utc, today_london
from app.services import (
    bundles,
    consent,
    needs,
    people,
    planning,
    referrals,
    release_day,
    screening,
    transfer_bundles,
    vault,
)
from app.services.workspace import Workspace
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ESTABLISHMENT, make_draft

RECEIVING = "HMP Receivingham (fictional)"
NUMBER = "Z4321CD"
_KEYS: dict[str, ident.Identity] = {}


@pytest.fixture(autouse=True)
def one_key_per_establishment(monkeypatch: pytest.MonkeyPatch) -> None:
    """RSA-3072 generation takes a second: make each team's real key once per test run."""
    real = ident.generate

    def generate(establishment: str, now: datetime | None = None) -> ident.Identity:
        if establishment not in _KEYS:
            _KEYS[establishment] = real(establishment, now)
        return _KEYS[establishment]

    monkeypatch.setattr(ident, "generate", generate)


@pytest.fixture
def receiving_dir(tmp_path: Path) -> Path:
    return tmp_path / "receiving"


@pytest.fixture
def receiving(receiving_dir: Path) -> Iterator[Workspace]:
    """The second prison: its own encrypted database, its own administrator and key. It trusts
    the sending prison's certificate (`resettle trust add`), as a team would once it has
    checked the fingerprint with the sender."""
    vault.initialise(receiving_dir, RECEIVING, ADMIN, ADMIN_PASSPHRASE)
    ws = vault.unlock(receiving_dir, ADMIN, ADMIN_PASSPHRASE)
    sender = ident.generate(ESTABLISHMENT)  # the key the sending team's profile will use
    transfer_bundles.add_trusted_sender(ws, sender.certificate_pem(), ESTABLISHMENT)
    yield ws
    ws.lock()


@pytest.fixture
def woman(workspace: Workspace) -> int:
    """A fictional woman at the sending prison with something in every part of her record."""
    today = today_london()
    pid = people.add_person(workspace, make_draft(
        prison_number=NUMBER, family_name="Fictionperson", given_names="Testina",
        reception_at=now_utc() - timedelta(days=3), release_date=today + timedelta(days=60)))
    consent.record(workspace, pid, scope="ALL", shared_with="Fictional council housing",
                   given_on=today - timedelta(days=1), method="SIGNED_FORM")
    referrals.save(workspace, pid, ReferralDraft(
        type="DUTY_TO_REFER", council_code="E09000012", council_choice="LOCAL_CONNECTION",
        notes="Fictional note: prefers a ground-floor room."))
    from tests.integration.test_screening_service import valid_answers

    screening.complete(workspace, pid, "BCST1", valid_answers("BCST1"), None)
    screening.save_draft(workspace, pid, "BCST2", {}, None)
    proposed = needs.needs_for(workspace, pid)
    assert len(proposed) >= 2, "the fictional answers should propose some needs"
    needs.accept(workspace, proposed[0].id)
    needs.decline(workspace, proposed[1].id, "Fictional: already met.")
    planning.start_plan(workspace, pid)
    planning.add_task(workspace, pid, pathway="ACCOMMODATION", title="Fictional: view a flat",
                      owner="PRISON", due_date=today + timedelta(days=10), notes="Ring first.")
    planning.add_hearing(workspace, pid, today + timedelta(days=5), "Fictional Crown Court")
    checklist = release_day.checklist_for(workspace, pid)
    assert checklist is not None and checklist.items
    release_day.set_item(workspace, checklist.items[0].id, state="DONE",
                         details="Fictional: confirmed by phone.")
    return pid


def _export(ws: Workspace, pid: int, folder: Path, **kwargs: object) -> bundles.Exported:
    folder.mkdir(exist_ok=True)
    return transfer_bundles.export_transfer(ws, pid, folder, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def exported(workspace: Workspace, woman: int, tmp_path: Path) -> bundles.Exported:
    return _export(workspace, woman, tmp_path / "usb")


