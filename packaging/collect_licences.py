"""Gather the licence texts of every installed distribution into build/licenses/ for the
packaged build (the fonts' licences travel in resources/fonts/).

Run by `make package` before PyInstaller. A distribution without a licence file in its metadata
is listed in MISSING.txt with the licence its metadata names, so nothing is silently left out.
"""

from __future__ import annotations

import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "build" / "licenses"
SKIP = {"pip", "setuptools", "wheel", "pyinstaller", "pyinstaller-hooks-contrib", "ruff",
        "pytest", "pytest-qt", "pytest-randomly", "pluggy", "iniconfig", "altgraph",
        "packaging", "resettle"}  # build and test tools: not shipped


def _runtime(root: str = "resettle") -> list[metadata.Distribution]:
    """The distributions the app needs at run time: its requirements, recursively (no extras)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in dist.requires or []:
            if "extra ==" in requirement:
                continue
            todo.append(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
    return [d for n, d in sorted(seen.items()) if n not in SKIP]


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    missing = []
    for dist in _runtime():
        name = dist.metadata["Name"]
        files = [f for f in (dist.files or []) if any(
            part in str(f).upper() for part in ("LICENSE", "LICENCE", "COPYING", "NOTICE"))]
        if not files:
            missing.append(f"{name} {dist.version}: {dist.metadata.get('License') or ''} "
                           f"{dist.metadata.get('License-Expression') or ''}".strip())
            continue
        folder = OUT / f"{name}-{dist.version}"
        folder.mkdir()
        for file in files:
            source = Path(dist.locate_file(file))
            if source.is_file():
                shutil.copy(source, folder / f"{len(list(folder.iterdir()))}-{source.name}")
    lgpl = Path("/usr/share/common-licenses/LGPL-3")
    if lgpl.is_file():  # Qt for Python is LGPL-3.0; its wheels carry no licence file
        folder = OUT / "PySide6-Essentials+shiboken6"
        folder.mkdir(exist_ok=True)
        shutil.copy(lgpl, folder / "LGPL-3.txt")
        missing = [m for m in missing if not m.startswith(("PySide6", "shiboken6"))]
    (OUT / "MISSING.txt").write_text(
        "Distributions whose metadata carries no licence file (licence named in metadata):\n"
        + "\n".join(missing) + "\n", encoding="utf-8")
    print(f"Licences of {len(list(OUT.iterdir())) - 1} distributions in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
