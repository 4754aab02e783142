"""Questions answered by one general mechanism each (issues 12 and 15, session 45): the ledger's rates of the projects
at one stage (在建项目的资金到位率); a ranking asked in one clause of a question asking two things, by that clause's
basis; an amount asked as 金额; the ones behind a count just given (都是哪几个). Expected values are read from
corpus/data with the standard library."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from assistant.answer.engine import Assistant
from tests.answer.demo_rows import indicator, q1_wide_rows, rows


def _pct(part: Decimal, whole: Decimal) -> str:
    return str((part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + "%"


def test_the_funds_rate_of_the_projects_at_one_stage(assistant: Assistant) -> None:
    for stage, question in (("开工", "在建的项目合起来算，资金到位率多少"), ("投产", "处于投产阶段的项目资金到位率是多少")):
        at = [p for p in rows("projects.csv") if p["阶段"] == stage and p["到位资金（亿元）"] and p["总投资（亿元）"]]
        funds = sum(Decimal(p["到位资金（亿元）"]) for p in at)
        total = sum(Decimal(p["总投资（亿元）"]) for p in at)
        answer = assistant.ask(question)
        assert f"处于{stage}阶段的项目" in answer.answer and f"资金到位率 {_pct(funds, total)}" in answer.answer, (
            question, answer.answer)
        assert answer.flagged_numbers == []
    # the signed projects' rates are the ledger's rates: 签约项目 picks no narrower set
    signed = [p for p in rows("projects.csv") if p["阶段"] in ("签约", "开工", "投产")]
    started = [p for p in signed if p["阶段"] in ("开工", "投产")]
    answer = assistant.ask("签了约的项目开工率多少")
    assert f"开工率 {_pct(Decimal(len(started)), Decimal(len(signed)))}" in answer.answer, answer.answer


def _completion(row: dict[str, str]) -> Decimal:
    return (Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_ranking_asked_in_one_clause_is_by_that_clauses_basis(assistant: Assistant) -> None:
    counties = [r for r in rows("indicators_long.csv") if r["期间"] == "2023-07" and r["指标"] == "实际引进内资"
                and r["地区"] != "全市" and r["年度目标"]]
    own = _completion(indicator("汉阴县", "2023-07"))
    place = 1 + sum(1 for r in counties if _completion(r) > own)  # competition rank on completion
    answer = assistant.ask("汉阴1-7月内资同比增速多少，完成进度排第几")
    assert f"在{len(counties)}个县区中排第{place}" in answer.answer, answer.answer


def test_an_amount_asked_as_jin_e_is_the_metrics_amount(assistant: Assistant) -> None:
    foreign = sorted(((Decimal(r[6]), r[0]) for r in q1_wide_rows()
                      if r[0] != "全市" and re.fullmatch(r"[\d.]+", r[6])), reverse=True)
    answer = assistant.ask("一季度外资到位金额前两名是哪两个单元，各多少万美元")
    lead = answer.answer.split("\n", 1)[0]
    assert all(name in lead for _, name in foreign[:2]) and foreign[2][1] not in lead, answer.answer


def test_the_ones_behind_a_count_just_given(assistant: Assistant) -> None:
    answer = assistant.ask("具体是哪些", history=["签约超过3个月还没开工的项目有几个"])
    assert "签约超过 90 天仍未开工的项目" in answer.answer, answer.answer
    fallen = assistant.ask("都是哪几个，各降了多少", history=["一季度内资同比负增长的县区有几个"])
    assert "按同比排名" in fallen.answer, fallen.answer
