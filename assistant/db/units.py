"""Money units. Conversions happen here, in code, and never in a model's head."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from assistant.db.errors import InvalidValue, UnitMismatch

# unit -> (base currency unit, factor to the base)
_UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("元", Decimal(1)),
    "万元": ("元", Decimal(10_000)),
    "亿元": ("元", Decimal(100_000_000)),
    "美元": ("美元", Decimal(1)),
    "万美元": ("美元", Decimal(10_000)),
    "亿美元": ("美元", Decimal(100_000_000)),
}
_ALIASES = {
    "亿": "亿元",
    "万": "万元",
    "人民币亿元": "亿元",
    "人民币万元": "万元",
    "万美金": "万美元",
    "亿美金": "亿美元",
    "美金": "美元",
    "usd": "美元",
    "万usd": "万美元",
}
KNOWN_UNITS: tuple[str, ...] = tuple(_UNITS)


def normalise_unit(text: str) -> str:
    """把“亿”“万美金”“（万元）”等写法规范为 亿元、万元、万美元 等；无法识别时报错。"""
    cleaned = text.strip().strip("()（）[]【】").replace(" ", "").lower()
    unit = _ALIASES.get(cleaned, cleaned)
    if unit not in _UNITS:
        raise InvalidValue(f"无法识别单位“{text}”，可用单位：{'、'.join(KNOWN_UNITS)}。")
    return unit


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """把金额从 from_unit 换算为 to_unit，如 232336 万元 → 23.2336 亿元；币种不同则报错。"""
    src, dst = normalise_unit(from_unit), normalise_unit(to_unit)
    if _UNITS[src][0] != _UNITS[dst][0]:
        raise UnitMismatch(src, dst)
    if src == dst:
        return value
    return value * _UNITS[src][1] / _UNITS[dst][1]


def round2(value: Decimal) -> Decimal:
    """Half-up to two decimals, the way the bureau's tables print percentages and amounts."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Database numbers come back as floats; str() keeps the short decimal the user typed."""
    return value if isinstance(value, Decimal) else Decimal(str(value))
