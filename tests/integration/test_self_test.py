"""`resettle self-test`: every step runs for real and a failing step fails the whole test."""

from __future__ import annotations

import io
import re
from pathlib import Path

from app import selftest
from app.cli import main


def test_self_test_passes_and_leaves_nothing_behind(capsys):
    out = io.StringIO()
    assert selftest.run(out) == 0
    text = out.getvalue()
    steps = re.findall(r"^\s*\d+\. (.+?)\s+\d+ ms  (OK|FAILED)", text, re.M)
    names = [name.strip() for name, _status in steps]
    assert all(status == "OK" for _name, status in steps), text
    for needed in ("unlock it", "complete a BCST1 screening",
                   "render an information sheet in Arabic",
                   "render an information sheet in Chinese",
                   "render an information sheet in Bengali",
                   "export a signed referral bundle", "verify the bundle",
                   "delete the test folder"):
        assert needed in names, text
    folder = Path(re.search(r"self-test in (\S+)", text)[1])
    assert not folder.exists()
    assert "Self-test PASSED" in text


def test_a_failing_step_is_reported_and_fails_the_run(monkeypatch):
    from app.services import sheets

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing (simulated)")

    monkeypatch.setattr(sheets, "render_for", broken)
    out = io.StringIO()
    assert selftest.run(out) == 1
    text = out.getvalue()
    assert "render an information sheet in Arabic" in text
    assert "FAILED  (RuntimeError: fonts missing (simulated))" in text
    assert "verify the bundle" in text and "Self-test FAILED (3 step(s))" in text


def test_self_test_from_the_command_line(capsys):
    assert main(["self-test"]) == 0
    assert "Self-test PASSED" in capsys.readouterr().out
