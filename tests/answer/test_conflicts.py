"""A figure planted in a document is checked against the database: shown as a conflict, never as support."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main
from assistant.config import Settings
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase
from tests.conftest import CORPUS

PLANTED = """关于汉阴县外资工作进展的情况通报
2023年一季度，汉阴县外资完成进度为99.9%，位居全市前列。
下一步，汉阴县将继续加强外资项目跟踪服务。"""
AGREEING = """关于汉阴县招商工作的简报
2023年一季度，汉阴县外商直接投资236.7万美元，完成年度目标的67.63%。"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    data, docs = tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("docs")
    (docs / "情况通报.txt").write_text(PLANTED, encoding="utf-8")
    (docs / "简报.txt").write_text(AGREEING, encoding="utf-8")
    settings = Settings(data_dir=data)
    kb = KnowledgeBase(settings)
    assert ingest(kb, [docs]).ok
    result = CliRunner().invoke(main, ["db", "import-demo", str(CORPUS / "data")], env={"ASSISTANT_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    return Assistant(settings, kb=kb)


def test_a_planted_figure_is_shown_as_a_conflict_and_flagged(assistant: Assistant) -> None:
    answer = assistant.ask("情况通报里说汉阴县2023年一季度外资完成进度是多少？")
    assert any("99.9%" in c.quote for c in answer.citations)  # the passage is still shown…
    assert "文档与数据库不一致" in answer.answer and "数据库为67.63%" in answer.answer  # …as a conflict
    assert "99.9%" in answer.flagged_numbers  # and its number is not sourced by it
    assert any("不一致" in w for w in answer.warnings)


def test_a_figure_that_agrees_with_the_database_is_not_flagged(assistant: Assistant) -> None:
    answer = assistant.ask("简报里汉阴县2023年一季度外商直接投资是多少？")
    assert any("236.7万美元" in c.quote for c in answer.citations)
    conflicts = [line for line in answer.answer.split("\n") if "文档与数据库不一致" in line]
    assert not any("236.7" in line or "67.63%，数据库" in line for line in conflicts)
    assert not any(n.startswith(("236.7", "67.63")) for n in answer.flagged_numbers)


def test_a_period_word_after_the_figure_does_not_date_it(assistant: Assistant) -> None:
    # a half-year report: "…418.5万美元…，仍是全年工作的最大短板" speaks of the year's work, not of a 全年 figure —
    # holding 418.5 against the full year's 1916万美元 would call a true figure a conflict and flag it
    from assistant.answer.conflicts import passage_conflicts
    from assistant.answer.types import Citation

    said = "实际使用外资418.5万美元，同比增长87.3%，完成年度目标2500万美元的16.74%，仍是全年工作的最大短板。"
    cite = Citation(n=1, title="上半年情况报告", doc_number="", section="", passage=said, quote=said, source="x.txt",
                    start=0, end=len(said))
    assert passage_conflicts([cite], assistant.store, "2023Q2") == []
    dated = "2023年全年，全市实际使用外资418.5万美元。"  # dated before the figure: still checked, and it conflicts
    cite = cite.model_copy(update={"passage": dated, "quote": dated})
    assert [c.text for c in passage_conflicts([cite], assistant.store, "2023")] == ["418.5万美元"]




def test_a_figure_after_increased_to_is_of_the_later_period(tmp_path_factory: pytest.TempPathFactory) -> None:
    # the half-year report's "高新区外资到位由一季度的3.9万美元增加到121.8万美元": 121.8 is the later period's, no
    # 一季度 figure to hold against the database
    from tests.answer.conftest import assistant_with_data

    report = CORPUS / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx"
    answer = assistant_with_data(tmp_path_factory, [report]).ask("半年那个报告说下半年集中攻外资，打算组织人跑到哪去推介")
    assert any("121.8万美元" in c.quote for c in answer.citations), answer.answer
    assert "不一致" not in answer.answer and not answer.flagged_numbers, answer.answer
