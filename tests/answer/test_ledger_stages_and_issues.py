"""Ledger questions of an ordinary week that read a stage, an issue or a group (issue 15), checked against
corpus/data read with the standard library: projects staying in a stage past a time (在谈没签、线索没转在谈、开工没投产),
problems waiting past a time (from being raised, or since their last 办理进展), a ledger issue the database does not
hold (said, with the issues it does), the problem ledger of a past issue, a rate of the projects one column picks,
and rates per 产业链 / 项目管家 ranked. The ledger's day is 2023-07-28."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main
from tests.answer.test_ledger_windows import ask_routed

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
DAY = date(2023, 7, 28)
STAGES = ["线索", "在谈", "签约", "开工", "投产"]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@pytest.mark.parametrize(("question", "stage", "dated", "days"), [
    ("洽谈了一个多月还没签下来的项目有哪些", "在谈", "在谈日期", 30),
    ("停在线索阶段超过20天、一直没转入洽谈的项目", "线索", "线索日期", 20),
    ("开工一年多了还没投产的项目", "开工", "开工日期", 360),
])
def test_projects_staying_in_a_stage_past_a_time(assistant: Assistant, question: str, stage: str, dated: str,
                                                 days: int) -> None:
    staying = sorted(r["项目名称"] for r in _rows("projects.csv")
                     if r["阶段"] == stage and r[dated] and (DAY - _day(r[dated])).days > days)  # type: ignore[operator]
    answer = ask_routed(assistant, question, "stalled_projects", [f"共 {len(staying)} 个"] if staying else [], [])
    for name in staying:
        assert name in answer.answer, answer.answer
    assert answer.figures[0].value == len(staying)


def test_signed_and_not_started_stays_the_default_window(assistant: Assistant) -> None:
    plan = assistant.route("签约超过3个月还没开工的项目有哪些")
    assert plan.route == "stalled_projects" and plan.calls[0].params == {"days": 90, "stage": "签约"}


def _open_problems() -> list[dict[str, str]]:
    return [r for r in _rows("problems.csv") if r["状态"] != "已解决"]


def test_problems_raised_long_ago_and_still_open_are_counted(assistant: Assistant) -> None:
    waiting = [r["编号"] for r in _open_problems() if (DAY - _day(r["提出日期"])).days > 90]  # type: ignore[operator]
    answer = ask_routed(assistant, "提出超过90天仍没办结的问题有多少", "open_problems",
                        [f"提出超过 90 天的未解决问题 {len(waiting)} 个"], [])
    assert [f.value for f in answer.figures][:1] == [len(waiting)]


def test_problems_with_no_new_progress_are_listed_by_their_last_note(assistant: Assistant) -> None:
    quiet = [r["编号"] for r in _open_problems()
             if (DAY - (_day(r["进展日期"]) or _day(r["提出日期"]))).days > 7]  # type: ignore[operator]
    answer = ask_routed(assistant, "超过一周没有更新办理进展的问题是哪些", "open_problems",
                        [f"最新办理进展距台账日期超过 7 天的未解决问题 {len(quiet)} 个", *quiet], [])
    assert len(quiet) < len(_open_problems())  # the window picks, it does not list every open problem
    assert answer.figures[0].value == len(quiet)


def test_a_ledger_issue_not_imported_is_said_with_the_issues_there_are(assistant: Assistant) -> None:
    answer = assistant.ask("8月11号那期项目台账上开工的项目有几个")
    assert answer.answer.startswith("没有找到2023年8月11日那一期项目台账的数据"), answer.answer
    assert "2023年6月30日、7月7日、7月14日、7月21日、7月28日" in answer.answer
    assert not [f for f in answer.figures if f.value is not None]
    # between two issues too: the week's issue is not replaced by the one before it
    assert assistant.ask("7月10日那期台账有哪些在谈项目").answer.startswith("没有找到2023年7月10日那一期项目台账的数据")


def test_the_problem_ledger_of_a_past_issue_counts_what_was_open_then(assistant: Assistant) -> None:
    snapshot = _rows("history/problems_2023-07-14.csv")
    open_then = [r["编号"] for r in snapshot if r["状态"] != "已解决"]
    answer = ask_routed(assistant, "7月14日那一期问题台账上没办结的问题有几个", "open_problems",
                        [f"按2023年7月14日那一期问题台账，未解决问题 {len(open_then)} 个"], [])
    assert answer.figures[0].value == len(open_then)


def _pct(num: Decimal, den: Decimal) -> Decimal:
    return (num / den * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_rate_of_the_projects_a_leader_takes_charge_of(assistant: Assistant) -> None:
    mine = [r for r in _rows("projects.csv") if "分管农业" in r["包抓领导"]
            and STAGES.index(r["阶段"]) >= STAGES.index("签约")]
    started = [r for r in mine if STAGES.index(r["阶段"]) >= STAGES.index("开工")]
    rate = _pct(Decimal(len(started)), Decimal(len(mine)))
    ask_routed(assistant, "农业口副市长包抓的项目开工率多少", "project_stats",
               ["包抓领导为副市长（分管农业）的项目", f"开工率 {rate}%"], [])
    # a rule about such projects' rate is the documents' to answer, not a rate of some projects
    assert assistant.understand("新建项目资金到位率低于多少不得分").slots.rated is None


def test_funds_rates_per_chain_are_ranked_from_the_ledger(assistant: Assistant) -> None:
    funds: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for r in _rows("projects.csv"):
        if r["产业链"] and STAGES.index(r["阶段"]) >= STAGES.index("签约") and r["到位资金（亿元）"] and r["总投资（亿元）"]:
            funds[r["产业链"]][0] += Decimal(r["到位资金（亿元）"])
            funds[r["产业链"]][1] += Decimal(r["总投资（亿元）"])
    rates = {chain: _pct(a, b) for chain, (a, b) in funds.items()}
    top, low = max(rates, key=lambda c: rates[c]), min(rates, key=lambda c: rates[c])
    answer = ask_routed(assistant, "哪条产业链的资金到位率最低", "group_rates",
                        [f"最高的是{top}（{rates[top]}%）", f"最低的是{low}（{rates[low]}%）"], [])
    assert len([f for f in answer.figures if f.value is not None]) == len(rates)
    result = CliRunner().invoke(main, ["figures", "group-rates", "产业链", "--rate", "资金到位率"],
                                env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
    assert result.exit_code == 0 and f"{low} {rates[low]}%" in result.output, result.output
    bad = CliRunner().invoke(main, ["figures", "group-rates", "产业链", "--rate", "利润率"],
                             env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
    assert bad.exit_code != 0 and "开工率" in bad.output, bad.output


def test_a_problem_is_found_by_its_number_however_written(assistant: Assistant) -> None:
    row = next(r for r in _rows("problems.csv") if r["状态"] == "已解决")
    compact = row["编号"].replace("-", "").lower()  # wt2023004: typed without the dashes, in lower case
    answer = ask_routed(assistant, f"{compact}是个什么问题", "open_problems", [row["编号"], row["问题描述"], "已解决"], [])
    assert answer.figures and answer.figures[0].provenance.table == "problems"


def test_a_problem_number_the_ledger_does_not_hold_is_said(assistant: Assistant) -> None:
    codes = [r["编号"] for r in _rows("problems.csv")]
    answer = assistant.ask("问题台账里WT-2023-099是哪个部门负责的")
    assert "没有找到问题编号“WT-2023-099”" in answer.answer and codes[0] in answer.answer, answer.answer
    assert not [f for f in answer.figures if f.value is not None]


def test_an_offices_remit_is_its_remark(assistant: Assistant) -> None:
    office = next(r for r in _rows("offices.csv") if r["驻地城市"] == "北京")
    answer = ask_routed(assistant, "驻京联络处主要负责联系哪片的企业", "list_offices", [office["备注"]], [])
    assert answer.figures


def test_companies_no_visit_record_names(assistant: Assistant) -> None:
    visited = {r["企业名称"] for r in _rows("contacts.csv")}
    never = sorted(r["企业名称"] for r in _rows("enterprises.csv") if r["企业名称"] not in visited)
    answer = ask_routed(assistant, "目标企业库里哪些企业还从没走访过", "list_enterprises", [f"共 {len(never)} 家", *never], [])
    assert answer.figures[0].value == len(never)
