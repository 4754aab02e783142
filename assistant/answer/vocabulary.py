"""The database's vocabulary a question is read with: its regions and their short names (and the same-sounding
typos taken for them), the newest period held per metric and region, the names slots are filled from, and the day
relative time words count from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select

from assistant.answer.slots import SlotVocabulary
from assistant.db.models import Indicator, Region
from assistant.db.periods import Period
from assistant.db.reference import load_city
from assistant.db.session import FigureStore
from assistant.index.places import gazetteer
from assistant.tools.lifecycle import reported_on


@dataclass(frozen=True)
class RegionName:
    name: str
    aliases: tuple[str, ...]
    is_city: bool
    kind: str = ""  # 县, 区, 市, 开发区 (the regions table's kind)


STALE_DAYS = 100  # a database older than this (days) is read as of its own date


@dataclass
class Vocabulary:
    regions: list[RegionName] = field(default_factory=list)
    latest: dict[str, Period] = field(default_factory=dict)  # metric → newest period with data
    names: SlotVocabulary = field(default_factory=SlotVocabulary)
    latest_by_region: dict[tuple[str, str], Period] = field(default_factory=dict)  # (metric, region) → newest
    as_of: date | None = None  # the day the database reports as of: its ledger date, else its newest period's end

    def reference_day(self, clock: date) -> date:
        """The day relative time words (今年, 上季度, 本周) count from: the clock, unless the database stops
        more than STALE_DAYS before it (an archive or a demo), in which case the data's own as-of day, as the
        ledger tools already do for 本周 — otherwise 今年 would ask for a year the data cannot hold."""
        if self.as_of is not None and (clock - self.as_of).days > STALE_DAYS:
            return self.as_of
        return clock

    def latest_for(self, metrics: list[str], regions: list[str]) -> Period | None:
        """The newest period with data for these metrics in these regions (any region when none is named)."""
        city = {r.name for r in self.regions if r.is_city}
        found = [p for (m, r), p in self.latest_by_region.items()
                 if (not metrics or m in metrics) and (r in regions if regions else r not in city)]
        return max(found, default=None)

    @classmethod
    def load(cls, store: FigureStore | None) -> Vocabulary:
        if store is None:
            return cls()
        with store.session() as session:
            regions = [
                RegionName(r.name, tuple(r.aliases or []), r.kind == "全市", r.kind)
                for r in session.scalars(select(Region).order_by(Region.sort_order))
            ]
            latest: dict[str, Period] = {}
            rows = session.execute(
                select(Indicator.metric, func.max(Indicator.year * 100 + Indicator.end_month)).group_by(Indicator.metric)
            )
            for metric, key in rows:
                if key:
                    latest[metric] = Period(int(key) // 100, int(key) % 100)
            by_region: dict[tuple[str, str], Period] = {}
            for metric, region, key in session.execute(
                select(Indicator.metric, Region.name, func.max(Indicator.year * 100 + Indicator.end_month))
                .join(Region, Indicator.region_id == Region.id).where(Indicator.value.is_not(None))
                .group_by(Indicator.metric, Region.name)
            ):
                if key:
                    by_region[(metric, region)] = Period(int(key) // 100, int(key) % 100)
            ledger = reported_on(session)
        # the ledger's date is the day the bureau last reported (本周 already counts from it); without a
        # ledger, the end of the newest period with figures
        as_of = ledger or max((p.end for p in latest.values()), default=None)
        return cls(regions, latest, SlotVocabulary.load(store), by_region, as_of)

    def with_builtin_regions(self) -> Vocabulary:
        """This vocabulary plus the built-in city's regions (assistant/resources/city.yaml). The routes' example
        questions are written about that city (汉阴县有哪些项目); read with a second city's vocabulary alone, their
        county names would stay words while the question's (勉县) become placeholders, and routing would follow
        the county, not what is asked."""
        known = {(r.name, r.aliases) for r in self.regions}
        builtin = [RegionName(r.name, r.aliases, r.kind == "全市", r.kind) for r in load_city().regions]
        extra = [r for r in builtin if (r.name, r.aliases) not in known]
        return replace(self, regions=[*self.regions, *extra]) if extra else self

    def words(self) -> list[str]:
        return [w for r in self.regions for w in (r.name, *r.aliases)] + self.names.words()

    def find_regions(self, text: str) -> list[RegionName]:
        found: list[tuple[int, RegionName]] = []
        for region in self.regions:
            for word in sorted({region.name, *region.aliases}, key=len, reverse=True):
                pos = text.find(word)
                if word and pos >= 0:
                    found.append((pos, region))
                    break
        return [r for _, r in sorted(found, key=lambda item: item[0])]

    def sound_alike(self, text: str) -> list[tuple[str, RegionName]]:
        """Regions typed with one same-sounding wrong character (汉荫县 → 汉阴县, 汉宾区 → 汉滨区): the typed
        span and the region. Only full names with their 县/区/市 suffix, so a real other county (石门县) is not
        taken for one of ours (石泉县 sounds different)."""
        from pypinyin import lazy_pinyin

        found: list[tuple[str, RegionName]] = []
        for region in self.regions:
            name = region.name
            if region.is_city or len(name) < 3 or name[-1] not in "县区市":
                continue
            for start in range(len(text) - len(name) + 1):
                span = text[start:start + len(name)]
                if span[-1] != name[-1] or span == name:
                    continue
                diff = [i for i, (a, b) in enumerate(zip(span, name, strict=True)) if a != b]
                if len(diff) == 1 and lazy_pinyin(span) == lazy_pinyin(name):
                    found.append((span, region))
        return found

    def sound_alike_short(self, text: str) -> list[tuple[str, RegionName]]:
        """Regions typed by their two-character short name with one same-sounding wrong character (镇平 → 镇坪,
        汉宾 → 汉滨). A short name carries no 县/区 to tell it from another place, so the caller asks this only of a
        question about a metric the database holds for its own regions; a span the gazetteer knows as a place
        (资阳) or that goes on as a full name (镇平县) is not taken."""
        from pypinyin import lazy_pinyin

        places = gazetteer()
        found: list[tuple[str, RegionName]] = []
        for region in self.regions:
            if region.is_city:
                continue
            for word in (w for w in (region.name, *region.aliases) if len(w) == 2):
                for start in range(len(text) - 1):
                    span = text[start:start + 2]
                    if span == word or sum(a != b for a, b in zip(span, word, strict=True)) != 1 \
                            or text[start + 2:start + 3] in ("县", "市", "区", "州", "镇", "省") \
                            or span in places.canonical or lazy_pinyin(span) != lazy_pinyin(word):
                        continue
                    found.append((span, region))
        return found
