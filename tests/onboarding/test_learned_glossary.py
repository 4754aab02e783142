"""Terms learned from the user's own documents: coinages, numeric slogans and abbreviations, ranked by how many
documents use them, each with the sentence that defines it best; curated entries win unless the corpus's own
expansion contradicts them; the glossary follows every ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.cli import main
from assistant.onboarding.terms import DEFINES, ENUMERATES, MENTIONS, merge, mine_document

# Three small documents of a made-up bureau. 一图五库两机制 is used in all three, defined by enumeration in one;
# 两机制 is an abbreviation expanded in one; 三服务 is defined only with masked figures.
HANDBOOK = """青川市招商工作手册
一、工作方法
全市推行“一图五库两机制”工作法。
一图五库两机制，即产业链全景图谱、招商项目库、目标企业库、客商资源库、招商人才库、政策资源库，以及两个机制。
全市建立招商项目信息共享机制和重点项目线索“两单一台账”跟踪机制（简称两机制）。
“链上招商”是指围绕重点产业链上下游精准招引项目。
"""
REPORT = """青川市2023年招商工作总结
一、主要成效
围绕“一图五库两机制”，全市新签约项目120个。
持续开展“千企万人”招商行动，对接企业300家。
“三服务”是指****年起开展的三项服务活动。
"""
LETTER = """关于第12号建议的答复函
我局将继续落实“一图五库两机制”，用好两单一台账，扩大“千企万人”招商行动覆盖面。
"""
LATER = """青川市2024年招商工作要点
推行“双链长”制度，每条产业链由一名市级领导和一名企业家共同担任链长。
"""
CURATED = """- term: 一图五库两机制
  aliases: [一图五库]
  definition: 产业链招商的基础工作法：一张图谱、五个库，再加上线索跟踪和考核两套机制。
  source:
    file: 手册.txt
    quote: 全市推行“一图五库两机制”工作法
- term: 链上招商
  definition: 顺着产业链的上下游找项目。
  source:
    file: 手册.txt
    quote: “链上招商”是指围绕重点产业链上下游精准招引项目
"""


def run(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    root = tmp_path_factory.mktemp("learned")
    docs = root / "docs"
    docs.mkdir()
    for name, text in {"手册.txt": HANDBOOK, "总结.txt": REPORT, "答复函.txt": LETTER}.items():
        (docs / name).write_text(text, encoding="utf-8")
    (root / "glossary.yaml").write_text(CURATED, encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(root / "data"), "ASSISTANT_GLOSSARY_PATH": str(root / "glossary.yaml")}
    run(env, "ingest", str(docs))
    return env, docs


def glossary(env: dict[str, str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in run(env, "learn", "glossary", "--json").output.splitlines() if line.strip()]


def test_cli_lists_learned_terms_ranked_by_spread_with_their_best_sentence(
        workspace: tuple[dict[str, str], Path]) -> None:
    env, _ = workspace
    terms = glossary(env)
    names = [t["term"] for t in terms]
    assert names[0] == "一图五库两机制"  # three documents
    assert names.index("千企万人") < names.index("链上招商")  # two documents before one
    assert {"千企万人", "两单一台账", "链上招商"} <= set(names)
    assert "三服务" not in names  # its only definition is masked
    top = run(env, "learn", "glossary", "--top", "1").output
    assert top.startswith("■ 一图五库两机制") and top.count("■") == 1
    slogan = next(t for t in terms if t["term"] == "两单一台账")
    assert slogan["documents"] == 2 and not slogan["curated"] and not slogan["defined"]
    assert "两单一台账" in str(slogan["definition"])
    chain = next(t for t in terms if t["term"] == "链上招商")
    assert chain["curated"] and chain["definition"] == "顺着产业链的上下游找项目。"  # curated entries win


def test_curated_entry_contradicted_by_the_corpus_expansion_is_corrected(
        workspace: tuple[dict[str, str], Path]) -> None:
    env, _ = workspace
    result = CliRunner().invoke(main, ["learn", "glossary"], env=env)
    assert result.exit_code == 0, result.output
    entry = next(t for t in glossary(env) if t["term"] == "一图五库两机制")
    assert entry["curated"] and "考核" in str(entry["corrected"])
    assert "招商项目信息共享机制" in str(entry["definition"]) and "考核" not in str(entry["definition"])
    assert "两机制" in entry["aliases"]  # type: ignore[operator]
    source = entry["source"]
    assert isinstance(source, dict) and source["file_name"] == "手册.txt" and "简称两机制" in source["quote"]
    assert "已按原文更正" in result.output and "请修改 glossary.yaml" in result.output
    assert "■ 两单一台账（2 篇文档提到）（原文未下定义，下为用例）：" in result.output
    lookup = run(env, "learn", "glossary", "两机制").output
    assert lookup.startswith("■ 一图五库两机制（整理，已按原文更正）")


def test_glossary_follows_every_ingest(workspace: tuple[dict[str, str], Path]) -> None:
    env, docs = workspace
    (docs / "要点.txt").write_text(LATER, encoding="utf-8")
    run(env, "ingest", str(docs))
    stored = json.loads((Path(env["ASSISTANT_DATA_DIR"]) / "glossary_learned.json").read_text(encoding="utf-8"))
    assert "双链长" in {t["term"] for t, _ in stored["terms"]}  # refreshed by the ingest itself, not on viewing
    assert "双链长" in {t["term"] for t in glossary(env)}
    (docs / "要点.txt").unlink()
    run(env, "ingest", "--prune", str(docs))
    assert "双链长" not in {t["term"] for t in glossary(env)}


def test_unknown_term_and_broken_curated_file_get_clear_messages(
        workspace: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, _ = workspace
    missing = CliRunner().invoke(main, ["learn", "glossary", "不存在的术语"], env=env)
    assert missing.exit_code != 0 and "术语表中没有“不存在的术语”" in missing.output
    broken = tmp_path / "glossary.yaml"
    broken.write_text("- term: 甲\n- 只是一行字\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["learn", "glossary"], env={**env, "ASSISTANT_GLOSSARY_PATH": str(broken)})
    assert result.exit_code == 0
    assert "第 2 条格式错误" in result.output and "千企万人" in result.output


def test_an_enumerating_sentence_beats_a_mention() -> None:
    texts = [
        "今年继续落实“四个一批”机制。四个一批，即储备一批、洽谈一批、签约一批、落地一批。",
        "“四个一批”成效明显。",
    ]
    [term] = [t for t in merge([mine_document(t) for t in texts], texts) if t.term == "四个一批"]
    assert term.evidence.strength == ENUMERATES and term.documents == 2 and term.mentions == 3
    assert texts[term.doc_index][term.evidence.start : term.evidence.end] == \
        "四个一批，即储备一批、洽谈一批、签约一批、落地一批。"


def test_abbreviations_statutory_definitions_and_slogans_are_found() -> None:
    text = ("第二条 本条例所称政府投资，是指使用预算安排的资金进行固定资产投资建设活动。"
            "投资主管部门应当通过投资项目在线审批监管平台(以下简称在线平台)办理审批。"
            "全市落实三懂三会，提升能力。近三个月新增企业。一是加强统筹。")
    learned = {t.term: t for t in merge([mine_document(text)], [text])}
    assert learned["政府投资"].evidence.strength <= DEFINES
    assert learned["在线平台"].evidence.strength == DEFINES
    assert learned["三懂三会"].evidence.strength == MENTIONS
    assert not {"三个月", "近三个月", "一是加强"} & set(learned)


def test_a_list_heading_and_the_sentence_after_it_define_the_term_together() -> None:
    text = "一、工作方法\n五是“叩门招商”。指由市县领导带着项目主动登门拜访目标企业。\n今年继续开展“叩门招商”。\n"
    [term] = [t for t in merge([mine_document(text)], [text]) if t.term == "叩门招商"]
    assert term.evidence.strength == DEFINES
    assert text[term.evidence.start : term.evidence.end] == "五是“叩门招商”。指由市县领导带着项目主动登门拜访目标企业。"
