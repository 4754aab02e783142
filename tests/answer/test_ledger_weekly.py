"""The issue-15 weekly questions through Assistant.ask over the demo ledgers (the package's shared assistant, so no
second model load): routed to the ledger tools by their declared examples, answered as of the ledger date, every
number traced."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant


@pytest.mark.parametrize(("question", "expected"), [
    ("本周新签约项目有哪些？", ["2023年7月22日—2023年7月28日没有新签约项目", "碳基新材料"]),
    ("各县区资金到位率排名？", ["1. 平利县 80.98%", "2. 汉滨区 76.06%"]),
    ("驻深圳联络处2023年对接了哪些企业？", ["驻深圳招商联络处", "欣旺达电子", "格力钛新能源"]),
    ("锂电隔膜项目的问题诉求办理到哪一步了？", ["国网安康供电公司", "市级联席会议", "联席会议明确8月底前完成接入"]),
    ("哪些项目滞后了", ["瀛湖康养度假区", "滞后 3 个", "判定规则"]),
    ("本周项目有什么变化", ["碳基新材料项目（示例）（汉阴县）签约→开工", "中药配方颗粒"]),
    ("上个星期台账有啥新动态", ["2023年7月15日—2023年7月21日", "高端丝绸面料"]),  # the 7 days, as 本周
    ("逾期未办结的问题有哪些", ["WT-2023-009", "已逾期 13 天"]),
    ("超过60天没有进展的项目", ["纺织服装产业园", "中医药康养"]),
    ("2023年7月各县区月排名", ["2023年1-7月", "1. 旬阳市", "综合名次"]),
    ("2023年5月各县区综合排名", ["没有2023年1-5月分县区的数据", "以下为2023年一季度（1-3月）的排名"]),
    ("上半年比一季度哪些县区进度提升最多？", ["2023年上半年（1-6月）比2023年一季度（1-3月）",
                                    "1. 高新区 提高 40.53个百分点（31.50%，第6名→72.03%，第2名）"]),
    ("考核排名靠后的县区是哪个、原因是什么？", ["2023年上半年（1-6月）", "排名靠后的瀛湖主要失分在"]),
])
def test_weekly_questions(assistant: Assistant, question: str, expected: list[str]) -> None:
    answer = assistant.ask(question)
    for text in expected:
        assert text in answer.answer, answer.answer
    assert answer.flagged_numbers == []


def test_who_is_asked_of_the_ledger_not_answered_by_a_definition(assistant: Assistant) -> None:
    plan = assistant.route("汉滨区的项目管家都有谁？")
    assert plan.route != "define", plan
    assert assistant.route("项目管家指的是什么").route == "define"
