"""Issue #15, UI findings 5 and 16 (charts): statistics count what happened, once.

Reproductions (became these tests): statistics counted each contract twice (the
generated draft and the signed scan) as 文书; "前 15 名" listed 50 rows; count charts
had 0.5 steps.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from tests.webapp.assessments_support import add_doc
from tests.webapp.engagements_support import body, create
from tests.webapp.test_engagements_lifecycle import _sign, _term
from webapp.statistics.services import year_statistics


def test_a_contract_counts_once_draft_and_signed_scan_together(client, world):
    today = date.today()
    eng = create(client, world.headers, body(world, **_term(today - timedelta(days=5))))
    assert eng.status_code == 201, eng.json
    assert _sign(client, world.headers, eng.json["id"],
                 signed_on=today.isoformat()).status_code == 200
    stats = year_statistics(today.year)
    documents, _ = stats.by_doc_type.get("contract", (0, 0))
    assert documents == 1
    assert stats.documents_total == sum(d for d, _ in stats.by_doc_type.values())


def test_top_fifteen_lists_fifteen_and_counts_step_by_whole_numbers(app, client, make_agency,
                                                                    make_advisor, make_user,
                                                                    login):
    agency = make_agency("G1")
    for n in range(20):
        advisor = make_advisor(f"顾问{n:02d}")
        add_doc(agency, date(2021, 3, 1), service_type="training", advisor_id=advisor.id)
    make_user("admin", username="bureau")
    login("bureau")
    html = client.get("/statistics/?year=2021").get_data(as_text=True)
    table = html.split('id="by-advisor"')[1].split("</table>")[0]
    assert len(re.findall(r"<tr data-advisor=", table)) == 15
    assert "其余 5 名" in html
    chart = json.loads(re.search(r'id="chart-by-advisor">(.*?)</script>', html, re.S).group(1))
    assert len(chart["data"]["labels"]) == 15
    assert chart["options"]["scales"]["x"]["ticks"]["precision"] == 0
    month = json.loads(re.search(r'id="chart-by-month">(.*?)</script>', html, re.S).group(1))
    assert month["options"]["scales"]["y"]["ticks"]["precision"] == 0
