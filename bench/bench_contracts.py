"""Benchmark: contracts rendered per second, for every template kind, and redlines.

Renders N contracts from the committed standard template (each with its own
contract number and lawyers), several times, and prints the median as a
markdown table: one process, and one process per core working in parallel.
Then, per kind (常年法律顾问, 法学专家个人顾问, 专项法律服务, 补充协议), N contracts
from its newest shipped version and sample values (own number each, every
offered clause included), the upload check with the sample preview, and the
redline of a generated contract against the template rendering (structure,
HTML, tracked-changes .docx). Target: under 100 ms per contract on a 2-core machine.

    python bench/bench_contracts.py [--contracts 50] [--runs 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

from contract_templates import check_template, latest_version, render, validate_values
from contract_templates.build_screenshots import CLAUSES
from contract_templates.kinds import list_kinds
from contract_templates.redline import compare
from contract_templates.redline_docx import tracked_docx
from contract_templates.redline_html import to_html
from contract_templates.registry import check_upload, latest_shipped

TARGET_MS = 100.0


def sample_values(index: int) -> dict:
    """Realistic values for contract number ``index``."""
    return {
        "contract_no": f"汴司顾〔2022〕{index:03d}号",
        "agency_name": f"开封市第{index}局",
        "agency_legal_rep": "王建国",
        "agency_address": "开封市龙亭区中山路北段1号",
        "agency_contact": "李娜",
        "agency_phone": "0371-23456789",
        "firm_name": "河南汴梁律师事务所",
        "firm_leader": "张伟",
        "firm_address": "开封市鼓楼区自由路88号",
        "firm_phone": "13812345678",
        "advisor_name": "赵敏",
        "lawyers": [
            {"name": f"律师{k}", "licence_no": f"141022011{index:04d}{k:04d}"}
            for k in range(1 + index % 4)
        ],
        "services": ["major_decision", "normative_document", "contract_review", "training"],
        "start_date": "2022-04-01",
        "end_date": "2023-03-31",
        "annual_fee": str(50000 + index * 100),
        "special_fee_terms": "代理诉讼、仲裁案件按件另行签订委托代理合同。",
        "response_hours": 24,
        "dispute_resolution": "court" if index % 2 else "arbitration",
        "copies": 4,
    }


def render_batch(count: int) -> float:
    """Render ``count`` contracts; the wall time in seconds."""
    version = latest_version()
    start = time.perf_counter()
    for index in range(count):
        render(version.docx_bytes, version.manifest, sample_values(index))
    return time.perf_counter() - start


def parallel_batch(count: int, workers: int, pool: ProcessPoolExecutor) -> float:
    """Render ``count`` contracts in each of ``workers`` processes; the wall time."""
    start = time.perf_counter()
    list(pool.map(render_batch, [count] * workers))
    return time.perf_counter() - start


def timed(action, runs: int) -> float:
    """Median wall time of ``runs`` calls of ``action``."""
    return statistics.median(action() for _ in range(runs))


def row(name: str, contracts: int, seconds: float) -> str:
    per = seconds / contracts * 1000
    verdict = "ok" if per < TARGET_MS else "SLOW"
    return (
        f"| {name} | {contracts} | {seconds:.3f} | {per:.1f} | {contracts / seconds:.1f} "
        f"| {verdict} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="contracts rendered per second")
    parser.add_argument("--contracts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    version = latest_version()
    render_batch(3)  # warm-up: imports, regex compilation
    n = args.contracts
    single = timed(lambda: render_batch(n), args.runs)
    with ProcessPoolExecutor(args.workers) as pool:
        parallel_batch(2, args.workers, pool)
        parallel = timed(lambda: parallel_batch(n, args.workers, pool), args.runs)
    values = [sample_values(i) for i in range(n)]
    validate = timed(
        lambda: _time(lambda: [validate_values(version.manifest, v) for v in values]), args.runs
    )
    check = timed(
        lambda: _time(
            lambda: [check_template(version.docx_bytes, version.manifest) for _ in range(n)]
        ),
        args.runs,
    )
    print(
        f"standard template {version.version} ({len(version.docx_bytes):,} bytes), "
        f"median of {args.runs} runs, {os.cpu_count()} cores\n"
    )
    print("| scenario | contracts | median s | ms/contract | contracts/s | < 100 ms |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    print(row("render, 1 process", n, single))
    print(row(f"render, {args.workers} processes", n * args.workers, parallel))
    print(row("validate_values only", n, validate))
    print(row("check_template only", n, check))
    for line in kind_rows(n, args.runs):
        print(line)


def kind_batch(kind: str, count: int) -> float:
    """Render ``count`` contracts of ``kind`` from its sample values; the wall time."""
    version = latest_shipped(kind)
    clauses = [c for c in CLAUSES if version.manifest.clause_slot(c.name)]
    start = time.perf_counter()
    for index in range(count):
        values = dict(version.manifest.sample or {})
        values["contract_no"] = f"汴法〔2022〕第{index:03d}号"
        render(version.docx_bytes, version.manifest, values, clauses=clauses)
    return time.perf_counter() - start


def kind_rows(count: int, runs: int) -> list[str]:
    """One table row per kind, plus the upload check and redline rows."""
    out = []
    for kind in list_kinds():
        kind_batch(kind.code, 2)
        out.append(row(f"render {kind.label} ({kind.code})", count,
                       timed(lambda k=kind.code: kind_batch(k, count), runs)))
    version = latest_shipped("standard")
    out.append(row("check_upload with sample preview (standard)", count // 5, timed(
        lambda: _time(lambda: [check_upload(version.docx_bytes, version.manifest)
                               for _ in range(count // 5)]), runs)))
    before = render(version.docx_bytes, version.manifest, version.manifest.sample)
    values = dict(version.manifest.sample) | {"annual_fee": "80000", "copies": 6}
    after = render(version.docx_bytes, version.manifest, values)
    when = datetime(2022, 4, 1, tzinfo=UTC)
    for name, action in (("redline compare + HTML", lambda: to_html(compare(before, after))),
                         ("redline tracked .docx", lambda: tracked_docx(
                             before, after, author="市司法局", date=when))):
        out.append(row(name, count // 5, timed(
            lambda a=action: _time(lambda: [a() for _ in range(count // 5)]), runs)))
    return out


def _time(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
