"""An officer's ordinary week over the demo ledgers, through Assistant.ask (issue 15): totals per county (项目个数,
当年到位资金), projects signed by a day but not started by then, a person in charge named without the column, the
companies of one headquarters city, a project's timeline in days, days named outright (7月14日以来), and deadlines
ahead (下个月到期的问题). The ledger's day is 2023-07-28; relative dates count from it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main
from tests.answer.test_ledger_windows import ask_routed


@pytest.mark.parametrize(("question", "route", "present", "absent"), [
    # a total per county: a ranking with both ends, or the county named with its place
    ("哪个县区的项目最多", "county_totals", ["最多的是高新区（7个）", "1. 高新区 7个"], []),
    ("项目最少的是哪几个县", "county_totals", ["最少的是宁陕县、岚皋县、镇坪县、白河县、瀛湖（2个）"], []),
    ("高新区项目当年到位资金一共多少", "county_totals", ["高新区项目当年到位资金合计12.25亿元", "排第 1 名"], ["资金到位率"]),
    ("汉阴县今年到位资金合计多少", "county_totals", ["汉阴县项目当年到位资金合计6.90亿元"], []),
    ("恒口的项目累计到位资金多少", "county_totals", ["恒口项目到位资金合计3.70亿元"], []),
    # signed by a day, not started by then: later starts count, and are said
    ("截至6月底签了约还没开工的是哪些", "stalled_projects",
     ["截至2023年6月30日，已签约、尚未开工的项目共 4 个", "储能电站"], ["碳基新材料"]),
    ("到4月30日为止签了约没动工的项目", "stalled_projects",
     ["共 4 个", "物流园二期项目（示例）后于2023年6月5日开工"], ["签约超过 30 天"]),
    # who is in charge, the column unsaid: the one column holding the name
    ("黄某负责哪些项目", "list_projects", ["项目管家为黄某的项目 3 个", "储能电站"], ["共 41 个项目"]),
    ("徐某负责的项目现在都啥进展", "list_projects", ["项目管家为徐某的项目 3 个", "企业提交投资意向书"], []),
    # the companies' seat, not the office of that city
    ("总部在深圳的目标企业有哪些", "list_enterprises", ["总部在深圳的企业共 2 家", "欣旺达电子", "示例新能源科技"],
     ["格力钛新能源"]),
    # a project's timeline: each step with the days since the one before
    ("富硒茶饮品项目签约后多少天开的工", "find_project", ["开工于2023年6月20日（签约后 39 天）"], []),
    ("碳基新材料项目从线索到开工各节点都是什么时间", "find_project",
     ["获取线索于2023年4月18日", "进入洽谈于2023年5月11日（线索后 23 天）", "签约于2023年7月5日"], []),
    # days named outright; the largest increase of funds first
    ("7月14日以来哪个项目到位资金增加最多", "weekly_changes",
     ["2023年7月14日—2023年7月28日", "新到位资金 1.45亿元：碳基新材料项目（示例）（汉阴县）到位资金增加 0.70亿元"], []),
    ("7月7日到7月21日之间新进入在谈的项目", "projects_reaching", ["富硒功能食品", "医药冷链配送"], []),
    # deadlines ahead are data already held, unlike a figure of a period not reported yet
    ("下个月到期要办结的问题有哪些", "problems_due", ["2023年8月1日—2023年8月31日", "WT-2023-002"], ["WT-2023-006"]),
    # a section of the bureau (its own name, without 市招商局) as who made the visits or follows the companies
    ("外资科都走访过谁", "office_contacts", ["市招商局外资科共有走访叩门记录 1 次", "香港铜罗湾集团"], ["欣旺达"]),
    ("产业链招商科负责跟踪的企业", "list_enterprises", ["由市招商局产业链招商科跟踪的企业共 2 家", "通威集团", "宁德时代"],
     ["京东集团"]),
    # problems raised in a month or quarter, solved ones included: counted apart from those that only moved
    ("二季度新登记了多少个问题", "problem_moves", ["2023年4月1日—2023年6月30日", "新提出"], []),
    # an amount spoken with 个 (3个亿) is an amount
    ("汉阴县投资3个亿以上的项目", "list_projects", ["共 3 个项目，总投资 21.10亿元"], ["港资纺织"]),
    # an amount column asked of a filtered list is added up, in its own unit; 今年到位 is the 当年到位资金 column
    ("制造业项目今年到位资金一共多少", "list_projects", ["制造业的项目 27 个", "当年到位资金合计 33.05亿元（23 个项目填报）"],
     ["到位资金合计 47.25"]),
    ("外资项目的外资金额加起来多少", "list_projects", ["外资金额：236.70万美元", "外资金额合计 240.60万美元（2 个项目填报）"], []),
    # signed, and no money arrived
    ("资金一直没到位的项目有哪些", "list_projects", ["已签约、到位资金为零的项目 1 个", "瀛湖康养度假区"], ["中医药康养"]),
    # offices by the year they were set up
    ("2022年成立的联络处有哪些", "list_offices", ["2022年全年设立的驻外招商联络处共 2 个", "驻杭州", "驻西安"], ["驻北京"]),
    # a department's problems in all beside the solved ones, and how long a solved one took
    ("发改委负责的问题总共几个，解决了几个", "solved_problems", ["共有问题 2 个，其中已解决 0 个、未解决 2 个"], []),
    ("恒口已经解决了哪些问题", "solved_problems", ["2023年3月20日解决（提出后 28 天，比办结时限提前 11 天）"], []),
    # a step said with 了 inside it (签了约) is the step: the projects that signed, those started since included
    # (the bureau's 签约项目, as 开工率 = 已开工 ÷ 签约项目 counts them; 还在签约阶段的 are those at the step)
    ("签了约的那几个项目投资一共多少", "list_projects", ["已签约（签约、开工、投产阶段）的项目 34 个，总投资 146.20亿元"], []),
])
def test_week_asks(assistant: Assistant, question: str, route: str, present: list[str], absent: list[str]) -> None:
    answer = ask_routed(assistant, question, route, present, absent)
    assert answer.figures and all(f.provenance.table for f in answer.figures if f.value is not None)


@pytest.mark.parametrize("question", [
    "钱某负责哪些项目",  # nobody of that name in any table
    "招商服务科对接过哪些企业",  # a section no record names
    "下个月的外资完成进度是多少",  # a period not reported yet: no deadline makes it data
])
def test_no_figures_for_what_the_ledgers_do_not_hold(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not [f for f in answer.figures if f.value is not None], answer.answer


def test_the_county_totals_reach_the_cli(assistant: Assistant) -> None:
    data_dir = assistant.settings.data_dir
    result = CliRunner().invoke(main, ["figures", "county-totals", "--measure", "当年到位资金", "--region", "汉阴县"],
                                env={"ASSISTANT_DATA_DIR": str(data_dir)})
    assert result.exit_code == 0 and "汉阴县项目当年到位资金合计6.90亿元" in result.output, result.output
