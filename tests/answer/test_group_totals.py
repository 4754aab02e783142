"""Ledger totals by another column than the county (项目管家, 产业链, 包抓领导…): one module declaring one tool,
reached by a question in chat and by its HTTP route, with the values the demo ledger gives."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer.engine import Assistant

LEDGER = Path(__file__).resolve().parents[2] / "corpus" / "data" / "projects.csv"


def _rows() -> list[dict[str, str]]:
    with LEDGER.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_the_manager_with_the_largest_total_investment_is_named_with_the_sum(assistant: Assistant) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in _rows():
        if row["项目管家"] and row["总投资（亿元）"]:
            sums[row["项目管家"]] += Decimal(row["总投资（亿元）"])
    top, value = max(sums.items(), key=lambda kv: kv[1])
    answer = assistant.ask("哪个项目管家手上的项目总投资最大")
    assert answer.answer.startswith("截至2023年7月28日台账，按项目管家分"), answer.answer
    assert f"最多的是{top}（{value:.2f}亿元）" in answer.answer
    assert answer.figures and answer.figures[0].provenance.table == "projects"
    assert answer.flagged_numbers == []


@pytest.mark.parametrize("question", ["哪条产业链的项目最多", "各条产业链分别有几个项目"])
def test_projects_per_chain_are_counted_and_the_unfilled_said(assistant: Assistant, question: str) -> None:
    counts = Counter(row["产业链"] for row in _rows())
    unfilled = counts.pop("")
    (top, n), = [kv for kv in counts.items() if kv[1] == max(counts.values())]
    answer = assistant.ask(question).answer
    assert f"最多的是{top}（{n}个）" in answer and f"另有 {unfilled} 个项目未填产业链" in answer, answer


def test_a_county_total_is_still_the_county_tool(assistant: Assistant) -> None:
    plan = assistant.route("高新区项目当年到位资金一共多少")
    assert plan.route == "county_totals"
    assert assistant.route("哪位包抓领导包抓的项目最多").calls[0].params == {"group": "包抓领导", "measure": "项目个数"}
