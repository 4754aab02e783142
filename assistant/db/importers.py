"""Importing staff files into the project database, all-or-nothing.

A file is parsed and checked completely before anything is written; one bad row means the
database is untouched and ImportRejected lists every bad cell. Writing happens in one transaction.

Indicators: re-importing a (period, metric) replaces it: rows of regions missing from the new file
are deleted. Projects, enterprises, events and problems are updated in place by their key (name;
date + title; 编号) and never deleted by an import. Rows whose values did not change keep their id
and import id, and an import that changes nothing writes nothing, so importing the same files
again leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from assistant.db import records as rec
from assistant.db.errors import ImportFormatError, PartialPeriod
from assistant.db.indicator_import import IndicatorRecord, detect_layout, parse_long, parse_wide
from assistant.db.migrations import migrate
from assistant.db.models import (
    OPEN_END,
    Base,
    Contact,
    Enterprise,
    Event,
    ImportLog,
    Indicator,
    IndustryChain,
    Office,
    Problem,
    ProblemProgress,
    Project,
    ProjectVersion,
    Region,
)
from assistant.db.periods import Period
from assistant.db.rate_sums import refresh_issue_sums
from assistant.db.reference import SIGNED_STAGES
from assistant.db.tabular import Grid, read_grid
from assistant.db.vocab import NameIndex, normalise_name

KINDS: dict[str, str] = {
    "indicators": "县区指标",
    "projects": "项目库",
    "enterprises": "目标企业库",
    "events": "招商活动",
    "problems": "问题台账",
    "offices": "驻外招商联络处",
    "contacts": "走访叩门记录",
}
_DEMO_ORDER = ("offices", "enterprises", "projects", "problems", "contacts", "events", "indicators")
HISTORY_DIR = "history"  # dated ledger files of earlier weeks, next to the demo files


@dataclass
class ImportSummary:
    kind: str
    file_name: str
    layout: str
    encoding: str
    rows: int
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    replaced: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    import_id: int | None = None
    removed: list[str] = field(default_factory=list)  # rows of regions the file lacked, deleted (--replace-period)
    as_of: date | None = None  # the date the ledger file stands at, when it states one
    history: int = 0  # ledger history entries written (project versions, problem progress notes)
    kept_newer: int = 0  # rows left as they are because the database holds a later ledger date for them
    redated: int = 0  # rows confirmed unchanged at a later ledger date

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted or self.history or self.redated)

    def describe(self) -> str:
        """导入结果的中文摘要。"""
        layout = {"long": "长表", "wide": "宽表"}.get(self.layout, "")
        what = f"{KINDS[self.kind]}{'，' + layout if layout else ''}，{self.encoding}"
        if not self.changed:
            return f"“{self.file_name}”（{what}）共 {self.rows} 行，与数据库中的数据相同，未做修改。"
        lines = [
            f"已导入“{self.file_name}”（{what}）：共 {self.rows} 行，新增 {self.inserted}、更新 {self.updated}、"
            f"删除 {self.deleted}、未变 {self.unchanged}。"
        ]
        if self.replaced:
            lines.append(f"已替换的期间：{'、'.join(self.replaced)}。")
        if self.removed:
            lines.append(f"整期替换，删除了文件中没有的地区：{'；'.join(self.removed)}。")
        if self.ignored_columns:
            lines.append(f"未导入的列（完成进度、排名由系统计算）：{'、'.join(self.ignored_columns)}。")
        if self.as_of or self.history:
            dated = f"台账日期 {self.as_of.isoformat()}" if self.as_of else "文件未写填报日期，按导入当天记入历史"
            lines.append(f"{dated}；历史记录新增 {self.history} 条。")
        if self.kept_newer:
            lines.append(f"其中 {self.kept_newer} 行数据库中已有更晚日期的台账，只补入历史，当前数据未改。")
        return "\n".join(lines)


@dataclass
class _Counts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # "2023Q1 实际引进内资：汉滨区、旬阳市" (indicators only)
    history: int = 0
    kept_newer: int = 0
    redated: int = 0  # rows whose values stand unchanged at a later ledger date


def _as_float(value: Decimal | None, places: int = 6) -> float | None:
    return None if value is None else float(value.quantize(Decimal(1).scaleb(-places)))


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float | int | Decimal) and isinstance(new, float | int | Decimal) and not isinstance(
        old, bool
    ):
        return abs(float(old) - float(new)) <= 1e-9 * max(1.0, abs(float(new)))
    return bool(old == new)


def _upsert(session: Session, counts: _Counts, row: Base | None, model: type[Base], values: dict[str, Any],
            import_id: int) -> None:
    if row is None:
        session.add(model(**values, import_id=import_id))
        counts.inserted += 1
        return
    changed = False
    for name, value in values.items():
        if not _same(getattr(row, name), value):
            setattr(row, name, value)
            changed = True
    if changed:
        row.import_id = import_id  # type: ignore[attr-defined]
        counts.updated += 1
    else:
        counts.unchanged += 1


def office_index(offices: Iterable[Office]) -> NameIndex:
    """Offices by name, their aliases, and the ways staff write them (深圳联络处, 驻深圳联络处; a city whose offices are
    驻外分局: 深圳分局, 驻深圳招商分局)."""
    return NameIndex((o.name, [*(o.aliases or []), *(f"{head}{o.city}{tail}" for head in ("", "驻")
                                                      for tail in ("联络处", "招商联络处", "分局", "招商分局"))])
                     for o in offices)


class _Refs:
    """Names in the database that imported rows refer to."""

    def __init__(self, session: Session) -> None:
        regions = session.scalars(select(Region).order_by(Region.sort_order)).all()
        chains = session.scalars(select(IndustryChain).order_by(IndustryChain.sort_order)).all()
        self.region_ids = {r.name: r.id for r in regions}
        self.chain_ids = {c.name: c.id for c in chains}
        region_names = {r.id: r.name for r in regions}
        self.projects = {normalise_name(p.name): p for p in session.scalars(select(Project))}
        self.enterprises = {normalise_name(e.name): e for e in session.scalars(select(Enterprise))}
        offices = list(session.scalars(select(Office)))
        self.office_ids = {o.name: o.id for o in offices}
        self.lookups = rec.Lookups(
            NameIndex((r.name, r.aliases or []) for r in regions),
            NameIndex((c.name, c.aliases or []) for c in chains),
            {key: region_names[p.region_id] for key, p in self.projects.items()},
            office_index(offices),
        )

    def chain_id(self, name: str | None) -> int | None:
        return self.chain_ids[name] if name else None


def _apply_indicators(session: Session, refs: _Refs, records: list[IndicatorRecord], import_id: int,
                      replace_period: bool = False, path: Path | None = None) -> _Counts:
    """Each (period, metric) in the file replaces the database's: rows of regions the file lacks are deleted,
    which only happens with `replace_period`; otherwise PartialPeriod says which rows that would be."""
    counts = _Counts()
    pairs = {(r.period.key, r.metric) for r in records}
    existing = session.scalars(
        select(Indicator).where(
            Indicator.period.in_({p for p, _ in pairs}), Indicator.metric.in_({m for _, m in pairs})
        )
    ).all()
    by_key = {(e.region_id, e.period, e.metric): e for e in existing if (e.period, e.metric) in pairs}
    counts.replaced = [f"{p} {m}" for p, m in sorted(pairs) if any(k[1:] == (p, m) for k in by_key)]
    seen = {(refs.region_ids[r.region], r.period.key, r.metric) for r in records}
    names = {region_id: name for name, region_id in refs.region_ids.items()}
    removed: dict[str, list[str]] = {}
    for region_id, period, metric in sorted(k for k in by_key if k not in seen):
        removed.setdefault(f"{period} {metric}", []).append(names.get(region_id, str(region_id)))
    if removed and not replace_period:
        raise PartialPeriod(path or Path("?"), sorted({r.region for r in records}), removed)
    counts.removed = [f"{what}：{'、'.join(regions)}" for what, regions in removed.items()]
    for r in records:
        key = (refs.region_ids[r.region], r.period.key, r.metric)
        values = {
            "region_id": key[0], "period": key[1], "metric": key[2], "year": r.period.year,
            "end_month": r.period.month, "value": _as_float(r.value), "unit": r.unit,
            "yoy_pct": _as_float(r.yoy_pct, 4), "annual_target": _as_float(r.annual_target),
            "source_note": r.source_note,
        }
        _upsert(session, counts, by_key.get(key), Indicator, values, import_id)
    for key, row in by_key.items():
        if key not in seen:
            session.delete(row)
            counts.deleted += 1
    return counts


def _apply_enterprises(session: Session, refs: _Refs, records: list[rec.EnterpriseRecord], import_id: int
                       ) -> _Counts:
    counts = _Counts()
    for r in records:
        values = {"name": r.name, "category": r.category, "headquarters": r.headquarters,
                  "chain_id": refs.chain_id(r.chain), "status": r.status, "note": r.note, "owner": r.owner}
        _upsert(session, counts, refs.enterprises.get(normalise_name(r.name)), Enterprise, values, import_id)
    return counts


_VERSIONED = ("region_id", "stage", "signed_on", "started_on", "operating_on", "total_investment_yi_yuan",
              "funds_arrived_yi_yuan", "funds_this_year_yi_yuan", "start_deadline", "progress", "progress_on")


def _record_versions(session: Session, versions: dict[int, dict[str, Any]], day: date, import_id: int) -> int:
    """Write each project's state at `day` into its history; returns the versions written. A state equal to the
    one already in force that day adds nothing; a file older than the newest one slots into the timeline."""
    ids = list(versions)
    covering: dict[int, ProjectVersion] = {}
    later: dict[int, date] = {}
    for chunk in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
        part = ids[chunk:chunk + 900]
        for v in session.scalars(select(ProjectVersion).where(
                ProjectVersion.project_id.in_(part), ProjectVersion.in_force(day))):
            covering[v.project_id] = v
        missing = [i for i in part if i not in covering]
        if missing:
            later.update((pid, first) for pid, first in session.execute(
                select(ProjectVersion.project_id, func.min(ProjectVersion.valid_from))
                .where(ProjectVersion.project_id.in_(missing)).group_by(ProjectVersion.project_id)))
    written = 0
    added: list[dict[str, Any]] = []
    for project_id, values in versions.items():
        current = covering.get(project_id)
        if current is not None and all(_same(getattr(current, k), v) for k, v in values.items()):
            continue
        written += 1
        if current is not None and current.valid_from == day:
            for k, v in values.items():
                setattr(current, k, v)
            current.import_id = import_id
            continue
        valid_to = current.valid_to if current is not None else later.get(project_id, OPEN_END)
        if current is not None:
            current.valid_to = day
        added.append({"project_id": project_id, "valid_from": day, "valid_to": valid_to, "import_id": import_id,
                      **values})
    _insert_many(session, ProjectVersion, added)
    return written


def _insert_many(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert rows that need no ORM objects back as one executemany per chunk (in the session's transaction):
    psycopg parses the one-row statement once and pipelines the rows, where the ORM's flush built a statement of
    1,000 rows x 30 parameters for the driver to split and the server to parse, ten times per 10,000 rows."""
    for chunk in range(0, len(rows), 5000):
        session.execute(insert(model.__table__), rows[chunk:chunk + 5000])  # type: ignore[arg-type]


def _apply_projects(session: Session, refs: _Refs, ledger: rec.ProjectFile, import_id: int) -> _Counts:
    counts = _Counts()
    day = ledger.as_of or datetime.now(UTC).date()
    touched: dict[str, dict[str, Any]] = {}  # project name: its versioned values
    ids: dict[str, int] = {}
    fresh: list[dict[str, Any]] = []
    moved: set[int] = set()  # projects moved to another chain: every issue they are in regroups
    rekinded: set[int] = set()  # projects whose 新建/续建 changed: the issues where they had signed
    for r in ledger.records:
        enterprise = refs.enterprises.get(normalise_name(r.enterprise_name)) if r.enterprise_name else None
        values = {
            "name": r.name, "region_id": refs.region_ids[r.region], "chain_id": refs.chain_id(r.chain),
            "enterprise_id": enterprise.id if enterprise else None, "enterprise_name": r.enterprise_name,
            "total_investment_yi_yuan": _as_float(r.total_investment_yi_yuan), "stage": r.stage,
            "signed_on": r.signed_on, "started_on": r.started_on, "operating_on": r.operating_on,
            "funds_arrived_yi_yuan": _as_float(r.funds_arrived_yi_yuan), "is_foreign": r.is_foreign,
            "foreign_amount_wan_usd": _as_float(r.foreign_amount_wan_usd), "note": r.note,
            "lead_grade": r.lead_grade, "clue_on": r.clue_on, "talks_on": r.talks_on, "source_unit": r.source_unit,
            "office_id": refs.office_ids.get(r.office) if r.office else None,
            "responsible_unit": r.responsible_unit, "lead_leader": r.lead_leader, "manager": r.manager,
            "build_type": r.build_type, "is_manufacturing": r.is_manufacturing,
            "funds_this_year_yi_yuan": _as_float(r.funds_this_year_yi_yuan), "start_deadline": r.start_deadline,
            "progress": r.progress, "progress_on": r.progress_on,
        }
        row = refs.projects.get(normalise_name(r.name))  # names are unique in a file (the parser checks)
        if row is None:
            fresh.append({**values, "as_of": day, "import_id": import_id})
            counts.inserted += 1
        else:
            ids[r.name] = row.id
            if row.as_of is not None and row.as_of > day:
                counts.kept_newer += 1  # an earlier week's file: history only
            else:
                # a project moved to another chain or kind regroups the per-issue sums of the issues it counts in
                if not _same(row.chain_id, values["chain_id"]):
                    moved.add(row.id)
                if not _same(row.build_type, values["build_type"]):
                    rekinded.add(row.id)
                _upsert(session, counts, row, Project, values, import_id)
                if row.as_of != day:
                    row.as_of = day
                    counts.redated += 1
        touched[r.name] = {k: values[k] for k in _VERSIONED}
    session.flush()
    if fresh:  # new projects in one executemany, their ids read back by name (unique) in one statement
        _insert_many(session, Project, fresh)
        ids.update((name, pid) for name, pid in session.execute(
            select(Project.name, Project.id).where(Project.import_id == import_id)))
    counts.history = _record_versions(session, {ids[name]: v for name, v in touched.items()}, day, import_id)
    session.flush()
    refresh_issue_sums(session, _regrouped_since(session, day, moved, rekinded))
    return counts


def _regrouped_since(session: Session, day: date, moved: set[int], rekinded: set[int]) -> date:
    """The first issue whose per-issue sums an import of `day` changes: `day`, or an earlier issue where a project
    moved to another chain had a version, or one whose 新建/续建 changed had a signed version (only a signed
    project's kind counts in the sums: one that signs and gets its kind this week regroups nothing before)."""
    v = ProjectVersion
    firsts = [day]
    for ids, signed in ((moved, False), (rekinded, True)):
        for chunk in range(0, len(ids), 900):
            part = sorted(ids)[chunk:chunk + 900]
            first = session.scalar(select(func.min(v.valid_from)).where(
                v.project_id.in_(part), *((v.stage.in_(SIGNED_STAGES),) if signed else ())))
            firsts += [first] if first is not None else []
    return min(firsts)


def _apply_events(session: Session, refs: _Refs, records: list[rec.EventRecord], import_id: int) -> _Counts:
    counts = _Counts()
    existing = {(e.held_on, normalise_name(e.title)): e for e in session.scalars(select(Event))}
    for r in records:
        values = {"held_on": r.held_on, "city": r.city, "title": r.title, "category": r.category,
                  "leaders": r.leaders, "contracts_signed": r.contracts_signed,
                  "amount_yi_yuan": _as_float(r.amount_yi_yuan), "note": r.note}
        _upsert(session, counts, existing.get((r.held_on, normalise_name(r.title))), Event, values, import_id)
    return counts


def _apply_problems(session: Session, refs: _Refs, records: list[rec.ProblemRecord], import_id: int,
                    day: date | None = None) -> _Counts:
    counts = _Counts()
    effective = day or datetime.now(UTC).date()
    existing = {p.code: p for p in session.scalars(select(Problem))}
    noted = {(n.problem_id, n.noted_on): n for n in session.scalars(select(ProblemProgress))}
    progress: list[tuple[Problem, rec.ProblemRecord]] = []
    for r in records:
        project = refs.projects.get(normalise_name(r.project_name)) if r.project_name else None
        values = {"code": r.code, "project_id": project.id if project else None,
                  "project_name": project.name if project else None, "region_id": refs.region_ids[r.region],
                  "description": r.description, "department": r.department, "status": r.status,
                  "opened_on": r.opened_on, "closed_on": r.closed_on, "due_on": r.due_on,
                  "escalation": r.escalation, "evaluation": r.evaluation}
        row = existing.get(r.code)
        if row is None:
            row = Problem(**values, as_of=effective, import_id=import_id)
            session.add(row)
            existing[r.code] = row
            counts.inserted += 1
        elif row.as_of is not None and row.as_of > effective:
            counts.kept_newer += 1
        else:
            _upsert(session, counts, row, Problem, values, import_id)
            if row.as_of != effective:
                row.as_of = effective
                counts.redated += 1
        if r.progress and r.progress_on:
            progress.append((row, r))
    session.flush()
    for row, r in progress:
        assert r.progress_on is not None
        note = noted.get((row.id, r.progress_on))
        if note is None:
            session.add(ProblemProgress(problem_id=row.id, noted_on=r.progress_on, text=r.progress,
                                        escalation=r.escalation, import_id=import_id))
            counts.history += 1
        elif note.text != r.progress or note.escalation != r.escalation:
            note.text, note.escalation, note.import_id = r.progress or "", r.escalation, import_id
            counts.history += 1
    return counts


def _apply_offices(session: Session, refs: _Refs, records: list[rec.OfficeRecord], import_id: int) -> _Counts:
    counts = _Counts()
    existing = {normalise_name(o.name): o for o in session.scalars(select(Office))}
    for r in records:
        values = {"name": r.name, "city": r.city, "aliases": list(r.aliases), "head": r.head,
                  "founded_on": r.founded_on, "note": r.note}
        _upsert(session, counts, existing.get(normalise_name(r.name)), Office, values, import_id)
    return counts


def _apply_contacts(session: Session, refs: _Refs, records: list[rec.ContactRecord], import_id: int) -> _Counts:
    counts = _Counts()
    existing = {(c.held_on, normalise_name(c.enterprise_name), normalise_name(c.unit)): c
                for c in session.scalars(select(Contact))}
    for r in records:
        enterprise = refs.enterprises.get(normalise_name(r.enterprise_name))
        values = {"held_on": r.held_on, "enterprise_id": enterprise.id if enterprise else None,
                  "enterprise_name": enterprise.name if enterprise else r.enterprise_name, "unit": r.unit,
                  "office_id": refs.office_ids.get(r.office) if r.office else None, "visitors": r.visitors,
                  "method": r.method, "outcome": r.outcome, "next_step": r.next_step}
        key = (r.held_on, normalise_name(enterprise.name if enterprise else r.enterprise_name), normalise_name(r.unit))
        _upsert(session, counts, existing.get(key), Contact, values, import_id)
    return counts


def import_file(engine: Engine, kind: str, path: Path, layout: str = "auto", period: Period | None = None,
                replace_period: bool = False, as_of: date | None = None) -> ImportSummary:
    """导入一个 CSV / XLSX 文件（全部成功或全部不改）。kind 为 indicators、projects、enterprises、events、problems、
    offices、contacts。

    项目台账和问题台账按填报日期记历史：as_of 不填时取文件的“填报日期”列、表头上方的“截至…”或文件名中的日期；
    都没有时按导入当天。比数据库中已有台账更早的文件只补入历史，不改当前数据。

    指标文件按“期间 + 指标”整期替换：文件缺少数据库中已有的地区时，除非 replace_period，否则抛出 PartialPeriod
    （列出将被删除的地区），不做任何修改。"""
    if kind not in KINDS:
        raise ImportFormatError(path, f"未知的导入类型“{kind}”，应为：{'、'.join(KINDS)}。")
    migrate(engine)
    grid = read_grid(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    session = Session(engine, autoflush=False)
    try:
        refs = _Refs(session)
        ignored: list[str] = []
        parsed: list[Any]
        used_layout = ""
        if kind == "indicators":
            used_layout = detect_layout(grid) if layout == "auto" else layout
            if used_layout == "long":
                parsed = parse_long(grid, refs.lookups.regions)
            else:
                parsed, ignored = parse_wide(grid, refs.lookups.regions, period)
        elif kind == "projects":
            ledger = rec.parse_project_ledger(grid, refs.lookups)
            as_of = as_of or ledger.as_of
            parsed = ledger.records
        elif kind == "problems":
            parsed, stated = rec.parse_problem_ledger(grid, refs.lookups)
            as_of = as_of or stated
        else:
            parsers: dict[str, Callable[[Grid, rec.Lookups], list[Any]]] = {
                "enterprises": rec.parse_enterprises, "events": rec.parse_events,
                "offices": rec.parse_offices, "contacts": rec.parse_contacts,
            }
            parsed = parsers[kind](grid, refs.lookups)
        log = ImportLog(kind=kind, file_name=path.name, file_sha256=sha256, layout=used_layout,
                        row_count=len(parsed), inserted=0, updated=0, deleted=0,
                        imported_at=datetime.now(UTC).replace(tzinfo=None, microsecond=0), as_of=as_of)
        session.add(log)
        session.flush()
        appliers: dict[str, Callable[[Session, _Refs, list[Any], int], _Counts]] = {
            "indicators": lambda s, r, p, i: _apply_indicators(s, r, p, i, replace_period, path),
            "projects": lambda s, r, p, i: _apply_projects(s, r, rec.ProjectFile(p, as_of), i),
            "problems": lambda s, r, p, i: _apply_problems(s, r, p, i, as_of),
            "enterprises": _apply_enterprises, "events": _apply_events,
            "offices": _apply_offices, "contacts": _apply_contacts,
        }
        counts = appliers[kind](session, refs, parsed, log.id)
        summary = ImportSummary(kind, path.name, used_layout, grid.encoding, len(parsed), counts.inserted,
                                counts.updated, counts.deleted, counts.unchanged, counts.replaced, ignored,
                                removed=counts.removed, as_of=as_of, history=counts.history,
                                kept_newer=counts.kept_newer, redated=counts.redated)
        if not summary.changed:
            session.rollback()
            return summary
        log.inserted, log.updated, log.deleted = counts.inserted, counts.updated, counts.deleted
        log.replaced = "、".join(counts.replaced)
        session.commit()
        summary.import_id = log.id
        return summary
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def demo_files(directory: Path) -> list[tuple[str, Path]]:
    """The demo files of a directory in import order (offices and enterprises before the projects and contacts
    that name them); a kind's dated files of earlier weeks in history/ come before its current file."""
    found: list[tuple[str, Path]] = []
    history = directory / HISTORY_DIR
    for kind in _DEMO_ORDER:
        for folder in (history, directory):
            if not folder.is_dir():
                continue
            paths: Iterable[Path] = sorted(
                p for p in folder.iterdir() if p.is_file() and p.name.startswith(kind)
                and p.suffix.lower() in (".csv", ".xlsx")
            )
            found.extend((kind, p) for p in paths)
    return found


def import_demo(engine: Engine, directory: Path) -> list[ImportSummary]:
    """导入演示数据目录中的全部文件；可重复运行，结果相同。"""
    if not directory.is_dir():
        raise ImportFormatError(directory, "目录不存在。")
    files = demo_files(directory)
    if not files:
        raise ImportFormatError(directory, "目录中没有演示数据文件（应为 indicators*.csv、projects.csv 等）。")
    return [import_file(engine, kind, path) for kind, path in files]


def table_counts(session: Session) -> dict[str, int]:
    """各表行数（含地区、产业链和导入记录）。"""
    tables: list[type[Base]] = [Region, IndustryChain, Office, Enterprise, Project, ProjectVersion, Contact, Indicator,
                                Event, Problem, ProblemProgress, ImportLog]
    return {
        str(model.__tablename__): int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in tables
    }


def recent_imports(session: Session, limit: int = 10) -> list[ImportLog]:
    """最近的导入记录，新的在前。"""
    return list(session.scalars(select(ImportLog).order_by(ImportLog.id.desc()).limit(limit)))
