"""Dates, money and Chinese numerals as they appear in a contract."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_templates.formatting import cn_number, format_date, format_money, money_upper


@pytest.mark.parametrize(("amount", "words"), [
    ("68000", "人民币陆万捌仟元整"),
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.5", "人民币伍角"),
    ("1", "人民币壹元整"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("100.50", "人民币壹佰元伍角"),
    ("1005.07", "人民币壹仟零伍元零柒分"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("100000", "人民币壹拾万元整"),
    ("100001", "人民币壹拾万零壹元整"),
    ("101000", "人民币壹拾万壹仟元整"),
    ("1000001", "人民币壹佰万零壹元整"),
    ("10010000", "人民币壹仟零壹万元整"),
    ("100000000", "人民币壹亿元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("120000.35", "人民币壹拾贰万元叁角伍分"),
    ("999999999999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_money_upper_follows_payment_settlement_conventions(amount, words):
    assert money_upper(Decimal(amount)) == words


@pytest.mark.parametrize("amount", ["-1", "1000000000000"])
def test_money_upper_refuses_amounts_it_cannot_write(amount):
    with pytest.raises(ValueError):
        money_upper(Decimal(amount))


@pytest.mark.parametrize(("amount", "shown"), [
    ("68000", "¥68,000.00"), ("0", "¥0.00"), ("1234567.5", "¥1,234,567.50"), ("-3", "-¥3.00"),
])
def test_format_money_uses_yuan_sign_thousands_and_two_decimals(amount, shown):
    assert format_money(Decimal(amount)) == shown


def test_format_date_is_chinese_without_leading_zeros():
    assert format_date(date(2022, 3, 31)) == "2022年3月31日"
    assert format_date(date(2023, 1, 5)) == "2023年1月5日"


@pytest.mark.parametrize(("number", "words"), [
    (0, "零"), (4, "四"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"),
    (110, "一百一十"), (10000, "一万"),
])
def test_cn_number_writes_ordinary_numerals(number, words):
    assert cn_number(number) == words


_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_upper(words: str) -> Decimal:
    """Read financial uppercase back into a number (an independent check)."""
    assert words.startswith("人民币")
    total = section = digit = 0
    cents = 0
    for char in words[3:]:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += digit * _UNITS[char]
            digit = 0
        elif char == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        elif char == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif char == "元":
            total += section + digit
            section = digit = 0
        elif char == "角":
            cents += digit * 10
            digit = 0
        elif char == "分":
            cents += digit
            digit = 0
        else:
            assert char == "整"
    return Decimal(total) + Decimal(cents) / 100


@given(st.integers(min_value=0, max_value=99_999_999_999_999))
def test_money_upper_reads_back_to_the_same_amount(cents):
    amount = Decimal(cents) / 100
    words = money_upper(amount)
    assert _read_upper(words) == amount
    assert "零零" not in words and "零元" not in words[4:] and not words.endswith("零")
    assert words.endswith(("整", "角", "分"))
