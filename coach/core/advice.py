"""The everyday-advice page: short sections of plain advice with pictures."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.core.files import FileProblems, Problem, read_yaml
from coach.core.model import Identifier, Text


class Picture(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercise: Identifier
    frame: Literal["start", "end", "avoid"] = "end"


class AdviceSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Identifier
    title: Text
    intro: Text
    points: list[Text] = Field(min_length=1, max_length=12)
    pictures: list[Picture] = Field(default_factory=list, max_length=3)


class Advice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format_version: Literal[1] = 1
    kind: Literal["advice"] = "advice"
    sections: list[AdviceSection] = Field(min_length=1)


def load_advice(path: Path) -> Advice:
    data, _root = read_yaml(path)
    try:
        return Advice.model_validate(data)
    except ValueError as exc:
        raise FileProblems([Problem(path, 1, 1, "", f"advice file is not valid: {exc}")]) from None
