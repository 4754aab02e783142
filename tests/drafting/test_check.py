"""Consistency check: every figure in a pasted or uploaded draft against the database."""

from __future__ import annotations

from pathlib import Path

from assistant.db.session import FigureStore
from assistant.drafting import check_consistency, read_document
from assistant.drafting.check import is_statistic

PLANTED = """关于2023年一季度全市招商引资工作情况的报告
一季度全市实际到位内资381.47亿元，同比增长4.63%，完成全年目标的30.51%；实际使用外资240.6万美元，同比增长559%，完成全年2500万美元目标的9.62%。
外资仅汉阴县、高新区分别进资263.7万美元和3.9万美元，其余县区均为零。
恒口、瀛湖仅完成内资目标进度20.08%和13.93%，低于25%的序时进度要求。
年初全市策划征集招商推介项目492个，市招商信息中心增编至21名。
地区 | 实际引进内资绝对值（亿元） | 同比% | 2023年目标 | 目标完成进度% | 内资完成排名 | 外商直接投资绝对值（万美元） | 2023年目标 | 目标完成进度% | 外资完成排名
汉阴县 | 32.79 | -18.35% | 108.40 | 30.25% | 7 | 263.7 | 350 | 67.63% | 1
高新区 | 75.53 | 4.55% | 239.82 | 31.50% | 6 | 3.9 | 1100 | 0.35% | 2
全市合计 | 381.47 | 4.63% | 1250.28 | 30.51% | — | 240.6 | 2500 | 9.62% | —
（联系人：王晓东 电话：0915-3330102）
"""


def by_text(checks: list, text: str) -> list:  # type: ignore[type-arg]
    return [c for c in checks if c.text == text]


def test_planted_wrong_figure_is_reported_with_the_database_value(store: FigureStore) -> None:
    checks = check_consistency(PLANTED, store)
    wrong = by_text(checks, "263.7万美元")[0]
    assert wrong.status == "mismatch" and wrong.db_value == 236.7 and wrong.db_text == "236.70万美元"
    assert wrong.label == "汉阴县 2023年一季度（1-3月） 外商直接投资 数值"
    assert wrong.provenance is not None and wrong.provenance.table == "indicators"
    assert PLANTED.split("\n")[2].startswith(wrong.context)  # the sentence it was found in
    cell = next(c for c in checks if c.text == "263.7" and c.context.startswith("汉阴县 |"))
    assert cell.status == "mismatch" and cell.db_text == "236.70万美元"
    mismatches = {c.text for c in checks if c.status == "mismatch"}
    assert mismatches == {"263.7万美元", "263.7"}


def test_correct_figures_match_including_paired_regions_and_table_cells(store: FigureStore) -> None:
    checks = check_consistency(PLANTED, store)
    for text in ("381.47亿元", "4.63%", "30.51%", "240.6万美元", "559%", "2500万美元", "9.62%", "3.9万美元",
                 "20.08%", "13.93%", "25%", "32.79", "-18.35%", "108.40", "67.63%"):
        assert [c.status for c in by_text(checks, text)] == ["match"] * len(by_text(checks, text)), text
    assert by_text(checks, "13.93%")[0].label.startswith("瀛湖")  # “恒口、瀛湖 … 20.08%和13.93%”
    assert by_text(checks, "2500万美元")[0].label.endswith("年度目标")


def test_figures_the_database_does_not_keep_are_not_found_and_phone_numbers_are_ignored(store: FigureStore) -> None:
    checks = check_consistency(PLANTED, store)
    for text in ("492个", "21名"):
        found = by_text(checks, text)[0]
        assert found.status == "not_found" and found.reason
    assert not any("0915" in c.text or "3330102" in c.text for c in checks)


def test_an_uploaded_gbk_draft_is_checked_like_pasted_text(store: FigureStore, tmp_path: Path) -> None:
    path = tmp_path / "一季度报告.txt"
    path.write_bytes(PLANTED.encode("gbk"))
    checks = check_consistency(read_document(path), store)
    assert by_text(checks, "263.7万美元")[0].status == "mismatch"


def test_a_period_named_in_the_sentence_wins_over_the_document_period(store: FigureStore) -> None:
    checks = check_consistency("截至7月底，全市引进内资975.8亿元，同比增长16.07%；实际使用外资557万美元。", store,
                               period="2023Q1")
    assert [(c.text, c.status) for c in checks] == [("975.8亿元", "match"), ("16.07%", "match"), ("557万美元", "match")]
    assert checks[2].label.startswith("全市 2023年1-7月")


def test_statistic_sentences_are_told_apart_from_measures() -> None:
    assert is_statistic("截至7月底，全市新签约合同项目开工率为94.49%，资金到位率为57.32%。")
    assert is_statistic("全市实际引进内资975.8亿元。")
    assert not is_statistic("年初在全市征集策划招商推介项目492个、总投资2320亿元。")
    assert not is_statistic("力争全年落地投资五亿元以上的产业项目50个以上。")
