"""How a question is read, one general mechanism per test (issue 12): the bureau's terms read whole (比序时差多少 is
序时, not 比序 and 时差), lower bounds and foreign money said the ways staff say them, a short year before 以来, a
documents' topic carried into the question that continues it, a period said relative to its writing, a document
named by its number, two ways weighed asked as an opinion. Expected values come from corpus/ and corpus/data read
with the standard library."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer.document_facts import asked_fact
from assistant.answer.engine import Assistant
from assistant.index.tokenize import tag, teach_tagger
from tests.answer.conftest import assistant_with_data
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpus" / "data"


def docx_text(path: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _first_quarter() -> dict[str, list[str]]:
    """2023年一季度 by region, from the wide table: 内资 绝对值 at 1, 外资 绝对值 at 6 and its 目标 at 8."""
    with (DATA / "indicators_2023Q1_wide.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[3:]
    return {r[0].strip(): r for r in rows if r[0].strip() and not r[0].startswith("注")}


def test_a_taught_term_is_one_word_to_the_question_tagger() -> None:
    teach_tagger(["序时"])
    assert [t.word for t in tag("比序时差多少")] == ["比", "序时", "差", "多少"]


def test_the_gap_to_the_schedule_is_asked_by_its_short_name(assistant: Assistant) -> None:
    city = _first_quarter()["全市"]
    completion = (Decimal(city[6]) / Decimal(city[8]) * 100).quantize(Decimal("0.01"))
    answer = assistant.ask("全市2023年一季度外资完成进度多少？比序时差多少")
    assert f"{completion}%" in answer.answer and f"{Decimal('25.00') - completion}个百分点" in answer.answer, answer.answer
    assert "这项数据" not in answer.answer and answer.flagged_numbers == []


def test_the_largest_total_is_asked_as_its_absolute_amount(assistant: Assistant) -> None:
    region, row = max(((k, r) for k, r in _first_quarter().items() if k != "全市"), key=lambda kv: Decimal(kv[1][1]))
    lead = assistant.ask("2023年一季度引进内资绝对量最大的是哪个县区，多少亿").answer.split("\n")[0]
    assert region in lead and f"{Decimal(row[1]):.2f}亿元" in lead, lead


def test_lower_bounds_and_foreign_money_said_as_staff_say_them(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    big = [r["项目名称"] for r in projects if r["总投资（亿元）"] and Decimal(r["总投资（亿元）"]) >= 10]
    foreign = [r["项目名称"] for r in projects if r["是否外资"] == "是"]
    for question, names, params in [("库里总投资过10个亿的项目都列出来，不管什么阶段", big, {"min_investment_yi": 10.0}),
                                    ("咱们项目库里带外资的是哪几个", foreign, {"foreign": True})]:
        plan = assistant.route(question)
        assert plan.route == "list_projects" and plan.calls[0].params == params, (question, plan)
        answer = assistant.ask(question)
        assert all(n in answer.answer for n in names), answer.answer
    # a bound said not to be passed is an upper bound, not a lower one
    assert assistant.understand("总投资不超过2亿的项目").slots.amount is None


def test_a_short_year_before_yilai_is_the_year_not_a_span_of_years(assistant: Assistant) -> None:
    visits = [r for r in _rows("contacts.csv") if r["对接单位"] == "驻深圳招商联络处" and r["日期"].startswith("2023")]
    parsed = assistant.understand("深圳办23年以来一共对接了几回企业，都跟谁")
    assert parsed.slots.days is None and parsed.period is not None and parsed.period.year == 2023
    answer = assistant.ask("深圳办23年以来一共对接了几回企业，都跟谁")
    assert f"走访叩门记录 {len(visits)} 次" in answer.answer, answer.answer
    # a span of years stays a span
    assert assistant.understand("签约超过2年还没开工的项目").slots.days == 720


def test_a_question_continuing_the_documents_topic_is_searched_with_it(assistant: Assistant) -> None:
    answer = assistant.ask("那要多大的项目才给配？", ["项目管家是干啥的"])
    assert "5000万元以上" in answer.answer, answer.answer
    assert assistant.understand("那要多大的项目才给配？", ["项目管家是干啥的"]).topic == "项目管家是干啥的"
    # a figure's follow-up is not a documents' topic
    assert assistant.understand("那外资呢", ["汉阴县一季度内资完成多少"]).topic == ""


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The half-year report (its title dates it 上半年) and the 205号 reply, over the demo database."""
    return assistant_with_data(tmp_path_factory, [CORPUS / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx",
                                                  CORPUS / "2023-07_答复函_市政协五届二次会议第205号提案.txt"])


def test_a_relative_period_in_a_report_of_the_asked_year_is_that_period(half_year: Assistant) -> None:
    text = docx_text(CORPUS / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx")
    assert "推动至少3个外资项目年内资金入境" in text
    answer = half_year.ask("半年报里下半年外资攻坚，定的是年内推动几个外资项目资金进来？")
    assert "推动至少3个外资项目年内资金入境" in answer.answer, answer.answer


def test_a_document_named_by_its_number_answers_its_date(half_year: Assistant) -> None:
    answer = half_year.ask("政协205号提案的答复函是哪天签发出去的？")
    assert "第205号提案的答复函》于2023年7月28日" in answer.answer, answer.answer
    headings = {"205": "对市政协五届二次会议第205号提案的答复函 安招函〔2023〕31号",
                "167": "对市政协五届二次会议第167号提案的答复函 安招函〔2023〕52号"}
    named = asked_fact("政协205号提案的答复函是哪天签发出去的？", headings)
    assert named is not None and named.doc_id == "205"
    assert asked_fact("第31号提案的答复是哪天印发的", headings) is None  # 〔2023〕31号 is a 文号, not the proposal


def test_two_ways_weighed_by_the_assistant_is_an_opinion(assistant: Assistant) -> None:
    answer = assistant.ask("你个人觉得咱们的项目管家和汉中的政府经纪人，哪个模式更好使？")
    assert "评价或表态" in answer.answer and not answer.citations


def test_a_rate_asked_after_a_list_is_the_rate_of_those_rows(assistant: Assistant) -> None:
    rows = [r for r in _rows("projects.csv") if r["地区"] == "恒口" and r["阶段"] in ("签约", "开工", "投产")
            and r["总投资（亿元）"] and r["到位资金（亿元）"]]
    rate = (sum(Decimal(r["到位资金（亿元）"]) for r in rows) / sum(Decimal(r["总投资（亿元）"]) for r in rows) * 100
            ).quantize(Decimal("0.01"))
    lead = assistant.ask("资金到位率呢", ["恒口有哪些项目"]).answer.split("\n")[0]
    assert f"资金到位率{rate}%" in lead, lead


def test_a_follow_up_keeps_the_gap_its_earlier_question_asked(assistant: Assistant) -> None:
    lead = assistant.ask("那7月底差距缩小了没", ["恒口H1内资进度比序时差多少"]).answer.split("\n")[0]
    assert "1-7月" in lead and "低于序时进度（58.33%）" in lead, lead


def test_a_policy_asked_of_another_place_is_not_answered_with_our_figures(assistant: Assistant) -> None:
    for question in ("宁波对外资怎么奖励", "四川达州对锂电新能源企业落地有啥奖励政策"):
        answer = assistant.ask(question)
        assert not [f for f in answer.figures if f.value is not None], (question, answer.answer)
        assert assistant.route(question).calls == []


def test_a_county_share_of_the_city_is_its_figure_over_the_citys(assistant: Assistant) -> None:
    rows = {r["地区"]: Decimal(r["数值"]) for r in _rows("indicators_long.csv")
            if r["期间"] == "2023Q2" and r["指标"] == "外商直接投资" and r["地区"] in ("汉阴县", "全市")}
    share = (rows["汉阴县"] / rows["全市"] * 100).quantize(Decimal("0.01"))
    for question, history in (("汉阴上半年外资占全市的比重是多少", None), ("占全市的几成", ["汉阴上半年外资到位多少"])):
        answer = assistant.ask(question, history)
        assert f"占全市（{rows['全市'].normalize():f}万美元）的{share}%" in answer.answer, answer.answer
        assert answer.flagged_numbers == []


def test_the_rest_of_the_city_is_the_citys_figure_less_the_places_named(assistant: Assistant) -> None:
    q1 = _first_quarter()
    rest = (Decimal(q1["全市"][6]) - Decimal(q1["汉阴县"][6])).normalize()
    answer = assistant.ask("一季度除了汉阴，其他县区外资一共到位多少")
    assert f"除汉阴县（{Decimal(q1['汉阴县'][6]).normalize():f}万美元）外，其余县区合计{rest:f}万美元" in answer.answer, answer.answer
    assert answer.flagged_numbers == []


def test_a_share_reads_the_city_total_as_the_citys_figure() -> None:
    """The city's figure may come from the city total (no region field) as well as from the 全市 indicator row."""
    from assistant.answer.leads import city_share
    from assistant.tools.indicators import CityTotalResult, IndicatorResult

    county = IndicatorResult.model_construct(region="汉阴县", period="2023Q2", metric="外商直接投资", value=236.7)
    city = CityTotalResult.model_construct(period="2023Q2", metric="外商直接投资", value=418.5)
    assert city_share("占全市的几成", county, [county, city]) == (56.56, 418.5)
