"""The routine editor of clinician mode, and the dialog for the clinic's own exercises.

A physiotherapist builds a patient's routine here in a few minutes: exercises
come from the library (search, category), each item gets its dose, the
schedule says how often, and the total time and the step timeline follow
every change. Every change is one step on an undo stack, so trying something
out costs nothing. Saving writes an ordinary routine file into the person's
routine folder, the same YAML ``coach validate`` checks.

The pieces live in their own modules so each can be read on its own; this
package passes on the names the rest of the app imports.
"""

from coach.ui.clinic.editor.custom_exercise_dialog import CustomExerciseDialog
from coach.ui.clinic.editor.draft import Draft
from coach.ui.clinic.editor.extension_dialog import ExtensionDialog
from coach.ui.clinic.editor.page import RoutineEditor
from coach.ui.clinic.editor.style import PictureView, editor_style, error_label, show_error

__all__ = [
    "CustomExerciseDialog",
    "Draft",
    "ExtensionDialog",
    "PictureView",
    "RoutineEditor",
    "editor_style",
    "error_label",
    "show_error",
]
