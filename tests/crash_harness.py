"""Kill a real child process at the Nth file operation, to test what a crash leaves behind.

The child runs `module:function(*args)` (string arguments) with an audit hook
(`sys.addaudithook`) that counts file-system events (`os.rename`, which `os.replace` raises too,
`os.remove`, `os.rmdir`, `shutil.rmtree`, `shutil.move`, `shutil.copyfile`, `os.mkdir`) whose
path lies inside `watch`, and kills the process outright (SIGKILL on POSIX, `os._exit` on
Windows) just before step `die_at` happens: no `finally`, no `atexit`, no flushing, as with a
power cut. Events outside `watch` (byte-code caches, site-packages) are not counted, so the steps
are the same on every run.

    from tests.crash_harness import run_killed_at, every_crash_point

    for step, result in every_crash_point("tests.x:target", [arg, ...], watch=folder,
                                          before_each=reset_folder):
        ...  # result.killed is True until `step` is past the last operation

`run_killed_at(step, target, args, watch)` runs once and returns a `CrashRun`; step 0 (or a step
past the end) runs to completion. `every_crash_point` runs step 1, 2, … calling `before_each()`
before each run to rebuild the starting state, and stops after the first run that was not
killed (so the last item is the uninterrupted run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.paths import ROOT

EVENTS = (
    "os.rename", "os.remove", "os.rmdir", "os.mkdir",
    "shutil.rmtree", "shutil.move", "shutil.copyfile",
)  # fmt: skip
KILLED_EXIT = -9 if os.name == "posix" else 86


@dataclass(frozen=True)
class CrashRun:
    step: int  # the step it was to die at (0: never)
    killed: bool
    returncode: int
    steps_seen: list[str]  # "event path" for each counted step before the kill
    stdout: str
    stderr: str


def run_killed_at(
    step: int,
    target: str,
    args: Sequence[str],
    watch: Path,
    *,
    events: Sequence[str] = EVENTS,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> CrashRun:
    trace = watch.parent / f".crash-trace-{os.getpid()}.txt"
    trace.unlink(missing_ok=True)
    spec = {"target": target, "args": list(args), "watch": str(watch), "die_at": step,
            "events": list(events), "trace": str(trace)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "tests.crash_harness", json.dumps(spec)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    seen = trace.read_text("utf-8").splitlines() if trace.exists() else []
    trace.unlink(missing_ok=True)
    return CrashRun(step, done.returncode == KILLED_EXIT, done.returncode, seen,
                    done.stdout, done.stderr)  # fmt: skip


def every_crash_point(
    target: str,
    args: Sequence[str],
    watch: Path,
    *,
    before_each: Callable[[], None],
    events: Sequence[str] = EVENTS,
    limit: int = 200,
) -> Iterator[tuple[int, CrashRun]]:
    for step in range(1, limit + 1):
        before_each()
        result = run_killed_at(step, target, args, watch, events=events)
        yield step, result
        if not result.killed:
            return
    raise AssertionError(f"{target} was still being killed after {limit} steps")


# --- the child ------------------------------------------------------------------------------


def _inside(value: object, watch: str) -> bool:
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if not isinstance(value, str | os.PathLike):
        return False
    path = os.path.realpath(os.fspath(value))
    return path == watch or path.startswith(watch + os.sep)


def _child(spec: dict[str, object]) -> None:
    import importlib

    watch = os.path.realpath(str(spec["watch"]))
    die_at = int(spec["die_at"])  # type: ignore[call-overload]
    events = frozenset(spec["events"])  # type: ignore[arg-type]
    trace = open(str(spec["trace"]), "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    count = 0

    def hook(event: str, hook_args: tuple[object, ...]) -> None:
        nonlocal count
        if event not in events or not hook_args or not _inside(hook_args[0], watch):
            return
        count += 1
        if count == die_at:
            if os.name == "posix":
                import signal

                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(86)
        trace.write(f"{event} {hook_args[0]}\n")

    module_name, _, function_name = str(spec["target"]).partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    sys.addaudithook(hook)
    function(*spec["args"])  # type: ignore[misc]


if __name__ == "__main__":
    _child(json.loads(sys.argv[1]))
