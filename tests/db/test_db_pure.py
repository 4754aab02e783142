"""Pure steps, tested with plain strings: periods, units, ranking, name resolution."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.db.errors import InvalidPeriod, InvalidValue, UnitMismatch, UnknownMetric
from assistant.db.periods import Period, find_period, parse_period
from assistant.db.units import convert, normalise_unit
from assistant.db.vocab import resolve_metric, resolve_stage
from assistant.tools import competition_rank


@pytest.mark.parametrize(
    ("text", "key", "schedule"),
    [
        ("2023Q1", "2023Q1", "25.00"),
        ("2023年一季度", "2023Q1", "25.00"),
        ("2023年第一季度", "2023Q1", "25.00"),
        ("2023年1-3月", "2023Q1", "25.00"),
        ("2023-07", "2023-07", "58.33"),
        ("2023年1-7月", "2023-07", "58.33"),
        ("2023年1至7月", "2023-07", "58.33"),
        ("截至2023年7月底", "2023-07", "58.33"),
        ("2023.7", "2023-07", "58.33"),
        ("2023年上半年", "2023Q2", "50.00"),
        ("2023-06", "2023Q2", "50.00"),
        ("2023年前三季度", "2023Q3", "75.00"),
        ("2023", "2023", "100.00"),
        ("2023年全年", "2023", "100.00"),
        ("２０２３Ｑ１", "2023Q1", "25.00"),
    ],
)
def test_parse_period_gives_cumulative_period_and_schedule(text: str, key: str, schedule: str) -> None:
    period = parse_period(text)
    assert period.key == key
    assert f"{period.schedule_pct:.2f}" == schedule


def test_period_labels_say_the_months_covered() -> None:
    assert parse_period("2023Q1").label == "2023年一季度（1-3月）"
    assert parse_period("2023-07").label == "2023年1-7月"
    assert parse_period("2023Q2").previous_year().key == "2022Q2"
    assert parse_period("2023-07").end.isoformat() == "2023-07-31"


def test_parse_period_without_year_uses_default_year_or_fails() -> None:
    assert parse_period("一季度", default_year=2024).key == "2024Q1"
    with pytest.raises(InvalidPeriod, match="缺少年份"):
        parse_period("一季度")


@pytest.mark.parametrize("text", ["2023年4-6月", "2023下半年", "2023Q5", "上个月", ""])
def test_parse_period_rejects_what_it_cannot_represent(text: str) -> None:
    with pytest.raises(InvalidPeriod):
        parse_period(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("汉阴Q1内资完成了多少", "2023Q1"),
        ("那q3呢", "2023Q3"),
        ("2024年Q2全市外资", "2024Q2"),
        ("H1各县区排名", "2023Q2"),
        ("前7个月镇坪内资", "2023-07"),
        ("2022年前两个月", "2022-02"),
        ("前三季度全市内资", "2023Q3"),  # 前三季度 stays a quarter, not 前三个月
        ("前三个月", "2023Q1"),
    ],
)
def test_find_period_reads_chat_quarters_and_first_months(text: str, key: str) -> None:
    period = find_period(text, default_year=2023)
    assert period is not None and period.key == key


@pytest.mark.parametrize("text", ["QQ群里发的通知", "Q5怎么样", "签约项目5个月内开工"])
def test_find_period_takes_no_period_from_look_alikes(text: str) -> None:
    assert find_period(text, default_year=2023) is None


def test_find_period_reads_a_table_title_and_a_question() -> None:
    assert find_period("2023 年全市各县（区、市）、开发区一季度招商引资指标完成情况") == Period(2023, 3)
    assert find_period("汉阴县2023年1-7月引进内资多少？") == Period(2023, 7)
    assert find_period("没有期间的句子") is None


def test_units_convert_within_currency_only() -> None:
    assert convert(Decimal("232336"), "万元", "亿元") == Decimal("23.2336")
    assert convert(Decimal("0.0557"), "亿美元", "万美元") == Decimal("557")
    assert normalise_unit("（万美金）") == "万美元"
    with pytest.raises(UnitMismatch):
        convert(Decimal(1), "亿元", "万美元")
    with pytest.raises(InvalidValue):
        normalise_unit("吨")


def test_competition_rank_shares_ranks_and_skips() -> None:
    scores = [("甲", Decimal("30.25")), ("乙", Decimal("31.50")), ("丙", Decimal("30.25")), ("丁", Decimal("12"))]
    assert competition_rank(scores) == {"乙": 1, "甲": 2, "丙": 2, "丁": 4}


def test_metric_and_stage_aliases() -> None:
    assert resolve_metric("内资").name == "实际引进内资"
    for alias in ("外资", "利用外资", "实际使用外资", "外商直接投资额"):
        assert resolve_metric(alias).name == "外商直接投资"
    assert resolve_metric("外资").unit == "万美元"
    with pytest.raises(UnknownMetric, match="已知指标：实际引进内资、外商直接投资"):
        resolve_metric("税收")
    assert resolve_stage("已开工") == "开工"
    with pytest.raises(InvalidValue, match="线索、在谈、签约、开工、投产"):
        resolve_stage("规划中")
