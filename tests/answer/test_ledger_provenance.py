"""Every figure an answer over the ledgers gives carries its source, zeros included: "none overdue", "no
project started last week", "no open problem left" and a company's project count are findings about named rows
(the region's projects, the department's problems, the project ledger), not figures from nowhere."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant


@pytest.mark.parametrize(("question", "present"), [
    # a window that found nothing: the rows of the place asked were looked through
    ("镇坪县有没有超期没开工的项目", "没有镇坪县"),
    ("白河县有逾期没开工的项目吗", "没有"),
    ("石泉县有没有很久没更新进展的项目", "没有"),
    ("上周有没有项目开工", "0个"),
    ("本周新签约项目有哪些", "没有新签约"),
    # a department with nothing open: its solved problem answers 办结了没, both counts sourced
    ("市场监管局那个问题办结了没", "已解决"),
    # a company's detail: how many projects it has here is read off the project ledger, none or some
    ("国轩高科是哪个单位在跟", "驻上海招商联络处"),
    ("示例物流公司在咱这有哪些项目", "物流园二期"),
])
def test_zero_and_detail_answers_carry_their_source(assistant: Assistant, question: str, present: str) -> None:
    answer = assistant.ask(question)
    assert present in answer.answer, answer.answer
    valued = [f for f in answer.figures if f.value is not None]
    assert valued, answer.answer
    for figure in valued:
        assert figure.provenance.table and figure.provenance.row_ids, figure
    assert answer.flagged_numbers == []


def test_a_zero_names_the_rows_of_the_scope_asked(assistant: Assistant) -> None:
    """镇坪县's zero is about 镇坪县's two projects, not the whole ledger's 41."""
    answer = assistant.ask("镇坪县有没有超期没开工的项目")
    zero = next(f for f in answer.figures if f.value == 0)
    assert len(zero.provenance.row_ids) == 2, zero
