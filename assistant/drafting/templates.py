"""Drafting templates: Chinese phrases in prompts/drafting/*.yaml, read on every use so edits apply at once.

A template is a string with {name} slots. Slots are filled by plain replacement (values may contain
braces); a slot left unfilled is an error in the code, not something to show an officer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import AssistantError

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "prompts" / "drafting"
SLOT = re.compile(r"\{[a-z_0-9]+\}")


class TemplateError(AssistantError):
    """A drafting template file is missing, malformed or lacks a key."""


def load(name: str) -> dict[str, Any]:
    path = TEMPLATES_DIR / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TemplateError(f"缺少起草模板文件：{path}") from exc
    except yaml.YAMLError as exc:
        raise TemplateError(f"起草模板文件格式有误：{path}（{exc}）") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"起草模板文件应为“名称: 模板”的列表：{path}")
    return data


def fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    left = SLOT.search(template)
    if left:
        raise TemplateError(f"起草模板中的 {left.group(0)} 没有填写")
    return template.strip()


def phrase(file: str, key: str, **values: str) -> str:
    """The template `key` of prompts/drafting/<file>.yaml, filled."""
    data = load(file)
    if key not in data:
        raise TemplateError(f"起草模板 {file}.yaml 中缺少“{key}”")
    return fill(str(data[key]), **values)


def prompt_text(name: str) -> str:
    """A whole prompt file (prompts/drafting/<name>.md), e.g. the LLM rewrite instructions."""
    path = TEMPLATES_DIR / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError as exc:
        raise TemplateError(f"缺少提示词文件：{path}") from exc
