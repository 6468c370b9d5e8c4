"""Guard against a PySide6 release whose Signal.emit() loses a reference to True.

PySide6 6.12.0 did exactly that: after enough emits Python aborts at exit with
"bool_dealloc: deallocating True or False". pyproject.toml keeps us below it; this test
fails if a future pin lets such a release back in.
"""

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal()


def test_emit_keeps_the_reference_count_of_true():
    emitter = _Emitter()
    emitter.ping.connect(lambda: None)
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.ping.emit()
    gc.collect()
    assert sys.getrefcount(True) >= before - 5
