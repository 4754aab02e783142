"""Week questions answered by one general mechanism each (issues 12 and 15, session 40): a rate of one chain's
projects (or of those on no key chain, or of one county's) read at every issue of the ledger with the projects that
moved it, two issues named as the window, a year said relative to the data's day for a span of months, a project
called without its phase, a company's columns asked after the list of its projects finds none, a place asked the
same again (紫阳又提了多少), the attributes of the figure just given asked together, a count asked in its own
classifier answered in the general one, and a letter's contact line asked for. Expected values are read from
corpus/data with the standard library."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_with_data
from tests.answer.demo_rows import DATA, q1_row
from tests.answer.demo_rows import indicator as _indicator
from tests.answer.demo_rows import r2 as _r2
from tests.answer.demo_rows import rows as _rows

SIGNED = ("签约", "开工", "投产")
KEY_CHAINS = ("富硒食品", "新型材料", "装备制造", "纺织丝绸", "生物医药", "新能源", "文旅康养", "电子信息")
ISSUES = ["history/projects_2023-06-30.csv", "history/projects_2023-07-07.csv", "history/projects_2023-07-14.csv",
          "history/projects_2023-07-21.csv", "projects.csv"]


def _lead(text: str) -> str:
    return text.split("【")[0]


def _funds_rate(rows: list[dict[str, str]]) -> str:
    money = [p for p in rows if p["阶段"] in SIGNED and p["总投资（亿元）"] and p["到位资金（亿元）"]]
    funds = sum(Decimal(p["到位资金（亿元）"]) for p in money)
    total = sum(Decimal(p["总投资（亿元）"]) for p in money)
    return f"{_r2(funds / total * 100)}%"


def _completion(row: dict[str, str]) -> str:
    """完成进度 = 数值 ÷ 年度目标 × 100, two decimals."""
    return _r2(Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [DATA.parent / "2023-08_答复函_市五届人大二次会议第112号建议.docx",
                                                  DATA.parent / "2023-08_答复函_市五届人大二次会议第78号建议.md",
                                                  DATA.parent / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx"])


def test_one_chains_rate_at_each_issue_with_the_projects_that_moved_it(assistant: Assistant) -> None:
    per_issue = [_funds_rate([p for p in _rows(f) if p["产业链"] == "新能源"]) for f in ISSUES]
    answer = assistant.ask("新能源链签约项目资金到位率，6月底那期是多少，现在是多少").answer
    lead = _lead(answer)
    assert f"2023年6月30日那期台账 {per_issue[0]}" in lead and f"2023年7月28日那期 {per_issue[-1]}" in lead, answer
    assert all(rate in lead for rate in per_issue), answer  # every issue between, as the ledger recorded it
    # the projects whose funds moved between two issues are named beside the step
    moved = {p["项目名称"] for before, after in zip(ISSUES, ISSUES[1:], strict=False)
             for p in _rows(after) if p["产业链"] == "新能源"
             for q in _rows(before) if q["项目名称"] == p["项目名称"] and q["到位资金（亿元）"] != p["到位资金（亿元）"]}
    assert moved and all(name in lead for name in moved), answer


def test_the_projects_on_no_key_chain_and_two_issues_named(assistant: Assistant) -> None:
    off_chain = [_funds_rate([p for p in _rows(f) if p["产业链"] not in KEY_CHAINS]) for f in ISSUES]
    lead = _lead(assistant.ask("不在5+3链上的那几个项目，资金到位率6月底那期多少，现在多少").answer)
    assert "不在“5+3”重点产业链上的项目" in lead and off_chain[0] in lead and off_chain[-1] in lead, lead
    # two issues named: the later one ends the window, not the newest issue
    materials = [_funds_rate([p for p in _rows(f) if p["产业链"] == "新型材料"]) for f in ISSUES]
    lead = _lead(assistant.ask("新材料链资金到位率7月14号那期和7月21号那期各是多少").answer)
    assert f"2023年7月14日那期台账 {materials[2]}" in lead and f"2023年7月21日那期 {materials[3]}" in lead, lead
    assert "7月28日" not in lead, lead


def test_a_countys_rate_over_the_issues_names_the_biggest_rise(assistant: Assistant) -> None:
    rates = [_funds_rate([p for p in _rows(f) if p["地区"] == "紫阳县"]) for f in ISSUES]
    steps = [Decimal(b[:-1]) - Decimal(a[:-1]) for a, b in zip(rates, rates[1:], strict=False)]
    best = steps.index(max(steps))
    lead = _lead(assistant.ask("紫阳县资金到位率7月里哪一周涨得最猛？从多少涨到多少").answer)
    assert f"（{rates[best]} → {rates[best + 1]}，提高 {_r2(max(steps))}个百分点）" in lead, lead


def test_a_span_of_months_of_last_year(assistant: Assistant) -> None:
    signed = {p["项目名称"] for p in _rows("projects.csv") if "2022-04-01" <= p["签约日期"] <= "2022-06-30"}
    assert signed, "the demo ledger has projects signed in April–June 2022"
    lead = _lead(assistant.ask("去年4到6月签约的项目有哪几个").answer)
    assert all(name in lead for name in signed) and f"共 {len(signed)} 个项目" in lead, lead


def test_a_project_called_without_its_phase_and_a_company_without_projects(assistant: Assistant) -> None:
    problem = next(p for p in _rows("problems.csv") if p["项目名称"].startswith("富硒食品产业园一期"))
    lead = _lead(assistant.ask("富硒食品产业园那个当初是啥问题，谁办的").answer)
    assert problem["问题描述"] in lead and problem["责任部门"] in lead, lead
    company = next(e for e in _rows("enterprises.csv") if e["企业名称"] == "宁德时代")
    assert not any(p["企业"] == "宁德时代" for p in _rows("projects.csv")), "宁德时代 has no project in the ledger"
    lead = _lead(assistant.ask("宁德时代属于哪一类企业").answer)
    assert f"类别为{company['类别']}" in lead, lead


def test_the_same_asked_of_another_place_and_attributes_asked_together(assistant: Assistant) -> None:
    q1 = _r2(Decimal(q1_row("紫阳县")[1]) / Decimal(q1_row("紫阳县")[3]) * 100)  # 内资 绝对值 ÷ 2023年目标
    rise = _r2(Decimal(_completion(_indicator("紫阳县", "2023Q2"))) - Decimal(q1))
    answer = assistant.ask("紫阳又提了多少", history=["汉阴上半年内资完成进度比一季度提了几个点"]).answer
    assert f"提高{rise}个百分点" in _lead(answer), answer
    row = _indicator("石泉县", "2023-07")
    ahead = _r2(Decimal(_completion(row)) - Decimal(_r2(Decimal(7 * 100) / 12)))
    lead = _lead(assistant.ask("全年目标是多少，这会儿超序时几个点", history=["石泉到7月底内资到位了多少"]).answer)
    assert f"年度目标{Decimal(row['年度目标']):.2f}亿元" in lead and f"{ahead}个百分点" in lead, lead


def test_a_count_in_another_classifier_and_a_letters_contact_line(assistant: Assistant) -> None:
    answer = assistant.ask("半年报说到6月底签约项目问题台账上一共记了多少条企业反映的问题").answer
    assert "累计登记企业问题诉求146个" in answer, answer
    answer = assistant.ask("回马丽娟代表那份112号答复函，上面留的联系电话多少").answer
    assert "0915-3330108" in answer and "0915-3330106" not in answer, answer  # the 112号 letter's, not the 78号's
    # the proposal's title, which the letter's 收悉 line names in 《》
    answer = assistant.ask("马丽娟代表提的第112号建议，题目全称叫啥").answer
    assert "《关于强化招商项目落地服务的建议》" in answer, answer


def test_who_led_an_event_is_said_when_asked(assistant: Assistant) -> None:
    event = next(e for e in _rows("events.csv") if e["城市"] == "雄安新区")
    lead = _lead(assistant.ask("19年雄安那场推介会是哪几位市领导带队去的").answer)
    assert f"出席领导：{event['出席领导']}" in lead, lead
    # not asked, not said: the events' list stays a list of when, where and what was signed
    assert "出席领导" not in _lead(assistant.ask("19年雄安那场推介会签了几个项目").answer)
