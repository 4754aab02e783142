"""Week questions answered by one general mechanism each (issues 12 and 15, session 41): a county ranking of a
project rate with the whole ledger's rate beside it, a position asked (倒数第几, 冠军) that is no attribute, a prize
word for a place, a list followed up by pointing back at it (这几个), a measure swapped at the start of a longer
follow-up, what a term is for answered by its definition, a week of the year as a window (and one the year does not
have refused), events of a kind no event's name says, visits picked by what their 下一步 writes, rates of the
manufacturing and other projects side by side, who led an event the ledger does not record, and a place of another
jurisdiction no row names. Expected values are read from corpus/data with the standard library."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from assistant.answer.engine import OPINION_REFUSAL, Assistant
from tests.answer.conftest import assistant_with_data
from tests.answer.demo_rows import DATA, q1_row, q1_wide_rows
from tests.answer.demo_rows import r2 as _r2
from tests.answer.demo_rows import rows as _rows

SIGNED = ("签约", "开工", "投产")
LEDGER_DAY = date(2023, 7, 28)  # the newest 填报日期 of projects.csv


def _lead(text: str) -> str:
    return text.split("【")[0]


def _funds_rate(rows: list[dict[str, str]]) -> str:
    money = [p for p in rows if p["阶段"] in SIGNED and p["总投资（亿元）"] and p["到位资金（亿元）"]]
    return _r2(sum(Decimal(p["到位资金（亿元）"]) for p in money) / sum(Decimal(p["总投资（亿元）"]) for p in money) * 100)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [DATA.parent / "2023-08_答复函_市五届人大二次会议第112号建议.docx",
                                                  DATA.parent / "2023-02_手册_安康招商人应知应会手册（节选）.md",
                                                  DATA.parent / "2024-01_工作总结_2023年全市招商引资工作总结.txt"])


def test_a_county_ranking_of_a_rate_gives_the_whole_ledgers_rate_beside_it(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    answer = assistant.ask("高新区项目资金到位率全市第几名，跟全市总体水平比咋样").answer
    assert f"{_funds_rate([p for p in projects if p['地区'] == '高新区'])}%" in answer
    assert f"（全市 {_funds_rate(projects)}%，不参与排名）" in answer, answer


def test_a_position_asked_is_no_attribute_the_ranking_lacks(assistant: Assistant) -> None:
    """倒数第几 asks the place in the ranking of 涉链占比, which the ranking states (not the indicators instead)."""
    answer = assistant.ask("紫阳涉链占比在13个县区里排倒数第几").answer
    assert _lead(answer).startswith(f"截至{LEDGER_DAY.year}年{LEDGER_DAY.month}月{LEDGER_DAY.day}日台账，紫阳县项目涉链占比")
    assert "内资" not in _lead(answer), answer


def test_a_prize_names_a_place_in_the_order(assistant: Assistant) -> None:
    q2 = [r for r in _rows("indicators_long.csv") if r["期间"] == "2023Q2" and r["指标"] == "实际引进内资"
          and r["地区"] != "全市"]
    top = max(q2, key=lambda r: Decimal(r["数值"]) / Decimal(r["年度目标"]))
    answer = assistant.ask("截至6月底内资目标完成率冠军是哪个，完成了多少").answer
    assert f"排第1的是{top['地区']}" in _lead(answer), answer


def test_a_list_pointed_back_at_is_added_up(assistant: Assistant) -> None:
    stalled = [p for p in _rows("projects.csv") if p["阶段"] == "签约" and p["签约日期"]
               and date.fromisoformat(p["签约日期"]) < LEDGER_DAY - timedelta(days=90)]
    total = sum(Decimal(p["总投资（亿元）"]) for p in stalled)
    answer = assistant.ask("这几个总投资加一块多少", ["签约90天以上还没开工的有哪些"]).answer
    assert f"共 {len(stalled)} 个，总投资 {_r2(total)}亿元" in answer, answer


def test_a_follow_up_opening_with_another_measure_keeps_the_place(assistant: Assistant) -> None:
    target = q1_row("恒口")[8]  # 外商直接投资额 2023年目标 of the wide table
    answer = assistant.ask("外资那块呢，全年目标多少，落后序时几个点", ["恒口一季度内资比序时落后多少"]).answer
    lead = _lead(answer)
    assert lead.startswith("恒口2023年一季度") and f"年度目标{int(Decimal(target))}万美元" in lead, answer


def test_what_a_term_is_for_is_answered_by_its_definition(assistant: Assistant) -> None:
    answer = assistant.ask("序时进度这个东西平时主要拿来干嘛用").answer
    assert answer.startswith("序时进度：") and "滞后" in answer, answer


def test_a_named_letters_cc_line_is_quoted_when_asked_in_one_run_of_words(assistant: Assistant) -> None:
    answer = assistant.ask("马丽娟代表那件112号建议的答复函抄送给谁了？").answer
    assert "抄送：市人大常委会选举任免代表工作委员会" in answer, answer


def test_a_judgement_said_the_other_way_round_is_declined(assistant: Assistant) -> None:
    assert assistant.ask("你觉得高新区1100万美元的外资目标定高了没，要不要往下调").answer == OPINION_REFUSAL


def test_a_week_of_the_year_is_its_days_and_a_week_the_year_lacks_is_refused(assistant: Assistant) -> None:
    monday = date.fromisocalendar(2023, 3, 1)
    signed = {p["项目名称"] for p in _rows("projects.csv")
              if p["签约日期"] and monday <= date.fromisoformat(p["签约日期"]) <= monday + timedelta(days=6)}
    answer = _lead(assistant.ask("2023年第3周新签约了哪些项目").answer)
    assert signed and all(name in answer for name in signed) and f"共 {len(signed)} 个项目" in answer, answer
    weeks = date(2023, 12, 28).isocalendar()[1]  # 28 December is always in a year's last ISO week
    refused = assistant.ask(f"2023年第{weeks + 1}周新签约了哪些项目").answer
    assert refused.startswith(f"“2023年第{weeks + 1}周”不存在：2023年没有这一周"), refused
    assert f"第{weeks}周" not in refused and assistant.ask(f"2023年第{weeks}周新签约了哪些项目").answer != refused


def test_events_of_a_kind_no_event_name_says(assistant: Assistant) -> None:
    kind = [e for e in _rows("events.csv") if e["类型"] == "考察"]
    answer = _lead(assistant.ask("活动台帐里类型是考察的那场，是去哪儿、搞的啥活动").answer)
    assert f"招商活动 {len(kind)} 场" in answer and all(e["活动名称"] in answer for e in kind), answer


def test_visits_picked_by_what_their_next_step_writes(assistant: Assistant) -> None:
    named = {c["企业名称"] for c in _rows("contacts.csv") if "高新区" in c["下一步"]}
    answer = _lead(assistant.ask("走访记录的下一步安排里，提到要跟高新区对接的是哪几家企业").answer)
    assert f"对接企业 {len(named)} 家" in answer and all(name in answer for name in named), answer


def test_the_manufacturing_and_other_projects_rates_side_by_side(assistant: Assistant) -> None:
    projects = _rows("projects.csv")
    answer = assistant.ask("制造业跟非制造业的签约项目，资金到位率分别是多少").answer
    for side, flag in (("制造业", "是"), ("非制造业", "否")):
        assert f"{side} {_funds_rate([p for p in projects if p['制造业'] == flag])}%" in answer, answer


def test_who_led_an_event_the_ledger_does_not_record_is_said_so(assistant: Assistant) -> None:
    event = next(e for e in _rows("events.csv") if e["城市"] == "宁波")
    assert not event["出席领导"]
    answer = assistant.ask("宁波那场双抓双引专场活动是哪位领导出席的").answer
    assert "没有记录" in _lead(answer) and event["签约金额（亿元）"] not in answer, answer


def test_a_place_no_row_names_is_not_answered_with_other_places_rows(assistant: Assistant) -> None:
    assert "宜春" not in " ".join(c["企业名称"] + c["对接单位"] for c in _rows("contacts.csv"))
    answer = assistant.ask("一季度去宜春叩门招商，是哪位市领导带的队").answer
    assert "宜春" in _lead(answer) and "叩门" not in _lead(answer).split("宜春")[0], answer


def test_it_asked_of_the_place_just_named_first_and_who_is(assistant: Assistant) -> None:
    h1 = [r for r in _rows("indicators_long.csv") if r["期间"] == "2023Q2" and r["指标"] == "实际引进内资"
          and r["地区"] != "全市" and r["同比"]]
    q1 = [r for r in q1_wide_rows() if r[0] not in ("", "地区", "全市") and len(r) > 2 and r[2]]
    first_q1 = max(q1, key=lambda r: Decimal(r[2].rstrip("%")))[0]  # 内资 同比% of the wide table
    order = sorted(h1, key=lambda r: -Decimal(r["同比"]))
    place = 1 + [r["地区"] for r in order].index(first_q1)
    answer = _lead(assistant.ask("到上半年它还是增速第一吗", ["一季度内资同比增速最快的是哪个"]).answer)
    assert answer.startswith(f"2023年上半年（1-6月）{first_q1}") and f"排第{place}" in answer, answer
    if place != 1:
        assert f"排第1的是{order[0]['地区']}" in answer, answer


def test_a_month_or_a_place_asked_is_not_answered_by_a_plan_naming_neither(assistant: Assistant) -> None:
    """The year's plan says two 实战演练 will be held in 2024 — no month, no city: 几月份 and 哪个城市 are declined."""
    plan = (DATA.parent / "2024-01_工作总结_2023年全市招商引资工作总结.txt").read_text(encoding="utf-8")
    sentence = next(s for s in plan.split("。") if "实战演练" in s)
    assert "2024年" in sentence and not re.search(r"\d{1,2}月|[上中下]旬", sentence)
    for question in ("明年那2次驻外干部实战演练几月份搞", "驻外干部实战演练安排在哪个城市"):
        answer = assistant.ask(question)
        assert "没有找到直接回答这个问题" in answer.answer and not answer.citations, answer.answer
