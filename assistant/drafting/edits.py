"""Staff edit a draft's paragraphs before export; the consistency check then runs on the edited text.

`apply_edits` returns the draft with the new wording (a paragraph whose text changed keeps its sources, and
its database figures only while their numbers are still written). `recheck` checks every number of the
edited draft against the database (check.py) and, on top of that, flags every number that was a database
figure in the original paragraph and was changed or deleted by the edit — also where the check alone could
not tell which indicator the sentence means (a rewritten sentence may lose the words that name it).
Pure functions apart from the check's database reads.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from pydantic import BaseModel, Field

from assistant.db.session import FigureStore
from assistant.errors import AssistantError
from assistant.tools.types import Figure

from .check import as_document, check_consistency
from .claims import Mention, mentions
from .facts import gongwen_value
from .types import Draft, FigureCheck, Paragraph

MAX_PARAGRAPH_CHARS = 5000
TODO_MARK = "【待补充"


class EditError(AssistantError):
    """An edit that does not fit the draft (a paragraph that does not exist, text too long)."""


class ParagraphEdit(BaseModel):
    """The new wording of one paragraph (its number in Draft.paragraphs, from 0)."""

    index: int = Field(ge=0, description="段落序号（从 0 开始，与草稿 paragraphs 的顺序一致）")
    text: str = Field(max_length=MAX_PARAGRAPH_CHARS, description="修改后的整段文字（含段首小标题）")


def apply_edits(draft: Draft, edits: list[ParagraphEdit]) -> Draft:
    """The draft with each edited paragraph's text replaced. The lead (楷体 小标题) is kept when the new
    text still starts with it; a paragraph emptied by the edit is removed at export only if the officer
    deletes it (here it stays, empty)."""
    edited = draft.model_copy(deep=True)
    for edit in edits:
        if edit.index >= len(edited.paragraphs):
            raise EditError(f"第 {edit.index + 1} 段不存在：草稿共有 {len(edited.paragraphs)} 段，请刷新后重新修改。")
        p = edited.paragraphs[edit.index]
        new = edit.text.strip()
        if new == p.full_text:
            continue
        lead, text = (p.lead, new[len(p.lead):]) if p.lead and new.startswith(p.lead) else ("", new)
        kept = [f for f in p.figures if _written(f, text)]
        edited.paragraphs[edit.index] = p.model_copy(update={
            "lead": lead, "text": text, "figures": kept, "placeholder": TODO_MARK in new, "rewritten": False})
    return edited


def _written(figure: Figure, text: str) -> bool:
    return figure.value is not None and any(
        needle in text for needle in (gongwen_value(figure.value, figure.unit), figure.text))


def _figure_for(mention: Mention, figures: list[Figure]) -> Figure | None:
    """The database figure an original number stood for (same value; a 下降 is written positive)."""
    for f in figures:
        if f.value is not None and abs(abs(f.value) - abs(mention.value)) < 10 ** -(mention.decimals + 1) * 5:
            return f
    return None


def changed_numbers(before: Paragraph, after: Paragraph) -> list[tuple[Mention | None, Mention, Figure]]:
    """(new number or None if deleted, original number, its database figure) for every database figure of
    `before` that the edit changed or removed."""
    old, new = mentions(before.full_text), mentions(after.full_text)
    out: list[tuple[Mention | None, Mention, Figure]] = []
    matcher = SequenceMatcher(a=[m.text for m in old], b=[m.text for m in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or op == "insert":
            continue
        for k, original in enumerate(old[i1:i2]):
            figure = _figure_for(original, before.figures)
            if figure is None:
                continue
            replacement = new[j1 + k] if op == "replace" and j1 + k < j2 else None
            out.append((replacement, original, figure))
    return out


def recheck(original: Draft, edited: Draft, store: FigureStore) -> list[FigureCheck]:
    """Every number of the edited draft against the database, with each number changed away from the
    original's database figure marked 不一致 (and each deleted one listed)."""
    document = as_document(edited.text())
    checks = check_consistency(document, store, edited.period)
    text = document.text
    for index, (before, after) in enumerate(zip(original.paragraphs, edited.paragraphs, strict=False)):
        if before.full_text == after.full_text or not before.figures:
            continue
        at = text.find(after.full_text) if after.full_text else -1
        for replacement, was, figure in changed_numbers(before, after):
            db_text = gongwen_value(figure.value, figure.unit)
            reason = f"修改前为“{was.text}”，与数据库一致；数据库中为 {db_text}"
            update = {"status": "mismatch", "label": figure.label, "db_value": figure.value, "db_text": db_text,
                      "provenance": figure.provenance, "reason": reason}
            if replacement is not None and at >= 0:
                start, end = at + replacement.start, at + replacement.end
                same = next((i for i, c in enumerate(checks) if c.start == start), None)
                if same is not None:
                    checks[same] = checks[same].model_copy(update=update)
                    continue
                checks.append(FigureCheck(text=replacement.text, value=replacement.value, unit=replacement.unit,
                                          start=start, end=end, context=after.full_text, **update))
            else:
                where = max(at, 0)
                checks.append(FigureCheck(
                    text=replacement.text if replacement else f"（第 {index + 1} 段删去了“{was.text}”）",
                    value=replacement.value if replacement else was.value, unit=was.unit, start=where, end=where,
                    context=after.full_text or before.full_text, **update))
    return sorted(checks, key=lambda c: c.start)


class Revision(BaseModel):
    """An edited draft and the check of its numbers (ready to export as it is)."""

    draft: Draft
    checks: list[FigureCheck]

    @property
    def mismatches(self) -> int:
        return sum(1 for c in self.checks if c.status == "mismatch")
