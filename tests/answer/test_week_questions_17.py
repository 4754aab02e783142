"""Questions answered by one general mechanism each (issues 12 and 15, session 44): a county's target as a share of
the city's; several places' targets and their combined completion; a mean per thing of a list (projects, events);
how many different ones among the rows listed (chains, counties, units); open problems against overdue ones;
the counties' totals of the projects at one stage; rates grouped by investing company; a problem's project's ledger
column; a single month asked in a follow-up; the whole year asked as 到年底. Expected values are read from
corpus/data with the standard library."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from assistant.answer.engine import Assistant
from tests.answer.demo_rows import indicator, q1_row, rows
from tests.answer.demo_rows import r2 as _r2

SIGNED = ("签约", "开工", "投产")
LEDGER_DAY = date(2023, 7, 28)  # projects.csv's 填报日期


def _plain(x: Decimal) -> str:
    """How the lead sentence writes a figure: two decimals without trailing zeros."""
    return _r2(x).rstrip("0").rstrip(".")


def test_a_countys_target_as_a_share_of_the_citys(assistant: Assistant) -> None:
    own, city = indicator("高新区", "2023-07"), indicator("全市", "2023-07")
    share = Decimal(own["年度目标"]) / Decimal(city["年度目标"]) * 100
    answer = assistant.ask("高新区一家的内资任务占全市内资目标多大份额")
    assert f"占全市年度目标（{_plain(Decimal(city['年度目标']))}亿元）的{_plain(share)}%" in answer.answer, answer.answer
    assert answer.flagged_numbers == []


def test_several_places_targets_and_their_combined_completion(assistant: Assistant) -> None:
    places = [indicator(name, "2023-07") for name in ("汉滨区", "旬阳市", "高新区")]
    value = sum(Decimal(p["数值"]) for p in places)
    target = sum(Decimal(p["年度目标"]) for p in places)
    for question in ("汉滨、旬阳、高新三家内资年度任务加起来多大，到7月底合起来完成了百分之几",
                     "考核一类那三家内资任务加一块多少？到7月底合计完成了几成"):
        answer = assistant.ask(question)
        assert f"年度目标合计{_plain(target)}亿元，合计完成年度目标的{_plain(value / target * 100)}%" in answer.answer, (
            question, answer.answer)
        assert answer.flagged_numbers == []


def test_a_mean_per_project_and_per_event(assistant: Assistant) -> None:
    building = [p for p in rows("projects.csv") if p["阶段"] == "开工"]
    funds = sum(Decimal(p["到位资金（亿元）"]) for p in building if p["到位资金（亿元）"])
    filled = sum(1 for p in building if p["到位资金（亿元）"])
    answer = assistant.ask("在建的项目平均每个到位了多少钱")
    assert f"平均每个项目到位资金 {_r2(funds / filled)}亿元（{_r2(funds)}亿元 ÷ {filled} 个项目）" in answer.answer, answer.answer
    held = [e for e in rows("events.csv") if e["日期"].startswith("2019") and e["签约金额（亿元）"]]
    amount = sum(Decimal(e["签约金额（亿元）"]) for e in held)
    events = assistant.ask("2019年的推介会平均一场签了多少个亿")
    assert f"平均每场签约金额 {_r2(amount / len(held))}亿元（{_r2(amount)}亿元 ÷ {len(held)} 场）" in events.answer, events.answer
    assert answer.flagged_numbers == [] and events.flagged_numbers == []


def test_how_many_different_ones_among_the_rows_listed(assistant: Assistant) -> None:
    projects = rows("projects.csv")
    chains = Counter(p["产业链"] for p in projects if p["地区"] == "汉阴县" and p["产业链"])
    answer = assistant.ask("汉阴台账上的项目横跨几条产业链")
    assert answer.answer.startswith(f"这 {sum(chains.values())} 个项目涉及 {len(chains)} 条产业链"), answer.answer
    assert all(f"{chain}（{n} 个）" in answer.answer for chain, n in chains.items()), answer.answer
    # a problem's county is its own column, else its project's
    county = {p["项目名称"]: p["地区"] for p in projects}
    open_ = [p for p in rows("problems.csv") if p["状态"] != "已解决"]
    regions = {p["地区"] or county[p["项目名称"]] for p in open_}
    spread = assistant.ask("还没办结的问题分布在几个县区")
    assert spread.answer.startswith(f"这 {len(open_)} 个问题涉及 {len(regions)} 个县区"), spread.answer
    this_year = {c["对接单位"] for c in rows("contacts.csv") if c["日期"].startswith("2023")}
    units = assistant.ask("今年走访台账上，对接企业的单位一共有几家")
    assert f"涉及 {len(this_year)} 家单位" in units.answer, units.answer


def test_open_problems_are_not_only_the_overdue_ones(assistant: Assistant) -> None:
    problems = rows("problems.csv")
    open_ = [p for p in problems if p["状态"] != "已解决"]
    overdue = [p for p in open_ if p["办结时限"] and date.fromisoformat(p["办结时限"]) < LEDGER_DAY]
    assert 0 < len(overdue) < len(open_)
    assert all(p["编号"] in assistant.ask("还没办结的问题有哪些").answer for p in open_)
    late = assistant.ask("哪些问题超过办结时限还没解决").answer
    assert all(p["编号"] in late for p in overdue) and not any(p["编号"] in late for p in open_ if p not in overdue)
    # …with each one's project's 包抓领导 from the project ledger
    leader = {p["项目名称"]: p["包抓领导"] for p in rows("projects.csv")}
    joined = assistant.ask("超了办结时限还没办完的那几个问题，对应项目分别是哪位副市长包抓的").answer
    assert all(f"项目包抓领导：{leader[p['项目名称']]}" in joined for p in overdue if p["项目名称"]), joined


def test_the_counties_totals_of_one_stage_and_rates_by_company(assistant: Assistant) -> None:
    projects = rows("projects.csv")
    building = Counter(p["地区"] for p in projects if p["阶段"] == "开工")
    top, n = building.most_common(1)[0]
    answer = assistant.ask("在建项目数量排前三的县区是哪几个，各有几个").answer
    assert f"1. {top} {n}个" in answer and "只计阶段为开工的项目" in answer, answer
    by_company: dict[str, list[dict[str, str]]] = {}
    for p in projects:
        if p["企业"] and p["阶段"] in SIGNED and p["总投资（亿元）"] and p["到位资金（亿元）"]:
            by_company.setdefault(p["企业"], []).append(p)
    rates = {name: sum(Decimal(p["到位资金（亿元）"]) for p in ps) / sum(Decimal(p["总投资（亿元）"]) for p in ps) * 100
             for name, ps in by_company.items()}
    best = max(rates, key=lambda name: rates[name])
    company = assistant.ask("签约项目里哪家企业的项目资金到位率最高，多少").answer
    assert f"最高的是{best}（{_r2(rates[best])}%）" in company, company


def test_a_single_month_and_the_year_end_in_a_follow_up(assistant: Assistant) -> None:
    july, half = indicator("紫阳县", "2023-07"), indicator("紫阳县", "2023Q2")
    month = assistant.ask("光7月份它进了多少", history=["紫阳1-7月内资到位多少"]).answer
    assert f"7月单独完成{_plain(Decimal(july['数值']) - Decimal(half['数值']))}亿元" in month, month
    august, year = indicator("全市", "2023-08"), indicator("全市", "2023")
    drop = Decimal(august["同比"]) - Decimal(year["同比"])
    end = assistant.ask("到年底呢？增速又回落了几个点", history=["全市1-8月内资同比增长多少"]).answer
    assert f"下降{_plain(drop)}个百分点" in end and _plain(Decimal(year["同比"])) in end, end


def test_rows_per_value_of_a_column_and_signed_projects_of_two_places_added(assistant: Assistant) -> None:
    projects = rows("projects.csv")
    managers = Counter(p["项目管家"] for p in projects if p["项目管家"])
    filled = sum(managers.values())
    per = assistant.ask("每个项目管家平均管几个项目")
    assert per.answer.startswith(f"平均每位项目管家 {round(filled / len(managers), 2):g} 个项目（{filled} ÷ {len(managers)}"), \
        per.answer
    signed = [p for p in projects if p["地区"] in ("汉滨区", "旬阳市") and p["阶段"] in SIGNED]
    total = sum(Decimal(p["总投资（亿元）"]) for p in signed)
    both = assistant.ask("汉滨和旬阳签约项目加起来几个")
    assert f"合计 {len(signed)} 个，总投资 {_plain(total)}亿元" in both.answer, both.answer
    # (还在签约阶段的: at the step itself)
    at_step = [p for p in projects if p["阶段"] == "签约"]
    assert assistant.ask("还在签约阶段的项目有哪些").answer.startswith(f"共 {len(at_step)} 个项目"), at_step
    assert per.flagged_numbers == [] and both.flagged_numbers == []


def test_a_mean_asked_of_a_countys_projects_and_problems_open_at_a_past_day(assistant: Assistant) -> None:
    own = [p for p in rows("projects.csv") if p["地区"] == "高新区" and p["总投资（亿元）"]]
    total = sum(Decimal(p["总投资（亿元）"]) for p in own)
    answer = assistant.ask("高新区的项目平均总投资多少").answer
    assert f"平均每个项目总投资 {_r2(total / len(own))}亿元" in answer, answer
    day = date(2023, 5, 31)
    open_then = [p for p in rows("problems.csv") if date.fromisoformat(p["提出日期"]) <= day
                 and (not p["解决日期"] or date.fromisoformat(p["解决日期"]) > day)]
    then = assistant.ask("截至5月底，问题台账上已经提出来、还没办结的问题有几个").answer
    assert f"未解决问题 {len(open_then)} 个" in then and all(p["编号"] in then for p in open_then), then


def test_the_busiest_office_and_the_status_of_the_companies_contacted(assistant: Assistant) -> None:
    this_year = [c for c in rows("contacts.csv") if c["日期"].startswith("2023")]
    offices = Counter(c["对接单位"] for c in this_year if "联络处" in c["对接单位"])
    top, n = offices.most_common(1)[0]
    answer = assistant.ask("今年叩门最多的是哪个联络处").answer
    assert answer.startswith(f"{top}的走访叩门记录最多（{n} 次）"), answer
    status = {e["企业名称"]: e["对接状态"] for e in rows("enterprises.csv")}
    contacted = {c["企业名称"] for c in rows("contacts.csv") if c["对接单位"] == "驻深圳招商联络处"}
    signed = sorted(name for name in contacted if status.get(name) == "已签约")
    said = assistant.ask("驻深圳联络处对接过的企业里有几家已经签约了").answer
    assert f"对接的 {len(contacted)} 家企业中，目标企业库里“已签约”的 {len(signed)} 家" in said, said
    assert all(name in said for name in signed)


def test_each_countys_single_quarter_ranked(assistant: Assistant) -> None:
    long = [r for r in rows("indicators_long.csv") if r["指标"] == "实际引进内资" and r["地区"] != "全市"]
    half = {r["地区"]: Decimal(r["数值"]) for r in long if r["期间"] == "2023Q2"}
    first = {region: Decimal(q1_row(region)[1]) for region in half}
    single = {region: half[region] - first[region] for region in half if region in first}
    top = max(single, key=lambda region: single[region])
    answer = assistant.ask("二季度单季内资最多的是哪个县区")
    assert answer.answer.startswith(f"2023年二季度单独完成实际引进内资最多的是{top}（{_plain(single[top])}亿元"), answer.answer
    assert answer.flagged_numbers == []


def test_the_counties_of_a_class_named_before_and_positions_of_a_ranking(assistant: Assistant) -> None:
    third = ("宁陕县", "镇坪县", "瀛湖", "恒口")  # the scheme's 三类 (assistant/resources/assessment.yaml)
    july = [indicator(name, "2023-07") for name in third]
    value, target = sum(Decimal(r["数值"]) for r in july), sum(Decimal(r["年度目标"]) for r in july)
    answer = assistant.ask("这四个今年内资任务合计多少？到7月底合起来完成了几成，跑赢序时没有",
                           history=["考核第三类单元是哪几个"])
    assert f"年度目标合计{_plain(target)}亿元，合计完成年度目标的{_plain(value / target * 100)}%" in answer.answer, \
        answer.answer
    half = sorted((r for r in rows("indicators_long.csv") if r["期间"] == "2023Q2" and r["指标"] == "实际引进内资"
                   and r["地区"] != "全市" and r["同比"]), key=lambda r: -Decimal(r["同比"]))
    seventh, eighth = half[6], half[7]
    assert Decimal(seventh["同比"]) != Decimal(eighth["同比"]) != Decimal(half[8]["同比"])
    positions = assistant.ask("第七第八分别是谁", history=["上半年各县区内资同比增速给我排个序"]).answer
    assert f"排第7的是{seventh['地区']}" in positions and f"排第8的是{eighth['地区']}" in positions, positions


def test_a_figure_asked_in_the_other_currency(assistant: Assistant) -> None:
    row = indicator("紫阳县", "2023Q2")
    amount = assistant.ask("紫阳县上半年内资是多少万美元")
    assert f"实际引进内资{_plain(Decimal(row['数值']))}亿元" in amount.answer and "按亿元回答" in amount.answer, amount.answer
    share = assistant.ask("白河县一季度内资完成进度是多少万美元")
    assert share.answer.startswith("问题里的“万美元”与所问的实际引进内资不符") and not re.search(r"\d", share.answer), \
        share.answer


def test_projects_joined_to_the_problems_still_open(assistant: Assistant) -> None:
    open_projects = {p["项目名称"] for p in rows("problems.csv") if p["状态"] != "已解决" and p["项目名称"]}
    picked = [p for p in rows("projects.csv") if "联络处" in p["来源/首谈单位"] and p["项目名称"] in open_projects]
    answer = assistant.ask("驻外联络处首谈的那些项目里，问题台账上还挂着没办完问题的有哪几个").answer
    assert f"的项目 {len(picked)} 个" in answer and all(p["项目名称"] in answer for p in picked), answer
    own = [p for p in rows("projects.csv") if p["地区"] == "高新区" and p["项目名称"] in open_projects]
    assert assistant.ask("高新区有未解决问题的项目有哪些").answer.startswith(f"问题台账上还有未办结问题的项目 {len(own)} 个")
