"""Glossary: terms the knowledge base coins for itself (quoted coinages, numeric slogans, abbreviations; see
assistant.onboarding.terms), each with the sentence that defines it best, ranked by spread across documents;
plus curated entries from corpus/glossary.yaml (our own words, with sources), which take precedence unless the
corpus's own explicit expansion contradicts them.

The learned part is refreshed at the end of every ingest (`refresh_learned_terms`) and kept in the data
directory with the per-document mining results, so an ingest mines only the documents it added."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import yaml
from pydantic import BaseModel

from assistant.index.kb import KnowledgeBase
from assistant.index.manifest import DocRecord
from assistant.onboarding.sources import Source, locate
from assistant.onboarding.terms import (
    DEFINES,
    ENUMERATES,
    MENTIONS,
    NUMERALS,
    DocumentTerms,
    LearnedTerm,
    expansion_items,
    merge,
    mine_document,
)

LEARNED_FILE = "glossary_learned.json"
# Bump when the mining rules change: every document is mined again on the next ingest or glossary view.
MINING_VERSION = 3
NUMERAL_VALUES = {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


class Term(BaseModel):
    term: str
    definition: str
    aliases: list[str] = []
    curated: bool = False
    source: Source
    documents: int = 0  # how many documents mention it
    mentions: int = 0
    defined: bool = True  # False: the corpus only uses the term, and `definition` is a sentence using it
    corrected: str = ""  # a curated definition the corpus contradicted, replaced by `definition`


def _learned_path(kb: KnowledgeBase) -> Path:
    return kb.settings.data_dir / LEARNED_FILE


def _read_cache(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: everything is mined again
    return data if isinstance(data, dict) and data.get("version") == MINING_VERSION else {}


def _write_cache(path: Path, data: dict[str, object]) -> None:
    """Atomically, so a reader in another process never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".glossary-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)  # a read-only data directory: the glossary is simply rebuilt next time


def refresh_learned_terms(kb: KnowledgeBase) -> list[tuple[Term, int]]:
    """Mine the documents not mined yet, forget removed ones, rank the terms and keep the result under the current
    index generation. Called at the end of every ingest; cheap when few documents changed.
    Returns (term, strength of its sentence) pairs, best ranked first."""
    kb.refresh()
    path = _learned_path(kb)
    cache = _read_cache(path)
    generation = kb.manifest.generation()
    stored = _stored_terms(cache, generation)
    if stored is not None:
        return stored  # nothing changed since (an ingest of unchanged files)
    mined_before = cache.get("docs") if isinstance(cache.get("docs"), dict) else {}
    assert isinstance(mined_before, dict)
    records = kb.manifest.documents()
    texts = [kb.manifest.document_text(r.doc_id) for r in records]
    mined: dict[str, dict[str, object]] = {}
    docs: list[DocumentTerms] = []
    for record, text in zip(records, texts, strict=True):
        known = mined_before.get(record.doc_id)
        doc = DocumentTerms.from_json(known) if isinstance(known, dict) else mine_document(text)
        mined[record.doc_id] = doc.as_json()
        docs.append(doc)
    ranked = merge(docs, texts)
    sections: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id in {records[t.doc_index].doc_id for t in ranked}:
        sections[doc_id] = [(c.start, c.end, c.section) for c in kb.manifest.chunks(doc_id=doc_id)]
    learned = [(_term_of(records[t.doc_index], texts[t.doc_index], sections[records[t.doc_index].doc_id], t),
                t.evidence.strength) for t in ranked]
    _write_cache(path, {"version": MINING_VERSION, "generation": generation, "docs": mined,
                        "terms": [[t.model_dump(), strength] for t, strength in learned]})
    return learned


def _term_of(record: DocRecord, text: str, sections: list[tuple[int, int, str]], learned: LearnedTerm) -> Term:
    ev = learned.evidence
    quote = text[ev.start : ev.end]
    section = next((name for start, end, name in sections if start <= ev.start < end), "")
    return Term(
        term=learned.term, definition=quote, documents=learned.documents, mentions=learned.mentions,
        defined=ev.strength < MENTIONS,
        source=Source(
            title=str(record.meta.get("title") or record.file_name), doc_number=str(record.meta.get("doc_number", "")),
            section=section, file_name=record.file_name, quote=quote, start=ev.start, end=ev.end,
            doc_id=record.doc_id,
        ),
    )


def _stored_terms(cache: dict[str, object], generation: int) -> list[tuple[Term, int]] | None:
    stored = cache.get("terms")
    if cache.get("generation") != generation or not isinstance(stored, list):
        return None
    try:
        return [(Term.model_validate(t), int(strength)) for t, strength in stored]
    except (ValueError, TypeError):
        return None  # damaged: mined again


def learned_terms(kb: KnowledgeBase) -> list[tuple[Term, int]]:
    """The terms learned from the corpus, as the last ingest left them (mined again if the index moved since)."""
    return refresh_learned_terms(kb)


def extract_terms(kb: KnowledgeBase) -> list[Term]:
    """Terms the corpus coins, best spread first; each defined by its best sentence, verbatim, with its source."""
    return [t for t, _ in learned_terms(kb)]


def load_curated(kb: KnowledgeBase, path: Path) -> tuple[list[Term], list[str]]:
    """Curated entries whose quoted source is found in the knowledge base; problems are reported, not hidden."""
    if not path.exists():
        return [], []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        return [], [f"术语表“{path.name}”格式错误：{exc}"]
    if not isinstance(entries, list):
        return [], [f"术语表“{path.name}”应是条目列表（每条以“- term:”开头），未收录任何条目"]
    terms: list[Term] = []
    problems: list[str] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("source") or {}, dict):
            problems.append(f"术语表“{path.name}”第 {number} 条格式错误：应包含 term、definition 和 source（file、quote），未收录")
            continue
        term = str(entry.get("term", "")).strip()
        source = entry.get("source") or {}
        located = locate(kb, str(source.get("file", "")), str(source.get("quote", "")))
        if not term or located is None:
            problems.append(f"术语“{term or '（空）'}”的出处未在知识库中找到（{source.get('file', '')}），未收录")
            continue
        aliases = [str(a) for a in entry.get("aliases", [])]
        if not any(name in located.quote for name in [term, *aliases]):
            problems.append(f"术语“{term}”的出处原文中没有出现该术语，未收录；请引用包含术语的原句")
            continue
        terms.append(
            Term(term=term, definition=str(entry.get("definition", "")).strip(),
                 aliases=aliases, curated=True, source=located)
        )
    return terms, problems


def _components(term: str) -> list[str]:
    """The numbered parts of a compound slogan: 一图五库两机制 → [一图, 五库, 两机制]."""
    parts = re.findall(rf"[{NUMERALS}]个?[^{NUMERALS}]+", term)
    return parts if len(parts) >= 2 and "".join(parts) == term else []


def _covered(item: str, definition: str) -> bool:
    """Does `definition` name this listed part? At least half of the part's character pairs appear in it."""
    pairs = [item[i : i + 2] for i in range(len(item) - 1)] or [item]
    return sum(p in definition for p in pairs) * 2 >= len(pairs)


def _core(items: list[str]) -> list[str]:
    """Items without the ending they share (招商项目库、目标企业库 → 招商项目、目标企业)."""
    suffix = os.path.commonprefix([i[::-1] for i in items])[::-1]
    if suffix and all(len(i) > len(suffix) for i in items):
        return [i[: -len(suffix)] for i in items]
    return items


def contradiction(curated: Term, name: str, sentence: str) -> list[str]:
    """The parts the corpus's explicit expansion of `name` lists (as many as its numeral says) when the curated
    definition names none of them; empty when it names some, or the sentence is no such expansion."""
    items = expansion_items(sentence, name)
    count = NUMERAL_VALUES.get(name[0])
    if not items or count != len(items):
        return []
    if any(_covered(item, curated.definition) for item in _core(items)):
        return []
    return items


def correct_curated(curated: list[Term], learned: dict[str, tuple[Term, int]], file_name: str
                    ) -> tuple[list[Term], list[str]]:
    """Curated entries checked against the corpus: one whose definition names none of the parts the corpus's own
    expansion lists (两机制，即A和B, while the entry says C和D) is rebuilt from the corpus's defining sentences."""
    out: list[Term] = []
    problems: list[str] = []
    for term in curated:
        names = [term.term, *term.aliases]
        parts = [p for n in names for p in _components(n)]
        wrong: list[tuple[str, Term]] = []
        for name in dict.fromkeys(names + parts):
            found = learned.get(name)
            if found is not None and found[1] == ENUMERATES and contradiction(term, name, found[0].source.quote):
                wrong.append((name, found[0]))
        if not wrong:
            out.append(term)
            continue
        # The corpus's own definition of the whole term (or of each part), plus the expansions that contradict.
        own = learned.get(term.term)
        if own is not None and own[1] <= DEFINES:
            defining = [own[0].source.quote]
        else:
            defining = [learned[p][0].source.quote for p in dict.fromkeys(parts) if p in learned and learned[p][1] <= DEFINES]
        definition = "".join(dict.fromkeys(defining + [t.source.quote for _, t in wrong]))
        first = wrong[0][1]
        out.append(term.model_copy(update={
            "definition": definition, "corrected": term.definition, "source": first.source,
            "aliases": list(dict.fromkeys([*term.aliases, *(n for n, _ in wrong if n != term.term)])),
        }))
        problems.append(
            f"整理术语“{term.term}”的释义与原文不符：{first.source.label()}原文为“{first.source.quote}”，"
            f"已按原文更正；请修改 {file_name} 中的该条目"
        )
    return out, problems


def build_glossary(kb: KnowledgeBase, curated_path: Path) -> tuple[list[Term], list[str]]:
    """Curated entries (corrected where the corpus contradicts them) and learned terms, by spread across documents."""
    learned = learned_terms(kb)
    by_name = {t.term: (t, strength) for t, strength in learned}
    curated, problems = load_curated(kb, curated_path)
    curated, corrections = correct_curated(curated, by_name, curated_path.name)
    names = {t.term for t in curated} | {a for t in curated for a in t.aliases}
    if curated:
        texts = [kb.manifest.document_text(r.doc_id) for r in kb.manifest.documents()]
        curated = [_with_spread(t, texts) for t in curated]
    found = [t for t, _ in learned if t.term not in names]
    ranked = sorted(curated + found, key=lambda t: (-t.documents, -t.mentions, not t.curated, t.term))
    return ranked, problems + corrections


def _with_spread(term: Term, texts: list[str]) -> Term:
    names = [term.term, *term.aliases]
    counts = [sum(text.count(n) for n in names if n) for text in texts]
    return term.model_copy(update={"documents": sum(1 for c in counts if c), "mentions": sum(counts)})


def lookup(glossary: list[Term], query: str) -> list[Term]:
    query = query.strip().strip("“”\"")
    exact = [t for t in glossary if query == t.term or query in t.aliases]
    if exact:
        return exact
    partial = [t for t in glossary if query in t.term or t.term in query]
    return sorted(partial, key=lambda t: (not t.curated, abs(len(t.term) - len(query))))
