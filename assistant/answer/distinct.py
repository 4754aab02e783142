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
    # (a ledger column the list writes beside each row when asked: columns:<its label>)
    "项目管家": ("columns:项目管家",),
}
MEASURE = {"产业链": "条", "企业": "家", "单位": "家", "项目管家": "位"}  # (个 otherwise)
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
    return bool(item_fields(tool.name) & {a.split(":")[0] for a in DISTINCT_ATTRS.get(noun, ())})


def _value(item: BaseModel, attr: str) -> str:
    """One item's value of `attr` (columns:项目管家 reads the ledger column written beside the row); "" when unfilled."""
    field, _, label = attr.partition(":")
    value = getattr(item, field, None)
    if label:
        value = (value or {}).get(label)
    return "" if value in (None, "", "未填") else str(value)


def _column(noun: str, items: list[BaseModel]) -> str | None:
    """The attribute of the items holding `noun`, or None."""
    fields = type(items[0]).model_fields
    for attr in DISTINCT_ATTRS.get(noun, ()):
        field, _, label = attr.partition(":")
        if field in fields and (not label or any(label in (getattr(i, field, None) or {}) for i in items)):
            return attr
    return None


def _complete(result: BaseModel) -> list[BaseModel] | None:
    """The result's items when they are every row it found (not a first page) and are models; None otherwise."""
    items = getattr(result, "items", None)
    if not items or not isinstance(items[0], BaseModel):
        return None
    total = next((n for n in (getattr(result, f, None) for f in ("total_count", "count")) if isinstance(n, int)),
                 len(items))
    return None if getattr(result, "truncated", False) or total > len(items) else list(items)


def _spread(noun: str, result: BaseModel) -> tuple[int, Counter[str], int, str] | None:
    """(rows, each value's rows, rows with the column unfilled, what one row is) of the column `noun` is among the
    result's items, when it lists every one of its rows (not a first page) and they carry the column."""
    items = _complete(result)
    attr = _column(noun, items) if items else None
    if not items or attr is None:
        return None
    counts = Counter(v for i in items if (v := _value(i, attr)))
    return len(items), counts, len(items) - sum(counts.values()), ITEM_WORDS.get(type(items[0]).__name__, "条记录")


def distinct_said(noun: str, result: BaseModel) -> tuple[str, list[float]] | None:
    """这 4 个项目涉及 3 条产业链：新型材料（2 个）、… — and the numbers said; None as _spread."""
    spread = _spread(noun, result)
    return _distinct(noun, spread) if spread is not None else None


def _distinct(noun: str, spread: tuple[int, Counter[str], int, str]) -> tuple[str, list[float]]:
    rows, counts, blank, unit = spread
    text = (f"这 {rows} {unit}涉及 {len(counts)} {MEASURE.get(noun, '个')}{noun}："
            + "、".join(f"{value}（{n} {unit[0]}）" for value, n in counts.most_common())
            + (f"；另有 {blank} {unit}未填{noun}" if blank else "") + "。")
    return text, [float(rows), float(len(counts)), *(float(n) for n in counts.values()), float(blank)]


def per_group_said(noun: str, result: BaseModel) -> tuple[str, list[float]] | None:
    """平均每位项目管家 3.17 个项目（38 ÷ 12，另有 3 个项目未填项目管家）, then distinct_said's sentence — the rows
    with the column filled over its different values — and the numbers said; None as _spread."""
    spread = _spread(noun, result)
    if spread is None:
        return None
    said = _distinct(noun, spread)
    _, counts, blank, unit = spread
    filled = sum(counts.values())
    mean = round(filled / len(counts), 2)
    text = (f"平均每{MEASURE.get(noun, '个')}{noun} {mean:g} {unit}（{filled} ÷ {len(counts)}"
            + (f"，另有 {blank} {unit}未填{noun}" if blank else "") + "）。" + said[0])
    return text, [*said[1], float(filled), mean]
