"""The pane the clinician picks exercises from: search, category, the list.

It knows which exercises may be offered (not ones installed from another
clinician's plan, back-arching ones only on request), which is its own concern
apart from editing the routine, so it lives beside the page as a mixin.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from coach.core.clinic.install import from_installed_plan
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import clinic_folder
from coach.core.content.library import Library
from coach.core.content.model import Category
from coach.ui.clinic.editor.style import pane
from coach.ui.home.exercise_view import CATEGORY_NAMES
from coach.ui.i18n import T
from coach.ui.widgets import button, picture_image


def exercise_icon(library: Library, exercise_id: str, size: QSize | None = None) -> QIcon:
    path = library.illustration(exercise_id, "end")
    size = size or QSize(96, 72)
    return QIcon(QPixmap.fromImage(picture_image(size * 2, path=path)))


class LibraryPane:
    """The "Add exercises" pane: finds exercises and hands the chosen one to the editor.

    A mixin of the editor page, which provides what is declared below; the
    pane's widgets stay attributes of the page.
    """

    library: Library
    paths: Paths
    lang: str
    _icons: dict[str, QIcon]
    add_exercise: Callable[[str], None]
    open_custom_exercise: Callable[[], None]

    def _build_library(self) -> QWidget:
        frame, box = pane(T("Add exercises"))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(T("Search, e.g. knee or chair"))
        self.search.setAccessibleName(T("Search exercises"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refill_library)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        box.addWidget(self.search)
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setAccessibleName(T("Category"))
        self.category.addItem(T("All categories"), "")
        for cat in Category:
            self.category.addItem(T(CATEGORY_NAMES[cat.value]), cat.value)
        self.category.addItem(T("The clinic's own"), "clinic")
        self.category.currentIndexChanged.connect(self._refill_library)
        box.addWidget(self.category)
        self.show_extension = QCheckBox(T("Include back-arching ones"))
        self.show_extension.setToolTip(
            T("Exercises that arch the lower back need your permission for each patient.")
        )
        self.show_extension.setObjectName("show-extension")
        self.show_extension.toggled.connect(self._refill_library)
        box.addWidget(self.show_extension, 0, Qt.AlignmentFlag.AlignLeft)
        self.library_list = QListWidget()
        self.library_list.setObjectName("library-list")
        self.library_list.setAccessibleName(T("Exercises to add"))
        self.library_list.setIconSize(QSize(56, 42))
        self.library_list.setWordWrap(True)
        self.library_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.library_list.itemActivated.connect(self._on_library_item_activated)
        box.addWidget(self.library_list, 1)
        row = QHBoxLayout()
        self.add_button = button(T("Add"), "primary", accessible=T("Add the exercise"))
        self.add_button.setObjectName("add-exercise")
        self.add_button.setToolTip(T("Or double-click, or press Enter in the list"))
        self.add_button.clicked.connect(self._on_add_clicked)
        row.addWidget(self.add_button)
        self.custom_button = button(T("Clinic exercise…"), accessible=T("New clinic exercise"))
        self.custom_button.setObjectName("new-custom")
        self.custom_button.setToolTip(T("Your own exercise with your own picture"))
        self.custom_button.clicked.connect(self.open_custom_exercise)
        row.addWidget(self.custom_button)
        row.addStretch(1)
        box.addLayout(row)
        self._refill_library()
        return frame

    def icon(self, exercise_id: str) -> QIcon:
        if exercise_id not in self._icons:
            self._icons[exercise_id] = exercise_icon(self.library, exercise_id, QSize(64, 48))
        return self._icons[exercise_id]

    def _is_clinic(self, exercise_id: str) -> bool:
        loaded = self.library.sources.get(("exercise", exercise_id))
        if loaded is None:
            return False
        return loaded.path.resolve().is_relative_to(clinic_folder(self.paths).resolve())

    def _refill_library(self) -> None:
        lang = self.lang
        text = self.search.text().strip()
        wanted = self.category.currentData()
        show_ext = self.show_extension.isChecked()
        self.library_list.clear()
        groups = list(self.library.by_category(include_extension=True).items())
        if text:
            # Best hits first ("walk": the walking exercises), not by category.
            found = self.library.search(text, lang, include_extension=True)
            groups = [(e.category, [e]) for e in found]
        for cat, exercises in groups:
            shown = [
                e
                for e in exercises
                if (show_ext or not e.lumbar_extension)
                and (
                    not wanted
                    or (wanted == "clinic" and self._is_clinic(e.id))
                    or wanted == cat.value
                )
                and self.library.origin("exercise", e.id) is not None
                and not self._is_assigned(e.id)
            ]
            for ex in shown:
                marks = []
                if self._is_clinic(ex.id):
                    marks.append(T("clinic"))
                if ex.lumbar_extension:
                    marks.append("⚠ " + T("arches the back"))
                extra = f"  ({', '.join(marks)})" if marks else ""
                item = QListWidgetItem(
                    f"{ex.title.get(lang)}{extra}\n{T(CATEGORY_NAMES[cat.value])}"
                )
                item.setData(Qt.ItemDataRole.UserRole, ex.id)
                item.setIcon(self.icon(ex.id))
                item.setToolTip(ex.cue.get(lang))
                self.library_list.addItem(item)
        if self.library_list.count():
            self.library_list.setCurrentRow(0)

    def _is_assigned(self, exercise_id: str) -> bool:
        # Exercises installed from another clinician's plan are not this clinic's to reuse.
        return from_installed_plan(self.library, self.paths, "exercise", exercise_id)

    def library_ids(self) -> list[str]:
        return [
            str(self.library_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.library_list.count())
        ]

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_return_pressed(self) -> None:
        self.library_list.setFocus()

    def _on_library_item_activated(self, item: QListWidgetItem) -> None:
        self.add_exercise(str(item.data(Qt.ItemDataRole.UserRole)))

    def _on_add_clicked(self) -> None:
        item = self.library_list.currentItem()
        if item is not None:
            self.add_exercise(str(item.data(Qt.ItemDataRole.UserRole)))
