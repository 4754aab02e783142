"""A quote answers a question for a value only when its figures are about the period and the place asked: a
一季度 table row is not 全年's figure, another county's row is not this county's. A why question is answered by
reasons, not by a table of the period. Phrasings written for this test, not taken from the evaluation set."""

from __future__ import annotations

from assistant.answer.engine import Assistant
from assistant.answer.numbers import find_numbers
from assistant.answer.quoting import asks_only, best_sentences, other_period, other_place, stated_period
from assistant.answer.understand import RegionName
from assistant.db.periods import Period
from assistant.index.kb import Hit

Q1_REPORT = "关于2023年一季度全市招商引资工作情况的报告"


def _hit(text: str, title: str = Q1_REPORT, section: str = "", date: str = "2023-04-10") -> Hit:
    return Hit(text=text, score=1.0, doc_id="d", title=title, doc_number="", source="x.txt", section=section,
               start=0, end=len(text), extra={"date": date})


def test_a_table_row_states_the_period_of_its_report_not_its_target_year() -> None:
    row = "地区：紫阳县｜实际引进内资绝对值（亿元）：23.23｜2023年目标：90.00"
    assert stated_period(_hit(row), row) == Period(2023, 3)
    whole = "2023年全市招商引资主要指标分阶段完成情况｜时段：全年｜实际引进内资（亿元）：1432.65"
    assert stated_period(_hit(whole, title="2023年全市招商引资工作总结"), whole) == Period(2023, 12)


def test_figures_about_another_period_or_the_document_year_are_another_period() -> None:
    row = "地区：紫阳县｜实际引进内资绝对值（亿元）：23.23｜2023年目标：90.00"
    assert other_period(Period(2023, 12), _hit(row), row)
    assert not other_period(Period(2023, 3), _hit(row), row)
    # no period named anywhere: the document's own year
    said = "项目库入库项目468个，人才库收录了265位专业人士。"
    assert other_period(Period(2021, 12), _hit(said, title="访谈", date="2023-09-18"), said)
    assert not other_period(Period(2023, 12), _hit(said, title="访谈", date="2023-09-18"), said)
    # a sentence without figures is never bound
    assert not other_period(Period(2021, 12), _hit("加强项目库建设。"), "加强项目库建设。")


def test_a_question_alone_is_no_quote_and_an_answer_follows_its_question() -> None:
    assert best_sentences("记者：外资为什么一直滞后？下一步有什么打算？", ["外资", "滞后"]) == ""
    quote = best_sentences("记者：外资为什么一直滞后？局长：口径变了，利润再投资不再计入。", ["外资", "滞后"])
    assert quote.endswith("利润再投资不再计入。")


def test_an_interviewers_question_ending_a_passage_is_read_with_the_answer_below(assistant: Assistant) -> None:
    # the editor's note and the first question share a passage; the answer is the next one
    passage = "编者按：记者专访了局长。\n记者：今年以来总体情况怎么样？"
    assert asks_only(passage) and asks_only("记者：外资为什么滞后？") and not asks_only("记者：怎么样？\n局长：很好。")


def test_a_forecast_is_not_answered_from_records(assistant: Assistant) -> None:
    answer = assistant.ask("纵目科技到底会不会在高新区建零部件基地")
    assert "以后" in answer.answer and not answer.figures, answer.answer


def test_a_full_year_county_figure_is_not_answered_by_quarter_rows(assistant: Assistant) -> None:
    answer = assistant.ask("岚皋县2023年全年外资到位了多少万美元")
    assert "没有" in answer.answer, answer.answer
    quoted = [c.quote for c in answer.citations if find_numbers(c.quote)]
    assert quoted == [], quoted


def test_a_county_figure_is_not_answered_by_another_countys_row(assistant: Assistant) -> None:
    answer = assistant.ask("紫阳县2023年全年内资到位多少亿元")
    assert "23.23" not in answer.answer and "没有" in answer.answer, answer.answer


def test_a_why_question_is_answered_by_reasons_not_tables(assistant: Assistant) -> None:
    answer = assistant.ask("2023年外资为什么完成得这么差")
    assert answer.citations, answer.answer
    assert all("｜" not in c.quote for c in answer.citations), [c.quote for c in answer.citations]
    assert any("利润再投资" in c.quote for c in answer.citations), [c.quote for c in answer.citations]


def _regions_of(text: str) -> list[str]:
    return [name for name in ("高新区", "平利县", "全市") if name in text or (name == "全市" and "安康市" in text)]


def test_a_county_figure_is_a_figure_naming_that_county() -> None:
    county, city = RegionName("高新区", (), False), RegionName("全市", (), True)
    staff = "我们将依托市招商信息中心设立外资服务窗口，明确2名工作人员专职服务外资企业。"
    letter = _hit(staff, title="对市五届人大二次会议第78号建议的答复函")
    assert other_place([county], _regions_of, letter, staff)  # the city's centre is not 高新区's
    assert not other_place([city], _regions_of, letter, staff)  # for the city, the bureau's letter speaks
    row = "地区：平利县｜外商直接投资绝对值（万美元）：0"
    assert other_place([county], _regions_of, _hit(row), row)
    own = "高新区到位3.9万美元。"
    assert not other_place([county], _regions_of, _hit(own), own)
    # a figure naming no place speaks for the place its document names
    said = "全年签约项目12个。"
    assert not other_place([county], _regions_of, _hit(said, title="高新区2023年招商工作总结"), said)


def test_each_county_is_answered_county_by_county_not_by_one_total(assistant: Assistant) -> None:
    # the report gives the city's leaders' 14 cities in one sentence, no county's own count
    answer = assistant.ask("各县区一季度领导带队分别去了几个城市招商")
    assert "14个城市" not in answer.answer, answer.answer


def test_how_two_terms_relate_is_answered_from_documents_not_a_tool(assistant: Assistant) -> None:
    for question in ("开工率和履约率有什么区别", "项目管家跟首席服务官是一回事吗"):
        plan = assistant.route(question)
        assert plan.calls == [] and plan.route == "policy", (question, plan)
    answer = assistant.ask("开工率和资金到位率有啥不同")
    assert not answer.figures and answer.citations, answer.answer
