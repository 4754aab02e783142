"""Chinese numerals, both ways: 二十三 → 23 and 23 → 二十三. Pure: no I/O.

The one table every layer reads (the number checker, the time words of retrieval, the periods of the database),
so that 两, 〇 and 十一 mean the same everywhere.
"""

from __future__ import annotations

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_value(text: str) -> int | None:
    """二十三 → 23, 十一 → 11, 一百零五 → 105, 两千 → 2000; None when `text` is not a Chinese numeral."""
    if not text:
        return None
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def number_value(written: str) -> int | None:
    """A small count as staff write it, in Arabic or Chinese numerals: "12" → 12, "十二" → 12."""
    return int(written) if written.isdigit() else chinese_value(written)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三, 105 → 一百零五, 115 → 一百一十五 (as 第…期, 第…号 and （一） are
    written), for 0 ≤ n < 1000."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    head = digits[hundreds] + "百"
    if not rest:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + ("一" if rest < 20 else "") + chinese_numeral(rest)
