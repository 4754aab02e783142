"""A user's own notice, loaded as the README says (assistant ingest), answers what it states: its contact
person. A letter's formalities (联系人：…, 抄送：…) are not quoted as the answer to other questions, but a
question asking for the contact person is answered by that line, not told the knowledge base has nothing.
A glossary entry's source is cited as a whole sentence, not the fragment the curated file locates it by."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import main
from tests.answer.test_grounded import BUTLER
from tests.conftest import CORPUS

NOTICE = """安康市招商和经济合作局
关于举办秦巴生态康养产业招商推介会的通知

各县（市、区）招商局：
为推进生态康养产业链招商，市局定于2026年10月15日在西安举办秦巴生态康养产业招商推介会。现将有关事项通知如下：
一、参会人员
各县（市、区）招商局分管负责同志1名、项目负责人1名。
二、报名方式
请于2026年9月30日前将参会回执报送市局投资促进科，联系人：周敏，电话：0915-3216688。

安康市招商和经济合作局
2026年9月10日
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("data")
    docs = tmp_path_factory.mktemp("docs")
    (docs / "推介会通知.txt").write_text(NOTICE, encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(data)}
    runner = CliRunner()
    for args in (["ingest", str(docs), str(BUTLER)], ["db", "import-demo", str(CORPUS / "data")]):
        result = runner.invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
    questions = ["推介会的联系人是谁？", "参加推介会的人员有哪些？", "项目管家是什么？", "推介会报名截止时间？"]
    batch = docs.parent / "questions.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["ask", "--json", "--batch", str(batch)], env=env)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    return {q: line["answer"] for q, line in zip(questions, lines, strict=True)}


def test_the_contact_person_a_notice_names_is_the_answer(answers: dict[str, str]) -> None:
    answer = answers["推介会的联系人是谁？"]
    assert "周敏" in answer and "0915-3216688" in answer, answer
    assert "知识库中也没有找到" not in answer, answer


def test_a_deadline_is_quoted_from_the_sentence_stating_it(answers: dict[str, str]) -> None:
    # 截止时间 asks for a date: no tool holds it, and the sentence stating it also names the contact person
    answer = answers["推介会报名截止时间？"]
    assert "请于2026年9月30日前将参会回执报送" in answer, answer
    assert "没有“时间”" not in answer and "知识库中也没有找到" not in answer, answer


def test_the_contact_line_is_not_quoted_for_another_question(answers: dict[str, str]) -> None:
    answer = answers["参加推介会的人员有哪些？"]
    assert "分管负责同志1名" in answer, answer
    assert "周敏" not in answer, answer



def test_a_glossary_answer_cites_the_whole_source_sentence(answers: dict[str, str]) -> None:
    # corpus/glossary.yaml locates 项目管家 by the fragment 本办法所称“项目管家”; the reader gets the sentence, and
    # the rest of its paragraph, which says what the term consists of (the 1+1+N team)
    answer = answers["项目管家是什么？"]
    assert "本办法所称“项目管家”，是指由项目所在县（市、区）或开发区指定" in answer, answer
    assert "专职或兼职工作人员。项目管家实行“1+1+N”模式" in answer, answer
    assert "由项目管家牵头协调。 [" in answer, answer
