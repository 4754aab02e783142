"""Resolving the names people type (汉滨, 外资, 新材料, 已开工) to canonical names. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.db.errors import InvalidValue, UnknownMetric
from assistant.db.reference import (
    METRICS,
    PROBLEM_STATUS_ALIASES,
    PROBLEM_STATUSES,
    PROJECT_STAGES,
    STAGE_ALIASES,
    MetricDef,
)


def normalise_name(text: str) -> str:
    """Drop spaces and unify full-width brackets so 汉 滨 区 and 恒口示范区(试验区) still match."""
    text = text.translate(str.maketrans("()［］【】", "（）[][]"))
    return re.sub(r"\s+", "", text).strip()


class NameIndex:
    """Canonical names plus aliases, looked up after normalisation."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.names: list[str] = []
        self._lookup: dict[str, str] = {}
        for name, aliases in entries:
            self.names.append(name)
            for key in (name, *aliases):
                self._lookup.setdefault(normalise_name(key).lower(), name)

    def get(self, text: str) -> str | None:
        return self._lookup.get(normalise_name(text).lower())

    def find_in(self, text: str) -> str | None:
        """The canonical name whose longest alias occurs inside text (for headers like 外商直接投资额（万美元））."""
        norm = normalise_name(text).lower()
        hits = [(len(key), name) for key, name in self._lookup.items() if key and key in norm]
        return max(hits)[1] if hits else None


_METRIC_INDEX = NameIndex((m.name, m.aliases) for m in METRICS)
_METRICS_BY_NAME = {m.name: m for m in METRICS}


def resolve_metric(text: str) -> MetricDef:
    """把“内资”“外资”“利用外资”等解析为标准指标；未知指标报错并列出已知指标。"""
    name = _METRIC_INDEX.get(text)
    if name is None:
        raise UnknownMetric(text, _METRIC_INDEX.names)
    return _METRICS_BY_NAME[name]


def find_metric(text: str) -> MetricDef | None:
    """在表头或句子中查找指标，如“外商直接投资额（万美元）”→ 外商直接投资。"""
    name = _METRIC_INDEX.find_in(text)
    return _METRICS_BY_NAME[name] if name else None


def known_metrics() -> list[str]:
    return list(_METRIC_INDEX.names)


def resolve_stage(text: str) -> str:
    """项目阶段：线索、在谈、签约、开工、投产（也认“已开工”“在建”等写法）。"""
    value = normalise_name(text)
    value = STAGE_ALIASES.get(value, value)
    if value not in PROJECT_STAGES:
        raise InvalidValue(f"未知项目阶段“{text}”，应为：{'、'.join(PROJECT_STAGES)}。")
    return value


def resolve_problem_status(text: str) -> str:
    """问题状态：未解决、推进中、已解决（也认“已办结”“协调中”等写法）。"""
    value = normalise_name(text)
    value = PROBLEM_STATUS_ALIASES.get(value, value)
    if value not in PROBLEM_STATUSES:
        raise InvalidValue(f"未知问题状态“{text}”，应为：{'、'.join(PROBLEM_STATUSES)}。")
    return value


def resolve_choice(text: str, allowed: tuple[str, ...], aliases: dict[str, str], what: str) -> str:
    """A value from a fixed list (线索等级, 新建/续建, 协调层级…); InvalidValue naming the list otherwise."""
    value = normalise_name(text)
    value = aliases.get(value, aliases.get(value.upper(), value.upper() if value.upper() in allowed else value))
    if value not in allowed:
        raise InvalidValue(f"未知{what}“{text}”，应为：{'、'.join(allowed)}")
    return value
