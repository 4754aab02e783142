"""Week questions answered by one general mechanism each (issues 12 and 15): a step recorded only in an earlier
issue's progress note (施工许可证是哪天拿到手的), how many share a tied place, the amounts asked of the projects just
listed, a long question pointing back with 它, a document named by its kind as the source (年终总结说…), a part of
a set a question gives with its count, and when a step not taken yet will be (估计啥时候能过). Expected values are
read from corpus/data and corpus/ with the standard library."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_with_data

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
CORPUS = DATA.parent
SUMMARY = CORPUS / "2024-01_工作总结_2023年全市招商引资工作总结.txt"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _earlier_notes(project: str) -> list[tuple[str, str]]:
    """(进展日期, 最新进展) of a project in the history issues whose note differs from today's ledger."""
    today = next(r for r in _rows(DATA / "projects.csv") if r["项目名称"] == project)
    notes = []
    for issue in sorted((DATA / "history").glob("projects_*.csv")):
        row = next((r for r in _rows(issue) if r["项目名称"] == project), None)
        if row and row["最新进展"] and row["最新进展"] != today["最新进展"]:
            notes.append((row["进展日期"], row["最新进展"]))
    return notes


def test_a_step_an_earlier_issue_recorded_is_dated_from_its_progress_note(assistant: Assistant) -> None:
    notes = dict((text, day) for day, text in _earlier_notes("碳基新材料项目（示例）"))
    day = notes["取得施工许可证"]  # recorded in an earlier issue only
    year, month, dom = (int(x) for x in day.split("-"))
    answer = assistant.ask("碳基新材料的施工许可证是哪天拿到手的")
    assert answer.answer.startswith(f"碳基新材料项目（示例）的台账进展记有“取得施工许可证”，进展日期{year}年{month}月{dom}日"), \
        answer.answer
    # the card lists the earlier notes too, so the evidence is on the page
    assert "此前各期进展" in answer.answer


def test_the_note_sharing_most_with_the_question_is_chosen(assistant: Assistant) -> None:
    notes = _earlier_notes("锂电隔膜项目（示例）")
    assert any("二号车间封顶" == text for _, text in notes) and any("一号车间" in text for _, text in notes)
    answer = assistant.ask("隔膜项目二号车间啥时候封的顶")
    assert "“二号车间封顶”" in answer.answer.split("\n")[0], answer.answer


def test_a_tied_place_says_how_many_share_it(assistant: Assistant) -> None:
    rows = [r for r in _rows(DATA / "indicators_long.csv") if r["期间"] == "2023-07" and r["指标"] == "外商直接投资"
            and r["地区"] != "全市"]
    zero = [r["地区"] for r in rows if Decimal(r["数值"]) == 0]
    place = len(rows) - len(zero) + 1  # the counties with none share the place after those with some
    assert "镇坪县" in zero and len(zero) > 1
    answer = assistant.ask("完成进度排第几？跟它并列的一共几个县区", ["镇坪1-7月外资到位了多少"])
    first = answer.answer.split("\n")[0]
    assert "镇坪县" in first and f"并列第{place}（{len(zero)}个并列）" in first, first
    assert not answer.flagged_numbers


def test_the_amounts_asked_are_added_up_over_the_projects_just_listed(assistant: Assistant) -> None:
    listed = [r for r in _rows(DATA / "projects.csv") if r["企业"] == "示例物流有限公司"]
    assert len(listed) == 2
    total = sum(Decimal(r["总投资（亿元）"]) for r in listed)
    funds = sum(Decimal(r["到位资金（亿元）"]) for r in listed)
    answer = assistant.ask("两个加一块总投资多少，到位了多少", ["示例物流有限公司在咱这有哪些项目"])
    first = answer.answer.split("\n")[0]
    assert f"总投资 {total:.2f}亿元" in first and f"到位资金合计 {funds:.2f}亿元" in first, first


def test_the_column_asked_of_one_project_carries_to_the_next(assistant: Assistant) -> None:
    row = next(r for r in _rows(DATA / "projects.csv") if r["项目名称"] == "锂电隔膜项目（示例）")
    assert row["当年到位资金（亿元）"] != row["到位资金（亿元）"]  # this year's money is not the cumulative
    answer = assistant.ask("换成锂电隔膜呢", ["锂电池正极材料项目今年到位了多少钱"])
    assert answer.answer.startswith(f"锂电隔膜项目（示例）的当年到位资金为{Decimal(row['当年到位资金（亿元）']):.2f}亿元"), \
        answer.answer


def test_a_long_question_pointing_back_with_ta_keeps_the_place(assistant: Assistant) -> None:
    answer = assistant.ask("那它啥时候开始有外资进账的，上半年有了没", ["旬阳一季度外资到位多少"])
    assert answer.answer.startswith("旬阳市2023年上半年（1-6月）外商直接投资"), answer.answer


@pytest.fixture(scope="module")
def with_summary(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The year's summary and the half-year report over the demo database."""
    return assistant_with_data(tmp_path_factory, [SUMMARY, CORPUS / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx"])


def test_a_document_named_by_its_kind_answers_from_its_own_text(with_summary: Assistant) -> None:
    text = SUMMARY.read_text(encoding="utf-8")
    assert "连续三个季度居全市首位" in text
    answer = with_summary.ask("旬阳内资完成进度全市第一，年终总结说保持了多久")
    assert "连续三个季度居全市首位" in answer.answer, answer.answer
    assert not answer.figures


def test_a_part_of_a_set_given_by_its_count_is_not_answered_by_the_total(assistant: Assistant) -> None:
    answer = assistant.ask("年初定的全年20场市级重点招商活动，里面境外的安排了几场")
    assert "没有找到其中" in answer.answer and not answer.citations, answer.answer


def test_when_a_step_not_taken_will_be_is_a_forecast(assistant: Assistant) -> None:
    for question in ("恒口纺织服装产业园那个消防验收，估计啥时候能过", "新能源汽车零部件项目大概啥时候能签下来"):
        answer = assistant.ask(question)
        assert "预测" in answer.answer and not answer.figures, answer.answer


def test_a_rate_between_two_issues_is_asked_in_a_weeks_words(assistant: Assistant) -> None:
    for question in ("全市开工率这期台账跟上期比变了多少个点", "这周资金到位率比上周高了还是低了"):
        answer = assistant.ask(question)
        first = answer.answer.split("\n")[0]
        assert first.startswith("全市项目") and "那期台账" in first and "个百分点" in first, first
        assert all(f.provenance.table == "project_versions" for f in answer.figures if f.value is not None)


def test_that_office_after_a_project_is_the_office_that_first_met_it(assistant: Assistant) -> None:
    project = next(r for r in _rows(DATA / "projects.csv") if r["项目名称"] == "精密电子元器件项目（示例）")
    office = next(r for r in _rows(DATA / "offices.csv") if r["联络处名称"] == project["来源/首谈单位"])
    answer = assistant.ask("那个联络处负责人叫啥", ["精密电子元器件项目是哪个单位首谈的"])
    assert f"负责人{office['负责人']}" in answer.answer.split("\n")[0], answer.answer


def test_a_rate_the_question_states_that_the_ledger_does_not_give_is_not_answered_by_the_ledger(
        with_summary: Assistant) -> None:
    answer = with_summary.ask("上半年合同履约率84.6%，到期应履约的项目一共是多少个")
    assert not answer.figures and "不作推测" in answer.answer, answer.answer


def test_a_problem_said_short_is_found_with_its_earlier_progress(assistant: Assistant) -> None:
    code = next(r for r in _rows(DATA / "problems.csv") if r["项目名称"] == "中医药康养项目（示例）")["编号"]
    notes = []
    for issue in sorted((DATA / "history").glob("problems_*.csv")) + [DATA / "problems.csv"]:
        row = next(r for r in _rows(issue) if r["编号"] == code)
        if row["办理进展"] and row["办理进展"] not in notes:
            notes.append(row["办理进展"])
    assert len(notes) >= 2 and "融资困难" in next(r for r in _rows(DATA / "problems.csv") if r["编号"] == code)["问题描述"]
    # 融资难 where the ledger writes 融资困难; 帮企业 names whom was helped, not the 企业 column
    answer = assistant.ask("岚皋中医药康养融资难，之前是咋帮企业的，现在啥结果")
    first = answer.answer.split("\n")[0]
    assert all(note in first for note in notes), first


def test_words_pointing_at_an_earlier_turn_need_one(assistant: Assistant) -> None:
    question = "把刚才那几个项目的到位资金加一块是多少"
    alone = assistant.ask(question)
    assert "还没有上一个问题" in alone.answer and not alone.figures
    listed = [r for r in _rows(DATA / "projects.csv") if r["地区"] == "岚皋县"]
    funds = sum(Decimal(r["到位资金（亿元）"] or "0") for r in listed)
    after = assistant.ask(question, ["岚皋县有哪些项目"])
    first = after.answer.split("\n")[0]
    assert f"共 {len(listed)} 个项目" in first and f"到位资金合计 {funds:.2f}亿元" in first, first


def test_an_events_note_is_part_of_its_record(assistant: Assistant) -> None:
    row = next(r for r in _rows(DATA / "events.csv") if r["城市"] == "北京" and r["日期"].startswith("2019"))
    assert "投资协议4.1亿元" in row["备注"]
    answer = assistant.ask("19年北京那场富硒推介会的32.71亿里，投资协议占多少")
    assert "投资协议4.1亿元" in answer.answer.split("\n")[0] and "见《" not in answer.answer.split("\n")[0], answer.answer


def test_a_named_past_issue_against_now_gives_both_rates_and_places(assistant: Assistant) -> None:
    answer = assistant.ask("紫阳县资金到为率的名次，6月底那期排第几，现在排第几")
    first = answer.answer.split("\n")[0]
    assert first.startswith("紫阳县项目资金到位率2023年6月30日那期台账") and first.count("（排第") == 2, first


def test_a_share_of_the_city_said_with_the_city_first(assistant: Assistant) -> None:
    rows = {r["地区"]: Decimal(r["数值"]) for r in _rows(DATA / "indicators_long.csv")
            if r["期间"] == "2023Q2" and r["指标"] == "外商直接投资"}
    share = (rows["高新区"] / rows["全市"] * 100).quantize(Decimal("0.1"))
    answer = assistant.ask("上半年全市外资里高新区占了多大比例")
    assert f"的{share}%" in answer.answer.split("\n")[0], answer.answer


def test_counties_beyond_the_citys_own_figure(assistant: Assistant) -> None:
    rows = [r for r in _rows(DATA / "indicators_long.csv") if r["期间"] == "2023Q2" and r["指标"] == "实际引进内资"]
    city = Decimal(next(r["同比"] for r in rows if r["地区"] == "全市"))
    ahead = [r["地区"] for r in rows if r["地区"] != "全市" and r["同比"] and Decimal(r["同比"]) > city]
    answer = assistant.ask("上半年内资同比增速跑赢全市的县区有几个")
    first = answer.answer.split("\n")[0]
    assert f"超过全市（{city}%）的有{len(ahead)}个" in first and all(name in first for name in ahead), first
    assert not answer.flagged_numbers
    # 没跑赢全市的: the other side, the city's own figure included
    behind = [r["地区"] for r in rows if r["地区"] != "全市" and r["同比"] and Decimal(r["同比"]) <= city]
    lost = assistant.ask("上半年内资同比增速没跑赢全市的县区有几个").answer.split("\n")[0]
    assert f"不高于全市（{city}%）的有{len(behind)}个" in lost and not any(name in lost for name in ahead), lost
    # 刚才 of a meeting points at no earlier turn of this conversation
    meeting = assistant.ask("领导刚才开会时提到高新区，2023年上半年的实际引进内资是多少亿元")
    assert "还没有上一个问题" not in meeting.answer, meeting.answer


def test_this_problem_after_a_project_is_its_one_problem(assistant: Assistant) -> None:
    project = "生物医药中间体项目（示例）"
    mine = [r for r in _rows(DATA / "problems.csv") if r["项目名称"] == project]
    assert len(mine) == 1
    then = next(r for r in _rows(DATA / "history" / "problems_2023-07-07.csv") if r["编号"] == mine[0]["编号"])
    answer = assistant.ask("这个问题7月7号那期台账上进展写的啥", ["生物医药中间体项目的环评问题是谁在负责"])
    first = answer.answer.split("\n")[0]
    assert mine[0]["编号"] in first and then["办理进展"] in first, first


def test_a_county_ranking_before_the_ledgers_history_is_declined(assistant: Assistant) -> None:
    first = min(date.fromisoformat(next(iter(_rows(p)))["填报日期"]) for p in (DATA / "history").glob("projects_*.csv"))
    assert first > date(2023, 3, 31)
    answer = assistant.ask("3月底那会儿各县区项目资金到位率排个名")
    assert answer.answer.startswith(f"项目台账历史从{first.year}年{first.month}月{first.day}日开始"), answer.answer
    assert not answer.figures and "排名：" not in answer.answer  # today's ranking is not shown as if it were then
