"""Search over HTTP on the 3,475 laws, per engine, as an admin and as a clerk.

    .venv/bin/python bench/bench_http_search.py [--engine tantivy whoosh] [--queries 100]

Builds a data dir with the demo registers and the 3,475 laws of the corpus as extracted
documents (as ``bench_reindex.py --laws`` does), then per engine: ``govcounsel reindex``,
a real ``govcounsel serve`` on a free port, and ``--queries`` searches of each kind (1, 2,
3 jieba terms, quoted 2–6 characters, one character; ``GET /api/v1/search``, first page
of 20 with snippets, total and facets) with an admin's and a clerk's token, one at a
time.  Prints a Markdown table with the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reindex import build_data_dir, run_reindex  # noqa: E402
from bench_search import make_queries, percentile  # noqa: E402

GOVCOUNSEL = Path(sys.executable).parent / "govcounsel"


def serve(data_dir: Path, engine: str) -> tuple[subprocess.Popen, str, dict[str, str]]:
    """Start ``govcounsel serve`` on ``data_dir``; returns it, its URL and its env."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, GOVCOUNSEL_DATA_DIR=str(data_dir), GOVCOUNSEL_SEARCH=engine,
               GOVCOUNSEL_SEARCH_PER_USER="100")
    log = (data_dir / f"serve-{engine}.log").open("wb")
    proc = subprocess.Popen([str(GOVCOUNSEL), "serve", "--host", "127.0.0.1", "--port",
                             str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(url + "/healthz", timeout=5).status_code == 200:
                return proc, url, env
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def token(env: dict[str, str], user: str) -> str:
    """An API token of ``user`` (``govcounsel create-token``)."""
    done = subprocess.run([str(GOVCOUNSEL), "create-token", user], env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def time_http(url: str, bearer: str, queries: list[str]) -> dict[str, float]:
    """Milliseconds per ``GET /api/v1/search`` (first page of 20)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {bearer}"
    session.get(url + "/api/v1/search", params={"q": "法律"}, timeout=60)  # warm
    times, totals = [], []
    for query in queries:
        started = time.perf_counter()
        response = session.get(url + "/api/v1/search", params={"q": query}, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        totals.append(response.json()["total"])
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
            "hits": sorted(totals)[len(totals) // 2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", nargs="+", default=["tantivy", "whoosh"])
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="govcounsel-http-") as directory:
        data_dir = Path(directory) / "data"
        _, sample, _ = build_data_dir(data_dir, 0, 0, laws_only=True)
        queries = make_queries(sample, args.queries)
        for engine in args.engine:
            run_reindex(data_dir, 1000, engine)
            proc, url, env = serve(data_dir, engine)
            try:
                bearers = {"admin": token(env, "admin"), "clerk": token(env, "clerk")}
                for role, bearer in bearers.items():
                    for name, items in queries.items():
                        load = os.getloadavg()[0]
                        rows.append((engine, role, name, time_http(url, bearer, items), load))
                        print(engine, role, name, rows[-1][3], file=sys.stderr)
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    print(f"`bench/bench_http_search.py --engine {' '.join(args.engine)}` — 3,475 laws, "
          f"{args.queries} queries per kind, one at a time\n")
    print("| engine | user | query | p50 ms | p95 ms | median total | load |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for engine, role, name, row, load in rows:
        print(f"| {engine} | {role} | {name} | {row['p50']:.1f} | {row['p95']:.1f} "
              f"| {row['hits']} | {load:.1f} |")


if __name__ == "__main__":
    main()
