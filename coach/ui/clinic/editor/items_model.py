"""The routine's items as a Qt list that can be reordered by drag and by keyboard.

The model only reads the editor's draft and asks the editor to move a row,
so every reorder goes through the undo stack like any other change.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListView

if TYPE_CHECKING:
    from coach.ui.clinic.editor.page import RoutineEditor


ITEM_MIME = "application/x-coach-routine-rows"


class ItemsModel(QAbstractListModel):
    """The routine's exercises in order. Moves go through the editor (undo stack)."""

    move_requested = Signal(int, int)  # from row, to row (final position)

    def __init__(self, editor: RoutineEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._editor.draft.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._editor.draft.items):
            return None
        row = index.row()
        item = self._editor.draft.items[row]
        ex = self._editor.library.exercises.get(item.get("exercise", ""))
        lang = self._editor.lang
        title = ex.title.get(lang) if ex else str(item.get("exercise"))
        problem = self._editor.item_problem(row)
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✗ " if problem else ("⚠ " if ex is not None and ex.lumbar_extension else "")
            kept = self._editor.item_marks(row)
            return f"{row + 1}. {mark}{title}\n{self._editor.dose_line(row)}{kept}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._editor.icon(item.get("exercise", ""))
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            kept = self._editor.item_marks(row)
            text = f"{row + 1}. {title}: {self._editor.dose_line(row)}{kept}"
            return f"{text}. {problem}" if problem else text
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QColor("#b3261e")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(ITEM_MIME, QByteArray(json.dumps(rows).encode("ascii")))
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return data.hasFormat(ITEM_MIME)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """A drop between rows: the editor moves the item (one undo step).

        Returns False on purpose: the move is done, so the view must not also
        remove the dragged rows as it would after an accepted MoveAction.
        """
        if not data.hasFormat(ITEM_MIME):
            return False
        try:
            rows = json.loads(bytes(data.data(ITEM_MIME).data()).decode("ascii"))
        except ValueError:
            return False
        if not isinstance(rows, list) or len(rows) != 1 or not isinstance(rows[0], int):
            return False
        source = rows[0]
        count = len(self._editor.draft.items)
        if row < 0:
            row = parent.row() if parent.isValid() else count
        target = row if row <= source else row - 1
        target = max(0, min(count - 1, target))
        if target != source:
            self.move_requested.emit(source, target)
        return False

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()


class ItemsView(QListView):
    """The routine's list: Ctrl+Up/Down move the selected item, Delete removes it."""

    move_by = Signal(int)
    remove_pressed = Signal()

    def keyPressEvent(self, event: Any) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and event.key() == Qt.Key.Key_Up:
            self.move_by.emit(-1)
            return
        if ctrl and event.key() == Qt.Key.Key_Down:
            self.move_by.emit(1)
            return
        if event.key() == Qt.Key.Key_Delete:
            self.remove_pressed.emit()
            return
        super().keyPressEvent(event)
