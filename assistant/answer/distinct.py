"""How many different ones among the rows a tool listed (汉阴台账上的项目横跨几条产业链, 还没办结的问题分布在几个县区,
今年出面对接企业的单位一共有几家): the distinct values of one column of the rows, counted, for any tool whose result
lists items that carry that column. The noun asked is the slot `distinct` (slots.DISTINCT_NOUNS); which attribute of
an item holds it is declared here once.
"""

from __future__ import annotations

import typing
from collections import Counter
from functools import cache

from pydantic import BaseModel

from assistant.tools.registry import REGISTRY, FigureTool

# the attributes of a listed item that hold each noun, in the order tried
DISTINCT_ATTRS: dict[str, tuple[str, ...]] = {
    "产业链": ("chain",), "县区": ("region",), "企业": ("enterprise",), "联络处": ("office",),
    "单位": ("unit", "department", "responsible_unit"), "部门": ("department", "unit"),
}
MEASURE = {"产业链": "条", "企业": "家", "单位": "家"}  # (个 otherwise)
# what one listed item is, by its model, for the sentence (这 4 个项目涉及 3 条产业链)
ITEM_WORDS = {"ProjectItem": "个项目", "LedgerItem": "个项目", "ProblemItem": "个问题", "ContactItem": "条走访叩门记录",
              "EnterpriseItem": "家企业", "EventItem": "场活动", "OfficeItem": "个联络处"}


@cache
def item_fields(name: str) -> frozenset[str]:
    """The fields of one item the tool `name`'s result lists (its `items`), from the declared return type; empty
    when it lists none."""
    try:
        model = typing.get_type_hints(REGISTRY[name].function).get("return")
    except (NameError, TypeError):
        return frozenset()
    items = getattr(model, "model_fields", {}).get("items")
    args = typing.get_args(items.annotation) if items is not None else ()
    return frozenset(getattr(args[0], "model_fields", {})) if args else frozenset()


def lists(tool: FigureTool, noun: str) -> bool:
    """Whether the tool lists items carrying the column `noun` is."""
    return bool(item_fields(tool.name) & set(DISTINCT_ATTRS.get(noun, ())))


def distinct_said(noun: str, result: BaseModel) -> tuple[str, list[float]] | None:
    """这 4 个项目涉及 3 条产业链：新型材料（2 个）、… — and the numbers said — when the result lists every one of its
    rows (not a first page) and its items carry the column; None otherwise."""
    items = getattr(result, "items", None)
    if not items or not isinstance(items[0], BaseModel):
        return None
    total = next((n for n in (getattr(result, f, None) for f in ("total_count", "count")) if isinstance(n, int)),
                 len(items))
    if getattr(result, "truncated", False) or total > len(items):
        return None
    attr = next((a for a in DISTINCT_ATTRS.get(noun, ()) if a in type(items[0]).model_fields), None)
    if attr is None:
        return None
    counts = Counter(str(v) for i in items if (v := getattr(i, attr)))
    unit = ITEM_WORDS.get(type(items[0]).__name__, "条记录")
    blank = sum(1 for i in items if not getattr(i, attr))
    text = (f"这 {len(items)} {unit}涉及 {len(counts)} {MEASURE.get(noun, '个')}{noun}："
            + "、".join(f"{value}（{n} {unit[0]}）" for value, n in counts.most_common())
            + (f"；另有 {blank} {unit}未填{noun}" if blank else "") + "。")
    return text, [float(len(items)), float(len(counts)), *(float(n) for n in counts.values()), float(blank)]
