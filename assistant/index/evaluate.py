"""Retrieval evaluation that cannot flatter: several corpora, each with a development part (for choosing
weights) and a held-out part (measured, never compared), and four systems in the same run over the same files:

* the product's hybrid search (KnowledgeBase.search),
* plain BM25 (bm25s + jieba over the same passages, no synonyms, no reranking),
* dense only (the same embedder over the same passages, exact cosine),
* a naive baseline: LangChain's RecursiveCharacterTextSplitter (500 characters, 50 overlap) over each
  document's text, the same embedder, Chroma with its defaults.

A hit is a returned passage from the question's file (or one of its listed alternatives) that contains the
answer span once all whitespace is removed from both, and is at most MAX_PASSAGE characters long (a passage
the size of a document would contain every answer). Reported: hit@1, hit@5 and MRR (over the top k).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.kb import Hit, KnowledgeBase
from assistant.index.vectors import ScratchChroma

MAX_PASSAGE = 600
NAIVE_CHUNK = 500
NAIVE_OVERLAP = 50
SYSTEMS = ("hybrid", "bm25", "dense", "naive")
SYSTEM_LABELS = {
    "hybrid": "本系统（混合检索）",
    "bm25": "纯 BM25（bm25s + jieba）",
    "dense": "仅向量（同一嵌入模型）",
    "naive": "朴素基线（LangChain 切分 + Chroma）",
}
PART_LABELS = {"dev": "开发集", "heldout": "留出集"}
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    files: tuple[str, ...]  # the file that answers it, and any alternatives that contain the same answer
    answer: str


@dataclass
class Passage:
    text: str
    file_name: str
    title: str = ""


@dataclass(frozen=True)
class Suite:
    """One corpus with its question parts (part name → question file)."""

    name: str
    label: str
    corpus: Path | None  # None: the configured knowledge base as it is
    parts: dict[str, Path]
    alternatives: Path | None = None


@dataclass
class PartResult:
    corpus: str
    part: str
    system: str
    question_ids: list[str] = field(default_factory=list)
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of the first hit, None if missed

    def hit_at(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / max(1, len(self.ranks))

    @property
    def mrr(self) -> float:
        return sum(1.0 / r for r in self.ranks if r is not None) / max(1, len(self.ranks))

    def as_dict(self) -> dict[str, Any]:
        return {"corpus": self.corpus, "part": self.part, "system": self.system, "n": len(self.ranks),
                "hit@1": round(self.hit_at(1), 4), "hit@5": round(self.hit_at(5), 4), "mrr": round(self.mrr, 4)}


@dataclass
class Report:
    k: int
    suites: list[Suite]
    results: list[PartResult] = field(default_factory=list)
    reachable: dict[tuple[str, str, str], float] = field(default_factory=dict)  # (corpus, part, system) → share
    questions: dict[tuple[str, str], list[EvalQuestion]] = field(default_factory=dict)

    def result(self, corpus: str, part: str, system: str) -> PartResult | None:
        return next((r for r in self.results
                     if (r.corpus, r.part, r.system) == (corpus, part, system)), None)

    def as_json(self, with_ranks: bool = True) -> dict[str, Any]:
        rows = []
        for r in self.results:
            row = r.as_dict()
            row["reachable"] = round(self.reachable.get((r.corpus, r.part, r.system), 0.0), 4)
            if with_ranks:
                row["ranks"] = dict(zip(r.question_ids, r.ranks, strict=True))
            rows.append(row)
        return {"k": self.k, "hit": f"片段来自正确文件、去掉空白后包含答案原文、不超过 {MAX_PASSAGE} 字", "results": rows}


class System(Protocol):
    def __call__(self, question: str, k: int) -> list[Passage]: ...


# -- question files
def normalise(text: str) -> str:
    return SPACE.sub("", text)


def read_questions(path: Path, alternatives: Path | None = None) -> list[EvalQuestion]:
    """A TSV with a header: `id question file answer` (the realdocs sets), or the older three columns
    `question expected_doc key_phrase` (ids are then the line numbers). Plain tab split, no CSV quoting."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"无法读取评测文件“{path}”：{exc}") from exc
    extra = _alternatives(alternatives) if alternatives else {}
    rows = [(n, line.split("\t")) for n, line in enumerate(lines, start=1)
            if line.strip() and not line.startswith("#")]
    if not rows:
        raise AssistantError(f"评测文件“{path.name}”中没有问题")
    header = [cell.strip().lower() for cell in rows[0][1]]
    four = header[:4] == ["id", "question", "file", "answer"]
    if four or header[0] in ("question", "问题"):
        rows = rows[1:]
    questions = []
    for number, cells in rows:
        cells = [c.strip() for c in cells]
        if four:
            if len(cells) < 4 or not all(cells[:4]):
                raise AssistantError(f"评测文件“{path.name}”第 {number} 行格式错误：需要 id、问题、文件、答案 四列（制表符分隔）")
            qid, question, file, answer = cells[:4]
        else:
            if len(cells) < 3 or not all(cells[:3]):
                raise AssistantError(f"评测文件“{path.name}”第 {number} 行格式错误：需要 问题、期望文档、关键短语 三列（制表符分隔）")
            qid, (question, file, answer) = f"{path.stem}-{number:03d}", cells[:3]
        files = (file, *[f for f in extra.get(qid, ()) if f != file])
        questions.append(EvalQuestion(qid, question, files, answer))
    if not questions:
        raise AssistantError(f"评测文件“{path.name}”中没有问题")
    return questions


def _alternatives(path: Path) -> dict[str, tuple[str, ...]]:
    """cmrc_ambiguity.tsv: id, n_files, title_match, files (;-separated)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AssistantError(f"无法读取评测文件“{path}”：{exc}") from exc
    out: dict[str, tuple[str, ...]] = {}
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) >= 4:
            out[cells[0]] = tuple(f for f in cells[3].split(";") if f)
    return out


def read_suites(path: Path, only: Iterable[str] = ()) -> list[Suite]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AssistantError(f"无法读取评测配置“{path}”：{exc}") from exc
    wanted = list(only)
    unknown = [name for name in wanted if name not in data]
    if unknown:
        raise AssistantError(f"评测配置“{path.name}”中没有语料：{'、'.join(unknown)}（可选：{'、'.join(data)}）")
    suites = []
    for name, entry in data.items():
        if wanted and name not in wanted:
            continue
        parts = {part: Path(entry[part]) for part in ("dev", "heldout") if entry.get(part)}
        if "corpus" not in entry or not parts:
            raise AssistantError(f"评测配置“{path.name}”的“{name}”需要 corpus 以及 dev 或 heldout")
        suites.append(Suite(name, str(entry.get("label", name)), Path(entry["corpus"]), parts,
                            Path(entry["alternatives"]) if entry.get("alternatives") else None))
    return suites


# -- scoring
def rank_of(passages: list[Passage], q: EvalQuestion) -> int | None:
    answer = normalise(q.answer)
    for rank, p in enumerate(passages, start=1):
        if _same_file(p.file_name, q.files) and len(p.text) <= MAX_PASSAGE and answer in normalise(p.text):
            return rank
    return None


def _same_file(name: str, files: tuple[str, ...]) -> bool:
    return name in files or Path(name).stem in {Path(f).stem for f in files}


def passages_of(hits: list[Hit]) -> list[Passage]:
    return [Passage(h.text, str(h.extra.get("file_name", "")), h.title) for h in hits]


# -- the systems
def product_systems(kb: KnowledgeBase) -> dict[str, System]:
    return {
        "hybrid": lambda question, k: passages_of(kb.search(question, k=k)),
        "bm25": lambda question, k: passages_of(kb.bm25_search(question, k)),
        "dense": lambda question, k: passages_of(kb.dense_search(question, k)),
    }


class NaiveBaseline:
    """What a first LangChain tutorial builds: RecursiveCharacterTextSplitter over each document's text, the same
    embedder, a Chroma collection with default HNSW settings (in memory; one indexing thread, so that its graph,
    and so its answers, are the same in every run). Vectors are cached beside the evaluation index, keyed by the
    documents' hashes, the splitter's settings and the embedder."""

    def __init__(self, kb: KnowledgeBase, cache_dir: Path) -> None:
        try:
            from langchain_text_splitters import RecursiveCharacterTextSplitter
        except ImportError as exc:
            raise AssistantError("朴素基线需要 langchain-text-splitters：pip install langchain-text-splitters") from exc
        splitter = RecursiveCharacterTextSplitter(chunk_size=NAIVE_CHUNK, chunk_overlap=NAIVE_OVERLAP)
        documents = sorted(kb.manifest.documents(), key=lambda d: d.file_name)
        self.passages: list[Passage] = []
        for doc in documents:
            for piece in splitter.split_text(kb.manifest.document_text(doc.doc_id)):
                if piece.strip():
                    self.passages.append(Passage(piece, doc.file_name, str(doc.meta.get("title", ""))))
        key = hashlib.sha1("|".join([*(d.content_hash for d in documents), kb.embedder_name,
                                     f"recursive-{NAIVE_CHUNK}-{NAIVE_OVERLAP}"]).encode()).hexdigest()[:16]
        cache = cache_dir / f"naive-{key}.npy"
        if cache.exists():
            matrix = np.load(cache)
        else:
            matrix = kb.embedder.embed_documents([p.text for p in self.passages])
            cache_dir.mkdir(parents=True, exist_ok=True)
            np.save(cache, matrix)
        self.embedder = kb.embedder
        self.store = ScratchChroma(f"naive-{key}")
        self.store.add([f"{i:06d}" for i in range(len(self.passages))], matrix)

    def __call__(self, question: str, k: int) -> list[Passage]:
        return [self.passages[int(i)] for i in self.store.query(self.embedder.embed_query(question), k)]


# -- running
def open_index(suite: Suite, settings: Settings, cache: Path, say: Callable[[str], None] = lambda _: None
               ) -> KnowledgeBase:
    """The suite's evaluation index under `cache`/<name>: built on first use (slow: every passage is
    embedded), incremental afterwards, so repeated runs reuse it."""
    from assistant.index.ingest import ingest

    assert suite.corpus is not None
    if not suite.corpus.is_dir():
        raise AssistantError(f"找不到评测语料目录“{suite.corpus}”")
    kb = KnowledgeBase(settings.model_copy(update={"data_dir": cache / suite.name}))
    report = ingest(kb, [suite.corpus])
    if report.added or report.updated:
        say(f"{suite.name}：新入库 {len(report.added) + len(report.updated)} 个文档，用时 {report.seconds_total:.0f} 秒")
    if report.failed:
        say(f"{suite.name}：{len(report.failed)} 个文件未能入库（如 {report.failed[0][1]}）")
    return kb


def evaluate_suite(kb: KnowledgeBase, suite: Suite, report: Report, systems: Iterable[str], naive_cache: Path) -> None:
    chosen = list(systems)
    runners: dict[str, System] = {name: s for name, s in product_systems(kb).items() if name in chosen}
    naive = NaiveBaseline(kb, naive_cache) if "naive" in chosen else None
    if naive is not None:
        runners["naive"] = naive
    chunks_by_file: dict[str, list[str]] = {}
    names = {d.doc_id: d.file_name for d in kb.manifest.documents()}
    for row in kb.manifest.chunks():
        chunks_by_file.setdefault(names.get(row.doc_id, ""), []).append(row.text)
    naive_by_file: dict[str, list[str]] = {}
    for p in naive.passages if naive else []:
        naive_by_file.setdefault(p.file_name, []).append(p.text)
    for part, path in suite.parts.items():
        questions = read_questions(path, suite.alternatives)
        report.questions[(suite.name, part)] = questions
        for name in SYSTEMS:
            if name not in runners:
                continue
            result = PartResult(suite.name, part, name)
            for q in questions:
                result.question_ids.append(q.id)
                result.ranks.append(rank_of(runners[name](q.question, report.k), q))
            report.results.append(result)
            by_file = naive_by_file if name == "naive" else chunks_by_file
            report.reachable[(suite.name, part, name)] = sum(
                any(rank_of([Passage(t, f)], q) for f in q.files for t in by_file.get(f, []))
                for q in questions) / max(1, len(questions))


def run(suites: list[Suite], settings: Settings, cache: Path, systems: Iterable[str] = SYSTEMS, k: int = 5,
        say: Callable[[str], None] = lambda _: None) -> Report:
    report = Report(k, suites)
    for suite in suites:
        say(f"评测 {suite.name}（{suite.label}）…")
        if suite.corpus is None:  # question files against the configured knowledge base
            kb, naive_cache = KnowledgeBase(settings), settings.data_dir
        else:
            kb, naive_cache = open_index(suite, settings, cache, say), cache / suite.name
        try:
            if kb.manifest.stats()[0] == 0:
                raise AssistantError("知识库为空，请先运行：assistant ingest corpus/")
            evaluate_suite(kb, suite, report, systems, naive_cache)
        finally:
            kb.close()
    return report


# -- the Chinese table
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def render_table(report: Report) -> str:
    parts = [p for p in ("dev", "heldout") if any(r.part == p for r in report.results)]
    parts += sorted({r.part for r in report.results} - set(parts))
    lines = [f"检索评测（前 {report.k} 条；命中 = 片段来自正确文件、去掉空白后包含答案原文、不超过 {MAX_PASSAGE} 字）", ""]
    head = _pad("语料", 8) + _pad("系统", 38)
    sub = " " * 46
    for part in parts:
        head += _pad(PART_LABELS.get(part, part), 24)
        sub += _pad("hit@1  hit@5  MRR", 24)
    lines += [head, sub]
    for suite in report.suites:
        for system in SYSTEMS:
            cells = [report.result(suite.name, part, system) for part in parts]
            if not any(cells):
                continue
            line = _pad(suite.name, 8) + _pad(SYSTEM_LABELS[system], 38)
            for cell in cells:
                line += _pad(f"{cell.hit_at(1):.3f}  {cell.hit_at(5):.3f}  {cell.mrr:.3f}" if cell else "—", 24)
            lines.append(line)
        counts = "，".join(f"{PART_LABELS.get(p, p)} {len(report.questions.get((suite.name, p), []))} 题" for p in parts
                          if (suite.name, p) in report.questions)
        reach = "；".join(
            f"{SYSTEM_LABELS[s].split('（')[0]} {PART_LABELS.get(p, p)} {report.reachable[(suite.name, p, s)]:.3f}"
            for s in ("hybrid", "naive") for p in parts if (suite.name, p, s) in report.reachable)
        lines.append(f"{'':8}（{suite.label}：{counts}；答案完整落在某个片段内的比例（命中上限）：{reach}）")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def misses(report: Report, parts: Iterable[str] = ("dev",)) -> list[str]:
    """The product's non-top-1 questions of the development parts (held-out misses are not listed: looking at
    them would be tuning on them)."""
    out = []
    for r in report.results:
        if r.system != "hybrid" or r.part not in parts:
            continue
        for q, rank in zip(report.questions[(r.corpus, r.part)], r.ranks, strict=True):
            if rank is None or rank > 1:
                out.append(f"  {r.corpus}/{r.part} rank={rank}  {q.id}  {q.question}  → {q.files[0]} / {q.answer}")
    return out
