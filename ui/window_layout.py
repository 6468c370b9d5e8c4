"""How the main window sits on the screen: within it, maximised where it fits, and with the
list/record splitter where staff last left it.

Workstations are 1366×768: the window must open inside the available area (a window taller
than the screen hides the status bar), and the lists get most of the width because their
deciding columns (release risks, BCST2, CRS / Accomm. / Rel. day) must show without scrolling
sideways. The record's tabs scroll or wrap inside what is left.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QSplitter

from app.errors import UserError
from app.services import settings
from app.services.workspace import Workspace
from ui.ops import ops_for

DESIGN_SIZE = (1366, 768)
LIST_SHARE = 0.58  # of the splitter's width, when nothing is remembered yet
SAVE_DELAY_MS = 1500  # one write after a drag ends, not one per pixel


def fit_to_screen(window: QMainWindow) -> None:
    """Open within the available screen, maximised when the whole window fits there.

    Where the screen is smaller than the window's minimum (only the 800×600 offscreen test
    screen), it opens at the design size instead of being squeezed by the window manager.
    """
    screen = window.screen()
    minimum = window.minimumSizeHint()
    width, height = DESIGN_SIZE
    if screen is None:
        window.resize(width, height)
        return
    available = screen.availableGeometry()
    if available.width() >= minimum.width() and available.height() >= minimum.height():
        window.resize(min(width, available.width()), min(height, available.height()))
        window.move(available.topLeft())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.resize(max(width, minimum.width()), max(height, minimum.height()))


def _quietly(_exc: UserError) -> bool:
    """Layout is a convenience: a width that cannot be read or kept never bothers her (with
    no parent, the runner only logs anything unexpected)."""
    return True


class SplitterMemory:
    """Restores the list side's width and stores it again a moment after each drag."""

    def __init__(self, ws: Workspace, splitter: QSplitter) -> None:
        self.ws = ws
        self.splitter = splitter
        self.timer = QTimer(splitter)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        splitter.splitterMoved.connect(lambda _pos, _index: self.timer.start())

    def restore(self, total: int) -> None:
        """Give the list its remembered width (or LIST_SHARE of `total`), the record the rest."""
        remembered = ops_for(self.ws).run(None, settings.list_width, self.ws,
                                          on_error=_quietly).value
        handle = self.splitter.handleWidth()
        room = max(0, total - handle)
        list_width = remembered if remembered is not None else int(room * LIST_SHARE)
        list_width = min(list_width, room)
        self.splitter.setSizes([list_width, room - list_width])

    def save(self) -> None:
        if self.ws.locked:
            return
        ops_for(self.ws).run(None, settings.set_list_width, self.ws, self.splitter.sizes()[0],
                             on_error=_quietly)


def arrange(window: QMainWindow, ws: Workspace, splitter: QSplitter) -> SplitterMemory:
    """Place the window on screen and split it; call once, at the end of its __init__."""
    fit_to_screen(window)
    memory = SplitterMemory(ws, splitter)
    margins = splitter.contentsMargins()
    memory.restore(window.width() - margins.left() - margins.right())
    return memory
