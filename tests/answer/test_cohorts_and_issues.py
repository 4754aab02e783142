"""Week questions answered by one general mechanism each (issues 12 and 15): a question typed in traditional
characters or with a span of days for its period, the units a group is made of (五个驻外联络处里头，哪家首谈的最多),
an office said by its short name (北京办), a month asked alone that the cumulative figures cannot give, a change
against the month before the one asked (比上个月涨了几个点), the counties' project rates over the projects signed in a
period (一季度签约的那批) or as a past ledger issue recorded them, a 考核 class's projects together, the open problem
waiting longest, a part of the list just given (这里面还没签约的), the counties set against the city's figure just
given, a past ledger issue against the latest, and a record's attribute the ledger does not keep.
Expected values are read from corpus/data with the standard library."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest

from assistant.answer.engine import Assistant
from assistant.answer.numbers import find_numbers
from tests.answer.conftest import assistant_with_data
from tests.answer.demo_rows import DATA
from tests.answer.demo_rows import indicator as _indicator
from tests.answer.demo_rows import r2 as _r2
from tests.answer.demo_rows import rows as _rows

SIGNED = ("签约", "开工", "投产")
CLASS_TWO = ["汉阴县", "石泉县", "紫阳县", "岚皋县", "平利县", "白河县"]  # 考核办法 第四条


def _lead(text: str) -> str:
    return text.split("【")[0]


def _pct(num: Decimal, den: Decimal) -> str:
    return _r2(num / den * 100)


def _start_rate(projects: list[dict[str, str]]) -> str:
    signed = [p for p in projects if p["阶段"] in SIGNED]
    return _pct(Decimal(sum(p["阶段"] in ("开工", "投产") for p in signed)), Decimal(len(signed)))


def _funds_rate(projects: list[dict[str, str]]) -> str:
    signed = [p for p in projects if p["阶段"] in SIGNED and p["到位资金（亿元）"] and p["总投资（亿元）"]]
    return _pct(sum(Decimal(p["到位资金（亿元）"]) for p in signed), sum(Decimal(p["总投资（亿元）"]) for p in signed))


def _history(name: str) -> list[dict[str, str]]:
    with (DATA / "history" / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [DATA.parent / "2023-07_答复函_市政协五届二次会议第205号提案.txt"])


def test_traditional_characters_and_a_span_of_days_ask_the_same_figures(assistant: Assistant) -> None:
    row = _indicator("汉阴县", "2023Q2")
    answer = assistant.ask("漢陰縣上半年內資完成進度多少？").answer
    assert f"{_r2(Decimal(row['数值']) / Decimal(row['年度目标']) * 100).rstrip('0').rstrip('.')}%" in _lead(answer), answer
    ningshan = _indicator("宁陕县", "2023Q2")
    spanned = assistant.ask("宁陕县2023/01/01~2023/06/30内资同比增长多少").answer
    assert f"{Decimal(ningshan['同比']):.2f}%" in spanned and "上半年" in _lead(spanned), spanned


def test_the_offices_among_the_units_that_first_met_the_investors(assistant: Assistant) -> None:
    counts = Counter(p["来源/首谈单位"] for p in _rows("projects.csv") if "联络处" in p["来源/首谈单位"])
    most, fewest = max(counts.values()), min(counts.values())
    answer = _lead(assistant.ask("五个驻外联络处里头，哪家首谈的项目最多？最少的又是哪家").answer)
    assert all(name in answer for name, n in counts.items() if n in (most, fewest)), answer
    assert "招商局" not in answer.split("排名")[0], answer  # the counties' own bureaus are not offices
    beijing = [p for p in _rows("projects.csv") if p["来源/首谈单位"] == "驻北京招商联络处"]
    total = sum(Decimal(p["总投资（亿元）"]) for p in beijing)
    listed = assistant.ask("北京办首谈引进来的是哪几个项目？投资加起来多大").answer
    assert all(p["项目名称"] in listed for p in beijing) and f"{total:.2f}亿元" in listed, listed


def test_a_month_alone_the_cumulative_figures_cannot_give_is_declined(assistant: Assistant) -> None:
    answer = assistant.ask("5月份全市当月实际引进内资是多少亿？")
    assert "无法计算" in answer.answer and not [f for f in answer.figures if f.value is not None], answer.answer
    assert not find_numbers(answer.answer.replace("2023年1-5月", "").replace("2023年1-4月", "")), answer.answer


def test_a_change_against_the_month_before_the_one_asked(assistant: Assistant) -> None:
    july, june = _indicator("汉阴县", "2023-07"), _indicator("汉阴县", "2023Q2")
    gap = Decimal(_r2(Decimal(july["数值"]) / Decimal(july["年度目标"]) * 100)) - Decimal(
        _r2(Decimal(june["数值"]) / Decimal(june["年度目标"]) * 100))
    answer = assistant.ask("比上个月涨了几个点", ["汉阴7月底内资进度多少"]).answer
    assert f"{gap:.2f}个百分点" in _lead(answer), answer


def test_county_rates_of_the_projects_signed_in_a_quarter(assistant: Assistant) -> None:
    spring = [p for p in _rows("projects.csv") if "2023-01-01" <= p["签约日期"] <= "2023-03-31"]
    by_county: dict[str, list[dict[str, str]]] = {}
    for p in spring:
        by_county.setdefault(p["地区"], []).append(p)
    below = {c: _start_rate(ps) for c, ps in by_county.items() if Decimal(_start_rate(ps)) < 80}
    assert below, "the demo ledger has a county below 80% among the quarter's signings"
    answer = assistant.ask("光看今年一季度签约的那批，开工率没到80%的县区有哪些").answer
    assert "2023年1月1日至2023年3月31日签约的项目" in answer and all(c in _lead(answer) for c in below), answer


def test_a_county_rate_as_a_past_ledger_issue_recorded_it(assistant: Assistant) -> None:
    issue = [p for p in _history("projects_2023-07-14.csv") if p["地区"] == "高新区"]
    answer = assistant.ask("高新区7月14号那期资金到位率是多少").answer
    assert f"{_funds_rate(issue).rstrip('0').rstrip('.')}%" in _lead(answer) and "2023年7月14日" in answer, answer


def test_a_class_of_counties_together(assistant: Assistant) -> None:
    members = [p for p in _rows("projects.csv") if p["地区"] in CLASS_TWO]
    answer = assistant.ask("二类县区的签约项目合起来看，开工率和资金到位率各多少")
    assert f"项目开工率{_start_rate(members)}%" in answer.answer, answer.answer
    assert f"项目资金到位率{_funds_rate(members)}%" in answer.answer and not answer.flagged_numbers, answer.answer


def test_the_open_problem_waiting_longest_after_the_list(assistant: Assistant) -> None:
    open_ = sorted((p for p in _rows("problems.csv") if p["状态"] != "已解决"), key=lambda p: p["提出日期"])
    oldest = open_[0]
    answer = _lead(assistant.ask("其中挂得最久的是哪个，哪天提出来的", ["问题台账里还没解决的问题有哪些"]).answer)
    year, month, day = (int(x) for x in oldest["提出日期"].split("-"))
    assert oldest["编号"] in answer and f"提出于{year}年{month}月{day}日" in answer, answer


def test_a_part_of_the_list_just_given(assistant: Assistant) -> None:
    graded = [p for p in _rows("projects.csv") if p["线索等级"] == "A"]
    unsigned = [p for p in graded if p["阶段"] not in SIGNED]
    answer = assistant.ask("这里面还没签约的是哪几个，分别落在哪", ["A级线索的项目有哪几个"]).answer
    assert all(p["项目名称"] in answer and p["地区"] in answer for p in unsigned), answer
    assert not any(p["项目名称"] in answer for p in graded if p["阶段"] in SIGNED), answer


def test_the_counties_set_against_the_city_figure_just_given(assistant: Assistant) -> None:
    city = _indicator("全市", "2023-07")
    level = Decimal(_r2(Decimal(city["数值"]) / Decimal(city["年度目标"]) * 100))
    ahead = [r for r in ("汉滨区", "旬阳市", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "白河县",
                         "高新区", "瀛湖", "恒口")
             if Decimal(_r2(Decimal((row := _indicator(r, "2023-07"))["数值"]) / Decimal(row["年度目标"]) * 100)) > level]
    answer = _lead(assistant.ask("县区里进度比全市快的有几个", ["全市1-7月内资完成进度多少"]).answer)
    assert f"有{len(ahead)}个" in answer and all(r in answer for r in ahead), answer


def test_a_past_ledger_issue_against_the_latest(assistant: Assistant) -> None:
    then = [p for p in _history("projects_2023-06-30.csv") if Decimal(p["总投资（亿元）"]) >= 5]
    now = [p for p in _rows("projects.csv") if Decimal(p["总投资（亿元）"]) >= 5]
    came = [p["项目名称"] for p in now if p["项目名称"] not in {q["项目名称"] for q in then}]
    answer = assistant.ask("投资5个亿以上的项目，6月底那期台账上有几个？现在多少个？多出来的是谁")
    lead = _lead(answer.answer)
    assert f"项目{len(then)}个" in lead and f"最新一期台账{len(now)}个" in lead, lead
    assert came and all(name in lead for name in came) and not answer.flagged_numbers, lead


def test_an_attribute_the_ledger_does_not_keep_is_said_missing(assistant: Assistant) -> None:
    answer = assistant.ask("锂电隔膜项目约定2022年10月底前开工，实际11月5号才开，这个延期签补充协议了没有？")
    assert "补充协议" in answer.answer and "没有" in answer.answer, answer.answer
    assert not [f for f in answer.figures if f.value is not None], answer.answer


def test_a_breakdown_by_origin_the_figures_do_not_hold_is_declined(assistant: Assistant) -> None:
    answer = assistant.ask("1到7月全市557万美元外资里，从东南亚来的有多少万美元？")
    assert "东南亚" in answer.answer and not [f for f in answer.figures if f.value is not None], answer.answer
    assert not find_numbers(answer.answer), answer.answer


def test_the_standing_a_document_gives_a_work_is_no_ranking(assistant: Assistant) -> None:
    answer = assistant.ask("外资在全年招商里头摆在个啥位置")
    assert not [f for f in answer.figures if f.value is not None] and "排名" not in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["柞水那边1-6月份内资干了多少亿", "城固县上半年外资多少"])
def test_a_neighbouring_county_is_another_jurisdiction(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not [f for f in answer.figures if f.value is not None] and "没有" in answer.answer, answer.answer
    assert not find_numbers(answer.answer.replace("1-6月", "")), answer.answer


def test_the_project_fastest_between_two_steps(assistant: Assistant) -> None:
    from datetime import date

    def days(p: dict[str, str], a: str, b: str) -> int:
        return (date.fromisoformat(p[b]) - date.fromisoformat(p[a])).days

    done = [p for p in _rows("projects.csv") if p["开工日期"] and p["投产日期"]]
    fastest = min(done, key=lambda p: days(p, "开工日期", "投产日期"))
    answer = _lead(assistant.ask("投产的项目里哪个从开工到投产最快，用了多久").answer)
    assert fastest["项目名称"] in answer and f"用了 {days(fastest, '开工日期', '投产日期')} 天" in answer, answer
    started = [p for p in _rows("projects.csv") if p["签约日期"] and p["开工日期"]]
    slowest = max(days(p, "签约日期", "开工日期") for p in started)
    slow = _lead(assistant.ask("哪个项目从签约到开工用时最长").answer)
    assert f"用了 {slowest} 天" in slow and all(
        p["项目名称"] in slow for p in started if days(p, "签约日期", "开工日期") == slowest), slow


def test_the_issue_before_the_latest_said_without_its_date(assistant: Assistant) -> None:
    then = _history("projects_2023-07-21.csv")
    now = _rows("projects.csv")
    moved = sum(Decimal(p["总投资（亿元）"]) for p in now) - sum(Decimal(p["总投资（亿元）"]) for p in then)
    came = [p["项目名称"] for p in now if p["项目名称"] not in {q["项目名称"] for q in then}]
    answer = _lead(assistant.ask("这期项目台账总投资比上期多了多少，多在哪个项目上").answer)
    assert "2023年7月21日" in answer and f"总投资多了{moved:.2f}亿元" in answer and all(n in answer for n in came), answer


def test_a_place_in_an_order_no_table_ranks_is_said_missing(assistant: Assistant) -> None:
    answer = assistant.ask("示例文旅发展有限公司在民营500强里排第几名")
    assert "名次" in answer.answer and not [f for f in answer.figures if f.value is not None], answer.answer
