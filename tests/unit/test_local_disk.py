"""The data folder must be on a local disk; portable mode keeps it beside the executable."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import local_disk
from app.errors import UserError
from app.paths import portable_data_dir

MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/resettle /mnt/team\\040share cifs rw,vers=3.0 0 0
server:/export /srv/nfs nfs4 rw 0 0
/dev/sdb1 /media/usb vfat rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/home/pom/Resettle", "ext4"),
    ("/mnt/team share/Resettle", "cifs"),
    ("/srv/nfs/data", "nfs4"),
    ("/media/usb/Resettle", "vfat"),
])
def test_filesystem_of_a_path_comes_from_its_mount(path, kind, monkeypatch):
    monkeypatch.setattr(local_disk, "_existing", lambda p: Path(p))
    monkeypatch.setattr(Path, "resolve", lambda self: self)
    assert local_disk.linux_filesystem(Path(path), MOUNTS) == kind


def test_a_unc_path_is_a_network_drive():
    assert local_disk.windows_network(Path("//server/share/Resettle"))
    assert not local_disk.windows_network(Path("/home/pom/Resettle"))


def test_a_network_data_folder_is_refused_with_a_plain_message(monkeypatch, tmp_path):
    from app.services import vault

    monkeypatch.setattr(local_disk, "linux_filesystem", lambda path, mounts=None: "cifs")
    monkeypatch.setattr(local_disk.sys, "platform", "linux")
    with pytest.raises(UserError, match="network share \\(cifs\\).*local folder"):
        vault.initialise(tmp_path / "profile", "HMP Test", "admin", "correct horse battery 9")
    assert not (tmp_path / "profile").exists()


def test_this_machines_temp_folder_is_local(tmp_path):
    assert local_disk.network_kind(tmp_path) is None


def test_portable_flag_keeps_the_data_beside_the_executable(tmp_path):
    exe = tmp_path / "Resettle" / "resettle.exe"
    exe.parent.mkdir()
    exe.write_bytes(b"")
    assert portable_data_dir(str(exe)) is None
    (exe.parent / "portable.flag").write_text("")
    assert portable_data_dir(str(exe)) == exe.parent.resolve() / "data"
