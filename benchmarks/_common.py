"""Helpers for the benchmark scripts: medians, and a cached 5,000-woman demo profile."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def median_ms(run: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def demo_profile(people: int = 5000) -> Path:
    """A demo profile with `people` women, made once per machine in the temp folder."""
    from app.services import demo

    path = Path(tempfile.gettempdir()) / f"resettle-bench-{people}"
    if not (path / "resettle.db").exists():
        demo.make_demo(path, people, seed=42)
    return path


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def report(name: str, value: float, unit: str, target: str) -> None:
    print(f"{name:<48} {value:>9.1f} {unit:<3} (target {target})")
