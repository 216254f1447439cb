"""Benchmark: contracts generated per second through the webapp, end to end.

Each contract goes the whole way a ``POST /api/v1/engagements`` goes: parties and
pool check, field validation, the year's next number, rendering, the blob store,
registration as a document (audit, index job) and the commit. Runs in a
temporary data dir (SQLite, local blob store) and prints the median of the runs
as a markdown table beside ``bench/bench_contracts.py`` (rendering alone).

    .venv/bin/python bench/bench_contracts_webapp.py [--contracts 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp import create_app  # noqa: E402
from webapp.setup import initialise  # noqa: E402


def _world():
    from webapp.auth.services import create_user
    from webapp.extensions import db
    from webapp.models import Advisor, Agency, LawFirm, TalentPoolEntry

    agency = Agency(
        code="B01",
        name="开封市基准测试局",
        category="government_dept",
        legal_rep="王建国",
        address="开封市龙亭区中山路1号",
        contact="李娜",
        phone="0371-23456789",
    )
    firm = LawFirm(
        name="河南基准律师事务所", leader="张伟", address="开封市鼓楼区1号", phone="13812345678"
    )
    db.session.add_all([agency, firm])
    db.session.flush()
    lawyer = Advisor(name="赵敏", kind="lawyer", firm_id=firm.id, licence_no="14102201110123456")
    db.session.add(lawyer)
    db.session.flush()
    db.session.add(
        TalentPoolEntry(category="lawyer", advisor_id=lawyer.id, admitted_on=date.today())
    )
    admin = create_user("bench", "admin", "bench-password-1")
    db.session.commit()
    return admin, agency.id, lawyer.id


def _one_run(contracts: int) -> float:
    """Seconds per contract for ``contracts`` contracts in a fresh data dir."""
    from webapp.engagements import services
    from webapp.engagements.schemas import Refs
    from webapp.transaction import unit_of_work

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"GOVCOUNSEL_DATA_DIR": tmp, "GOVCOUNSEL_WORKER": False})
        initialise(app)
        with app.test_request_context():
            admin, agency_id, lawyer_id = _world()
            refs = Refs(agency_id=agency_id, advisor_id=lawyer_id)
            terms = {
                "start_date": "2022-04-01",
                "end_date": "2023-03-31",
                "annual_fee": 68000,
                "services": ["major_decision", "contract_review", "training"],
                "special_fee_terms": "按件另行协商。",
                "response_hours": 24,
                "dispute_resolution": "court",
                "copies": 4,
            }
            started = time.perf_counter()
            for _ in range(contracts):
                with unit_of_work():
                    services.create(admin, refs, terms)
            elapsed = time.perf_counter() - started
            from webapp.extensions import db

            db.session.remove()
            db.engine.dispose()
    return elapsed / contracts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    per_contract = statistics.median(_one_run(args.contracts) for _ in range(args.runs))
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| contracts per run | {args.contracts} |")
    print(f"| runs (median reported) | {args.runs} |")
    print(f"| ms per contract, end to end | {per_contract * 1000:.1f} |")
    print(f"| contracts per second | {1 / per_contract:.1f} |")


if __name__ == "__main__":
    main()
