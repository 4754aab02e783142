"""The first sentence of a figure answer says what was asked: what is left of the annual target, the regions ahead
of the schedule, how far the first place is from the last; follow-ups that change only the unit or the position;
a bare attribute with no question before it."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant

# question → text the lead must hold (values from corpus/data/indicators_long.csv, the target less the value)
LEADS = [
    # what is left of the annual target, for a county and for the city, in the unit asked
    ("岚皋县上半年内资离年度任务还差多少", ["岚皋县2023年上半年（1-6月）实际引进内资47.18亿元", "距年度目标（70亿元）还差22.82亿元"]),
    ("高新区1-7月外资还差多少万美元完成任务", ["距年度目标（1100万美元）还差879.7万美元"]),
    ("全市1-7月内资距离全年目标还有多少缺口", ["全市2023年1-7月实际引进内资975.8亿元", "距年度目标（1250.28亿元）还差274.48亿元"]),
    # the regions at or above the schedule, with their completion and the points above it
    ("一季度内资完成进度高于序时进度的县区有哪些", ["高于序时进度（25%）的有11个：旬阳市（37.31%，高12.31个百分点）"]),
    ("上半年外资超过序时进度的有几个县区", ["高于序时进度（50%）的有1个：汉阴县（67.63%，高17.63个百分点）"]),
    # the first or last n places asked as 最高的三个 / 最低的两个
    ("上半年内资完成进度最高的三个县区", ["前3名：旬阳市（第1，72.5%）、高新区（第2，72.03%）、白河县（第3，71.6%）"]),
    ("一季度内资完成进度最低的两个县区", ["倒数2名：瀛湖（第13，13.93%）、恒口（第12，20.08%）"]),
    # the first place against the last
    ("1-7月内资进度最高的比最低的高多少", ["第1的旬阳市（85.38%）比最后的瀛湖（49.66%）高35.72个百分点"]),
    # one place at two periods compared: the amount that came in between (80.66 − 69.86)
    ("平利县1-7月内资比上半年增加了多少亿", ["平利县2023年1-7月实际引进内资80.66亿元，比2023年上半年（1-6月）（69.86亿元）增加10.8亿元"]),
]


@pytest.mark.parametrize(("question", "expected"), LEADS, ids=[q for q, _ in LEADS])
def test_the_lead_answers_what_was_asked(assistant: Assistant, question: str, expected: list[str]) -> None:
    answer = assistant.ask(question)
    lead = answer.answer.split("\n")[0]
    for text in expected:
        assert text in lead, lead
    assert answer.flagged_numbers == []


# the gap to the schedule is not the gap to the target: 离序时进度差多少 says no 距年度目标
def test_a_schedule_gap_is_not_taken_for_the_rest_of_the_target(assistant: Assistant) -> None:
    lead = assistant.ask("汉阴县一季度内资离序时进度差多少").answer.split("\n")[0]
    assert "高于序时进度（25%）5.25个百分点" in lead and "距年度目标" not in lead, lead




@pytest.mark.parametrize("question", ["排第几？", "年度目标是多少", "还差多少", "换成万元呢"])
def test_a_bare_attribute_with_no_question_before_says_so(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert "还没有上一个问题" in answer.answer and not answer.figures, answer.answer


def test_a_short_question_with_a_subject_of_its_own_is_not_a_follow_up(assistant: Assistant) -> None:
    assert "还没有上一个问题" not in assistant.ask("考核任务有哪些").answer
