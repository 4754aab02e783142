"""What an officer says in an ordinary week, one general mechanism per test (issues 12 and 15): a company called by
its trade name (格力钛 for 格力钛新能源), one project picked out of the list just given (港资那个), a week set against
the one before (这周比上周), a full score said as 满格, a grade after its verb (评A的), a column added up over the
whole ledger, a step not reached (哪个项目没开工), a letter named by its number answering alone, and a forecast said
with 劲头. Expected values come from corpus/data and corpus/ read with the standard library."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main
from assistant.tools.directory import trade_name, trade_names
from tests.answer.conftest import assistant_with_data

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
CORPUS = DATA.parent


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _amount(text: str) -> Decimal:
    return Decimal(text or "0")


def test_a_trade_name_is_the_name_without_its_industry_words() -> None:
    assert trade_name("格力钛新能源") == "格力钛"
    assert trade_name("国轩高科") == "国轩"
    assert trade_name("万象投资有限公司") == "万象"
    # a trade name many companies share names none of them
    shorts = trade_names(["示例新能源科技有限公司", "示例物流有限公司", "纵目科技"])
    assert "示例" not in shorts and shorts["纵目"] == "纵目科技"


@pytest.mark.parametrize("question,company", [("格力钛那边下一步干啥", "格力钛新能源"),
                                              ("纵目那边对接到啥份上了，接下来准备干嘛", "纵目科技")])
def test_a_company_called_by_its_trade_name_gets_its_visit_records(assistant: Assistant, question: str,
                                                                    company: str) -> None:
    latest = max((r for r in _rows("contacts.csv") if r["企业名称"] == company), key=lambda r: r["日期"])
    answer = assistant.ask(question)
    lead = answer.answer.split("【")[0]
    assert company in lead and latest["下一步"] in lead, answer.answer
    assert answer.flagged_numbers == []


def test_one_project_of_the_list_just_given_is_picked_by_a_word_of_its_name(assistant: Assistant) -> None:
    foreign = [r for r in _rows("projects.csv") if r["是否外资"] == "是"]
    picked = [r for r in foreign if "港资" in r["项目名称"]]
    assert len(picked) == 1
    answer = assistant.ask("港资那个到位多少钱了", history=["有哪些外资项目"])
    lead = answer.answer.split("【")[0]
    assert picked[0]["项目名称"] in lead and f"{_amount(picked[0]['到位资金（亿元）']):.2f}亿元" in lead, answer.answer


def test_one_project_of_the_list_just_given_is_picked_by_its_stage(assistant: Assistant) -> None:
    signed = [r for r in _rows("projects.csv") if r["地区"] == "岚皋县" and r["阶段"] == "签约"]
    assert len(signed) == 1
    answer = assistant.ask("签了约还没开工的那个卡在哪了", history=["岚皋县有哪些项目"])
    assert answer.answer.startswith(signed[0]["项目名称"]), answer.answer


def test_a_week_set_against_the_one_before_is_this_weeks_change(assistant: Assistant) -> None:
    now = {r["项目名称"]: _amount(r["到位资金（亿元）"]) for r in _rows("projects.csv")}
    before = {r["项目名称"]: _amount(r["到位资金（亿元）"]) for r in _rows("history/projects_2023-07-21.csv")}
    added = sum(now[name] - before.get(name, Decimal(0)) for name in now)
    answer = assistant.ask("这周到位资金比上周多了多少？是哪几个项目到的")
    assert "2023年7月22日—2023年7月28日" in answer.answer and f"新到位资金 {added:.2f}亿元" in answer.answer, answer.answer


def _start_rates() -> dict[str, Decimal]:
    signed: dict[str, int] = {}
    started: dict[str, int] = {}
    for r in _rows("projects.csv"):
        if r["阶段"] in ("签约", "开工", "投产"):
            signed[r["地区"]] = signed.get(r["地区"], 0) + 1
            started[r["地区"]] = started.get(r["地区"], 0) + (r["阶段"] != "签约")
    return {k: (Decimal(started[k]) / signed[k] * 100).quantize(Decimal("0.01")) for k in signed}


def test_a_full_score_said_as_mange_lists_the_counties_below_it(assistant: Assistant) -> None:
    below = {k: v for k, v in _start_rates().items() if v < 100}
    answer = assistant.ask("开工率不是满格的县区都有谁，各多少")
    lead = answer.answer.split("【")[0]
    assert f"低于100%的县区{len(below)}个" in lead, answer.answer
    for county in below:
        assert county in lead
    assert "排第1" not in lead and answer.flagged_numbers == []


def test_a_grade_said_after_its_verb_filters_the_list(assistant: Assistant) -> None:
    graded = [r["项目名称"] for r in _rows("projects.csv") if r["线索等级"] == "A"]
    answer = assistant.ask("线索等级评A的那几个，现在都走到哪个阶段了")
    assert f"线索等级为A的项目 {len(graded)} 个" in answer.answer, answer.answer
    for name in graded:
        assert name in answer.answer


def test_a_column_added_up_over_the_whole_ledger_is_the_first_sentence(assistant: Assistant) -> None:
    rows = _rows("projects.csv")
    total = sum(_amount(r["当年到位资金（亿元）"]) for r in rows)
    filled = sum(1 for r in rows if r["当年到位资金（亿元）"])
    answer = assistant.ask("台账里当年到位资金加起来多少")
    lead = answer.answer.split("【")[0]
    assert f"当年到位资金合计 {total:.2f}亿元（{filled} 个项目填报）" in lead, answer.answer
    assert answer.flagged_numbers == []


def test_a_step_not_reached_lists_the_projects_before_it(assistant: Assistant) -> None:
    mine = [r for r in _rows("projects.csv") if r["地区"] == "镇坪县"]
    waiting = [r["项目名称"] for r in mine if r["阶段"] in ("线索", "在谈", "签约")]
    answer = assistant.ask("镇坪哪个项目没开工")
    lead = answer.answer.split("【")[0]
    assert waiting and all(name in lead for name in waiting), answer.answer
    assert not any(r["项目名称"] in lead for r in mine if r["项目名称"] not in waiting)


def test_problems_due_in_the_problem_ledger_not_projects_due_to_start(assistant: Assistant) -> None:
    ledger_day = date(2023, 7, 28)
    due = [r for r in _rows("problems.csv") if r["状态"] != "已解决" and r["办结时限"]
           and 0 <= (date.fromisoformat(r["办结时限"]) - ledger_day).days <= 7]
    answer = assistant.ask("问题台账里有没有眼看这几天就到期的")
    assert assistant.route("问题台账里有没有眼看这几天就到期的").route == "problems_due"
    for r in due:
        assert r["编号"] in answer.answer, answer.answer


@pytest.fixture(scope="module")
def two_letters(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The 205号 and 112号 replies, both speaking of funds in place and its floor, over the demo database."""
    return assistant_with_data(tmp_path_factory, [CORPUS / "2023-07_答复函_市政协五届二次会议第205号提案.txt",
                                                  CORPUS / "2023-08_答复函_市五届人大二次会议第112号建议.docx"])


def test_a_letter_named_by_its_number_answers_alone(two_letters: Assistant) -> None:
    letter = (CORPUS / "2023-07_答复函_市政协五届二次会议第205号提案.txt").read_text(encoding="utf-8")
    assert "不低于投资总额的40%" in letter
    answer = two_letters.ask("政协205号提案答复里，对县区新建招商项目当年资金到位提的底线是多少")
    assert "不低于投资总额的40%" in answer.answer, answer.answer
    assert "第112号" not in answer.answer and not answer.figures


def test_a_forecast_said_with_the_years_pace_is_declined(assistant: Assistant) -> None:
    answer = assistant.ask("照今年这个劲头，24年上半年全市内资能不能过800亿")
    assert "预测" in answer.answer and not answer.figures and answer.citations == []


def test_the_cli_takes_a_list_option_as_commas_or_repeated(assistant: Assistant) -> None:
    rows = _rows("projects.csv")
    total = sum(_amount(r["当年到位资金（亿元）"]) for r in rows)
    runner = CliRunner()
    for args in (["--columns", "当年到位资金,项目管家"], ["--columns", "当年到位资金", "--columns", "项目管家"]):
        result = runner.invoke(main, ["figures", "project-list", *args],
                               env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
        assert result.exit_code == 0, result.output
        assert f"当年到位资金合计 {total:.2f}亿元" in result.output
    # a whole amount is written with its unit like any other (SQLite gives 1.00 back as 1)
    assert "当年到位资金：1）" not in result.output


def _city_completion(period: str, metric: str = "实际引进内资") -> Decimal:
    if period == "2023Q1":
        with (DATA / "indicators_2023Q1_wide.csv").open(encoding="utf-8-sig") as f:
            row = next(r for r in csv.reader(f) if r and r[0] == "全市")
        return (Decimal(row[1]) / Decimal(row[3]) * 100).quantize(Decimal("0.01"))
    row = next(r for r in _rows("indicators_long.csv") if r["地区"] == "全市" and r["期间"] == period
               and r["指标"] == metric)
    return (Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100).quantize(Decimal("0.01"))


def test_the_citys_own_change_between_two_periods_is_answered_for_the_city(assistant: Assistant) -> None:
    before, after = _city_completion("2023Q1"), _city_completion("2023Q2")
    answer = assistant.ask("全市内资完成进度上半年比一季度提了多少个点")
    lead = answer.answer.split("【")[0]
    assert f"全市实际引进内资完成进度提高{after - before}个百分点" in lead, answer.answer
    assert answer.flagged_numbers == []


def test_a_period_named_only_after_bi_is_the_base_of_the_change(assistant: Assistant) -> None:
    """各县区…比一季度提升了多少: the newest period against 一季度, not 一季度 against nothing."""
    answer = assistant.ask("各县区内资完成进度比一季度提升了多少")
    assert "比2023年一季度（1-3月）" in answer.answer and "提高" in answer.answer, answer.answer
    assert "无法比较" not in answer.answer


def test_the_points_of_an_item_named_by_its_share_are_asked_as_points(assistant: Assistant) -> None:
    from assistant.answer.answer_types import answer_type

    kind = answer_type("考核办法里制造业到位资金占比那项几分")
    assert kind is not None and kind.name == "分值"
    share = answer_type("制造业到位资金占比是多少")
    assert share is not None and share.name == "比例"


def test_a_foreign_projects_card_gives_its_foreign_amount(assistant: Assistant) -> None:
    row = next(r for r in _rows("projects.csv") if r["是否外资"] == "是" and r["外资金额（万美元）"])
    answer = assistant.ask(f"{row['项目名称']}到位了多少外资")
    assert f"外资金额 {Decimal(row['外资金额（万美元）']):.2f}万美元" in answer.answer, answer.answer


@pytest.mark.parametrize("question,kind", [
    ("县区信息员换人了没在3个工作日内报备，会咋处理", "处理规定"),
    ("项目管家一个人同时挂了六七个项目，会不会被通报", "处理规定"),
    ("考核结果复核了还是不服，还能往哪儿申诉", "救济途径"),
    ("企业一直不履约，我们能不能去法院起诉要违约金", "救济途径"),
    ("签了很久一直不履约的协议要怎么处理", None),  # how to deal with it: measures, not a consequence
])
def test_a_consequence_or_a_remedy_is_the_value_asked(question: str, kind: str | None) -> None:
    from assistant.answer.answer_types import answer_type

    found = answer_type(question)
    assert (found.name if found else None) == kind


def test_a_rule_that_says_nothing_of_what_follows_a_breach_is_not_quoted_as_the_answer(two_letters: Assistant) -> None:
    """The 112号 reply asks letters to be answered in time; what happens to a 信息员 not reported is in neither letter."""
    answer = two_letters.ask("县区信息员换人了没在3个工作日内报备，会咋处理")
    assert "没有找到直接回答这个问题的处理规定" in answer.answer and answer.citations == [], answer.answer


def test_a_step_said_with_another_verb_is_no_stage_not_reached(assistant: Assistant) -> None:
    """签下百亿级的大项目 names no step not taken (it crashed reading 签下 as one)."""
    answer = assistant.ask("上半年有没有签下百亿级的大项目")
    assert answer.answer and answer.flagged_numbers == []


def test_a_parts_sum_is_set_against_the_whole_ledgers(assistant: Assistant) -> None:
    rows = _rows("projects.csv")
    part = sum(_amount(r["到位资金（亿元）"]) for r in rows if r["制造业"] == "是")
    whole = sum(_amount(r["到位资金（亿元）"]) for r in rows)
    share = (part / whole * 100).quantize(Decimal("0.01"))
    answer = assistant.ask("制造业项目的到位资金占全部到位资金的比重是多少")
    lead = answer.answer.split("【")[0]
    assert f"到位资金合计 {part:.2f}亿元" in lead and f"{whole:.2f}亿元 的 {share}%" in lead, answer.answer
    assert answer.flagged_numbers == []
