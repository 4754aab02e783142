"""Tables of the project database (一图五库).

Amounts carry their unit in the column name (亿元, 万美元). Indicator values carry a unit column
because the unit depends on the metric (实际引进内资 in 亿元, 外商直接投资 in 万美元); importers
convert everything to the metric's unit. NULL always means “无数据”; zero is a reported zero.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def _amount() -> Numeric[float]:
    # Six decimals keep 万元 figures exact after conversion to 亿元; floats out on both backends.
    return Numeric(20, 6, asdecimal=False)


def _percent() -> Numeric[float]:
    return Numeric(12, 4, asdecimal=False)


class Region(Base):
    """县（市、区）、开发区，以及代表全市本身的“全市”。"""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(Integer)

    @property
    def is_city(self) -> bool:
        return self.kind == "全市"


class IndustryChain(Base):
    """“5+3”重点产业链及其牵头部门。"""

    __tablename__ = "industry_chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    chain_group: Mapped[str] = mapped_column(String(10))
    lead_department: Mapped[str] = mapped_column(String(100))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_key: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer)


class ImportLog(Base):
    """One successful import that changed data; rows point here for their provenance date."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    layout: Mapped[str] = mapped_column(String(10))
    row_count: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[int] = mapped_column(Integer)
    replaced: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class Enterprise(Base):
    """目标企业库：中国500强、民营500强、行业领军、外资等。"""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(100))
    headquarters: Mapped[str | None] = mapped_column(String(100))
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("industry_chains.id"))
    status: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


class Project(Base):
    """项目库：线索 → 在谈 → 签约 → 开工 → 投产。"""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("industry_chains.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    total_investment_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    stage: Mapped[str] = mapped_column(String(10))
    signed_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    operating_on: Mapped[date | None] = mapped_column(Date)
    funds_arrived_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    is_foreign: Mapped[bool] = mapped_column(Boolean, default=False)
    foreign_amount_wan_usd: Mapped[float | None] = mapped_column(_amount())
    note: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


class Indicator(Base):
    """县区指标：某地区某累计期间某指标的数值、同比和年度目标。"""

    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("region_id", "period", "metric", name="uq_indicator_region_period_metric"),
        Index("ix_indicator_period_metric", "period", "metric"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    period: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    end_month: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(50))
    value: Mapped[float | None] = mapped_column(_amount())
    unit: Mapped[str] = mapped_column(String(10))
    yoy_pct: Mapped[float | None] = mapped_column(_percent())
    annual_target: Mapped[float | None] = mapped_column(_amount())
    source_note: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


class Event(Base):
    """招商活动：推介会、考察、展会等。"""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("held_on", "title", name="uq_event_date_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    city: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(50))
    leaders: Mapped[str | None] = mapped_column(Text)
    contracts_signed: Mapped[int | None] = mapped_column(Integer)
    amount_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    note: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


class Problem(Base):
    """问题台账：项目落地中的问题、责任部门和办理状态。"""

    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    project_name: Mapped[str | None] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    description: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


DATA_TABLES: tuple[type[Base], ...] = (Enterprise, Project, Indicator, Event, Problem)
