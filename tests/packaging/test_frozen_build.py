"""The packaged build (dist/resettle) runs its self-test with no Python or project files around.

Marked `frozen`: left out of `make test`, run by `make test-package` after `make package`
(.ci/run does both). It copies the build to a fresh folder first, so nothing can be found by
accident in the source checkout, and runs it with a minimal environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

BUILD = ROOT / "dist" / "resettle"
EXE = "resettle.exe" if sys.platform == "win32" else "resettle"
pytestmark = pytest.mark.frozen


@pytest.fixture(scope="module")
def copied(tmp_path_factory) -> Path:
    assert (BUILD / EXE).is_file(), "build it first: make package"
    target = tmp_path_factory.mktemp("installed") / "resettle"
    shutil.copytree(BUILD, target, symlinks=True)
    return target


def _run(folder: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8", "TMPDIR": str(home)}
    return subprocess.run([str(folder / EXE), *args], capture_output=True, text=True,
                          env=env, cwd=home, timeout=300, check=False)  # fmt: skip


def test_frozen_self_test_passes(copied, tmp_path):
    result = _run(copied, "self-test", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test PASSED" in result.stdout
    assert result.stdout.count(" OK") >= 11
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith("resettle-self-test-")]
    assert leftovers == []


def test_frozen_build_carries_its_data_and_licences(copied):
    internal = copied / "_internal"
    for needed in ("resources/fonts/NotoSansArabic-Regular.ttf",
                   "resources/fonts/LICENSE-OFL-1.1.txt",
                   "resources/schemas/referral-v1.schema.json",
                   "resources/data/local_authorities.csv",
                   "translations/ur/LC_MESSAGES/sheets.mo",
                   "app/store/migrations/versions/0007_bundles.py",
                   "licenses/PySide6-Essentials+shiboken6/LGPL-3.txt"):
        assert (internal / needed).is_file(), needed
    plugins = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert any("offscreen" in name for name in plugins)
    assert (internal / "PySide6" / "Qt" / "plugins" / "printsupport").is_dir() or any(
        "PrintSupport" in p.name for p in (internal / "PySide6" / "Qt" / "lib").iterdir())


def test_frozen_cli_lists_sheets_and_verifies_nothing_silently(copied, tmp_path):
    result = _run(copied, "sheets", "list", "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"release-day"' in result.stdout
    bad = tmp_path / "bad.rsb"
    bad.write_bytes(b"not a bundle")
    result = _run(copied, "verify", str(bad), home=tmp_path)
    assert result.returncode == 1 and "damaged" in result.stderr


def test_the_build_has_a_checksum_list(copied):
    sums = (copied / "SHA256SUMS").read_text().splitlines()
    assert any(line.endswith(f"./{EXE}") for line in sums)
    assert os.access(copied / EXE, os.X_OK)
