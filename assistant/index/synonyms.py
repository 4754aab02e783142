"""Synonyms and short names for query expansion: staff ask about 利用外资 and GDP, reports say 实际使用外资 and
地区生产总值. The list is a data file (resources/synonyms.yaml, plus ASSISTANT_SYNONYMS_PATH for local additions);
each group holds ways of writing one thing. Pure apart from reading those files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from assistant.errors import AssistantError


@dataclass(frozen=True)
class Synonyms:
    groups: tuple[tuple[str, ...], ...]

    @property
    def _pattern(self) -> re.Pattern[str] | None:
        return _compile(self.groups)

    def words(self) -> list[str]:
        """Every writing of every group."""
        return [member for group in self.groups for member in group]

    def forms(self, word: str) -> list[str]:
        """The other ways a term is written: the members of every group that has `word` as a member."""
        return [other for group in self.groups if word in group for other in group if other != word]

    def expand(self, query: str) -> list[tuple[str, list[str]]]:
        """For each group one of whose members `query` contains (longest match first, so 招投标法实施条例 is not
        also read as 招投标法): that member as written in the group, and the group's other members."""
        pattern = self._pattern
        if pattern is None:
            return []
        folded = query.lower()
        matched = [m.group(0) for m in pattern.finditer(folded)]
        out: list[tuple[str, list[str]]] = []
        for group in self.groups:
            for member in group:
                if member.lower() in matched:
                    out.append((member, [m for m in group if m.lower() not in folded]))
                    break
        return out


def written_otherwise(tokens: list[str], expansions: list[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """For each query token that is part of a term `expansions` matched, the term's other ways of writing
    (财政 and 收入 of 财政收入 → [一般公共预算收入]), lower-cased: a passage writing one of them mentions the token's
    term."""
    out: dict[str, list[str]] = {}
    for written, others in expansions:
        for token in tokens:
            if token in written.lower():
                out.setdefault(token, []).extend(o.lower() for o in others)
    return out


@lru_cache(maxsize=8)
def _compile(groups: tuple[tuple[str, ...], ...]) -> re.Pattern[str] | None:
    members = sorted({m.lower() for group in groups for m in group}, key=lambda m: (-len(m), m))
    return re.compile("|".join(re.escape(m) for m in members)) if members else None


def parse_groups(data: object, where: str) -> tuple[tuple[str, ...], ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise AssistantError(f"同义词表“{where}”格式错误：应为若干组，每组写成 [写法1, 写法2, …]")
    groups = []
    for number, group in enumerate(data, start=1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(m, str) and m.strip() for m in group):
            raise AssistantError(f"同义词表“{where}”第 {number} 组格式错误：每组至少两个非空写法，如 [GDP, 地区生产总值]")
        groups.append(tuple(m.strip() for m in group))
    return tuple(groups)


@lru_cache(maxsize=8)
def load_synonyms(extra: Path | None = None) -> Synonyms:
    """The packaged list, plus the groups of `extra` (Settings.synonyms_path) when given."""
    text = resources.files("assistant.resources").joinpath("synonyms.yaml").read_text(encoding="utf-8")
    groups = parse_groups(yaml.safe_load(text), "synonyms.yaml")
    if extra is not None:
        try:
            added = yaml.safe_load(extra.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise AssistantError(f"无法读取同义词表“{extra}”：{exc}") from exc
        groups += parse_groups(added, str(extra))
    return Synonyms(groups)
