"""Reading a proposal (提案/建议): its title, proposer, number and main suggestions. Pure, except read_proposal.

Suggestions are taken from the part after a heading such as “三、几点建议” or “对策建议” when there is
one, and split at the usual markers (一是 / （一） / 一、 / 1.); without markers, one per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.cleanup import clean
from assistant.corpus.loaders import load_file

MAX_SUGGESTIONS = 12
MIN_CHARS = 4
MAX_TOPIC_CHARS = 24
MARKER = re.compile(
    r"(?:^|(?<=[。；\n]))\s*(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|"
    r"[一二三四五六七八九十]+、|\d{1,2}[.．、](?!\d)|（\d{1,2}）)\s*"
)
SUGGESTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|#+\s*)?[^。]{0,12}(?:建议|对策|措施|意见|办法)[^。]{0,6}$")
TITLE = re.compile(r"《(关于[^》]{4,80})》|^(关于[^。\n]{4,80}(?:的提案|的建议|的议案))\s*$", re.M)
PROPOSER = re.compile(r"(?:提案人|领衔人|提出人|建议人|代表|委员)\s*[:：]\s*([^\s，,。；]{2,30})")
NUMBER = re.compile(r"((?:市|县|区|省)[^，。\n]{0,20}?(?:政协|人大)[^，。\n]{0,20}?会议)\s*第\s*(\d+)\s*号")
# “第3条：”“建议三：”“3、”: a number the proposal gives its suggestion, not its name
LABEL = re.compile(r"^(?:第[一二三四五六七八九十百零\d]+条|建议[一二三四五六七八九十百零\d]+|[一二三四五六七八九十\d]+(?:、|[.．](?!\d)))\s*[：:]?\s*")
LEAD_IN = re.compile(r"^(?:建议|希望|要|应当|应该|应|请|由|进一步|切实|着力)+")


@dataclass
class ProposalText:
    title: str = ""
    proposer: str = ""
    session: str = ""
    number: str = ""
    suggestions: list[str] = field(default_factory=list)


def split_suggestions(text: str) -> list[str]:
    """The suggestions in a block of text: marked items, else paragraphs, else sentences (；-separated)."""
    text = text.strip()
    if not text:
        return []
    starts = [m for m in MARKER.finditer(text)]
    if starts:
        items = [text[m.end():(starts[i + 1].start() if i + 1 < len(starts) else len(text))]
                 for i, m in enumerate(starts)]
    else:
        items = [line for line in text.split("\n") if line.strip()]
        if len(items) == 1:
            items = re.split(r"[；;]", items[0])
    cleaned = [re.sub(r"\s+", "", item).strip("。；; ") for item in items]
    return [item for item in cleaned if len(item) >= MIN_CHARS][:MAX_SUGGESTIONS]


def topic(suggestion: str) -> str:
    """A short name for a suggestion: its first clause without 建议/应当…, at most 24 characters."""
    first = re.split(r"[。；，,：:]", LABEL.sub("", suggestion.strip()), maxsplit=1)[0]
    first = LEAD_IN.sub("", first).strip("“”\"") or first
    return first if len(first) <= MAX_TOPIC_CHARS else first[:MAX_TOPIC_CHARS] + "…"


def parse_proposal(text: str) -> ProposalText:
    """Title, proposer, session, number and suggestions from a proposal's text."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    found = ProposalText()
    title = TITLE.search(text)
    if title:
        found.title = title.group(1) or title.group(2)
    proposer = PROPOSER.search(text)
    if proposer:
        found.proposer = proposer.group(1)
    number = NUMBER.search(text)
    if number:
        found.session, found.number = number.group(1), number.group(2)
    body = lines
    for i, line in enumerate(lines):
        if SUGGESTION_HEADING.match(line) and i + 1 < len(lines):
            body = lines[i + 1:]
            break
    else:
        body = [line for line in lines if not (TITLE.search(line) or PROPOSER.search(line) or NUMBER.search(line))]
    found.suggestions = split_suggestions("\n".join(body))
    return found


def read_proposal(path: Path, max_bytes: int | None = None) -> ProposalText:
    """A proposal file (.txt/.md in UTF-8 or GBK, .docx, .pdf); LoadError names the file and reason."""
    return parse_proposal(clean(load_file(path, max_bytes=max_bytes)).text)
