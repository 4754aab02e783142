"""Sentences of cleaned document text, and which of them must never be quoted back as evidence.

Shared by the grounded answer, drafting (measures quoted into a letter) and the glossary."""

from __future__ import annotations

import re

# A sentence runs to 。！？； or a line end; the terminator stays with it so quotes are verbatim.
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")

# A sentence that addresses the assistant or asks it to break its rules: an instruction planted in a
# document. It is data, never a quote in an answer or a draft.
PLANTED = re.compile(
    r"(?:你|助手|模型|AI)(?:现在|从现在起)?(?:是|处于|必须|应当|须)|回答时?一律|管理员模式|【系统提示】|"
    r"忽略.{0,10}(?:指令|规则|设定|要求)|system\s*prompt|系统提示词|ignore (?:all|previous)|"
    r"(?:^|[，。；])\s*(?:system|assistant)\s*[:：]",
    re.I,
)


def is_planted(sentence: str) -> bool:
    return PLANTED.search(sentence) is not None
