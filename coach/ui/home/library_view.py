"""The exercise library: every exercise by category, with a search field."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.core.content.library import Library
from coach.core.content.model import Category, Exercise
from coach.ui.home.exercise_view import CATEGORY_NAMES, dose_summary
from coach.ui.i18n import T
from coach.ui.widgets import label, picture_image

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def thumbnail(library: Library, exercise_id: str, size: QSize) -> QIcon:
    return QIcon(
        QPixmap.fromImage(picture_image(size, path=library.illustration(exercise_id, "end")))
    )


class LibraryView(QWidget):
    exercise_activated = Signal(str)

    def __init__(
        self,
        library: Library,
        lang: str = "en",
        *,
        visible: set[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._lang = lang
        # Exercises this person may see (the health profile's filter); None = all safe ones.
        self._visible = visible
        self._icons: dict[str, QIcon] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(label(T("Exercises"), "h1"))

        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(T("Search, e.g. knee or chair"))
        self.search.setAccessibleName(T("Search exercises"))
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.category.setAccessibleName(T("Show category"))
        self.category.addItem(T("All categories"), "")
        for cat in Category:
            self.category.addItem(T(CATEGORY_NAMES[cat.value]), cat.value)
        row.addWidget(self.search, 3)
        row.addWidget(self.category, 2)
        layout.addLayout(row)

        self.list = QListWidget()
        self.list.setAccessibleName(T("Exercise list"))
        self.list.setIconSize(QSize(96, 72))
        self.list.setUniformItemSizes(False)
        layout.addWidget(self.list, 1)
        self.empty = label(T("No exercise matches your search."), "muted")
        self.empty.hide()
        layout.addWidget(self.empty)

        self.search.textChanged.connect(self._refill)
        self.category.currentIndexChanged.connect(self._refill)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.itemClicked.connect(self._on_list_item_activated)
        self._refill()

    def set_visible_ids(self, visible: set[str] | None) -> None:
        self._visible = visible
        self._refill()

    def shown_ids(self) -> list[str]:
        return [
            str(self.list.item(i).data(ID_ROLE))
            for i in range(self.list.count())
            if self.list.item(i).data(ID_ROLE)
        ]

    def _matches(self, ex: Exercise) -> bool:
        if self._visible is not None and ex.id not in self._visible:
            return False
        wanted = self.category.currentData()
        return not wanted or ex.category.value == wanted

    def _refill(self) -> None:
        lang = self._lang
        text = self.search.text()
        hits = {ex.id for ex in self._library.search(text, lang)} if text.strip() else None
        self.list.clear()
        for cat, exercises in self._library.by_category().items():
            shown = [e for e in exercises if self._matches(e) and (hits is None or e.id in hits)]
            if not shown:
                continue
            header = QListWidgetItem(T(CATEGORY_NAMES[cat.value]))
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.2 if font.pointSizeF() > 0 else 16)
            header.setFont(font)
            self.list.addItem(header)
            for ex in shown:
                item = QListWidgetItem(f"{ex.title.get(lang)}\n{dose_summary(ex, lang)}")
                item.setData(ID_ROLE, ex.id)
                item.setIcon(self._icon(ex.id))
                item.setToolTip(ex.cue.get(lang))
                self.list.addItem(item)
        self.empty.setVisible(not self.shown_ids())

    def _icon(self, exercise_id: str) -> QIcon:
        if exercise_id not in self._icons:
            self._icons[exercise_id] = thumbnail(self._library, exercise_id, QSize(192, 144))
        return self._icons[exercise_id]

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        ident = item.data(ID_ROLE)
        if ident:
            self.exercise_activated.emit(str(ident))
