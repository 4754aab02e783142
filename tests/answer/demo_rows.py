"""The demo data's rows as the answer tests read them: with the standard library, independently of the assistant."""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"


def rows(name: str) -> list[dict[str, str]]:
    """The rows of a CSV file of corpus/data, by header."""
    with (DATA / name).open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def r2(x: Decimal) -> str:
    """Two decimals, ROUND_HALF_UP, as the bureau rounds."""
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def indicator(region: str, period: str, metric: str = "实际引进内资") -> dict[str, str]:
    """One row of indicators_long.csv."""
    return next(r for r in rows("indicators_long.csv") if (r["地区"], r["期间"], r["指标"]) == (region, period, metric))


def q1_wide_rows() -> list[list[str]]:
    """The rows of indicators_2023Q1_wide.csv (内资 绝对值, 同比%, 2023年目标, 完成进度% at 1–4; 外资 the same at 6–9)."""
    with (DATA / "indicators_2023Q1_wide.csv").open(encoding="utf-8-sig") as f:
        return [r for r in csv.reader(f) if r]


def q1_row(region: str) -> list[str]:
    """2023年一季度 of one region from the wide table."""
    return next(r for r in q1_wide_rows() if r[0] == region)
