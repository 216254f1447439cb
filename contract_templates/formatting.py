"""How values are written into a contract: dates, money, Chinese numerals.

Dates read ``2022年3月31日``; money reads ``¥68,000.00`` and, in words, the
financial uppercase used on contracts and cheques (``人民币陆万捌仟元整``)
following the 《支付结算办法》 conventions: ``整`` after ``元``, none after
``角``/``分``; one ``零`` for any run of zeros; ``壹拾`` rather than ``拾``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UPPER_UNITS = ("", "拾", "佰", "仟")
_LOWER_DIGITS = "零一二三四五六七八九"
_LOWER_UNITS = ("", "十", "百", "千")
_SECTION_UNITS = ("", "万", "亿")
_CENT = Decimal("0.01")

MAX_MONEY = Decimal("999999999999.99")
"""Largest amount :func:`money_upper` can write (just under 一万亿)."""


def format_date(value: date) -> str:
    """``date(2022, 3, 31)`` -> ``2022年3月31日``."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_money(value: Decimal) -> str:
    """``Decimal("68000")`` -> ``¥68,000.00`` (negative amounts keep their sign)."""
    amount = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def _section(number: int, digits: str, units: tuple[str, ...]) -> str:
    """Write 1..9999 with one ``零`` per inner run of zeros and no trailing zeros."""
    out: list[str] = []
    pending_zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        out.append(digits[digit] + units[position])
    return "".join(out)


def _integer_words(number: int, digits: str, units: tuple[str, ...]) -> str:
    """Write a non-negative integer below 10^12 in sections of 万 and 亿."""
    if number == 0:
        return digits[0]
    sections: list[int] = []
    while number:
        sections.append(number % 10000)
        number //= 10000
    out = ""
    zero_gap = False
    for index in range(len(sections) - 1, -1, -1):
        part = sections[index]
        if part == 0:
            zero_gap = bool(out)
            continue
        if out and (zero_gap or part < 1000):
            out += digits[0]
        out += _section(part, digits, units) + _SECTION_UNITS[index]
        zero_gap = False
    return out


def money_upper(value: Decimal) -> str:
    """``Decimal("68000")`` -> ``人民币陆万捌仟元整``; ``1005.07`` -> ``人民币壹仟零伍元零柒分``.

    Raises ``ValueError`` for negative amounts and amounts above :data:`MAX_MONEY`.
    """
    amount = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount < 0 or amount > MAX_MONEY:
        raise ValueError(f"amount out of range for uppercase writing: {amount}")
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "人民币零元整"
    out = ""
    if yuan:
        out = _integer_words(yuan, _UPPER_DIGITS, _UPPER_UNITS) + "元"
    if jiao == 0 and fen == 0:
        return f"人民币{out}整"
    if jiao:
        out += _UPPER_DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _UPPER_DIGITS[fen] + "分"
    return f"人民币{out}"


def cn_number(value: int) -> str:
    """Ordinary Chinese numerals: ``4`` -> ``四``, ``12`` -> ``十二``, ``105`` -> ``一百零五``."""
    if value < 0 or value >= 10**12:
        raise ValueError(f"number out of range for Chinese numerals: {value}")
    words = _integer_words(value, _LOWER_DIGITS, _LOWER_UNITS)
    return words[1:] if words.startswith("一十") else words
