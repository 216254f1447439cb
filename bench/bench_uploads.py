"""Uploads per second with 1, 2 and 4 web processes sharing one PostgreSQL database.

    .venv/bin/python bench/bench_uploads.py --pg-url postgresql+psycopg://u:p@127.0.0.1/postgres

For each process count: a fresh database ``govcounsel_bench_uploads`` and data dir,
``govcounsel init``, an admin with an API token, then N ``govcounsel serve --no-worker``
processes on 127.0.0.1 (one per port, all on the same database and file store) and
``--clients`` client threads uploading small .docx opinions round robin across them for
``--seconds``.  Reports uploads/s, latency p50/p95, and checks that the registration
numbers are unique and gap-free.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from uuid import uuid4

from docx import Document as Docx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROJECT = Path(__file__).resolve().parents[1]
GOVCOUNSEL = str(Path(sys.executable).with_name("govcounsel"))
DB_NAME = "govcounsel_bench_uploads"
PASSWORD = "Loadtest-pass-42"


def docx_bytes(text_: str) -> bytes:
    """A small .docx opinion."""
    document = Docx()
    for line in text_.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(url: str) -> str:
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return make_url(url).set(database=DB_NAME).render_as_string(hide_password=False)


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run([GOVCOUNSEL, *args], env=env, input=stdin, capture_output=True,
                          text=True, check=True, cwd=PROJECT)
    return done.stdout


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wait_ready(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not start")


def measure(processes: int, pg_url: str, clients: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GOVCOUNSEL_DATA_DIR": data_dir,
               "DATABASE_URL": fresh_database(pg_url), "GOVCOUNSEL_SEARCH": "postgres"}
        run(["init"], env)
        run(["create-user", "bench", "--role", "admin", "--password-stdin"], env, PASSWORD + "\n")
        token = run(["create-token", "bench"], env).strip().splitlines()[-1]
        engine = create_engine(env["DATABASE_URL"])
        with engine.begin() as conn:
            agency = conn.execute(text(
                "INSERT INTO agencies (code, name, category, is_classified_unit, active, is_demo,"
                " created_at, updated_at)"
                " VALUES ('B01', '开封市压测局', 'government_dept', false, true, false,"
                " now(), now())"
                " RETURNING id")).scalar_one()
        ports = [free_port() for _ in range(processes)]
        servers = [subprocess.Popen([GOVCOUNSEL, "serve", "--no-worker", "--port", str(p)],
                                    env=env, cwd=PROJECT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for p in ports]
        try:
            for port in ports:
                wait_ready(port, time.time() + 60)
            latencies: list[float] = []
            errors: list[str] = []
            stop = time.time() + seconds
            lock = threading.Lock()

            def client(number: int) -> None:
                count = 0
                while time.time() < stop:
                    port = ports[(number + count) % len(ports)]
                    count += 1
                    body, ctype = multipart(
                        {"agency_id": str(agency), "doc_type": "legal_opinion",
                         "title": f"压测意见书 {number}-{count}"},
                        "opinion.docx",
                        docx_bytes(f"关于第{number}组第{count}号事项的法律意见。\n依法行政。"))
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/api/v1/documents", data=body, method="POST",
                        headers={"Authorization": f"Bearer {token}", "Content-Type": ctype})
                    started = time.perf_counter()
                    try:
                        with urllib.request.urlopen(request, timeout=60) as response:
                            response.read()
                        with lock:
                            latencies.append(time.perf_counter() - started)
                    except OSError as exc:
                        with lock:
                            errors.append(str(exc))

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(30)
        with engine.connect() as conn:
            numbers = conn.execute(text("SELECT registration_no FROM documents")).scalars().all()
        engine.dispose()
    sequence = sorted(int(re.findall(r"\d+", n)[-1]) for n in numbers)
    return {"uploads": len(latencies), "per_s": len(latencies) / elapsed,
            "p50": statistics.median(latencies) * 1000,
            "p95": sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000,
            "errors": len(errors), "gap_free": sequence == list(range(1, len(sequence) + 1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("GOVCOUNSEL_TEST_PG_URL"))
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rows = {n: measure(int(n), args.pg_url, args.clients, args.seconds)
            for n in args.processes.split(",")}
    print(f"{args.clients} client threads, {args.seconds:.0f} s per row, load average "
          f"{load:.1f} before, {os.getloadavg()[0]:.1f} after.\n")
    print("| web processes | uploads | uploads/s | p50 ms | p95 ms | errors | numbers gap-free |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for n, row in rows.items():
        print(f"| {n} | {row['uploads']} | {row['per_s']:.1f} | {row['p50']:.0f} "
              f"| {row['p95']:.0f} | {row['errors']} | {'yes' if row['gap_free'] else 'NO'} |")


if __name__ == "__main__":
    main()
