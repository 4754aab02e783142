"""Week questions answered by one general mechanism each (issues 12 and 15): a span of months from a later month than
January is a window (4到6月签的, 下半年办的), the project statistics narrowed as the list is (by signing window or
首谈单位), a day count as an upper bound (签约还不满两个月), every view of an open problem saying the days it has
waited and the days left to its 办结时限, a county set against the city in points (比全市快几个点), a period counted
back from the one asked (上个季度的时候呢), two places pointed back to with their share of the city (这俩…占全市几成),
a column the ledger leaves empty said so (a company's 总部, a project's 约定开工期限 asked as 约定啥时候开工), a single
month that two cumulative figures cannot give, a choice no passage writes (局长还是副局长), a month written in Chinese
numerals that does not exist (十四月).
Expected values are read from corpus/data with the standard library."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal

import pytest

from assistant.answer.engine import Assistant
from assistant.answer.numbers import find_numbers
from tests.answer.conftest import assistant_with_data
from tests.answer.demo_rows import DATA
from tests.answer.demo_rows import indicator as _indicator
from tests.answer.demo_rows import r2 as _r2
from tests.answer.demo_rows import rows as _rows

LEDGER_DAY = date(2023, 7, 28)  # the 填报日期 of projects.csv and problems.csv





def _said(x: Decimal) -> str:
    """As the answers write a value: two decimals, trailing zeros dropped (1.20 → 1.2)."""
    return _r2(x).rstrip("0").rstrip(".")


def _funds_rate(projects: list[dict[str, str]]) -> str:
    signed = [p for p in projects if p["阶段"] in ("签约", "开工", "投产") and p["到位资金（亿元）"] and p["总投资（亿元）"]]
    return _r2(sum(Decimal(p["到位资金（亿元）"]) for p in signed) / sum(Decimal(p["总投资（亿元）"]) for p in signed) * 100)


def _lead(text: str) -> str:
    return text.split("【")[0]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [DATA.parent / "2023-10_答复函_汉中市九届人大三次会议第56号建议.txt",
                                                  DATA.parent / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx"])


def test_statistics_of_the_projects_signed_in_a_span_of_months(assistant: Assistant) -> None:
    spring = [p for p in _rows("projects.csv") if "2023-04-01" <= p["签约日期"] <= "2023-06-30"]
    answer = assistant.ask("台账里4到6月签的那几个项目资金到位率是多少").answer
    assert f"资金到位率 {_funds_rate(spring)}%" in _lead(answer) and f"项目数 {len(spring)}个" in answer, answer
    listed = assistant.ask("4到6月签约的项目有哪些").answer
    assert all(p["项目名称"] in listed for p in spring) and f"共 {len(spring)} 个项目" in listed, listed


def test_statistics_of_the_projects_an_office_first_met(assistant: Assistant) -> None:
    shenzhen = [p for p in _rows("projects.csv") if "深圳" in p["来源/首谈单位"]]
    answer = assistant.ask("深圳办首谈的那几个项目资金到位率多少").answer
    assert f"资金到位率 {_funds_rate(shenzhen)}%" in _lead(answer) and "驻深圳招商联络处" in answer, answer


def test_events_of_the_second_half_of_a_year(assistant: Assistant) -> None:
    held = [e for e in _rows("events.csv") if "2019-07-01" <= e["日期"] <= "2019-12-31"]
    amount = sum(Decimal(e["签约金额（亿元）"]) for e in held if e["签约金额（亿元）"])
    answer = assistant.ask("19年下半年一共办了几场招商活动，签约金额加起来多少").answer
    assert f"招商活动 {len(held)} 场" in answer and f"{_said(amount)}亿元" in answer, answer


def test_an_open_problem_says_the_days_left_and_waited(assistant: Assistant) -> None:
    problem = next(p for p in _rows("problems.csv") if "招工难" in p["问题描述"])
    left = (date.fromisoformat(problem["办结时限"]) - LEDGER_DAY).days
    answer = assistant.ask("碳基新材料招工难那个问题，离办结时限还有多少天").answer
    assert f"还剩 {left} 天" in answer, answer
    # the same wording where the open problems of a county are listed
    road = next(p for p in _rows("problems.csv") if "宁陕" in p["编号"] + p["地区"] + p["问题描述"] and "道路" in p["问题描述"])
    waited = (LEDGER_DAY - date.fromisoformat(road["提出日期"])).days
    listed = assistant.ask("宁陕景区连接道路那个问题从提出来到现在挂了多少天了").answer
    assert f"已 {waited} 天" in listed, listed


def test_a_day_count_as_an_upper_bound(assistant: Assistant) -> None:
    recent = [p["项目名称"] for p in _rows("projects.csv") if p["阶段"] == "签约"
              and LEDGER_DAY - date.fromisoformat(p["签约日期"]) <= timedelta(days=60)]
    older = [p["项目名称"] for p in _rows("projects.csv") if p["阶段"] == "签约" and p["项目名称"] not in recent]
    answer = assistant.ask("签约还不满两个月、没开工的是哪个项目").answer
    assert recent and all(n in answer for n in recent) and not any(n in answer for n in older), answer
    assert "不满 60 天" in answer, answer


def test_a_county_set_against_the_city_in_points(assistant: Assistant) -> None:
    county, city = _indicator("宁陕县", "2023Q2"), _indicator("全市", "2023Q2")

    def completion(row: dict[str, str]) -> Decimal:
        return Decimal(_r2(Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100))

    gap = completion(county) - completion(city)
    answer = assistant.ask("上半年宁陕内资完成进度比全市快几个点").answer
    assert f"比全市高{_said(gap)}个百分点" in _lead(answer), answer
    growth = Decimal(_indicator("汉滨区", "2023-07")["同比"].rstrip("%")) - Decimal(
        _indicator("全市", "2023-07")["同比"].rstrip("%"))
    followed = assistant.ask("比全市同比高几个点", ["汉滨1-7月内资同比增长多少"]).answer
    assert f"高{_said(growth)}个百分点" in _lead(followed), followed


def test_a_period_counted_back_from_the_one_asked(assistant: Assistant) -> None:
    with (DATA / "indicators_2023Q1_wide.csv").open(encoding="utf-8-sig") as f:
        q1 = next(row[1] for row in csv.reader(f) if row[0] == "白河县")
    answer = assistant.ask("上个季度的时候呢", ["白河上半年内资总量在全市排第几"]).answer
    assert "一季度" in _lead(answer) and f"{Decimal(q1)}亿元" in _lead(answer), answer
    july = _indicator("汉阴县", "2023-07", "外商直接投资")
    month = assistant.ask("往前推一个月呢", ["汉阴1-8月外资多少"]).answer
    assert "1-7月" in _lead(month) and f"{Decimal(july['数值']).normalize()}万美元" in _lead(month), month


def test_two_places_pointed_back_to_and_their_share_of_the_city(assistant: Assistant) -> None:
    a, b, city = (Decimal(_indicator(r, "2023-07")["数值"]) for r in ("紫阳县", "平利县", "全市"))
    answer = assistant.ask("这俩加一块多少，占全市几成", ["1-7月紫阳内资多少", "平利呢"]).answer
    assert f"合计{_r2(a + b)}亿元" in _lead(answer), answer
    assert f"{_said((a + b) / city * 100)}%" in _lead(answer), answer


def test_a_column_the_ledger_leaves_empty(assistant: Assistant) -> None:
    company = next(e for e in _rows("enterprises.csv") if e["企业名称"] == "威兰丹特集团")
    assert not company["总部所在地"]
    answer = assistant.ask("威兰丹特集团总部设在哪儿").answer
    assert "总部所在地一栏没有填写" in answer and not find_numbers(answer), answer
    filled = next(e for e in _rows("enterprises.csv") if e["总部所在地"])
    said = assistant.ask(f"{filled['企业名称']}总部在哪").answer
    assert f"总部所在地为{filled['总部所在地']}" in _lead(said), said
    project = next(p for p in _rows("projects.csv") if p["项目名称"].startswith("医药冷链配送"))
    assert not project["约定开工期限"]
    deadline = assistant.ask("医药冷链配送项目约定啥时候开工").answer
    assert "约定开工期限一栏没有填写" in deadline and not find_numbers(deadline), deadline


def test_a_single_month_two_cumulative_figures_cannot_give(assistant: Assistant) -> None:
    answer = assistant.ask("高新区3月份单月引进内资是多少").answer
    assert "无法计算" in answer and not find_numbers(answer), answer
    july, half = (Decimal(_indicator("高新区", p)["数值"]) for p in ("2023-07", "2023Q2"))
    month = assistant.ask("高新区7月份单月引进内资是多少").answer
    assert f"{(july - half).normalize()}亿元" in _lead(month), month


def test_a_choice_no_passage_writes(assistant: Assistant) -> None:
    answer = assistant.ask("汉中那份56号答复函是方立群签发的，他是经合局局长还是副局长").answer
    assert "没有写明" in answer and "【政策与文件依据】" not in answer, answer


def test_a_month_written_in_chinese_numerals_that_does_not_exist(assistant: Assistant) -> None:
    answer = assistant.ask("镇坪县二〇二三年十四月份内资完成进度咋样").answer
    assert "不是有效的期间" in answer and not find_numbers(answer.split("请写作")[0]), answer


def test_a_ledger_question_about_the_place_an_indicator_question_asked(assistant: Assistant) -> None:
    xunyang = sorted((p for p in _rows("projects.csv") if p["地区"] == "旬阳市"), key=lambda p: -Decimal(p["总投资（亿元）"]))
    answer = assistant.ask("它那边台账上投资最大的是哪个项目，开工了没有", ["旬阳一季度内资完成进度排第几"]).answer
    assert xunyang[0]["项目名称"] in _lead(answer) and all(p["地区"] == "旬阳市" for p in xunyang), answer
    assert answer.index(xunyang[0]["项目名称"]) < answer.index(xunyang[1]["项目名称"]), answer


def _new_funds_rate(region: str) -> Decimal:
    """考核办法's measure: 新建 signed projects' 当年到位资金 ÷ their 总投资."""
    new = [p for p in _rows("projects.csv") if p["地区"] == region and p["新建/续建"] == "新建"
           and p["阶段"] in ("签约", "开工", "投产") and p["当年到位资金（亿元）"] and p["总投资（亿元）"]]
    return sum(Decimal(p["当年到位资金（亿元）"]) for p in new) / sum(Decimal(p["总投资（亿元）"]) for p in new) * 100


def test_the_assessments_own_funds_rate_within_a_class(assistant: Assistant) -> None:
    answer = assistant.ask("高新区新建项目当年资金到位率按考核口径算是多少").answer
    assert f"新建项目当年资金到位率{_said(_new_funds_rate('高新区'))}%" in _lead(answer), answer
    second = ["汉阴县", "石泉县", "紫阳县", "岚皋县", "平利县", "白河县"]  # 考核办法 第四条
    below = [c for c in second if _new_funds_rate(c) < 40]
    ranked = assistant.ask("二类县区按考核那个口径（新建项目、用当年到位资金）算资金到位率，哪几个没过40%").answer
    assert "二类县区" in _lead(ranked), ranked
    listed = _lead(ranked).split("排名：")[1].split("。")[0]
    assert sorted(listed.count(c) for c in second) == [1] * len(second) and "高新区" not in listed, ranked
    assert "低于考核目标 40% 的：" + "、".join(sorted(below, key=lambda c: -_new_funds_rate(c))) in ranked, ranked


def test_a_place_against_another_position_of_the_ranking(assistant: Assistant) -> None:
    july = [r for r in _rows("indicators_long.csv") if r["期间"] == "2023-07" and r["指标"] == "实际引进内资"
            and r["地区"] != "全市"]
    by_growth = sorted(july, key=lambda r: -Decimal(r["同比"].rstrip("%")))
    first, second = by_growth[0], by_growth[1]
    gap = Decimal(first["同比"].rstrip("%")) - Decimal(second["同比"].rstrip("%"))
    answer = assistant.ask("这个增速在县区里排第几？比第二名快几个点", [f"{first['地区']}1-7月内资同比多少"]).answer
    assert f"排第1，比第2名{second['地区']}" in _lead(answer) and f"高{_said(gap)}个百分点" in _lead(answer), answer


def test_events_by_their_amount_signed(assistant: Assistant) -> None:
    held = sorted((e for e in _rows("events.csv") if e["日期"].startswith("2019") and e["签约金额（亿元）"]),
                  key=lambda e: -Decimal(e["签约金额（亿元）"]))
    gap = Decimal(held[0]["签约金额（亿元）"]) - Decimal(held[1]["签约金额（亿元）"])
    answer = assistant.ask("2019年那几场推介会里签约金额最高的是哪场").answer
    assert "签约金额最高的是" in _lead(answer) and held[0]["活动名称"] in _lead(answer), answer
    assert f"多{_said(gap)}亿元" in _lead(answer), answer


def test_a_figure_given_as_premise_and_restated_is_no_answer(assistant: Assistant) -> None:
    # the half-year report states 高新区's 121.8万美元 but not which projects brought it
    answer = assistant.ask("高新区上半年那121.8万美元外资，是哪几个项目进的").answer
    assert "没有找到" in answer and not find_numbers(answer), answer
    # a rate given as premise: the report restating 开工率95.06% names no project that did not start
    rate = assistant.ask("上半年新签约项目开工率95.06%，没开工的那些是哪几个项目").answer
    assert "没有找到" in rate and not find_numbers(rate), rate
    # …while a sentence stating the figure answers where it came in (which county)
    placed = assistant.ask("上半年那236.7万美元外资是哪个县的").answer
    assert "汉阴县" in placed and "236.7万美元" in placed, placed


def test_a_step_against_its_deadline(assistant: Assistant) -> None:
    project = next(p for p in _rows("projects.csv") if p["项目名称"].startswith("碳基新材料"))
    early = (date.fromisoformat(project["约定开工期限"]) - date.fromisoformat(project["开工日期"])).days
    answer = assistant.ask("碳基新材料比合同约定的开工期限提前了几天开的工").answer
    assert f"提前 {early} 天开工" in _lead(answer), answer
    problem = next(p for p in _rows("problems.csv") if "三通一平" in p["问题描述"])
    ahead = (date.fromisoformat(problem["办结时限"]) - date.fromisoformat(problem["解决日期"])).days
    solved = assistant.ask("冷链物流园三通一平那个问题，比办结时限提前几天办结的").answer
    assert f"比办结时限提前 {ahead} 天" in solved, solved


def test_a_choice_is_answered_by_the_side_a_passage_states(assistant: Assistant) -> None:
    # 抽几个县还是全覆盖 offers two ways: the passage stating one of them (全覆盖, no count) answers it
    answer = assistant.ask("汉中签约开工的项目实地核查是抽几个县还是全覆盖").answer
    assert "实地核查覆盖所有县区" in answer, answer


def test_a_start_rate_names_the_signed_projects_not_started(assistant: Assistant) -> None:
    idle = [p["项目名称"] for p in _rows("projects.csv") if p["地区"] == "镇坪县" and p["阶段"] == "签约"]
    answer = assistant.ask("镇坪开工率咋才一半？哪个没开").answer
    assert idle and f"其中签约未开工的：{'、'.join(idle)}" in answer, answer
    made = [p["项目名称"] for p in _rows("projects.csv") if p["制造业"] == "是" and p["阶段"] == "签约"]
    stats = assistant.ask("制造业项目签了约的开工率多少，哪个还没开").answer
    assert made and f"签约未开工的：{'、'.join(made)}" in stats, stats


def test_a_kind_of_region_named_as_a_group(assistant: Assistant) -> None:
    zones = ["高新区", "瀛湖", "恒口"]  # the city's regions of kind 开发区 (assistant/resources/city.yaml)
    answer = assistant.ask("开发区上半年内资完成进度咋样").answer
    for zone in zones:
        row = _indicator(zone, "2023Q2")
        assert f"{zone}2023年上半年（1-6月）实际引进内资{_said(Decimal(row['数值']))}亿元" in _lead(answer), answer
    assert "全市" not in _lead(answer), answer


def test_a_month_of_deadlines_is_no_period_of_signing(assistant: Assistant) -> None:
    due = [p for p in _rows("projects.csv") if p["约定开工期限"].startswith("2023-04")]
    answer = assistant.ask("约定开工期限在今年4月份的项目有几个？有没有拖过期限才开工的").answer
    assert f"约定开工期限在2023年4月1日—2023年4月30日的项目共 {len(due)} 个" in _lead(answer), answer


def test_a_change_asked_with_bian(assistant: Assistant) -> None:
    with (DATA / "indicators_2023Q1_wide.csv").open(encoding="utf-8-sig") as f:
        q1 = Decimal(next(row[2] for row in csv.reader(f) if row[0] == "汉阴县").rstrip("%"))
    half = Decimal(_indicator("汉阴县", "2023Q2")["同比"].rstrip("%"))
    answer = assistant.ask("汉阴内资同比从一季度到上半年变了多少个百分点").answer
    assert f"提高{_said(half - q1)}个百分点" in _lead(answer), answer


def test_two_places_said_to_be_close_are_still_compared(assistant: Assistant) -> None:
    a, b = _indicator("宁陕县", "2023Q2"), _indicator("恒口", "2023Q2")
    answer = assistant.ask("上半年宁陕和恒口内资差不多，到底哪个多？完成进度哪个快").answer
    assert f"{_said(Decimal(a['数值']))}亿元" in _lead(answer) and f"{_said(Decimal(b['数值']))}亿元" in _lead(answer), answer


def test_a_short_name_joined_to_another_regions_kind_is_said_back(assistant: Assistant) -> None:
    answer = assistant.ask("瀛湖示范区上半年内资完成进度咋样").answer
    assert "“瀛湖示范区”不是本市的单元名称" in answer and "恒口示范区" in answer, answer


def test_who_is_in_charge_of_the_project_asked_before(assistant: Assistant) -> None:
    row = next(p for p in _rows("projects.csv") if p["项目名称"].startswith("外资康养旅游"))
    answer = assistant.ask("它的负责人是谁", ["外资康养旅游项目现在啥进展"]).answer
    assert all(row[c] in _lead(answer) for c in ("责任单位", "包抓领导", "项目管家")), answer


def test_who_holds_a_post_is_no_row_of_the_ledgers(assistant: Assistant) -> None:
    answer = assistant.ask("咱们安康现在的市长是谁").answer
    assert "没有找到" in answer and "项目（示例）" not in answer, answer
