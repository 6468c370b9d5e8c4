"""The demo workstation: fictional women, marked as a demo, never over real data."""

import pytest

from app.errors import AlreadyInitialised
from app.services import demo, people, settings, vault


def test_a_demo_profile_holds_the_requested_fictional_people(data_dir):
    assert demo.make_demo(data_dir, 12, seed=4) == 12
    ws = vault.unlock(data_dir, demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    try:
        rows = people.caseload(ws)
        assert len(rows) == 12
        assert all(r.prison_number.startswith("Z") for r in rows)
        assert settings.is_demo(ws)
        assert "fictional" in settings.establishment(ws)
    finally:
        ws.lock()


def test_a_demo_is_never_made_over_an_existing_profile(data_dir, initialised):
    before = (data_dir / "resettle.db").read_bytes()
    with pytest.raises(AlreadyInitialised):
        demo.make_demo(data_dir, 5)
    assert (data_dir / "resettle.db").read_bytes() == before
