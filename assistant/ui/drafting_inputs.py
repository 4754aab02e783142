"""What the 起草 tab's forms share: field names in Chinese, dates typed as officers type them, and validation
errors as one Chinese sentence."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import gradio as gr
from pydantic import ValidationError

NO_DATABASE = "项目数据库尚未导入，无法取数。请在“数据”页导入县区指标，或由管理员运行 assistant db import-demo corpus/data/。"
FIELD_LABELS = {"session": "会议", "number": "提案号", "title": "提案标题", "proposer": "提案人", "suggestions": "主要建议",
                "contact": "联系人", "phone": "联系电话", "date": "成文日期", "doc_number": "发文字号", "signer": "签发人", "period": "数据期间",
                "recipient": "主送机关", "subject": "事由", "date_from": "较早的台账日期", "date_to": "较晚的台账日期"}


def invalid_message(err: ValidationError) -> str:
    """Pydantic's errors as one Chinese sentence naming each field."""
    parts = []
    for e in err.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        label = FIELD_LABELS.get(field, field)
        if e["type"] in ("string_too_short", "missing"):
            parts.append(f"请填写{label}")
        elif e["type"] == "string_too_long":
            parts.append(f"{label}太长（最多 {e.get('ctx', {}).get('max_length', '')} 字）")
        else:
            parts.append(f"{label}：{e['msg']}")
    return "；".join(dict.fromkeys(parts)) + "。"


def parse_day(text: str | None, label: str = "成文日期") -> date | None:
    """A 成文日期 typed as 2023-07-28, 2023/7/28 or 2023年7月28日; None when empty; ValueError in Chinese."""
    text = (text or "").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise ValueError(f"{label}“{text}”无法识别，请写成 2023-07-28 或 2023年7月28日。")


def unchanged(message: str) -> tuple[Any, ...]:
    """A drafting handler's answer that leaves the draft, its preview and its download as they were, with a notice."""
    return gr.skip(), gr.skip(), gr.skip(), message
