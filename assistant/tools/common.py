"""Helpers shared by the figure tools: name resolution against the database and provenance."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from assistant.db.errors import AggregateSuppressed, InvalidValue, RegionDenied, UnknownChain, UnknownRegion
from assistant.db.importers import office_index
from assistant.db.models import ImportLog, IndustryChain, Office, Region
from assistant.db.periods import Period, parse_period
from assistant.db.reference import DEPARTMENT_ALIASES
from assistant.db.session import FigureStore
from assistant.db.vocab import NameIndex, normalise_name
from assistant.tools.types import Provenance


def regions(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).order_by(Region.sort_order)))


@dataclass(frozen=True)
class Named:
    """A resolved region or chain, detached from the session (tool sessions end in a rollback)."""

    id: int
    name: str
    is_city: bool = False


def resolve_region(session: Session, text: str) -> Named:
    """Region by name or alias (汉滨 → 汉滨区, 安康市 → 全市); UnknownRegion lists the known ones."""
    known = regions(session)
    index = NameIndex((r.name, r.aliases or []) for r in known)
    name = index.get(text)
    if name is None:
        raise UnknownRegion(text, index.names)
    region = next(r for r in known if r.name == name)
    return Named(region.id, region.name, region.is_city)


def check_region(store: FigureStore, reg: Named) -> None:
    """RegionDenied when a county officer's store asks for another region's rows (the city is allowed)."""
    if store.region_scope and not reg.is_city and reg.name != store.region_scope:
        raise RegionDenied(reg.name, store.region_scope)


def scoped_region(store: FigureStore, session: Session, text: str | None) -> str | None:
    """The region a listing tool filters on: what was asked, or for a county officer their own region
    (asking for the whole city gives their region's rows; another region raises RegionDenied)."""
    if not store.region_scope:
        return text
    if text:
        check_region(store, resolve_region(session, text))
    return store.region_scope


def other_region_units(session: Session, own: str) -> tuple[str, ...]:
    """Name prefixes of units that belong to a region other than `own` (汉滨区招商局, 高新管委会: every name and alias
    of the other counties and zones); a unit starting with one is that region's, city units and 联络处 are nobody's."""
    return tuple(normalise_name(name) for r in regions(session) if not r.is_city and r.name != own
                 for name in (r.name, *(r.aliases or [])))


def resolve_office(offices: list[Office], text: str) -> Office:
    """The 驻外招商联络处 a question names by its name, a 简称 (西安办) or its city (西安); InvalidValue listing the
    configured ones when none fits."""
    index = office_index(offices)
    name = index.get(text) or index.find_in(text) or next((o.name for o in offices if o.city and o.city in text), None)
    if name is None:
        known = "、".join(f"{o.name}（{o.city}）" for o in offices) or "（尚未导入联络处）"
        raise InvalidValue(f"没有名为“{text}”的驻外招商联络处。已配置的联络处：{known}。")
    return next(o for o in offices if o.name == name)


def resolve_chain(session: Session, text: str) -> Named:
    chains = list(session.scalars(select(IndustryChain).order_by(IndustryChain.sort_order)))
    index = NameIndex((c.name, c.aliases or []) for c in chains)
    name = index.get(text)
    if name is None:
        raise UnknownChain(text, index.names)
    chain = next(c for c in chains if c.name == name)
    return Named(chain.id, chain.name)


def department_key(text: str) -> str:
    """The part of a department's full name that `text` stands for: 市发改委 → 发展和改革, 自然资源 → 自然资源."""
    norm = normalise_name(text)
    bare = re.sub(r"^(?:市|县|区)", "", norm)
    for key, aliases in DEPARTMENT_ALIASES.items():
        if bare == key or any(bare == a or bare.startswith(a) or a in bare for a in sorted(aliases, key=len)):
            return key
    return bare


def period_of(text: str | None) -> Period | None:
    return parse_period(text) if text else None


def provenance(session: Session, table: str, rows: Iterable[tuple[int, int]], period: Period | None,
               formula: str | None) -> Provenance:
    """Provenance for rows given as (row id, import id) pairs; as_of is the newest import among them."""
    pairs = sorted(set(rows))
    return provenance_of(session, table, [row_id for row_id, _ in pairs], {import_id for _, import_id in pairs},
                         period, formula)


def provenance_of(session: Session, table: str, row_ids: list[int], import_ids: Iterable[int],
                  period: Period | None, formula: str | None) -> Provenance:
    """Provenance for rows given as their ids (unique, ascending) and the imports that wrote them: for a whole
    table, where the ids and the distinct imports come from the database without pairing them up in Python."""
    import_ids = set(import_ids)
    logs = list(session.scalars(select(ImportLog).where(ImportLog.id.in_(import_ids)))) if import_ids else []
    newest = max((log.imported_at for log in logs), default=None)
    return Provenance(
        table=table,
        row_ids=row_ids,
        period=period.key if period else None,
        as_of=newest.strftime("%Y-%m-%dT%H:%M:%SZ") if newest else None,
        formula=formula,
        files=sorted({log.file_name for log in logs}),
    )


def found_or_examined(session: Session, table: str, found: Iterable[tuple[int, int]],
                      id_column: InstrumentedAttribute[int], import_column: InstrumentedAttribute[int],
                      scope: Iterable[ColumnElement[bool]], period: Period | None, formula: str | None) -> Provenance:
    """Provenance of a count: the rows found, or when nothing matched the rows that were looked through (the
    region's projects, the department's problems…). "None overdue" is a finding about those rows, and an answer
    that states it names them like any other figure; without them a zero would read as coming from nowhere."""
    pairs = list(found)
    if not pairs:
        pairs = [(row_id, import_id) for row_id, import_id in session.execute(
            select(id_column, import_column).where(*scope))]
    return provenance(session, table, pairs, period, formula)


def all_ids(session: Session, column: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> list[int]:
    """Every value of an integer column (of the rows `where` picks), ascending, as one aggregate value (an array on
    PostgreSQL, a joined string on SQLite): a 10,000-row table comes back without 10,000 row objects, whose
    allocation set off the garbage collector's full passes every few calls."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return sorted(session.scalar(select(func.array_agg(column)).where(*where)) or [])
    if dialect == "sqlite":
        joined = session.scalar(select(func.group_concat(column)).where(*where))
        return sorted(map(int, joined.split(","))) if joined else []
    return sorted(session.scalars(select(column).where(*where)))


def guard_aggregate(store: FigureStore, what: str, others: int) -> None:
    """Inference control: a county officer sees an aggregate only when at least `store.min_group` regions or
    projects other than their own stand behind it (0 others: it is their own data). AggregateSuppressed else."""
    if store.region_scope and 0 < others < store.min_group:
        raise AggregateSuppressed(what, others, store.min_group)
