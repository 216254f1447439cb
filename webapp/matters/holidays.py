"""The public-holiday schedule shipped with GovCounsel (the admin maintains it in 系统设置).

Source: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社北京11月4日电）.
Each holiday is a day off (``holiday``) and each 调休 Saturday/Sunday a working day
(``workday``). The 2027 schedule was not available to us when this was shipped; the
admin enters it in 系统设置 → 节假日与调休 once the State Council publishes it.
"""

from __future__ import annotations

from datetime import date, timedelta

SOURCE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"

# (first day, last day, name) of each holiday period, and the swapped workdays.
HOLIDAYS_2026 = (
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
)
WORKDAYS_2026 = (
    (date(2026, 1, 4), "元旦调休上班"),
    (date(2026, 2, 14), "春节调休上班"),
    (date(2026, 2, 28), "春节调休上班"),
    (date(2026, 5, 9), "劳动节调休上班"),
    (date(2026, 9, 20), "国庆节调休上班"),
    (date(2026, 10, 10), "国庆节调休上班"),
)


def shipped_rows() -> list[dict]:
    """The shipped schedule as ``calendar_days`` rows (used by the migration)."""
    rows = []
    for first, last, name in HOLIDAYS_2026:
        day = first
        while day <= last:
            rows.append({"day": day, "kind": "holiday", "name": name, "source": SOURCE_2026})
            day += timedelta(days=1)
    rows += [{"day": day, "kind": "workday", "name": name, "source": SOURCE_2026}
             for day, name in WORKDAYS_2026]
    return rows
