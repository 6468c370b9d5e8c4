"""`backup --out`: never over an existing file; a path ending in a separator is a folder."""

from __future__ import annotations

import io
import os
import sys
import zipfile

import pytest

from app import cli
from app.errors import UserError
from app.services import backup
from tests.conftest import ADMIN, ADMIN_PASSPHRASE


@pytest.fixture
def backup_cli(monkeypatch, capsys, data_dir, initialised):
    """`resettle backup --out OUT` in-process against this test's profile: (code, stderr)."""
    monkeypatch.delenv("RESETTLE_DATA_DIR", raising=False)

    def _run(out: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PASSPHRASE))
        capsys.readouterr()
        code = cli.main(["backup", "--out", out, "--user", ADMIN, "--passphrase-stdin",
                         "--data-dir", str(data_dir)])  # fmt: skip
        return code, capsys.readouterr().err

    return _run


def one_plain_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("resettle: "), lines
    return lines[0]


def test_an_existing_file_is_not_written_over(backup_cli, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("someone's notes")
    code, err = backup_cli(str(target))
    assert code == 1
    assert "already a file" in one_plain_line(err)
    assert target.read_text() == "someone's notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "profile"]


def test_an_existing_backup_is_not_written_over(backup_cli, tmp_path):
    first = tmp_path / "backup.zip"
    assert backup_cli(str(first))[0] == 0
    before = first.read_bytes()
    code, err = backup_cli(str(first))
    assert code == 1
    one_plain_line(err)
    assert first.read_bytes() == before


def test_a_path_ending_in_a_separator_makes_a_folder(backup_cli, tmp_path):
    code, err = backup_cli(str(tmp_path / "new" / "folder") + os.sep)
    assert code == 0, err
    folder = tmp_path / "new" / "folder"
    assert folder.is_dir()
    (made,) = folder.iterdir()
    assert made.name.startswith("resettle-backup-") and made.suffix == ".zip"
    assert zipfile.is_zipfile(made)


def test_a_file_where_the_folder_should_be_is_refused(backup_cli, tmp_path):
    blocker = tmp_path / "stick"
    blocker.write_text("a file")
    code, err = backup_cli(str(blocker) + os.sep)
    assert code == 1
    assert "not a folder" in one_plain_line(err)
    assert blocker.read_text() == "a file"


def test_two_backups_into_one_folder_in_the_same_second_both_stay(workspace, tmp_path):
    first = backup.create_backup(workspace, tmp_path)
    second = backup.create_backup(workspace, tmp_path)
    assert first.path != second.path
    assert first.path.exists() and second.path.exists()
    with pytest.raises(UserError, match="already a file"):
        backup.create_backup(workspace, first.path)
