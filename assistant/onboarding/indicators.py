"""Indicator definitions (口径): what each metric counts, its unit, and how the derived rates are computed —
the formulas shown are the ones the tools use (assistant.tools.formulas), with a cited source where the
corpus defines the indicator."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.db.reference import METRICS
from assistant.index.kb import KnowledgeBase
from assistant.onboarding.glossary import Term, lookup
from assistant.onboarding.sources import Source
from assistant.tools.formulas import FORMULAS

DERIVED = ["完成进度", "序时进度", "同比", "排名", "开工率", "资金到位率", "履约率", "重点产业链项目占比", "单位换算"]


class IndicatorDefinition(BaseModel):
    name: str
    unit: str = ""
    counts: str = ""
    formula: str = ""
    source: Source | None = None


def indicator_definitions(kb: KnowledgeBase, glossary: list[Term]) -> list[IndicatorDefinition]:
    out: list[IndicatorDefinition] = []
    for metric in METRICS:
        found = lookup(glossary, metric.name)
        term = found[0] if found else None
        out.append(IndicatorDefinition(
            name=metric.name, unit=metric.unit, counts=term.definition if term else "",
            source=term.source if term else None,
        ))
    for name in DERIVED:
        found = lookup(glossary, name)
        term = found[0] if found else None
        out.append(IndicatorDefinition(
            name=name, formula=FORMULAS[name], counts=term.definition if term else "",
            source=term.source if term else None,
        ))
    return out
