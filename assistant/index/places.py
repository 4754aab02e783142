"""Places: the jurisdictions a question names and the jurisdiction a document belongs to.

A question about 湖北's targets wants 湖北's report, not another province's paragraph on the same topic. The
gazetteer (resources/places.yaml: provinces, cities, the demo's counties and parks, with their parents) is read
once; matching is longest-first, so 浦东新区 is not read as 浦东 plus something else. Pure: no I/O beyond
reading the packaged gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FULL_NAME_ONLY = "只认全称"


@dataclass(frozen=True)
class Gazetteer:
    canonical: dict[str, str]  # every written form (全称 and 简称) → the 全称
    parent: dict[str, str]  # 全称 → the 全称 of the place it belongs to
    pattern: re.Pattern[str] | None

    def find(self, text: str) -> list[str]:
        """The places named in `text` (全称), in order of first mention, each once."""
        if self.pattern is None or not text:
            return []
        found: list[str] = []
        for match in self.pattern.finditer(text):
            name = self.canonical[match.group(0)]
            if name not in found:
                found.append(name)
        return found

    def lineage(self, name: str) -> list[str]:
        """The place and every place above it (汉阴县, 安康市, 陕西省)."""
        chain = [name]
        while chain[-1] in self.parent and self.parent[chain[-1]] not in chain:
            chain.append(self.parent[chain[-1]])
        return chain

    def related(self, a: str, b: str) -> bool:
        """Whether one place contains the other (or they are the same): a 汉阴县 question and an 安康市 document
        are about the same jurisdiction, a 河南 question and a 郑州市 document too."""
        return a in self.lineage(b) or b in self.lineage(a)

    def forms(self, name: str) -> list[str]:
        """Every written form of a place (全称 and 简称), longest first."""
        return sorted((form for form, full in self.canonical.items() if full == name), key=len, reverse=True)


def short_form(name: str) -> str | None:
    """The usual short form of a full name: 湖北省 → 湖北, 汉阴县 → 汉阴, 汉滨区 → 汉滨 (three-character 区 only:
    浦东新区 or 恒口示范区 have short forms of their own, written in the gazetteer)."""
    if len(name) >= 3 and name[-1] in "省市县":
        return name[:-1]
    if len(name) == 3 and name.endswith("区"):
        return name[:-1]
    return None


def build_gazetteer(data: dict[str, Any]) -> Gazetteer:
    full_only = set(data.get(FULL_NAME_ONLY) or [])
    canonical: dict[str, str] = {}
    parent: dict[str, str] = {}
    entries: dict[str, dict[str, Any]] = {}
    for name, entry in data.items():
        if name == FULL_NAME_ONLY:
            continue
        entries[name] = dict(entry or {})
        for child in entries[name].get("下辖") or []:
            parent.setdefault(child, name)
            entries.setdefault(child, {})
    for name, entry in entries.items():
        canonical[name] = name
        forms = list(entry.get("简称") or [])
        short = short_form(name)
        if short and name not in full_only:
            forms.append(short)
        for form in forms:
            canonical.setdefault(form, name)  # a form already taken by a full name keeps that meaning
    names = sorted(canonical, key=lambda form: (-len(form), form))
    pattern = re.compile("|".join(re.escape(n) for n in names)) if names else None
    return Gazetteer(canonical, parent, pattern)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    text = resources.files("assistant.resources").joinpath("places.yaml").read_text(encoding="utf-8")
    return build_gazetteer(yaml.safe_load(text) or {})


def document_places(title: str, office: str, head: str, places: Gazetteer | None = None) -> frozenset[str]:
    """The jurisdiction of a document: the places its title or issuing office names; failing that, those in its
    first lines (a report's "在湖北省第十四届人民代表大会…上"). A national law names none."""
    places = places or gazetteer()
    named = places.find(f"{title} {office}")
    return frozenset(named or places.find(head))


def place_relation(question_places: Iterable[str], doc_places: Iterable[str], places: Gazetteer | None = None) -> int:
    """+1 when the document belongs to a place the question names (or one inside or above it), -1 when it
    belongs only to other places, 0 when either names none."""
    places = places or gazetteer()
    asked, owned = list(question_places), list(doc_places)
    if not asked or not owned:
        return 0
    return 1 if any(places.related(a, d) for a in asked for d in owned) else -1
