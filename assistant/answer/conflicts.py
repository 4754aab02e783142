"""Figures in cited passages checked against the database.

A passage that states a figure for a region, metric and period the database holds is compared with it (the
same comparison as the drafting consistency check). A difference is a conflict: the answer says so
("数据库为 67.63%，文档称 99.9%"), and the passage no longer counts as a source for that number, so the number
checker flags it instead of treating one planted upload as corroboration. A passage from a document nobody has
verified (index/provenance.py: uploads start 未核验) is a source only for the figures the database confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.types import Citation
from assistant.db.session import FigureStore

NAMED_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


@dataclass(frozen=True)
class Conflict:
    citation: int  # the [n] of the passage
    text: str  # the number as the passage writes it
    label: str  # the database statistic it claims to be
    db_text: str
    source: str  # table#rows of the database figure

    def describe(self, title: str) -> str:
        return f"《{title}》[{self.citation}]称{self.label}为{self.text}，数据库为{self.db_text}（{self.source}），以数据库为准。"


@dataclass
class PassageChecks:
    conflicts: list[Conflict] = field(default_factory=list)
    agreed: dict[int, list[str]] = field(default_factory=dict)  # [n] → numbers as written that the database confirms

    def sourced(self, citations: list[Citation]) -> list[str]:
        """What the number checker may count as sources: a verified document's passage without its conflicting
        numbers; of an unverified one, only the numbers the database confirmed."""
        # (the section heading a quote is cited under is the document's own text too: 深化实施“1269”行动计划)
        return [unsourced(f"{c.section or ''} {c.passage}", self.conflicts, c.n) if c.verified
                else " ".join(self.agreed.get(c.n, [])) for c in citations]


def passage_conflicts(citations: list[Citation], store: FigureStore | None, period: str | None) -> list[Conflict]:
    return check_passages(citations, store, period).conflicts


def check_passages(citations: list[Citation], store: FigureStore | None, period: str | None) -> PassageChecks:
    """Conflicts and agreements between the quoted sentences and the database. `period` is the period the
    question named (the default year for a sentence's 一季度/1-7月). Only sentences that name their own period are
    compared, so that a figure from an older report is not held against the newest data (nor confirmed by it)."""
    found = PassageChecks()
    if store is None:
        return found
    from assistant.drafting.check import check_consistency  # drafting builds on the answer package

    for c in citations:
        text = c.quote or c.passage
        dated = _dated_by_title(c.title, period)
        for check in check_consistency(text, store, dated):
            if check.status not in ("match", "mismatch") or \
                    not _comparable(_clause(check.context, check.text), check.label, dated):
                continue
            if check.status == "match":
                found.agreed.setdefault(c.n, []).append(check.text)
                continue
            if not check.provenance or check.provenance.table != "indicators":
                continue  # the project ledger tracks key projects only: a report's all-project rate may differ
            if check.db_value is not None and abs(abs(check.db_value) - abs(check.value)) < 0.005 and \
                    re.search(r"下降|减少|回落|负增长", check.context):
                # "分别下降4.37%和9.72%": the sign is in the words, and the reading of it may miss one
                found.agreed.setdefault(c.n, []).append(check.text)
                continue
            prov = check.provenance
            source = f"{prov.table}#{'、'.join(map(str, prov.row_ids[:5]))}" if prov and prov.row_ids else "数据库"
            found.conflicts.append(Conflict(c.n, check.text, check.label, check.db_text, source))
    return found


def _dated_by_title(title: str, period: str | None) -> str | None:
    """The default period for a document's sentences: the question's, in the year the document's title names
    (《关于2023年一季度…的报告》's "1—3月" is 2023's even when the question asks about 2022)."""
    years = {int(re.sub(r"\D", "", y)) for y in NAMED_YEAR.findall(title)}
    if period is None or len(years) != 1:
        return period
    from assistant.db.periods import Period, parse_period

    return Period(years.pop(), parse_period(period).month).key


# Where a sentence turns to another period: "一季度仅到位240.6万美元；截至7月底，全市实际使用外资557万美元", and
# "由一季度的3.9万美元增加到121.8万美元" (the figure after 增加到 is of a later period than the one named before it)
CLAUSE_TURN = re.compile(r"；|;|截至|截止|到\d{1,2}月底|(?:增加|提高|上升|提升|增长|下降|减少|回落|扩大|缩小)(?:到|至)")


def _clause(sentence: str, number: str) -> str:
    """The part of a sentence a number belongs to: from the last turn to another period before it (a number
    after 截至7月底 is that period's, whatever period the sentence opened with) up to the number itself — a
    period word after it (…，仍是全年工作的最大短板) does not date it; the whole sentence when the number is not
    found."""
    at = sentence.find(number)
    if at < 0:
        return sentence
    turns = [m.start() for m in CLAUSE_TURN.finditer(sentence, 0, at)]
    return sentence[turns[-1] if turns else 0:at + len(number)]


def _comparable(context: str, label: str, period: str | None) -> bool:
    """Whether a passage sentence was compared with the right period: a sentence that names its own period
    must have been checked against that one; a quoted table row (its period is in a caption we do not see)
    never is, nor is a sentence without a period."""
    from assistant.drafting.claims import sentence_period

    if "｜" in context:
        return False
    year = int(period[:4]) if period else None
    own = sentence_period(context, year)
    # a sentence without its own period may be about another period than the question's (a half-year report
    # quoted for a 1-7月 question): comparing it would raise false conflicts, so only dated sentences count
    return own is not None and own.label in label


def unsourced(passage: str, conflicts: list[Conflict], n: int) -> str:
    """The passage with its conflicting numbers blanked, as the number checker should see it."""
    for conflict in conflicts:
        if conflict.citation == n:
            passage = passage.replace(conflict.text, " " * len(conflict.text))
    return passage


def unverified_notes(citations: list[Citation]) -> list[str]:
    """One line per unverified document whose quoted text states figures: whose it is, and that its figures
    count only where the database confirms them."""
    from assistant.answer.numbers import find_numbers

    notes: dict[str, list[int]] = {}
    who: dict[str, str] = {}
    for c in citations:
        if not c.verified and find_numbers(c.quote or c.passage):
            notes.setdefault(c.title, []).append(c.n)
            who[c.title] = c.uploader
    return [f"《{title}》{''.join(f'[{n}]' for n in ns)}尚未核验（{who[title] or '入库者未记录'}）：其中的数字只有与数据库一致的才算有来源，"
            "其余标“需核对”；管理员核验后不再提示。" for title, ns in notes.items()]
