"""Interface strings in the person's language.

Exercise and routine texts carry their own languages in the YAML files; this
module translates the fixed words of the interface. The catalogue lives in
``assets/translations/<lang>.yaml`` (English text -> translation) so that a
translator edits one plain file; a missing entry falls back to English.
"""

from __future__ import annotations

from pathlib import Path

_catalog: dict[str, str] = {}
_lang = "en"


def set_language(lang: str, assets: Path) -> None:
    global _lang, _catalog
    _lang = lang
    _catalog = {}
    if lang == "en":
        return
    import yaml  # only for other languages: keeps an English start-up lean

    path = assets / "translations" / f"{lang}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return
    if isinstance(data, dict):
        _catalog = {str(k): str(v) for k, v in data.items()}


def language() -> str:
    return _lang


def T(text: str) -> str:
    return _catalog.get(text, text)
