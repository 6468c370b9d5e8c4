"""`resettle export-transfer` and `resettle import-transfer` between two prisons' profiles."""

from __future__ import annotations

import io

from app.cli import main
from tests.bundle_fixtures import NUMBER
from tests.conftest import ADMIN, ADMIN_PASSPHRASE


def _run(monkeypatch, capsys, data_dir, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    code = main([*argv, "--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin"])
    out, err = capsys.readouterr()
    return code, out, err


def test_send_and_receive_a_record_on_the_command_line(workspace, woman, data_dir, receiving,
                                                        receiving_dir, tmp_path, monkeypatch,
                                                        capsys):  # fmt: skip
    workspace.lock()
    receiving.lock()
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = _run(monkeypatch, capsys, data_dir, "export-transfer", "--person", NUMBER,
                          "--out", str(usb), "--recipient", "HMP Receiving (fictional)")
    assert code == 0, err
    [bundle] = list(usb.iterdir())
    assert bundle.name.startswith(f"{NUMBER}-TRANSFER-")
    code, out, err = _run(monkeypatch, capsys, receiving_dir, "import-transfer", str(bundle))
    assert code == 0, err
    assert "VERIFIED transfer bundle" in out and "fingerprint" in out
    assert f"Imported: {NUMBER}" in out
    code, out, err = _run(monkeypatch, capsys, receiving_dir, "import-transfer", str(bundle))
    assert code == 1 and "already" in (out + err)
