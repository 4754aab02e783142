"""Glossary: terms found in the knowledge base, each defined by the passage that defines it, plus curated
entries from corpus/glossary.yaml (our own words, with sources), which take precedence."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml
from pydantic import BaseModel

from assistant.corpus.sentences import SENTENCE, is_planted
from assistant.index.kb import KnowledgeBase
from assistant.index.manifest import ChunkRow
from assistant.onboarding.sources import Source, locate

QUOTED = re.compile(r"“([\u4e00-\u9fa5A-Za-z0-9+]{2,10})”")
# Definition markers right after the term, strongest first.
MARKERS = ("是指", "指的是", "所称", "即", "指", "也称", "是")
NOT_TERMS = {"一盘棋", "最后一公里", "第一要事"}


class Term(BaseModel):
    term: str
    definition: str
    aliases: list[str] = []
    curated: bool = False
    source: Source


def _definition_in(sentence: str, term: str) -> int | None:
    """Strength of the definition of `term` in `sentence` (lower is stronger), or None."""
    if "*" in sentence:
        return None  # masked figures (****年) never become teaching material
    for strength, marker in enumerate(MARKERS):
        pattern = rf"(?:所称)?“?{re.escape(term)}”?(?:[，,]\s*)?{marker}"
        if re.search(pattern, sentence):
            return strength
    return None


def _candidates(chunks: list[ChunkRow]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for chunk in chunks:
        for term in QUOTED.findall(chunk.text):
            if term not in NOT_TERMS and not term.isdigit():
                counts[term] += 1
    return counts


def extract_terms(kb: KnowledgeBase) -> list[Term]:
    """Terms quoted in the corpus that some sentence defines; the definition is that sentence, verbatim."""
    kb.refresh()
    chunks = kb.manifest.chunks()
    metas = {d.doc_id: d for d in kb.manifest.documents()}
    best: dict[str, tuple[int, int, ChunkRow, str]] = {}
    candidates = _candidates(chunks)
    for chunk in chunks:
        if chunk.kind != "text":
            continue
        for match in SENTENCE.finditer(chunk.text):
            sentence = match.group(0).strip()
            if len(sentence) > 200 or is_planted(sentence):  # an instruction to the assistant teaches nothing
                continue
            for term in candidates:
                if term not in sentence:
                    continue
                strength = _definition_in(sentence, term)
                if strength is None:
                    continue
                rank = (strength, len(sentence))
                if term not in best or rank < best[term][:2]:
                    best[term] = (strength, len(sentence), chunk, sentence)
    terms = []
    for term, (_, _, chunk, sentence) in sorted(best.items()):
        doc = metas[chunk.doc_id]
        offset = chunk.text.find(sentence)
        terms.append(
            Term(
                term=term,
                definition=sentence,
                source=Source(
                    title=str(doc.meta.get("title") or doc.file_name), doc_number=str(doc.meta.get("doc_number", "")),
                    section=chunk.section, file_name=doc.file_name, quote=sentence,
                    start=chunk.start + max(offset, 0), end=chunk.start + max(offset, 0) + len(sentence),
                    doc_id=chunk.doc_id,
                ),
            )
        )
    return terms


def load_curated(kb: KnowledgeBase, path: Path) -> tuple[list[Term], list[str]]:
    """Curated entries whose quoted source is found in the knowledge base; problems are reported, not hidden."""
    if not path.exists():
        return [], []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        return [], [f"术语表“{path.name}”格式错误：{exc}"]
    terms: list[Term] = []
    problems: list[str] = []
    for entry in entries:
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


def build_glossary(kb: KnowledgeBase, curated_path: Path) -> tuple[list[Term], list[str]]:
    curated, problems = load_curated(kb, curated_path)
    names = {t.term for t in curated} | {a for t in curated for a in t.aliases}
    found = [t for t in extract_terms(kb) if t.term not in names]
    return sorted(curated + found, key=lambda t: (not t.curated, t.term)), problems


def lookup(glossary: list[Term], query: str) -> list[Term]:
    query = query.strip().strip("“”\"")
    exact = [t for t in glossary if query == t.term or query in t.aliases]
    return exact or [t for t in glossary if query in t.term or t.term in query]
