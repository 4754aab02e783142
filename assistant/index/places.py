"""Places: the jurisdictions a question names and the jurisdiction a document belongs to.

A question about 湖北's targets wants 湖北's report, not another province's paragraph on the same topic. The
gazetteer is resources/places.yaml (provinces, cities and well-known zones, with their parents) together with the
city this installation serves, read from its city file (assistant/resources/city.yaml or ASSISTANT_CITY_FILE: its
counties and zones with their 全称, 名称 and 简称) — declared once, there, for the database, the question's slots
and retrieval alike. Read once per city file; matching is longest-first, so 浦东新区 is not read as 浦东 plus
something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from assistant.db.reference import CityConfig, load_city

FULL_NAME_ONLY = "只认全称"
# A form that is only a kind of zone (高新区, 经开区, 开发区) names a zone in every city: a city file may use it among its
# own 简称 (its officers say 高新区), but another city's document saying 高新区 is not about this city's zone.
GENERIC_ZONE = re.compile(r"^(?:国家级)?(?:高新技术产业开发区|经济技术开发区|高新区|经开区|开发区|高新|经开|新区|园区|示范区|"
                          r"工业园区?|产业园区?|旅游区|景区)$")


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

    def common(self, names: list[str]) -> str | None:
        """The smallest place holding all of `names` (汉滨区 and 平利县 → 安康市; one name → itself), None when
        they share none (湖北省 and 湖南省)."""
        if not names:
            return None
        others = [set(self.lineage(n)) for n in names[1:]]
        return next((p for p in self.lineage(names[0]) if all(p in o for o in others)), None)

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


def with_city(data: dict[str, Any], city: CityConfig) -> dict[str, Any]:
    """The gazetteer's entries with the configured city's: the city over its counties and zones, each county under
    its 全称 with its 名称 and 简称 as written forms (but no bare zone word). The city's own 简称 (全市合计, 合计…)
    are words of its tables, not names of a place: only its name is taken."""
    merged = dict(data)
    # a 全称 that starts with the city's name (安康市汉滨区) is read as the city and the county, each a place
    keys = {r.name: r.name if r.full_name.startswith(city.name) else r.full_name for r in city.counties}
    city_entry = dict(merged.get(city.name) or {})
    city_entry["下辖"] = [*(city_entry.get("下辖") or []), *keys.values()]
    merged[city.name] = city_entry
    for r in city.counties:
        key = keys[r.name]
        forms = [f for f in dict.fromkeys((r.name, *r.aliases))
                 if f != key and not f.startswith(city.name) and not GENERIC_ZONE.match(f)]
        entry = dict(merged.get(key) or {})
        entry["简称"] = [*(entry.get("简称") or []), *forms]
        merged[key] = entry
    return merged


@lru_cache(maxsize=4)
def _city(city_file: Path | None) -> CityConfig:
    return load_city(city_file)


@lru_cache(maxsize=4)
def _gazetteer(city_file: Path | None) -> Gazetteer:
    text = resources.files("assistant.resources").joinpath("places.yaml").read_text(encoding="utf-8")
    return build_gazetteer(with_city(yaml.safe_load(text) or {}, _city(city_file)))


def gazetteer() -> Gazetteer:
    """The places of resources/places.yaml and of the city this installation serves (ASSISTANT_CITY_FILE)."""
    from assistant.config import city_file

    return _gazetteer(city_file())


def within(inner: str, outer: str, places: Gazetteer | None = None) -> bool:
    """Whether a place written `inner` (广州, 汕头市) lies in the place written `outer` (广东, 广东省), or is it."""
    places = places or gazetteer()
    found, around = places.find(inner), places.find(outer)
    return bool(found and around) and around[0] in places.lineage(found[0])


def home_city() -> str:
    """The city this installation serves (ASSISTANT_CITY_FILE): its own places are no other jurisdiction."""
    from assistant.config import city_file

    return _city(city_file()).name  # read once per city file, as the gazetteer is


def document_places(title: str, office: str, head: str, places: Gazetteer | None = None) -> frozenset[str]:
    """The jurisdiction of a document: the places its title or issuing office names; failing that, those in its
    first lines (a report's "在湖北省第十四届人民代表大会…上"). A national law names none. Several places of one
    jurisdiction are that jurisdiction: a city's survey whose opening names the four counties it visited is the
    city's document, not one of those counties' (a question about a fifth county is no question about another
    place)."""
    places = places or gazetteer()
    named = places.find(f"{title} {office}") or places.find(head)
    common = places.common(named) if len(named) > 1 else None
    return frozenset([common] if common else named)


def place_relation(question_places: Iterable[str], doc_places: Iterable[str], places: Gazetteer | None = None) -> int:
    """+1 when the document belongs to a place the question names (or one inside or above it), -1 when it
    belongs only to other places, 0 when either names none."""
    places = places or gazetteer()
    asked, owned = list(question_places), list(doc_places)
    if not asked or not owned:
        return 0
    return 1 if any(places.related(a, d) for a in asked for d in owned) else -1
