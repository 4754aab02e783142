"""A question asking for the items a document lists under one of its headings (下一步措施有哪几条, 一共几章, 问题列了几条)
is answered with those headings in the document's order, each cited at the passage that opens it — for the demo
letters and for a document of a structure the assistant has never seen. Expected items are read off the files
with a regular expression, not from the assistant."""

from __future__ import annotations

import re

import pytest

from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_with_data
from tests.conftest import CORPUS

LETTER = CORPUS / "2023-07_答复函_市政协五届二次会议第205号提案.txt"
SHARING = CORPUS / "2023-03_政策_关于建立招商项目信息共享机制的实施办法.txt"
# A plan written for this test: numbered 一、 sections, （一） items under one, 一是 lead-ins under another.
PLAN = """关于开展园区招商提质行动的实施方案

为推动园区招商提质增效，结合我县实际，制定本方案。

一、总体目标

到年底，园区新签约亿元以上项目不少于12个，标准化厂房入驻率达到85%以上。

二、重点任务

（一）盘活闲置厂房
对园区内闲置一年以上的厂房逐一建档，采取回购、租赁、合作经营等方式引入新项目。

（二）培育主导产业
围绕富硒食品和新型建材两条主链，绘制产业图谱，按图索企开展精准对接。

（三）优化入园服务
推行入园项目“一窗受理”，手续办理时限压缩至15个工作日以内。

（四）强化要素供给
每季度梳理一次用地、用电、用工需求，建立要素保障清单并跟踪销号。

三、保障措施

一是加强组织领导。成立由县政府分管领导任组长的工作专班，每月召开一次推进会。
二是落实资金保障。县财政每年安排园区招商专项经费300万元，专款专用。
三是严格督查考核。将行动成效纳入部门年度目标责任考核，对工作滞后的单位进行通报。

四、有关事项说明

关于专项经费的使用。专项经费主要用于园区招商推介、项目前期策划和客商接待，不得用于人员经费。

关于行动期限。本行动自印发之日起实施，至当年12月31日结束，届时由县招商局牵头总结评估。
"""


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    plan = tmp_path_factory.mktemp("plan") / "2024-03_方案_园区招商提质行动实施方案.txt"
    plan.write_text(PLAN, encoding="utf-8")
    return assistant_with_data(tmp_path_factory, [LETTER, SHARING, plan])


def _items_under(text: str, heading: str, item: str) -> list[str]:
    """The labels of the items (lines matching `item`) between `heading` and the next top-level heading."""
    body = text.split(heading, 1)[1]
    body = re.split(r"\n[一二三四五六七八九十]+、", body, maxsplit=1)[0]
    return re.findall(item, body, flags=re.M)


def _listed_in_order(answer: str, labels: list[str]) -> bool:
    positions = [answer.find(label) for label in labels]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def test_the_measures_a_reply_letter_lists_are_given_in_order_with_their_count(reader: Assistant) -> None:
    labels = _items_under(LETTER.read_text(encoding="utf-8"), "三、下一步工作措施", r"^([一二三四五六七八九十]是[^。]+)。")
    assert len(labels) == 5
    for question in ("第205号提案的答复函，接下来的工作措施都有哪几条", "205号提案答复里下一步打算分了几条，分别是啥"):
        answer = reader.ask(question)
        lead = answer.answer.split("\n\n", 1)[0]
        assert f"“三、下一步工作措施”共{len(labels)}条" in lead, (question, answer.answer)
        assert _listed_in_order(lead, labels), (question, lead)
        # each item cites the passage that opens it
        assert [c.section.split(" › ")[-1] for c in answer.citations] == labels
        assert answer.flagged_numbers == []


def test_a_measures_chapters_are_its_top_level(reader: Assistant) -> None:
    chapters = re.findall(r"^(第[一二三四五六七八九十]+章 \S+)", SHARING.read_text(encoding="utf-8"), flags=re.M)
    answer = reader.ask("信息共享机制那个实施办法分了几章？")
    lead = answer.answer.split("\n\n", 1)[0]
    assert f"共{len(chapters)}章" in lead and _listed_in_order(lead, chapters), answer.answer


def test_a_document_of_a_new_structure_is_read_the_same_way(reader: Assistant) -> None:
    tasks = _items_under(PLAN, "二、重点任务", r"^(（[一二三四五六七八九十]+）\S+)$")
    guarantees = _items_under(PLAN, "三、保障措施", r"^([一二三四五六七八九十]是[^。]+)。")
    answer = reader.ask("园区招商提质行动方案定了哪几项重点任务")
    assert f"共{len(tasks)}条" in answer.answer and _listed_in_order(answer.answer, tasks), answer.answer
    answer = reader.ask("提质行动实施方案的保障措施有哪些方面")
    assert f"共{len(guarantees)}条" in answer.answer and _listed_in_order(answer.answer, guarantees), answer.answer


def test_a_question_about_a_passages_content_or_the_database_is_not_an_outline(reader: Assistant) -> None:
    # what one measure says is quoted from its passage, not answered by the list of measures
    answer = reader.ask("205号提案答复说补齐外资短板要盯住哪些地区")
    assert "共5条" not in answer.answer, answer.answer
    # the projects the ledger lists are the database's, whatever a document's headings say
    answer = reader.ask("签约超过3个月还没开工的项目有哪几个")
    assert "【数据】" in answer.answer and "下一步工作措施" not in answer.answer, answer.answer


def test_a_headings_parallel_paragraphs_are_its_items(reader: Assistant) -> None:
    # 四、有关事项说明 has no numbered sub-headings: its paragraphs, each opening with 关于, are the items
    notes = _items_under(PLAN, "四、有关事项说明", r"^(关于[^。]+)。")
    assert len(notes) == 2
    answer = reader.ask("园区招商提质行动方案最后对哪几个事项作了说明")
    lead = answer.answer.split("\n\n", 1)[0]
    assert f"共{len(notes)}条" in lead and _listed_in_order(lead, notes), answer.answer
    # a heading without items named more than the list is asked about its own content
    answer = reader.ask("提质行动方案里盘活闲置厂房那条，说了对哪些厂房采取哪些方式")
    assert "共2条" not in answer.answer and "回购" in answer.answer, answer.answer
