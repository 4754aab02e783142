"""A body the question names that the database's vocabulary does not resolve (an office, a chain, a company, a
department) is said to be unknown, with what exists, instead of being dropped and answered for everything."""

from __future__ import annotations

import pytest

from assistant.answer.declines import asks_opinion, given_counts, unknown_subject
from assistant.answer.engine import Assistant
from assistant.answer.quoting import position_forms
from assistant.answer.slots import SlotVocabulary, fill_slots
from assistant.db.periods import Period, find_period

VOCAB = SlotVocabulary(
    offices=[("驻深圳招商联络处", "深圳", ("驻深联络处", "深圳办")), ("驻北京招商联络处", "北京", ("驻京联络处", "北京办"))],
    chains=[("新能源", ("锂电", "新能源产业链")), ("富硒食品", ("富硒",))],
    enterprises=["通威集团", "示例物流有限公司"],
    departments=["市发展和改革委员会", "国网安康供电公司"],
    event_cities=["深圳", "北京", "成都"],
)


@pytest.mark.parametrize(("question", "unknown"), [
    ("大湾区联络处2023年全年报送了多少条线索？", [("联络处", "大湾区联络处")]),
    ("驻成都招商联络处今年都对接了哪些企业？", [("联络处", "成都招商联络处")]),
    ("驻深圳联络处今年对接了哪些企业？", []),
    ("深圳办对接了哪些企业", []),
    ("驻京联络处走访了谁", []),
    ("四个招商联络处共报了多少线索", []),  # no office named
    ("驻外联络处每周要报什么", []),
    ("一季度联络处盯着的战略投资者有几家", []),  # a period, not an office's name
    ("上半年联络处报了几条线索", []),
    ("航空航天产业链今年签了几个项目", [("产业链", "航空航天产业链")]),
    ("锂电产业链有哪些项目", []),  # an alias of 新能源
    ("重点产业链项目占比多少", []),
    ("华为公司在安康有项目吗", [("企业", "华为公司")]),
    ("通威集团有多少员工", []),
    ("示例物流公司在咱这有哪些项目", []),
    ("港资纺织公司有几家", []),  # a description, not a name
    ("物流公司在咱这有哪些项目", []),  # part of 示例物流有限公司
    ("供电公司负责的问题有哪些", []),  # the department 供电
    ("市住建局负责协调的项目问题有哪些？", [("责任部门", "住建局")]),
])
def test_named_bodies_resolve_against_the_tables(question: str, unknown: list[tuple[str, str]]) -> None:
    assert fill_slots(question, VOCAB).unknown == unknown


@pytest.mark.parametrize(("question", "days"), [
    ("大湾区联络处2023年全年报了多少条线索", None),  # a year, not 2023 years
    ("重庆联络处上半年报了多少条线索", None),  # 上半年 is a period
    ("前8个月报了多少条线索", None),
    ("2023年7月底全省引进内资排第一的是哪个市", None),  # a month of the year
    ("超过30天没进展的项目", 30),
    ("签约两个月了还没开工的项目", 60),
    ("超过两月没更新进展的项目", 60),
])
def test_periods_are_not_day_counts(question: str, days: int | None) -> None:
    assert fill_slots(question, VOCAB).days == days


def test_a_counted_group_is_not_the_project_of_that_name() -> None:
    vocab = SlotVocabulary(projects=["汽车零部件项目（示例）"])
    assert fill_slots("汽车零部件项目进展怎么样", vocab).project == "汽车零部件项目（示例）"
    assert fill_slots("白河县承接的12个汽车零部件配套项目合同总投资是多少", vocab).project is None


@pytest.mark.parametrize(("question", "counts"), [
    ("配了项目管家的137个项目里高新区有多少个", [137.0]),
    ("那146个问题里涉及用地的有几个", [146.0]),
    ("前3个项目是哪些", []),
    ("投资最大的5个项目是哪些", []),  # a number asked for
    ("白河县承接的12个汽车零部件配套项目合同总投资是多少", [12.0]),
    ("超过30天没进展的项目", []),
])
def test_given_counts(question: str, counts: list[float]) -> None:
    assert given_counts(question) == counts


@pytest.mark.parametrize(("question", "must_have"), [
    ("2023年7月底全省引进内资排第一的是哪个市", "首位"),
    ("丝博会上签的项目里投资最大的是哪个", "最大"),
    ("排倒数第一的是哪个县", "倒数"),
    ("2023年一季度内资完成进度是多少", None),  # no which-question
    ("哪个季度最好", "最好"),
])
def test_position_forms(question: str, must_have: str | None) -> None:
    forms = position_forms(question)
    assert (must_have in forms) if must_have else forms == []


@pytest.mark.parametrize(("question", "subject"), [
    ("比亚迪跟咱们对接到哪一步了？", "比亚迪"),
    ("请问隆基绿能在安康有没有在谈的项目", "隆基绿能"),
    ("通威集团跟咱们对接到哪一步了", ""),  # in the database
    ("项目库里一共有多少个项目", ""),
    ("哪些项目要配备项目管家", ""),
    ("各县区一季度实际引进内资排名", ""),  # a frame word, whatever the tagger calls it, in a corpus without 县区
    ("全市一季度外资多少", ""),
])
def test_unknown_subject(question: str, subject: str) -> None:
    known_text = "通威集团 项目 项目库 项目管家 配备 对接 安康"
    assert unknown_subject(question, lambda w: len(w) >= 2 and w in known_text, ["通威集团"]) == subject


def test_months_so_far_are_a_period() -> None:
    assert find_period("今年前8个月，四个联络处共报送有效线索96条", default_year=2023) == Period(2023, 8)


@pytest.mark.parametrize(("question", "said", "not_said"), [
    ("重庆联络处上半年报了多少条线索", ["重庆联络处", "驻深圳招商联络处"], []),
    ("市住建局负责协调的项目问题有哪些？", ["住建局", "市发展和改革委员会"], ["WT-2023"]),
    ("航空航天产业链今年签了几个项目", ["航空航天产业链", "新能源"], ["亿元"]),
    ("管委会负责的问题有几个", ["瀛湖", "恒口示范区管委会"], ["WT-2023"]),
])
def test_unknown_bodies_are_said_not_answered_for_all(assistant: Assistant, question: str, said: list[str],
                                                      not_said: list[str]) -> None:
    answer = assistant.ask(question)
    for text in said:
        assert text in answer.answer, answer.answer
    for text in not_said:
        assert text not in answer.answer, answer.answer
    assert not [f for f in answer.figures if f.value is not None]


@pytest.mark.parametrize(("question", "opinion"), [
    ("你对今年外资工作怎么评价", True),
    ("你觉得周立衡局长工作干得好不好", True),
    ("你觉得恒口示范区该不该跟高新区合并？", True),
    ("你觉得外资为什么落后", False),  # the documents' reasons
    ("你认为汉阴县外资完成得怎么样", False),  # a figure
    ("外资工作怎么评价的，年度总结怎么说", False),  # what a document says
])
def test_asks_opinion(question: str, opinion: bool) -> None:
    assert asks_opinion(question) is opinion
