"""Onboarding: every glossary entry and quiz answer has a source that actually contains it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase
from assistant.onboarding.course import Course
from assistant.tools import get_indicator
from tests.conftest import CORPUS, ROOT

HANDBOOK = CORPUS / "2023-02_手册_安康招商人应知应会手册（节选）.md"
BUTLER = CORPUS / "2023-05_政策_重点招商项目项目管家帮办代办服务办法.md"
MASKED = """关于深化“三个年”活动的调研报告
一、基本情况
“三个年”活动是指****年起在全市开展的项目建设、营商环境和干部作风三项活动，累计签约***个项目。
二、建议
持续推进招商引资工作。"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    data = tmp_path_factory.mktemp("data")
    docs = tmp_path_factory.mktemp("docs")
    (docs / "掩码调研报告.txt").write_text(MASKED, encoding="utf-8")
    settings = Settings(data_dir=data, glossary_path=ROOT / "corpus" / "glossary.yaml")
    kb = KnowledgeBase(settings)
    assert ingest(kb, [HANDBOOK, BUTLER, docs]).ok
    result = CliRunner().invoke(main, ["db", "import-demo", str(CORPUS / "data")], env={"ASSISTANT_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    return Course(settings, kb)


def test_every_glossary_entry_is_sourced_in_the_indexed_text(course: Course) -> None:
    terms, problems = course.glossary()
    assert problems == []
    names = {t.term for t in terms}
    assert {"一图五库两机制", "项目管家", "链长制", "投行思维", "两单一台账", "四个一批", "千人百市万企", "序时进度"} <= names
    for term in terms:
        text = course.kb.manifest.document_text(term.source.doc_id)
        assert text[term.source.start : term.source.end] == term.source.quote
        assert any(name in term.source.quote for name in [term.term, *term.aliases])


def test_curated_entries_take_precedence_over_extracted_ones(course: Course) -> None:
    butler = course.lookup("项目管家")[0]
    assert butler.curated and butler.source.doc_number == "安审发〔2023〕17号"


def test_masked_figures_never_become_material(course: Course) -> None:
    terms, _ = course.glossary()
    assert "三个年" not in {t.term for t in terms}
    quiz = course.quiz(n=100, seed=3)
    assert quiz and not any("*" in q.prompt or "*" in q.answer or any("*" in o for o in q.options) for q in quiz)


def test_quiz_answers_are_contained_in_their_sources(course: Course) -> None:
    quiz = course.quiz(n=100, seed=5)
    topics = {q.topic for q in quiz}
    assert topics == {"术语", "数据"}
    for q in quiz:
        if q.kind == "choice":
            assert q.answer in q.options
        if q.source is not None:
            assert q.answer in q.source.quote
        else:
            assert q.provenance is not None and q.provenance.row_ids
            region = q.id.split("-")[-1]
            metric = q.id.split("-")[-2]
            result = get_indicator(course.store, region, q.provenance.period or "", metric)  # type: ignore[arg-type]
            assert f"{result.completion_pct:.2f}%" == q.answer


def test_a_term_in_a_new_document_appears_after_ingest(course: Course, tmp_path: Path) -> None:
    assert course.lookup("飞地招商") == []
    new = tmp_path / "飞地.txt"
    new.write_text("关于推行飞地招商的通知\n一、概念\n“飞地招商”是指由两地合作共建园区、按约定分享税收和统计数据的招商方式。", encoding="utf-8")
    assert ingest(course.kb, [new]).ok
    found = course.lookup("飞地招商")
    assert found and "两地合作共建园区" in found[0].definition


def test_indicator_definitions_show_the_tools_formulas(course: Course) -> None:
    from assistant.tools.formulas import FORMULAS

    definitions = {d.name: d for d in course.indicators()}
    assert definitions["外商直接投资"].unit == "万美元" and "再投资" in definitions["外商直接投资"].counts
    assert definitions["开工率"].formula == FORMULAS["开工率"]
    assert definitions["序时进度"].source is not None


def test_reading_path_orders_key_documents_with_summaries(course: Course) -> None:
    path = course.reading_path()
    assert path[0].genre == "手册" and path[0].summary
    assert all("演示" not in item.summary for item in path)


def test_learn_cli_glossary_and_quiz_results_are_stored(course: Course) -> None:
    env = {"ASSISTANT_DATA_DIR": str(course.settings.data_dir), "ASSISTANT_GLOSSARY_PATH": str(course.settings.glossary_path)}
    out = CliRunner().invoke(main, ["learn", "glossary", "项目管家"], env=env)
    assert out.exit_code == 0 and "安审发〔2023〕17号" in out.output
    out = CliRunner().invoke(main, ["learn", "glossary", "不存在的术语"], env=env)
    assert out.exit_code == 1 and "术语表中没有" in out.output
    quiz = CliRunner().invoke(main, ["learn", "quiz", "--n", "3", "--json", "--seed", "1"], env=env)
    questions = [json.loads(line) for line in quiz.output.strip().split("\n")]
    assert len(questions) == 3 and all(q["answer"] for q in questions)
    answers = "\n".join(q["answer"] for q in questions) + "\n"
    taken = CliRunner().invoke(main, ["learn", "quiz", "--n", "3", "--seed", "1"], env=env, input=answers)
    assert taken.exit_code == 0 and "得分：3 / 3" in taken.output
    with sqlite3.connect(course.settings.learning_path) as conn:
        assert conn.execute("SELECT score, total FROM quiz_results").fetchall()[-1] == (3, 3)
