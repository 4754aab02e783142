"""A rate's series across the ledger's issues as computed before project_issue_sums (main at 68e9bf1: each call
swept the versions of the projects asked about, a version adding its terms on the day it starts and taking them
back on the day it ends), kept only so that bench/ledger_bench.py can report rate_change's series latency as a
ratio against it on the same database in the same run, and check that both give the same rates. Not a tool:
nothing in the product calls it."""

# ruff: noqa: E501
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from assistant.db.models import Project, ProjectVersion
from assistant.db.rate_sums import DUE, rate_terms
from assistant.tools.lifecycle import CountyRates, _as_date, _rates_of, _summed, versions_between

_SWEPT_AMOUNTS = {4, 5, 10, 11}  # the terms that are amounts, not counts


def rates_by_issue_before(session: Session, days: list[date], name: str,
                   where: tuple[ColumnElement[bool], ...] = ()) -> dict[date, CountyRates]:
    """The rates of the projects picked by `where` as each issue of `days` recorded them (the versions in force on
    each day), the same sums as county_rates_in_db's, by a sweep: a version adds its terms to the sums on the day
    it starts and takes them back on the day it ends (valid_from <= day < valid_to); its due terms start at the
    later of its start and its deadline. One statement: the picked versions' terms read once (a CTE), summed by
    those three days, so the cost follows the versions, not versions × issues. An issue with no such project is
    absent."""
    if not days:
        return {}
    v = ProjectVersion
    terms = rate_terms(v, v.start_deadline < v.valid_to)  # (a due term that starts after the version ends: none)
    due_from = case((v.start_deadline > v.valid_from, v.start_deadline), else_=v.valid_from)
    per = (select(v.valid_from.label("start"), v.valid_to.label("end"), due_from.label("due_from"),
                  *(term.label(f"t{i}") for i, term in enumerate(terms)))
           .select_from(Project).join(v, Project.id == v.project_id)
           .where(*versions_between(days[0], days[-1], where)).cte("per_version"))
    sums = [func.sum(per.c[f"t{i}"]) for i in range(len(terms))]

    def by(key: str, sign: int) -> Select[Any]:
        return select(literal(sign), per.c[key], *sums).group_by(per.c[key])

    moves: list[tuple[date, list[Decimal]]] = []
    for sign, day, *total in session.execute(union_all(by("start", 1), by("due_from", 0), by("end", -1))):
        delta = [_summed(x) * (sign or 1) for x in total]
        if sign == 1:  # (a version's due terms start on its due_from day instead)
            delta[DUE] = [Decimal(0)] * 2
        elif sign == 0:
            delta = [Decimal(0)] * DUE.start + delta[DUE] + [Decimal(0)] * (len(delta) - DUE.stop)
        moves.append((_as_date(day), delta))
    moves.sort(key=lambda m: m[0])
    out: dict[date, CountyRates] = {}
    running, j = [Decimal(0)] * len(terms), 0
    for day in sorted(days):
        while j < len(moves) and moves[j][0] <= day:
            running = [a + b for a, b in zip(running, moves[j][1], strict=True)]
            j += 1
        if running[0]:
            counted = [x if i in _SWEPT_AMOUNTS else int(x) for i, x in enumerate(running)]
            out[day] = _rates_of(name, counted)
    return out
