"""One project asked about in an ordinary week (issue 15): a ledger column of it (包抓领导, 外资金额, 线索日期) answered
first, and said to be empty where the ledger leaves it so — never the project's other figures in its place; and the
project across the ledger's weekly issues (到位资金从6月底到现在涨了多少, 哪一期从线索转成在谈), read from the import
history and checked against corpus/data and corpus/data/history read with the standard library."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main
from tests.answer.test_ledger_windows import ask_routed

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"


def _issue(name: str) -> dict[str, dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig") as f:
        return {r["项目名称"]: r for r in csv.DictReader(f)}


ISSUES = {"2023-06-30": "history/projects_2023-06-30.csv", "2023-07-07": "history/projects_2023-07-07.csv",
          "2023-07-14": "history/projects_2023-07-14.csv", "2023-07-21": "history/projects_2023-07-21.csv",
          "2023-07-28": "projects.csv"}


def _blank(column: str) -> str:
    """A project whose `column` the current ledger leaves empty (and which has a 总投资, so a card would print it)."""
    rows = _issue("projects.csv")
    return next(name for name, r in rows.items() if not r[column].strip() and r["总投资（亿元）"].strip())


@pytest.mark.parametrize(("asked", "column"), [
    ("{}那个项目是哪位市领导包抓的？", "包抓领导"),
    ("{}最早是哪天作为线索录进来的", "线索日期"),
    ("{}的项目管家是谁", "项目管家"),
])
def test_a_column_the_ledger_leaves_empty_is_said_to_be_empty(assistant: Assistant, asked: str, column: str) -> None:
    name = _blank(column)
    core = name.removesuffix("（示例）").removesuffix("项目")
    answer = ask_routed(assistant, asked.format(core + "项目"), "find_project", [name, column, "没有填写"], [])
    # the project's total investment and funds are not what was asked: no figure stands in for the empty cell
    assert not [f for f in answer.figures if f.value is not None], answer.figures
    assert "亿元" not in answer.answer, answer.answer


def test_a_filled_column_is_the_first_sentence_and_each_column_said_is_answered(assistant: Assistant) -> None:
    row = next(r for r in _issue("projects.csv").values() if r["包抓领导"].strip() and r["项目管家"].strip())
    core = row["项目名称"].removesuffix("（示例）")
    answer = assistant.ask(f"{core}是哪位市领导包抓的？项目管家是谁")
    lead = answer.answer.split("\n")[0]
    assert row["包抓领导"] in lead and row["项目管家"] in lead, lead
    assert "责任单位" not in lead  # 包抓 names one column of the three who-columns


def _changed_funds() -> tuple[str, Decimal, Decimal]:
    first, last = _issue(ISSUES["2023-06-30"]), _issue(ISSUES["2023-07-28"])
    for name, row in last.items():
        if name in first and first[name]["到位资金（亿元）"] and row["到位资金（亿元）"] \
                and first[name]["到位资金（亿元）"] != row["到位资金（亿元）"]:
            return name, Decimal(first[name]["到位资金（亿元）"]), Decimal(row["到位资金（亿元）"])
    raise AssertionError("the demo history changes no project's funds")


def test_funds_added_since_an_issue_are_the_difference_of_the_two_issues(assistant: Assistant) -> None:
    name, before, after = _changed_funds()
    core = name.removesuffix("（示例）").removesuffix("项目")
    added = f"{after - before:.2f}亿元"
    answer = ask_routed(assistant, f"{core}项目的到位资金从6月底到现在涨了多少", "project_history",
                        [f"{before:.2f}亿元", f"{after:.2f}亿元", f"增加 {added}"], [])
    change = next(f for f in answer.figures if "增加" in f.label)
    assert Decimal(str(change.value)).quantize(Decimal("0.01")) == after - before
    assert change.provenance is not None and change.provenance.table == "project_versions"
    assert "到位资金 −" in (change.provenance.formula or "")


def test_the_issue_a_stage_changed_in_is_named(assistant: Assistant) -> None:
    days = list(ISSUES)
    rows = {day: _issue(path) for day, path in ISSUES.items()}
    name, day, was, now = next((n, days[i], rows[days[i - 1]][n]["阶段"], rows[days[i]][n]["阶段"])
                               for i in range(1, len(days)) for n in rows[days[i]]
                               if n in rows[days[i - 1]] and rows[days[i - 1]][n]["阶段"] != rows[days[i]][n]["阶段"])
    y, m, d = (int(x) for x in day.split("-"))
    core = name.removesuffix("（示例）").removesuffix("项目")
    ask_routed(assistant, f"{core}项目是哪一期台账从{was}转成{now}的", "project_history",
               [f"{y}年{m}月{d}日那期：{was} → {now}"], [])


def test_the_history_is_one_tool_for_the_cli_and_the_api(assistant: Assistant) -> None:
    name, before, after = _changed_funds()
    result = CliRunner().invoke(main, ["figures", "project-history", name, "--json"],
                                env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
    assert result.exit_code == 0, result.output
    history = json.loads(result.output)
    assert [s["issue"] for s in history["issues"]] == list(ISSUES)
    assert Decimal(str(history["funds_change_yi_yuan"])).quantize(Decimal("0.01")) == after - before
    unknown = CliRunner().invoke(main, ["figures", "project-history", "不存在的项目"],
                                 env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
    assert unknown.exit_code != 0 and "项目库中没有名称含“不存在的项目”的项目" in unknown.output


def _day_of(text: str) -> str:
    y, m, d = (int(x) for x in text.split("-"))
    return f"{y}年{m}月{d}日"


@pytest.mark.parametrize(("question", "column", "latest"), [
    ("哪个项目开工最晚", "开工日期", True),
    ("哪个项目最先签约", "签约日期", False),
    ("投产的项目里哪个投产最晚", "投产日期", True),
])
def test_which_project_reached_a_step_first_or_last(assistant: Assistant, question: str, column: str,
                                                    latest: bool) -> None:
    dated = [r for r in _issue("projects.csv").values() if r[column]]
    day = (max if latest else min)(r[column] for r in dated)
    names = [r["项目名称"] for r in dated if r[column] == day]
    answer = ask_routed(assistant, question, "list_projects", [], [])
    lead = answer.answer.split("\n")[0]
    assert all(n in lead for n in names) and _day_of(day) in lead, lead


def test_a_follow_up_orders_the_projects_just_listed(assistant: Assistant) -> None:
    rows = [r for r in _issue("projects.csv").values() if r["地区"] == "紫阳县" and r["开工日期"]]
    last = max(rows, key=lambda r: r["开工日期"])
    lead = assistant.ask("哪个开工最晚", ["紫阳县有哪些项目"]).answer.split("\n")[0]
    assert last["项目名称"] in lead and _day_of(last["开工日期"]) in lead, lead


def test_projects_of_the_companies_seated_in_a_city(assistant: Assistant) -> None:
    with (DATA / "enterprises.csv").open(encoding="utf-8-sig") as f:
        seated = {r["企业名称"] for r in csv.DictReader(f) if "西安" in (r.get("总部所在地") or "")}
    names = sorted(r["项目名称"] for r in _issue("projects.csv").values() if r["企业"] in seated)
    assert names
    answer = ask_routed(assistant, "总部在西安的目标企业在咱这落了哪些项目", "list_projects", [f"共 {len(names)} 个项目"], [])
    assert all(n in answer.answer for n in names), answer.answer
