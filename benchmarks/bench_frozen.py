"""The packaged build (dist/resettle): its size, start to unlock window, and the self-test.

Run after `make package`: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_frozen.py`
Targets (issue 8): under 250 MB unpacked; frozen start to unlock window under 2 s; self-test
under 10 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from _common import ROOT, demo_profile, report

BUILD = ROOT / "dist" / "resettle"
EXE = BUILD / ("resettle.exe" if sys.platform == "win32" else "resettle")


def _size_mb() -> float:
    files = [p for p in BUILD.rglob("*") if p.is_file() and not p.is_symlink()]  # links: once
    return sum(p.stat().st_size for p in files) / 1024 / 1024


def start_to_unlock_window(profile: str, repeat: int = 5) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               RESETTLE_STARTUP_TRACE="1")
    samples = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        proc = subprocess.Popen([str(EXE), "gui", "--data-dir", profile], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = (time.perf_counter() - start) * 1000
        proc.kill()
        proc.wait()
        if "unlock window shown" not in line:
            raise SystemExit("the unlock window did not show")
        if i:
            samples.append(elapsed)
    return statistics.median(samples)


def self_test(repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run([str(EXE), "self-test"], capture_output=True, text=True,
                                check=False)
        samples.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit("the self-test failed:\n" + result.stdout)
    return statistics.median(samples)


def main() -> None:
    if not EXE.is_file():
        raise SystemExit("Build it first: make package")
    report("frozen build size, unpacked", _size_mb(), "MB", "< 250")
    report("frozen start -> unlock window shown", start_to_unlock_window(str(demo_profile(5000))),
           "ms", "< 2000")
    report("frozen self-test, end to end", self_test(), "s", "< 10")


if __name__ == "__main__":
    main()
