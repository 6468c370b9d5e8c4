"""A crash at any file step of `resettle export-bundle` never leaves a bundle the outbox does
not list, nor a temporary `.part` file.

A real child process runs the real command; an audit hook inside it counts the file steps
that touch the destination folder or the export's lock (open, rename/replace, chmod, remove)
and ends the process with `os._exit(137)` at step N, as a kill would. Then a fresh process
lists the outbox, and every file in the folder must be listed, whole, and verify.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.domain.referrals import ReferralDraft
from app.services import bundles, consent, people, referrals
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft

WORKTREE = Path(__file__).resolve().parents[2]
KILLED = 137

# Runs `python -m app.cli ARGS` with a hook that kills the process at file step N.
BOOTSTRAP = r"""
import os, runpy, sys
step, watched, seen = int(os.environ["KILL_AT_STEP"]), os.environ["KILL_WATCH"].split("|"), 0
def hook(event, args):
    global seen
    if event not in ("open", "os.rename", "os.replace", "os.chmod", "os.remove"):
        return
    names = [os.fsdecode(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
    if any(w in n for n in names for w in watched):
        seen += 1
        if seen == step:
            os._exit(137)
sys.addaudithook(hook)
sys.argv = ["resettle", *sys.argv[1:]]
runpy.run_module("app.cli", run_name="__main__", alter_sys=True)
"""


def _cli(data_dir: Path, *argv: str, kill_at: int = 0, watch: tuple[str, ...] = ()
         ) -> subprocess.CompletedProcess[str]:  # fmt: skip
    env = dict(os.environ, KILL_AT_STEP=str(kill_at), KILL_WATCH="|".join(watch))
    env.pop("RESETTLE_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-c", BOOTSTRAP, *argv, "--data-dir", str(data_dir), "--user", ADMIN,
         "--passphrase-stdin"], input=ADMIN_PASSPHRASE + "\n", cwd=WORKTREE, env=env,
        capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


@pytest.fixture
def referral(workspace):
    pid = people.add_person(workspace, make_draft(prison_number="Z7777AB",
                                                  release_date=date(2027, 3, 5)))  # fmt: skip
    consent.record(workspace, pid, scope="ALL", shared_with="Fictional council housing",
                   given_on=date(2026, 11, 1), method="SIGNED_FORM")  # fmt: skip
    saved = referrals.save(workspace, pid, ReferralDraft(
        type="DUTY_TO_REFER", council_code="E09000012", council_choice="LOCAL_CONNECTION"))
    bundles.ensure_identity(workspace)
    return saved.referral_id


def test_a_kill_at_every_file_step_leaves_no_unlisted_bundle(workspace, referral, data_dir,
                                                              tmp_path):  # fmt: skip
    workspace.lock()
    finished = False
    step = 0
    while not finished:
        step += 1
        assert step < 40, "the export never finished"
        dest = (tmp_path / f"drive-{step}").resolve()
        dest.mkdir()
        run = _cli(data_dir, "export-bundle", "--referral", str(referral), "--out", str(dest),
                   kill_at=step, watch=(str(dest), bundles.LOCKS_DIRNAME))  # fmt: skip
        assert run.returncode in (0, KILLED), run.stderr
        finished = run.returncode == 0
        listing = _cli(data_dir, "bundles", "--format", "json")  # a fresh process
        assert listing.returncode == 0, listing.stderr
        rows = json.loads(listing.stdout)
        here = {r["file_name"]: r for r in rows if r["location"] == str(dest)}
        files = sorted(p.name for p in dest.iterdir())
        assert [n for n in files if n.endswith(".part") or n.startswith(".")] == [], (
            f"step {step}: temporary files left: {files}")
        for name in files:
            assert name in here, f"step {step}: {name} exists but the outbox does not list it"
            assert here[name]["state"] in ("COPIED", "SUPERSEDED"), (step, here[name])
            assert bundles.verify_file(dest / name).manifest["bundle_id"] == \
                here[name]["bundle_id"]  # fmt: skip
        assert sorted(here) == files, f"step {step}: listed bundles that are not there"
        assert all(r["state"] != "WRITING" for r in rows)
        assert not list((data_dir / bundles.LOCKS_DIRNAME).glob("*.lock"))
    assert step > 3  # the hook really stopped it at several steps
    assert finished and len(files) == 1 and here[files[0]]["state"] == "COPIED"


def _writing_row(workspace, referral, folder: Path, bundle_id: str):  # noqa: ANN001, ANN202
    from app.domain.timezone import now_utc
    from app.store.models import Bundle, Referral

    with workspace.read() as session:
        person_id = session.get(Referral, referral).person_id
    at = now_utc()
    bundles._record_writing(workspace, Bundle(  # noqa: SLF001 - the first step of deliver
        id=bundle_id, bundle_type="referral", referral_id=referral, person_id=person_id,
        referral_type="DUTY_TO_REFER", file_name=f"Z7777AB-x-{bundle_id[:8]}.rsb",
        location=str(folder), sha256="0" * 64, size=1, recipient="R", encrypted_to="",
        signer_fingerprint="F", state="WRITING", created_at=at, created_by=ADMIN,
        updated_at=at))  # fmt: skip


def test_a_running_export_and_an_absent_drive_are_left_alone(workspace, referral, tmp_path):
    """The outbox settles only exports that stopped: one still running (its lock is held) or
    one whose drive is not plugged in stays listed as not confirmed, not removed."""
    usb = tmp_path / "usb"
    usb.mkdir()
    running = "11111111-1111-4111-8111-111111111111"
    unplugged = "22222222-2222-4222-8222-222222222222"
    _writing_row(workspace, referral, tmp_path / "unplugged-drive", unplugged)
    with bundles._export_lock(workspace, running):  # noqa: SLF001 - as deliver holds it
        _writing_row(workspace, referral, usb, running)
        (usb / f".Z7777AB-x-{running[:8]}.rsb.abcd.part").write_bytes(b"half")
        states = {r.bundle_id: r.state for r in bundles.outbox(workspace)}
        assert states == {running: "WRITING", unplugged: "WRITING"}
        assert (usb / f".Z7777AB-x-{running[:8]}.rsb.abcd.part").exists()
    # The running export "died" without its file: the next listing removes row and .part.
    states = {r.bundle_id: r.state for r in bundles.outbox(workspace)}
    assert states == {unplugged: "WRITING"} and list(usb.iterdir()) == []
    assert "Not confirmed" in bundles.STATES["WRITING"]
