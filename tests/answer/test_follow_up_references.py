"""Short turns that lean on the one before, checked against corpus/data: a month on its own (8月份一个月), how much
more came in by a later period (到7月底又增加了多少), the year's target before the year's figures are in, a thing
pointed back to by its kind (这个联络处), and which of the projects just listed has the most money in."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from assistant.answer.engine import Assistant

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"


def _indicator(region: str, period: str, metric: str = "外商直接投资") -> dict[str, str]:
    with (DATA / "indicators_long.csv").open(encoding="utf-8-sig") as f:
        return next(r for r in csv.DictReader(f) if (r["地区"], r["期间"], r["指标"]) == (region, period, metric))


def _amount(text: str) -> str:
    return f"{Decimal(text).normalize():f}"


def test_a_month_on_its_own_is_the_cumulative_less_the_month_before(assistant: Assistant) -> None:
    july, august = (Decimal(_indicator("全市", p)["数值"]) for p in ("2023-07", "2023-08"))
    answer = assistant.ask("8月份一个月新增了多少", ["全市1-7月外资到位多少"])
    assert f"8月单独完成{_amount(str(august - july))}万美元" in answer.answer, answer.answer
    assert answer.flagged_numbers == []
    # a window of a month is no month on its own
    assert assistant.understand("近一个月新签约的项目").period_assumed


def test_how_much_more_came_in_by_a_later_period(assistant: Assistant) -> None:
    june, july = (Decimal(_indicator("全市", p)["数值"]) for p in ("2023Q2", "2023-07"))
    answer = assistant.ask("到7月底又增加了多少", ["全市上半年外资多少"])
    assert f"增加{_amount(str(july - june))}万美元" in answer.answer, answer.answer


def test_the_years_target_is_said_before_the_years_figures_are_in(assistant: Assistant) -> None:
    target = _indicator("高新区", "2023-07")["年度目标"]
    answer = assistant.ask("它全年外资任务定的多少", ["高新区一季度外资到位多少"])
    assert f"年度目标为{_amount(target)}万美元" in answer.answer, answer.answer
    said = [f for f in answer.figures if f.label.endswith("年度目标") and f.value is not None]
    assert [(f.value, f.provenance.table) for f in said] == [(float(target), "indicators")] and said[0].provenance.row_ids
    # a figure of a period not in yet is still no figure: the target is said only where it is asked
    plain = assistant.ask("高新区2023年全年外资到位多少")
    assert not [f for f in plain.figures if f.value is not None] and "年度目标" not in plain.answer.split("【")[0]


def test_a_thing_pointed_back_to_by_its_kind_is_the_one_named_before(assistant: Assistant) -> None:
    with (DATA / "offices.csv").open(encoding="utf-8-sig") as f:
        office = next(r for r in csv.DictReader(f) if r["驻地城市"] == "西安")
    answer = assistant.ask("这个联络处负责人是谁", [f"{office['联络处名称']}首谈了哪些项目"])
    assert f"负责人{office['负责人']}" in answer.answer, answer.answer


def test_which_of_the_projects_just_listed_has_the_most_money_in(assistant: Assistant) -> None:
    with (DATA / "projects.csv").open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["地区"] == "高新区" and r["到位资金（亿元）"]]
    top = max(rows, key=lambda r: Decimal(r["到位资金（亿元）"]))
    answer = assistant.ask("里头哪个到位资金最多", ["高新区都有哪些项目"])
    first = answer.answer.split("：", 1)[1].split("；")[0]
    assert top["项目名称"] in first and f"到位资金：{Decimal(top['到位资金（亿元）']):.2f}亿元" in first, answer.answer


def test_a_longer_turn_pointing_back_with_a_demonstrative(assistant: Assistant) -> None:
    # 这点钱 is the figure just given: its share of the city, however long the question
    county, city = (Decimal(_indicator(r, "2023Q2")["数值"]) for r in ("旬阳市", "全市"))
    share = (county / city * 100).quantize(Decimal("0.01"))
    answer = assistant.ask("这点钱占全市上半年外资的比例是多少", ["旬阳上半年外资到位多少"]).answer
    assert f"的{share}%" in answer, answer
    # 换石泉看看: the same question of another county (the rest of its year's target), not its projects
    row = _indicator("石泉县", "2023-07", "实际引进内资")
    rest = Decimal(row["年度目标"]) - Decimal(row["数值"])
    reply = assistant.ask("换石泉看看", ["岚皋1-7月内资离全年目标还差多少"])
    swapped = reply.answer
    assert f"还差{rest}亿元" in swapped and "个项目" not in swapped.split("\n")[0], swapped
    assert not reply.flagged_numbers  # the rest of the target is derived from the row, and traced


def test_both_places_asked_in_turn_side_by_side(assistant: Assistant) -> None:
    # 两家 after 旬阳…, 高新呢: the places of the last two turns, compared on the measure asked
    a, b = _indicator("旬阳市", "2023Q2"), _indicator("高新区", "2023Q2")
    completion = [Decimal(r["数值"]) / Decimal(r["年度目标"]) * 100 for r in (a, b)]
    gap = abs(completion[0].quantize(Decimal("0.01")) - completion[1].quantize(Decimal("0.01")))
    answer = assistant.ask("两家进度差几个点", ["旬阳上半年外资进度多少", "高新呢"]).answer
    assert f"{gap}个百分点" in answer.split("\n")[0] and "旬阳市" in answer and "高新区" in answer, answer
