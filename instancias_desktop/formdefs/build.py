"""A checked definition as domain values, and its canonical content and hash."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.forms import (
    AnswerType,
    Band,
    Condition,
    EvidenceRule,
    FormDefinition,
    FormItem,
    FormSection,
    Option,
    StageRule,
)


def canonical_json(data: Mapping[str, Any]) -> str:
    """The content as compact JSON with sorted keys: comments and layout do not count."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(canonical: str) -> str:
    """The SHA-256 that pins a released version."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _item(raw: Mapping[str, Any], number: int) -> FormItem:
    when = raw.get("when")
    evidence = raw.get("evidence", {})
    return FormItem(
        code=raw["id"],
        number=number,
        text=raw["text"],
        answer_type=AnswerType(raw["answer"]),
        weight=raw["weight"],
        help=raw.get("help", ""),
        not_applicable=raw.get("not_applicable", True),
        options=tuple(
            Option(o["id"], o["label"], float(o["credit"])) for o in raw.get("options", ())
        ),
        when=(
            Condition(
                item=when.get("item", ""),
                at_least=when.get("at_least", ""),
                levels=tuple(InstanciaLevel(v) for v in when.get("levels", ())),
            )
            if when
            else None
        ),
        evidence=EvidenceRule(
            tuple(evidence.get("required_when", ())), tuple(evidence.get("types", ()))
        ),
        basis=raw.get("basis", ""),
        assumption=raw.get("assumption", False),
    )


def definition_from(data: Mapping[str, Any], digest: str) -> FormDefinition:
    """Domain values of a definition already checked by formdefs.load."""
    sections = []
    number = 0
    for section in data["sections"]:
        items = []
        for raw in section["items"]:
            number += 1
            items.append(_item(raw, number))
        sections.append(FormSection(section["id"], section["title"], tuple(items)))
    return FormDefinition(
        form_id=data["form"],
        version=data["version"],
        title=data["title"],
        levels=tuple(InstanciaLevel(v) for v in data["levels"]),
        sections=tuple(sections),
        bands=tuple(
            sorted(
                (Band(float(b["min"]), b["label"]) for b in data["bands"]),
                key=lambda b: b.min_score,
            )
        ),
        stage_rules=tuple(
            StageRule(Stage(r["stage"]), tuple(r["requires"]), float(r.get("min_score", 0)))
            for r in data.get("stage_rules", ())
        ),
        partial_credit=float(data.get("partial_credit", 0.5)),
        description=data.get("description", ""),
        content_hash=digest,
    )
