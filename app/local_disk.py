"""Refuse to keep the live database on a network share.

SQLite (and so SQLCipher) relies on file locking and write ordering that network filesystems
(SMB/CIFS, NFS and the like) do not reliably give: two workstations or a dropped connection can
corrupt the database. So the data folder must be on a local disk; backups may go to a share.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.errors import UserError

NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs",
    "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre",
    "gpfs", "ncpfs", "coda", "fuse.s3fs", "fuse.gcsfuse",
})  # fmt: skip
_DRIVE_REMOTE = 4  # GetDriveTypeW


def _existing(path: Path) -> Path:
    """The path itself or its nearest existing parent (a new data folder is not there yet)."""
    path = path.expanduser().absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")


def linux_filesystem(path: Path, mounts: str | None = None) -> str:
    """The filesystem type of the mount holding path, from /proc/mounts ('' if unknown)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    target = str(_existing(path).resolve())
    best, kind = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = _unescape(parts[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def windows_network(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):  # UNC: \\server\share
        return True
    if sys.platform != "win32":
        return False
    import ctypes

    drive = os.path.splitdrive(str(path.absolute()))[0]
    if not drive:
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE  # type: ignore[attr-defined]


def network_kind(path: Path) -> str | None:
    """What kind of network location the path is on, or None when it is a local disk."""
    if windows_network(path):
        return "a network drive"
    if sys.platform.startswith("linux"):
        kind = linux_filesystem(path)
        if kind in NETWORK_TYPES:
            return f"a network share ({kind})"
    return None


def require_local(data_dir: Path) -> None:
    kind = network_kind(data_dir)
    if kind is not None:
        raise UserError(
            f"The data folder {data_dir} is on {kind}. Resettle keeps its database on this "
            "computer's own disk only, because a database on a network share can be corrupted. "
            "Choose a local folder with --data-dir or RESETTLE_DATA_DIR (backups can still go "
            "to the shared drive).")
