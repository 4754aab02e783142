"""Ordered schema migrations, recorded in a schema_version table.

Each step runs once, in its own transaction, and is written to be safe on a database where its
effect is already present (create tables with checkfirst, upsert reference rows). To change the
schema later, append a step with explicit DDL (e.g. ADD COLUMN guarded by an inspector check);
never edit a step that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.db.errors import CityMismatch
from assistant.db.rate_sums import refresh_issue_sums
from assistant.db.reference import CITY_NAME, CityConfig, configured_city

_version_metadata = MetaData()
schema_version = Table(
    "schema_version",
    _version_metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection, CityConfig], None]


def _create_core_tables(conn: Connection, city: CityConfig) -> None:
    models.Base.metadata.create_all(conn, checkfirst=True)


def _seed_reference_data(conn: Connection, city: CityConfig) -> None:
    """The city file's regions and chains, added or updated by name (never deleted: rows may refer to them)."""
    region = models.Region
    whole = conn.execute(select(region.full_name).where(region.name == CITY_NAME)).scalar()
    if whole is not None and whole != city.name:
        raise CityMismatch(whole, city.name, city.file)
    existing = {row.name: row.id for row in conn.execute(select(region.name, region.id))}
    for order, spec in enumerate(city.regions, start=1):
        values = {
            "name": spec.name,
            "full_name": spec.full_name,
            "kind": spec.kind,
            "aliases": list(spec.aliases),
            "sort_order": order,
        }
        if spec.name in existing:
            conn.execute(update(region).where(region.id == existing[spec.name]).values(values))
        else:
            conn.execute(insert(region).values(values))
    chain_model = models.IndustryChain
    existing = {row.name: row.id for row in conn.execute(select(chain_model.name, chain_model.id))}
    for order, chain in enumerate(city.chains, start=1):
        values = {
            "name": chain.name,
            "chain_group": chain.group,
            "lead_department": chain.lead_department,
            "aliases": list(chain.aliases),
            "is_key": True,
            "sort_order": order,
        }
        if chain.name in existing:
            conn.execute(update(chain_model).where(chain_model.id == existing[chain.name]).values(values))
        else:
            conn.execute(insert(chain_model).values(values))


# Columns migration 3 adds to tables that existed before it (a fresh database gets them from migration 1).
_LEDGER_COLUMNS: dict[type[models.Base], tuple[str, ...]] = {
    models.ImportLog: ("as_of",),
    models.Enterprise: ("owner",),
    models.Project: ("lead_grade", "clue_on", "talks_on", "source_unit", "office_id", "responsible_unit",
                     "lead_leader", "manager", "build_type", "is_manufacturing", "funds_this_year_yi_yuan",
                     "start_deadline", "progress", "progress_on", "as_of"),
    models.Problem: ("due_on", "escalation", "evaluation", "as_of"),
}


def _add_ledgers(conn: Connection, city: CityConfig) -> None:
    """两单一台账: offices, contacts, project history and problem progress tables; lifecycle and workflow
    columns on projects, problems, enterprises and the import log (all nullable, so old files still import)."""
    new_tables = [models.Office.__table__, models.ProjectVersion.__table__, models.Contact.__table__,
                  models.ProblemProgress.__table__]
    models.Base.metadata.create_all(conn, tables=new_tables, checkfirst=True)  # type: ignore[arg-type]
    inspector = inspect(conn)
    for model, names in _LEDGER_COLUMNS.items():
        table = model.__table__
        present = {c["name"] for c in inspector.get_columns(table.name)}  # type: ignore[attr-defined]
        for name in names:
            if name in present:
                continue
            column = table.c[name]  # type: ignore[attr-defined]
            ddl = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN {name} {ddl}')  # type: ignore[attr-defined]


def _index_versions_by_project_and_end(conn: Connection, city: CityConfig) -> None:
    """周动态 finds each project's version on the earlier date by (project_id, valid_to)."""
    for index in models.ProjectVersion.__table__.indexes:  # type: ignore[attr-defined]
        if index.name == "ix_project_version_project_to":
            index.create(conn, checkfirst=True)


def _add_issue_sums(conn: Connection, city: CityConfig) -> None:
    """The per-issue sums of the project rates (project_issue_sums), filled from the history already imported."""
    models.Base.metadata.create_all(conn, tables=[models.ProjectIssueSum.__table__], checkfirst=True)  # type: ignore[list-item]
    with Session(bind=conn) as session:
        refresh_issue_sums(session)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create_core_tables", _create_core_tables),
    Migration(2, "seed_regions_and_chains", _seed_reference_data),
    Migration(3, "ledgers_lifecycle_history_contacts", _add_ledgers),
    Migration(4, "index_project_versions_by_project_and_end", _index_versions_by_project_and_end),
    Migration(5, "project_issue_sums", _add_issue_sums),
)
LATEST_VERSION = MIGRATIONS[-1].version


def applied_versions(conn: Connection) -> set[int]:
    if not inspect(conn).has_table("schema_version"):
        return set()
    return set(conn.execute(select(schema_version.c.version)).scalars())


def migrate(engine: Engine, city: CityConfig | None = None) -> list[str]:
    """执行尚未执行的迁移步骤，返回本次执行的步骤名；已是最新时返回空列表（可重复调用）。

    每次都按城市配置（city，缺省为 ASSISTANT_CITY_FILE 或内置的安康市）增改地区和产业链，所以改了配置文件的县区、简称、
    产业链在下一次导入时生效；数据库属于另一个城市时报 CityMismatch，不做修改。"""
    city = city or configured_city()
    with engine.begin() as conn:
        _version_metadata.create_all(conn, checkfirst=True)
    done: list[str] = []
    for step in MIGRATIONS:
        with engine.begin() as conn:
            if step.version in applied_versions(conn):
                continue
            step.apply(conn, city)
            now = datetime.now(UTC).replace(tzinfo=None)
            conn.execute(schema_version.insert().values(version=step.version, name=step.name, applied_at=now))
            done.append(step.name)
    if "seed_regions_and_chains" not in done:
        with engine.begin() as conn:
            _seed_reference_data(conn, city)
    return done


def current_version(conn: Connection) -> int:
    """数据库当前的结构版本；尚未建库时为 0。"""
    versions = applied_versions(conn)
    return max(versions) if versions else 0
