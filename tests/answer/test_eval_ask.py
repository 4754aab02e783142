"""`assistant eval ask`: the scorer on plain answers, and the command end to end on a small question file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.evaluate import AskQuestion, contains, read_questions, score
from assistant.answer.types import Answer, Citation
from assistant.cli import main
from assistant.errors import AssistantError
from assistant.tools.types import Figure, Provenance
from tests.conftest import CORPUS, build_data_dir

BUTLER = CORPUS / "2023-05_政策_重点招商项目项目管家帮办代办服务办法.md"
REPORT = CORPUS / "2023-04_工作报告_2023年一季度全市招商引资工作情况.txt"
HEADER = "id\tkind\tquestion\thistory\texpect\tnote\n"


def _q(kind: str, expect: str, question: str = "问题") -> AskQuestion:
    return AskQuestion("q-1", kind, question, [], expect)


def _figure(value: float | None, unit: str, rows: list[int]) -> Figure:
    return Figure(label="汉阴县 外商直接投资", value=value, unit=unit, period="2023Q1",
                  provenance=Provenance(table="indicators", row_ids=rows, period="2023Q1"))


def _citation(passage: str, doc_id: str = "d1") -> Citation:
    return Citation(n=1, title="文件", passage=passage, source="x.txt", start=0, end=len(passage), doc_id=doc_id)


def test_a_right_figure_answer_scores_and_a_wrong_one_does_not() -> None:
    q = _q("figure", "236.70万美元;67.63%;第1")
    right = Answer(answer="汉阴县2023年一季度外商直接投资236.7 万美元，完成年度目标的67.63%，排第 1 位。",
                   figures=[_figure(236.7, "万美元", [12])])
    s = score(q, right)
    assert s.ok and s.exact and s.provenance
    rounded = Answer(answer="汉阴县外资236.7万美元，完成67.6%，排第1位。", figures=[_figure(236.7, "万美元", [12])])
    assert not score(q, rounded).exact
    thirteenth = Answer(answer="236.70万美元，67.63%，排第13位。")
    assert not score(q, thirteenth).exact
    no_source = score(q, Answer(answer=right.answer, figures=[_figure(236.7, "万美元", [])]))
    assert no_source.exact and not no_source.provenance


def test_numbers_are_compared_after_normalising() -> None:
    assert contains("全市1-8月引进内资1,098.6亿元", "1098.60亿元")
    assert contains("完成进度 0.00%", "0%")
    assert not contains("完成进度 10%", "0%")
    assert not contains("共 0.5 个", "5个")
    assert score(_q("figure", "-14.01%|下降14.01%"), Answer(answer="同比下降14.01%。")).exact


def test_cannot_answer_is_recognised_only_without_figures() -> None:
    q = _q("cannot", "")
    assert score(q, Answer(answer="知识库和项目数据库中没有找到相关内容，无法回答这个问题。")).honest
    assert not score(q, Answer(answer="明天安康多云，最高气温25度。")).honest
    padded = Answer(answer="没有找到相关数据。汉阴县外资236.70万美元。", figures=[_figure(236.7, "万美元", [12])])
    assert not score(q, padded).honest
    no_data = Answer(answer="项目数据库中没有这项数据：2024年一季度 外商直接投资 无数据。", figures=[_figure(None, "万美元", [])])
    assert score(q, no_data).honest


def test_a_value_question_the_data_does_not_answer_is_scored_as_a_decline() -> None:
    q = _q("weekly", "")
    declined = score(q, Answer(answer="项目台账没有填写该项目的外资金额，无法回答。"))
    assert declined.ok and declined.honest and declined.exact is None
    guessed = score(q, Answer(answer="外资康养旅游项目外资 500 万美元。", figures=[_figure(500, "万美元", [3])]))
    assert not guessed.ok and not guessed.honest


def test_key_fact_and_citation_precision() -> None:
    q = _q("policy", "一律免费")
    docs = {"butler": "项目管家提供的帮办代办服务一律免费。", "report": "一季度全市实际到位内资381.47亿元。"}
    answer = Answer(answer="帮办代办服务一律免费[1]。",
                    citations=[_citation("帮办代办服务一律免费。", "butler"), _citation("一季度……", "report")])
    s = score(q, answer, document_text=lambda c: docs[c.doc_id])
    assert s.key_fact and (s.citations, s.precise_citations) == (2, 1)
    assert not score(q, Answer(answer="请咨询当地政务服务中心。")).key_fact


def test_bad_input_without_expectation_means_no_number() -> None:
    q = _q("bad_input", "")
    assert score(q, Answer(answer="数据库中没有“宁强县”，已知地区：汉滨区、旬阳市……")).handled
    assert not score(q, Answer(answer="宁强县一季度内资 32.79 亿元。")).handled


def test_question_file_errors_name_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + "x-1\tfigure\t问题\t\t1%\t\nx-2\tguess\t问题\t\t\t\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="第 3 行.*guess"):
        read_questions(bad)
    unkeyed = tmp_path / "unkeyed.tsv"
    unkeyed.write_text(HEADER + "p-1\tpolicy\t问题\t\t\t\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="第 2 行.*必须填写 expect"):
        read_questions(unkeyed)
    follow = tmp_path / "follow.tsv"
    follow.write_text(HEADER + "f-1\tfollowup\t那恒口呢？\t第一问 || 第二问\t20.08%\t\n", encoding="utf-8")
    assert read_questions(follow)[0].history == ["第一问", "第二问"]


QUESTIONS = (
    "e-1\tfigure\t汉阴县2023年一季度外商直接投资多少？\t\t236.70万美元;67.63%\t@ind 汉阴县 2023Q1 外资\n"
    "e-2\tpolicy\t项目管家代办要收费吗\t\t一律免费\t项目管家服务办法\n"
    "e-3\tcannot\t明天安康天气怎么样？\t\t\tweather\n"
    "e-4\tfollowup\t那恒口呢？\t汉阴县2023年一季度内资完成进度是多少？\t20.08%\t@ind 恒口 2023Q1 内资\n"
    "e-5\tbad_input\t宁强县2023年一季度内资多少\t\t\tcounty not in the database\n"
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evalask")
    settings = build_data_dir(root, {BUTLER.name: BUTLER.read_text(encoding="utf-8"),
                                     REPORT.name: REPORT.read_text(encoding="utf-8")})
    return settings.data_dir


def test_eval_ask_end_to_end(data_dir: Path, tmp_path: Path) -> None:
    questions = tmp_path / "smoke.tsv"
    questions.write_text(HEADER + QUESTIONS, encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(data_dir)}
    result = CliRunner().invoke(main, ["eval", "ask", str(questions), "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["parts"] == ["smoke"]
    scored = {q["id"]: q for q in report["questions"]}
    assert sorted(scored) == ["e-1", "e-2", "e-3", "e-4", "e-5"]
    assert all(q["error"] is None and q["latency_ms"] > 0 for q in scored.values())
    assert scored["e-1"]["exact"] and scored["e-1"]["provenance"]
    overall = report["summary"]["smoke"]["overall"]
    assert overall["n"] == 5 and overall["p95_ms"] >= overall["p50_ms"] > 0
    assert set(report["summary"]["smoke"]["by_kind"]) == {"figure", "policy", "cannot", "followup", "bad_input"}

    table = CliRunner().invoke(main, ["eval", "ask", str(questions)], env=env)
    assert table.exit_code == 0, table.output
    assert "数据题（figure）数字精确" in table.output and "1/1 100.0%" in table.output
    assert "延迟 p50 / p95（毫秒）" in table.output


def test_misses_list_development_questions_and_only_count_held_out_ones(data_dir: Path, tmp_path: Path) -> None:
    # the same unanswerable policy question (its key fact is nowhere in the knowledge base) in both parts
    failing = HEADER + "m-1\tpolicy\t项目管家代办要收费吗\t\t每件收取五百元\t不存在的事实\n"
    dev, heldout = tmp_path / "dev.tsv", tmp_path / "heldout.tsv"
    dev.write_text(failing, encoding="utf-8")
    heldout.write_text(failing.replace("m-1", "m-2"), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "ask", str(dev), str(heldout), "--misses"],
                                 env={"ASSISTANT_DATA_DIR": str(data_dir)})
    assert result.exit_code == 0, result.output
    assert "[开发集] m-1" in result.stderr and "m-2" not in result.stderr
    assert "留出集另有 1 题未通过" in result.stderr


def test_eval_ask_reports_a_broken_file_as_an_error(data_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tsv"
    broken.write_text("question\texpected\n问题\t答案\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "ask", str(broken)], env={"ASSISTANT_DATA_DIR": str(data_dir)})
    assert result.exit_code == 1 and "broken.tsv" in result.output and "表头" in result.output


def test_no_held_out_question_is_a_routing_example():
    """A held-out question that is also a tool's example question measures memory, not understanding."""
    import csv

    from assistant.tools.registry import declared

    def bare(text: str) -> str:
        return text.strip().rstrip("？?。！! ")

    examples = {bare(example) for tool in declared() for example in tool.examples}
    held_out = Path(__file__).resolve().parents[1] / "eval" / "ask" / "heldout.tsv"
    with held_out.open(encoding="utf-8") as fh:
        leaked = [row["id"] for row in csv.DictReader(fh, delimiter="\t") if bare(row["question"]) in examples]
    assert leaked == []
