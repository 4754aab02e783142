"""The 考核 scheme's classes of counties as sets a question names (issues 12 and 15): 第二类那六个县里排第几 ranks
among that class only, 考核第一类那三家加起来 adds up its counties, 在同一类单元里 is the class of the county asked
about, and a total of several places carries its share of the city when that is asked. The classes are read from
the 考核办法 document itself (第四条) and the figures from corpus/data/indicators_long.csv, with the standard
library, so the demo scheme is checked against the document it follows."""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest

from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_with_data

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
RULES = CORPUS / "2023-08_政策_安康市招商引资高质量发展考核评价办法（试行）.docx"
SHORT = {"瀛湖生态旅游区": "瀛湖", "恒口示范区": "恒口"}


def _classes() -> dict[str, list[str]]:
    text = "\n".join(p.text for p in docx.Document(str(RULES)).paragraphs)
    out = {}
    for m in re.finditer(r"第([一二三])类为([^；。]+)", text):
        out[f"{m.group(1)}类"] = [SHORT.get(n, n) for n in m.group(2).split("、")]
    return out


def _indicators(period: str, metric: str) -> dict[str, tuple[Decimal, Decimal | None]]:
    """region → (value, completion %) of one period and metric."""
    with (CORPUS / "data" / "indicators_long.csv").open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["期间"] == period and r["指标"] == metric]
    return {r["地区"]: (Decimal(r["数值"]), Decimal(r["数值"]) / Decimal(r["年度目标"]) * 100 if r["年度目标"] else None)
            for r in rows}


def _r2(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_with_data(tmp_path_factory, [RULES])


def test_the_demo_scheme_has_the_documents_classes() -> None:
    from assistant.tools.assessment import load_scheme

    assert load_scheme().classes == _classes()


def test_a_place_within_its_class(assistant: Assistant) -> None:
    second = _classes()["二类"]
    figures = _indicators("2023Q2", "实际引进内资")
    done = sorted(((figures[r][1], r) for r in second), reverse=True)
    place = 1 + sum(1 for value, _ in done if value > figures["汉阴县"][1])  # type: ignore[operator]
    answer = assistant.ask("放到考核第二类那六个县里比，它排老几", ["汉阴上半年内资完成进度多少"]).answer
    lead = answer.split("\n")[0]
    assert f"在二类县区（共{len(second)}个）中排第{place}" in lead, answer
    # the whole class is listed, and no county of another class
    assert all(name in answer for name in second) and "旬阳市" not in answer.split("【政策")[0], answer
    # the class of the county asked about, by 同一类
    own = assistant.ask("它在同一类单元里按内资完成进度排第几", ["汉阴上半年内资完成进度多少"]).answer
    assert f"在二类县区（共{len(second)}个）中排第{place}" in own, own


def test_who_leads_a_class(assistant: Assistant) -> None:
    third = _classes()["三类"]
    figures = _indicators("2023Q2", "实际引进内资")
    leader = max(third, key=lambda r: figures[r][1])  # type: ignore[arg-type,return-value]
    answer = assistant.ask("上半年内资完成进度三类县区里谁排第一").answer
    assert answer.startswith(f"2023年上半年（1-6月）实际引进内资完成进度在三类县区中排第1的是{leader}"), answer


def test_a_class_added_up_and_its_share_of_the_city(assistant: Assistant) -> None:
    first = _classes()["一类"]
    figures = _indicators("2023-07", "实际引进内资")
    total = sum(figures[r][0] for r in first)
    share = total / figures["全市"][0] * 100
    answer = assistant.ask("考核第一类那三家1-7月内资加起来多少，占全市几成").answer
    assert f"合计{_r2(total)}亿元" in answer and f"的{_r2(share)}%" in answer, answer
    assert not answer.startswith("2023年1-7月实际引进内资完成进度排第1"), answer  # 第一类 is no position asked
    # two places named, their share of the city (全市盘子里 is the city's figure)
    two = figures["汉滨区"][0] + figures["旬阳市"][0]
    named = assistant.ask("汉滨和旬阳1-7月内资加起来占全市几成").answer
    assert f"合计{_r2(two)}亿元" in named and f"的{_r2(two / figures['全市'][0] * 100)}%" in named, named
    q2 = _indicators("2023Q2", "实际引进内资")
    one = assistant.ask("石泉上半年内资在全市盘子里占多大比重").answer
    assert f"{_r2(q2['石泉县'][0] / q2['全市'][0] * 100)}%" in one, one
