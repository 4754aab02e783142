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
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
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
    # The date the file's ledger stands at (填报日期 / 截至日期 in a column, the title or the file name); NULL for
    # files that state none. Ledger history is kept per this date, not per import time.
    as_of: Mapped[date | None] = mapped_column(Date)


class Office(Base):
    """驻外招商联络处（驻外分局）：配置数据，随文件导入，不写在代码里。"""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    city: Mapped[str] = mapped_column(String(50))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    head: Mapped[str | None] = mapped_column(String(50))
    founded_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


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
    owner: Mapped[str | None] = mapped_column(String(100))  # 跟踪责任单位或责任人


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
    # 两单一台账 columns (migration 3); NULL when the imported file did not carry them.
    lead_grade: Mapped[str | None] = mapped_column(String(10))
    clue_on: Mapped[date | None] = mapped_column(Date)
    talks_on: Mapped[date | None] = mapped_column(Date)
    source_unit: Mapped[str | None] = mapped_column(String(100))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    responsible_unit: Mapped[str | None] = mapped_column(String(100))
    lead_leader: Mapped[str | None] = mapped_column(String(50))
    manager: Mapped[str | None] = mapped_column(String(50))
    build_type: Mapped[str | None] = mapped_column(String(10))
    is_manufacturing: Mapped[bool | None] = mapped_column(Boolean)
    funds_this_year_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    start_deadline: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str | None] = mapped_column(Text)
    progress_on: Mapped[date | None] = mapped_column(Date)
    as_of: Mapped[date | None] = mapped_column(Date)  # the ledger date these values stand at


OPEN_END = date(9999, 12, 31)


class ProjectVersion(Base):
    """项目台账的历史：每个项目在某个台账日期起的状态，到下一个版本（valid_to）为止。

    One row per change, not per import: a weekly file that repeats last week's values adds nothing, so two years
    of weekly history stay small and "the ledger as of a date" is one indexed range condition."""

    __tablename__ = "project_versions"
    __table_args__ = (
        UniqueConstraint("project_id", "valid_from", name="uq_project_version"),
        Index("ix_project_version_window", "valid_to", "valid_from"),
        # a project's version on a date: its versions still in force after that date are one or two entries,
        # where (project_id, valid_from) would walk its whole history up to the date
        Index("ix_project_version_project_to", "project_id", "valid_to", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    # The next version's valid_from, or OPEN_END for the version in force now: a plain range condition
    # (valid_from <= d < valid_to) that an index on (valid_to, valid_from) serves, with no OR IS NULL.
    valid_to: Mapped[date] = mapped_column(Date)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    stage: Mapped[str] = mapped_column(String(10))
    signed_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    operating_on: Mapped[date | None] = mapped_column(Date)
    total_investment_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    funds_arrived_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    funds_this_year_yi_yuan: Mapped[float | None] = mapped_column(_amount())
    start_deadline: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str | None] = mapped_column(Text)
    progress_on: Mapped[date | None] = mapped_column(Date)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))

    @classmethod
    def in_force(cls, day: date | ColumnElement[date]) -> ColumnElement[bool]:
        """The versions in force on `day` (valid_from <= day < valid_to): the ledger as it stood that day. `day` may be
        a bound parameter (a query prepared once for many days)."""
        return and_(cls.valid_from <= day, cls.valid_to > day)


class ProjectIssueSum(Base):
    """项目比率的各期汇总：for each issue of the project ledger (an as-of date imported), the sums the project rates
    are worked out from, over the versions in force that day, per region and chain. Derived data, kept by the
    importer (rate_sums.refresh_issue_sums): a rate's series over a year of weekly issues reads a few hundred of
    these rows instead of sweeping tens of thousands of versions. The “5+3” share is not stored: it is read from
    chain_id against the chains' current is_key."""

    __tablename__ = "project_issue_sums"
    __table_args__ = (Index("ix_project_issue_sum", "issue", "region_id", "chain_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue: Mapped[date] = mapped_column(Date)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))  # the version's region that day
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("industry_chains.id"))
    projects: Mapped[int] = mapped_column(Integer)
    signed: Mapped[int] = mapped_column(Integer)
    started: Mapped[int] = mapped_column(Integer)
    with_funds: Mapped[int] = mapped_column(Integer)  # signed, with both 总投资 and 到位资金 filled
    funds_yi_yuan: Mapped[float] = mapped_column(_amount())
    totals_yi_yuan: Mapped[float] = mapped_column(_amount())
    due: Mapped[int] = mapped_column(Integer)  # signed, with a 约定开工期限 on or before the issue's day
    on_time: Mapped[int] = mapped_column(Integer)
    new_with_funds: Mapped[int] = mapped_column(Integer)  # 新建, signed, with 总投资 and 当年到位资金 filled
    new_funds_yi_yuan: Mapped[float] = mapped_column(_amount())
    new_totals_yi_yuan: Mapped[float] = mapped_column(_amount())


class Contact(Base):
    """走访 / 叩门记录：哪天、谁、哪个单位（联络处）对接了哪家企业，结果和下一步。"""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("held_on", "enterprise_name", "unit", name="uq_contact"),
        Index("ix_contact_office_date", "office_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(100))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    visitors: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
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
    # workflow (migration 3)
    due_on: Mapped[date | None] = mapped_column(Date)  # 办结时限
    escalation: Mapped[str | None] = mapped_column(String(20))  # 县级 / 市级 / 市级联席会议
    evaluation: Mapped[str | None] = mapped_column(String(20))  # 企业评价：满意 / 基本满意 / 不满意
    as_of: Mapped[date | None] = mapped_column(Date)  # the ledger date these values stand at


class ProblemProgress(Base):
    """问题办理进展日志：每次导入带来的新进展追加一条（同一问题同一日期一条）。"""

    __tablename__ = "problem_progress"
    __table_args__ = (UniqueConstraint("problem_id", "noted_on", name="uq_problem_progress"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id"))
    noted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    escalation: Mapped[str | None] = mapped_column(String(20))
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id"))


DATA_TABLES: tuple[type[Base], ...] = (Office, Enterprise, Project, ProjectVersion, ProjectIssueSum, Contact, Indicator,
                                       Event, Problem, ProblemProgress)
