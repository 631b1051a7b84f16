"""JSON Schemas for the file format, generated from the model.

Shipped in ``docs/schema/`` so that editors (VS Code's YAML extension, for
example) can check a routine file while a physiotherapist types it.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import msgspec

from coach.core.content.model import FORMAT_VERSION, Exercise, Routine
from coach.core.content.records import schema_hook

SCHEMAS: dict[str, type[Exercise] | type[Routine]] = {
    "exercise": Exercise,
    "routine": Routine,
}


def schema_for(kind: str) -> dict[str, Any]:
    model = SCHEMAS[kind]
    schema: dict[str, Any] = _clean_descriptions(
        msgspec.json.schema(model, schema_hook=schema_hook)
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://coach.example/schema/{kind}-v{FORMAT_VERSION}.json"
    schema["title"] = f"Coach {kind} file, format {FORMAT_VERSION}"
    return schema


def _clean_descriptions(node: Any) -> Any:
    """Descriptions without the docstrings' indentation, whatever msgspec does.

    msgspec 0.23 stopped dedenting class docstrings; cleaning them here keeps
    the committed schema the same under every allowed msgspec version.
    """
    if isinstance(node, dict):
        return {
            key: inspect.cleandoc(value)
            if key == "description" and isinstance(value, str)
            else _clean_descriptions(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_clean_descriptions(value) for value in node]
    return node


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    from coach.core.common.atomic import write_text_atomic

    written = []
    for kind in SCHEMAS:
        path = folder / f"{kind}.schema.json"
        write_text_atomic(path, schema_text(kind))
        written.append(path)
    return written
