"""The window's action registry: one enum of command ids, one factory per id, one QAction per id.

As in MusicBrainz Picard: every fixed command of the window has an `ActionId`; the room that owns the
command registers its factory once in its `ActionFactories` (the factory creates the QAction with its
text, keys, tips and icon, and connects it to the window's parts); `ActionRegistry(window, *rooms)`
checks that every id has exactly one factory and calls each once. Menus, the toolbar, context menus and
shortcut tables then take the same QAction objects from the registry, so a command's state (enabled,
checked, text) is one thing everywhere.
Codebook codes are not fixed commands: their actions are rebuilt when the codebook changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum, auto
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow


class ActionId(Enum):
    """Every fixed command of the main window (menu order within each room)."""

    # coding: file
    NEW_PROJECT = auto()
    OPEN_PROJECT = auto()
    IMPORT_DOCUMENTS = auto()
    LOAD_CODEBOOK = auto()
    OPEN_EXAMPLE = auto()
    QUIT = auto()
    # coding: edit
    UNDO = auto()
    REDO = auto()
    FIND = auto()
    EDIT_MEMO = auto()
    BOUNDS_TO_SELECTION = auto()
    START_EARLIER = auto()
    START_LATER = auto()
    END_EARLIER = auto()
    END_LATER = auto()
    START_EARLIER_WORD = auto()
    START_LATER_WORD = auto()
    END_EARLIER_WORD = auto()
    END_LATER_WORD = auto()
    DELETE_SPAN = auto()
    SNAP_WORDS = auto()
    # coding: code, view, help
    REPEAT_CODE = auto()
    MARK_DONE = auto()
    NEXT_DOCUMENT = auto()
    PREVIOUS_DOCUMENT = auto()
    SWITCH_CODER = auto()
    ZOOM_IN = auto()
    ZOOM_OUT = auto()
    BLIND_VIEW = auto()
    SUPERVISOR_VIEW = auto()
    COLOUR_BLIND = auto()
    SHORTCUTS_HELP = auto()
    ABOUT = auto()
    # exchange
    EXPORT_CSV = auto()
    EXPORT_EXCEL = auto()
    EXPORT_JSONL = auto()
    EXPORT_QDPX = auto()
    EXPORT_QDC = auto()
    EXPORT_YAML = auto()
    IMPORT_QDPX = auto()
    MERGE_PROJECT = auto()
    # agreement
    AGREEMENT = auto()


Factory = Callable[["MainWindow"], QAction]


class ActionFactories:
    """The factories of one room's commands: `@FACTORIES.register(ActionId.X)` on `factory(window)`."""

    def __init__(self) -> None:
        self.by_id: dict[ActionId, Factory] = {}

    def register(self, action_id: ActionId) -> Callable[[Factory], Factory]:
        def add(factory: Factory) -> Factory:
            if action_id in self.by_id:
                raise RuntimeError(f"{action_id} is registered twice")
            self.by_id[action_id] = factory
            return factory

        return add


class ActionRegistry:
    """The QAction of every `ActionId` for one window, each created once by the one factory registered
    for it in one of the rooms' `ActionFactories`."""

    def __init__(self, window: MainWindow, *rooms: ActionFactories) -> None:
        factories: dict[ActionId, Factory] = {}
        for room in rooms:
            twice = factories.keys() & room.by_id.keys()
            if twice:
                raise RuntimeError(f"more than one factory for {', '.join(sorted(a.name for a in twice))}")
            factories.update(room.by_id)
        missing = [a.name for a in ActionId if a not in factories]
        if missing:
            raise RuntimeError(f"no factory registered for {', '.join(missing)}")
        self._actions = {action_id: factories[action_id](window) for action_id in ActionId}

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def __len__(self) -> int:
        return len(self._actions)


def make_action(
    parent: QObject,
    text: str,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
    *,
    checkable: bool = False,
    widget_only: bool = False,
    icon: QIcon | None = None,
) -> QAction:
    """A QAction with its keys, status tip and a tooltip naming the keys; `widget_only` keys work only in
    the widget the action is added to (the text pane), so typing elsewhere never triggers them."""
    action = QAction(text, parent)
    if icon is not None:
        action.setIcon(icon)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(
            f"{text.replace('&', '').rstrip('…')}"
            + (f" ({action.shortcut().toString()})" if shortcut else "")
            + f"\n{tip}"
        )
    action.setCheckable(checkable)
    if widget_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    return action
