"""The sums the project rates (开工率, 资金到位率, 合同履约率, 涉链占比, 新建项目当年资金到位率) are worked out from:
what one ledger row adds to each (rate_terms, one definition for every query that computes a rate), and their
per-issue totals by region and chain (project_issue_sums), kept by the importer so that a rate's series over a
year of weekly issues reads a few hundred rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from assistant.db.models import ImportLog, IndustryChain, Project, ProjectIssueSum, ProjectVersion
from assistant.db.reference import SIGNED_STAGES

NEW_BUILD = "新建"  # the 新建/续建 column's value of a new project
DUE = slice(6, 8)  # the terms a deadline moves: due, and started by the deadline
KEY_TERM = 8  # the term counting projects on a “5+3” key chain
# project_issue_sums' columns, in rate_terms' order without the key-chain term (read from chain_id instead)
STORED = ("projects", "signed", "started", "with_funds", "funds_yi_yuan", "totals_yi_yuan", "due", "on_time",
          "new_with_funds", "new_funds_yi_yuan", "new_totals_yi_yuan")


def on_key_chain(chain_id: Any = Project.chain_id) -> ColumnElement[bool]:
    """The rows on a “5+3” key chain, with the key chains as a subquery: a scan of the ledger joins nothing per
    row. `chain_id`: the column holding the chain (a project's, or a per-issue sum's)."""
    return chain_id.in_(select(IndustryChain.id).where(IndustryChain.is_key.is_(True)))


def rate_terms(src: Any, due_by: ColumnElement[bool]) -> tuple[Any, ...]:
    """What one row of `src` (Project, or ProjectVersion joined to its Project) adds to each sum the project rates
    are worked out from (rates_of reads the sums in this order). `due_by`: the condition on a signed row's deadline
    under which it counts as due (deadline by the day the rates are of); it moves the two terms at DUE."""
    signed = src.stage.in_(SIGNED_STAGES)
    money = and_(signed, src.total_investment_yi_yuan.is_not(None), src.funds_arrived_yi_yuan.is_not(None))
    due = and_(signed, src.start_deadline.is_not(None), due_by)
    # 新建 is the project's own column (its versions keep the amounts, not the kind)
    new = and_(signed, Project.build_type == NEW_BUILD, src.total_investment_yi_yuan.is_not(None),
               src.funds_this_year_yi_yuan.is_not(None))

    def one(cond: ColumnElement[bool]) -> Any:
        return case((cond, 1), else_=0)

    return (literal(1), one(signed), one(src.stage.in_(("开工", "投产"))), one(money),
            case((money, src.funds_arrived_yi_yuan), else_=0), case((money, src.total_investment_yi_yuan), else_=0),
            one(due), one(and_(due, src.started_on.is_not(None), src.started_on <= src.start_deadline)),
            one(on_key_chain()), one(new), case((new, src.funds_this_year_yi_yuan), else_=0),
            case((new, src.total_investment_yi_yuan), else_=0))


def rate_aggregates(src: Any, due_by: ColumnElement[bool]) -> tuple[Any, ...]:
    """The sums of rate_terms over a GROUP BY's rows."""
    return func.count(), *(func.sum(term) for term in rate_terms(src, due_by)[1:])


def ledger_dates(session: Session, kind: str = "projects") -> list[date]:
    """The dates of the issues of one ledger imported (项目台账 6月30日, 7月7日…: its imports' as-of dates), oldest
    first."""
    return sorted(d for d in session.scalars(select(ImportLog.as_of).where(ImportLog.kind == kind).distinct())
                  if d is not None)


def refresh_issue_sums(session: Session, since: date | None = None) -> int:
    """Recompute project_issue_sums for every issue from `since` on (None: all), in the session's transaction:
    an import of the ledger dated `since` changes the versions in force from that day, never before it (a file
    that slots into the past ends a version there). Returns the issues written."""
    issues = [d for d in ledger_dates(session) if since is None or d >= since]
    session.execute(delete(ProjectIssueSum).where(*(() if since is None else (ProjectIssueSum.issue >= since,))))
    v = ProjectVersion
    target = [ProjectIssueSum.issue, ProjectIssueSum.region_id, ProjectIssueSum.chain_id,
              *(getattr(ProjectIssueSum, name) for name in STORED)]
    for day in issues:
        sums = [t for i, t in enumerate(rate_aggregates(v, v.start_deadline <= day)) if i != KEY_TERM]
        rows = (select(literal(day, Date), v.region_id, Project.chain_id, *sums)
                .select_from(v).join(Project, Project.id == v.project_id)
                .where(v.in_force(day)).group_by(v.region_id, Project.chain_id))
        session.execute(insert(ProjectIssueSum).from_select([c.key for c in target], rows))
    return len(issues)
