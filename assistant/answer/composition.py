"""An answer being composed in grounded mode: its lines, citations, tool results and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from assistant.answer.types import Citation
from assistant.tools.types import Figure


@dataclass
class Composition:
    """What the grounded pipeline gathered: text blocks, figures, citations and tool outputs."""

    figure_lines: list[str] = field(default_factory=list)
    policy_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tool_values: list[float] = field(default_factory=list)
    results: list[BaseModel] = field(default_factory=list)
    lead: str = ""  # the first sentence: the direct answer
    no_data: bool = True  # every tool result was empty (无数据)
    settled: bool = False  # the data part answered the question completely (an unknown place): quote nothing

    def text(self) -> str:
        parts = [self.lead] if self.lead else []
        if self.figure_lines:
            # (one line per result: the same sentence from several calls, 4 counties' "no data", is said once)
            parts.append("【数据】\n" + "\n".join(dict.fromkeys(self.figure_lines)))
        if self.policy_lines:
            parts.append("【政策与文件依据】\n" + "\n".join(self.policy_lines))
        if self.notes:
            parts.append("【说明】\n" + "\n".join(self.notes))
        return "\n\n".join(parts)
