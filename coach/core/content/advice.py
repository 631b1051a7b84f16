"""The everyday-advice page: short sections of plain advice with pictures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from coach.core.content.files import located_problems, read_yaml
from coach.core.content.model import Identifier, Text
from coach.core.content.records import Invalid, Meta, Record, field


class Picture(Record, kw_only=True):
    exercise: Identifier
    frame: Literal["start", "end", "avoid"] = "end"


class AdviceSection(Record, kw_only=True):
    id: Identifier
    title: Text
    intro: Text
    points: Annotated[list[Text], Meta(min_length=1, max_length=12)]
    pictures: Annotated[list[Picture], Meta(max_length=3)] = field(default_factory=list)


class Advice(Record, kw_only=True):
    format_version: Literal[1] = 1
    kind: Literal["advice"] = "advice"
    sections: Annotated[list[AdviceSection], Meta(min_length=1)]


def load_advice(path: Path) -> Advice:
    data, root = read_yaml(path)
    try:
        return Advice.from_data(data)
    except Invalid as exc:
        raise located_problems(path, root, exc) from None
