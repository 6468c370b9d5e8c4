"""`resettle restore` tries a passphrase like an unlock does: throttled, and every failure recorded.

Otherwise restoring a backup would be a way round the wait after wrong passphrases: an oracle
for guessing with no limit and no trace.
"""

from __future__ import annotations

import pytest

from app.domain.audit_actions import Action
from app.errors import Throttled, WrongPassphrase
from app.services import backup, vault
from app.store.keyslots import USER, SlotFile
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.integration.conftest import actions

WRONG = "not the passphrase at all 77"


@pytest.fixture
def archive(workspace, tmp_path):
    made = backup.create_backup(workspace, tmp_path / "backup.zip").path
    workspace.lock()
    return made


def test_wrong_passphrases_at_restore_wait_like_unlock_and_reach_the_audit_log(
    data_dir, archive, clock
):
    for _ in range(vault.FREE_ATTEMPTS):
        with pytest.raises(WrongPassphrase):
            backup.restore_backup(data_dir, archive, ADMIN, WRONG)
        clock.advance(1)
    with pytest.raises(Throttled):  # the next try waits, even with the right passphrase
        backup.restore_backup(data_dir, archive, ADMIN, ADMIN_PASSPHRASE)
    with pytest.raises(Throttled):  # and unlocking waits too: the same count
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    slot = SlotFile.load(vault.slots_path(data_dir)).find(USER, ADMIN)
    assert slot.failures == vault.FREE_ATTEMPTS
    assert len(slot.pending_failures) == vault.FREE_ATTEMPTS
    clock.advance(vault.MAX_DELAY_SECONDS)
    backup.restore_backup(data_dir, archive, ADMIN, ADMIN_PASSPHRASE)
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert actions(ws).count(Action.UNLOCK_FAILED) == vault.FREE_ATTEMPTS
    finally:
        ws.lock()
    restored = SlotFile.load(vault.slots_path(data_dir)).find(USER, ADMIN)
    assert restored.failures == 0 and restored.pending_failures == []
