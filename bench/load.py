"""Load: simulated users against a real ``govcounsel serve --demo`` on 127.0.0.1.

    .venv/bin/python bench/load.py [--duration 180] [--users 20] [--think 1.0] [--pdfs 80]

A fresh temp data dir (embedded profile unless ``--database-url``) is served on a free
port with the demo data; ``govcounsel create-token`` gives each demo account a bearer
token for the API. Each user is a thread that logs in once through the login form (its
session serves the HTML pages), then until the time is up picks an action: upload a .docx
or .pdf made from a law of ``../shared/corpus`` (API), search with a phrase or two words
of an uploaded text (API), or view a page (dashboard, document list, a document, search).
Users cycle through the demo roles admin, clerk, advisor, auditor; auditors upload nothing.
All users come from 127.0.0.1, so the server runs with a login rate limit of 1000 a minute.

Afterwards it waits until the index has caught up, checks every acknowledged upload
(201 + id) through the API (present, downloaded bytes hash to what was sent, registration
number, found by a quoted search of a phrase of its text), stops the server and runs
``govcounsel verify``. Prints markdown tables; exits 1 on any 5xx or failed check.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from docx import Document as Docx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "laws.tar.xz"
GOVCOUNSEL = Path(sys.executable).with_name("govcounsel")
DOC_TYPES = ("legal_opinion", "legality_review", "risk_assessment", "review_report", "other")
ROLES = ("admin", "clerk", "advisor", "auditor")
WEIGHTS = {"upload": 15, "search_api": 35, "page_dashboard": 10, "page_documents": 15,
           "page_document": 15, "page_search": 10}
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
HAN = re.compile(r"[\u4e00-\u9fff]+")
TIMEOUT = 120

# --- files ---------------------------------------------------------------------------


def law_texts(count: int, min_chars: int = 2000, max_chars: int = 8000) -> list[str]:
    """Texts of ``count`` laws (2,000–8,000 characters) without their Markdown header."""
    texts = []
    with tarfile.open(CORPUS) as tar:
        for member in tar:
            if not member.name.endswith(".md") or not min_chars * 3 <= member.size <= \
                    max_chars * 3:
                continue
            text = tar.extractfile(member).read().decode("utf-8")
            lines = [ln.lstrip("# ").strip() for ln in text.splitlines()
                     if ln.strip() and not ln.startswith("<!--")]
            texts.append("\n".join(lines))
            if len(texts) == count:
                break
    return texts


def make_docx(text: str) -> bytes:
    """A .docx with one paragraph per line (python-docx)."""
    doc = Docx()
    for line in text.splitlines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_pdfs(texts: list[str], folder: Path) -> list[bytes]:
    """PDFs of ``texts`` made by LibreOffice in one batch (none without ``soffice``)."""
    if not texts:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for n, text in enumerate(texts):
        sources.append(folder / f"pdf{n:04d}.docx")
        sources[-1].write_bytes(make_docx(text))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile",
                        "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                        *map(str, sources)], check=True, capture_output=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"no PDFs ({exc}); uploading .docx only", file=sys.stderr)
        return []
    return [p.with_suffix(".pdf").read_bytes() for p in sources]


def phrase_of(text: str, rng: random.Random, length: int) -> str:
    """A run of ``length`` Chinese characters from ``text``."""
    runs = [r for r in HAN.findall(text) if len(r) >= length] or ["法律意见"]
    run = rng.choice(runs)
    start = rng.randrange(len(run) - length + 1)
    return run[start:start + length]


@dataclass
class Item:
    """An upload: the file sent and, once acknowledged, its document id."""

    kind: str
    filename: str
    title: str
    data: bytes
    sha256: str
    phrase: str
    doc_id: int = 0


class Uploads:
    """Files to upload (each text once, unique bytes) and the acknowledged ones."""

    def __init__(self, texts: list[str], pdfs: list[tuple[bytes, str]]) -> None:
        self.texts, self.pdfs = texts, pdfs
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        self.acked: list[Item] = []

    def next_file(self, rng: random.Random) -> Item:
        """A PDF one time in five while they last, else a fresh .docx."""
        with self.lock:
            n = next(self.counter)
            pdf = self.pdfs.pop() if self.pdfs and rng.random() < 0.2 else None
        if pdf:
            data, text = pdf
            kind = "pdf"
        else:
            text = f"负载测试文书第{n}号\n{self.texts[n % len(self.texts)]}"
            data, kind = make_docx(text), "docx"
        title = text.splitlines()[1 if kind == "docx" else 0][:60]
        middle = text[len(text) // 3:]
        return Item(kind, f"load-{n}.{kind}", title, data, hashlib.sha256(data).hexdigest(),
                    phrase_of(middle, random.Random(n), 12))

    def acknowledge(self, item: Item, doc_id: int) -> None:
        item.doc_id = doc_id
        with self.lock:
            self.acked.append(item)

    def sample_text(self, rng: random.Random) -> str:
        with self.lock:
            return rng.choice(self.acked).phrase if self.acked else rng.choice(self.texts)


# --- the server ----------------------------------------------------------------------


class Server:
    """``govcounsel serve --demo`` on a temp data dir and a free port."""

    def __init__(self, database_url: str | None) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="govcounsel-load-"))
        self.env = dict(os.environ, GOVCOUNSEL_DATA_DIR=str(self.tmp / "data"),
                        GOVCOUNSEL_LOGIN_RATE_PER_MINUTE="1000", PYTHONUNBUFFERED="1")
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.admin = requests.Session()

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(GOVCOUNSEL), *args], env=self.env, capture_output=True,
                              text=True, timeout=3600)

    def start(self) -> None:
        log = (self.tmp / "server.log").open("wb")
        self.process = subprocess.Popen(
            [str(GOVCOUNSEL), "serve", "--demo", "--host", "127.0.0.1", "--port",
             str(self.port)], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited; see {self.tmp / 'server.log'}")
            try:
                if requests.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit("server did not start")

    def tokens(self, roles: tuple[str, ...]) -> dict[str, str]:
        """An API token per demo account (``create-token``, run in parallel)."""
        with ThreadPoolExecutor(len(roles)) as pool:
            results = dict(zip(roles, pool.map(lambda r: self.cli("create-token", r), roles),
                               strict=True))
        tokens = {role: r.stdout.strip().splitlines()[-1] for role, r in results.items()}
        self.admin.headers["Authorization"] = f"Bearer {tokens['admin']}"
        return tokens

    def logins(self) -> dict[str, str]:
        lines = (self.tmp / "data" / "demo_logins.txt").read_text("utf-8").splitlines()
        return dict(line.split("\t", 1) for line in lines if "\t" in line)

    def api(self, path: str, **params) -> dict:
        response = self.admin.get(self.url + path, params=params, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()

    def download_sha(self, path: str) -> str:
        response = self.admin.get(self.url + path, timeout=TIMEOUT)
        response.raise_for_status()
        return hashlib.sha256(response.content).hexdigest()

    def wait_indexed(self, timeout: float) -> tuple[float, int]:
        """Wait until no document waits for the index; returns (seconds, still waiting)."""
        start, waiting = time.monotonic(), -1
        while waiting and time.monotonic() - start < timeout:
            waiting, page, seen, total = 0, 1, 0, 1
            while seen < total:
                body = self.api("/api/v1/documents", per_page=200, page=page)
                waiting += sum(d["index_status"] != "indexed" for d in body["items"])
                seen, total, page = seen + len(body["items"]), body["total"], page + 1
            time.sleep(10 if waiting else 0)  # a listing is not free: poll gently
        return time.monotonic() - start, waiting

    def finds(self, phrase: str, doc_id: int) -> bool:
        """Whether a quoted search of ``phrase`` lists ``doc_id`` (first five pages)."""
        for page in range(1, 6):
            body = self.api("/api/v1/search", q=f'"{phrase}"', per_page=100, page=page)
            if any(hit["id"] == doc_id for hit in body["hits"]):
                return True
            if page * 100 >= body["total"]:
                return False
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


# --- users and figures ---------------------------------------------------------------


class Stats:
    """Latencies and statuses per kind of request (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[tuple[float, int | None]]] = {}

    def record(self, kind: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append((seconds, status))

    def server_errors(self) -> int:
        return sum(1 for s in self.samples.values() for _, st in s if st and st >= 500)

    def table(self, elapsed: float) -> str:
        rows = ["| kind | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | 4xx | 5xx "
                "| no answer |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                "| ---: |"]
        everything = [x for kind in sorted(self.samples) for x in self.samples[kind]]
        for kind, samples in [*sorted(self.samples.items()), ("all", everything)]:
            times = sorted(t * 1000 for t, _ in samples)
            pick = [times[min(len(times) - 1, int(q * len(times)))] for q in (.5, .95, .99)]
            statuses = [st for _, st in samples]
            rows.append(
                f"| {kind} | {len(samples)} | {len(samples) / elapsed:.2f} | "
                + " | ".join(f"{v:.0f}" for v in [*pick, times[-1]])
                + f" | {sum(1 for s in statuses if s and 400 <= s < 500)} | "
                f"{sum(1 for s in statuses if s and s >= 500)} | {statuses.count(None)} |")
        return "\n".join(rows)


class User(threading.Thread):
    """One simulated user: a login session for pages and its role's token for the API."""

    def __init__(self, n: int, role: str, ctx: dict) -> None:
        super().__init__(name=f"user-{n}", daemon=True)
        self.role, self.ctx, self.rng = role, ctx, random.Random(n)
        self.pages, self.api = requests.Session(), requests.Session()
        self.api.headers["Authorization"] = f"Bearer {ctx['tokens'][role]}"
        self.agencies: list[int] = []
        self.seen: list[int] = []

    def call(self, kind: str, session: requests.Session, method: str, path: str, **kw):
        """One request, timed and counted under ``kind``; None when no answer came."""
        start = time.perf_counter()
        try:
            response = session.request(method, self.ctx["url"] + path, timeout=TIMEOUT,
                                       allow_redirects=False, **kw)
        except requests.RequestException:
            self.ctx["stats"].record(kind, time.perf_counter() - start, None)
            return None
        self.ctx["stats"].record(kind, time.perf_counter() - start, response.status_code)
        return response

    def run(self) -> None:
        page = self.pages.get(self.ctx["url"] + "/login", timeout=TIMEOUT).text
        token = CSRF.search(page)
        self.call("login", self.pages, "POST", "/login", data={
            "username": self.role, "password": self.ctx["logins"][self.role],
            "csrf_token": token.group(1) if token else ""})
        listing = self.api.get(self.ctx["url"] + "/api/v1/agencies", timeout=TIMEOUT)
        self.agencies = [a["id"] for a in listing.json()["items"]]
        kinds = [k for k in WEIGHTS if k != "upload" or
                 (self.role != "auditor" and self.agencies)]
        weights = [WEIGHTS[k] for k in kinds]
        while time.monotonic() < self.ctx["deadline"]:
            getattr(self, self.rng.choices(kinds, weights)[0])()
            time.sleep(self.ctx["think"] * self.rng.uniform(0.5, 1.5))

    def upload(self) -> None:
        item = self.ctx["uploads"].next_file(self.rng)
        response = self.call(f"upload_{item.kind}", self.api, "POST", "/api/v1/documents",
                             files={"file": (item.filename, io.BytesIO(item.data))},
                             data={"agency_id": str(self.rng.choice(self.agencies)),
                                   "doc_type": self.rng.choice(DOC_TYPES),
                                   "title": item.title})
        if response is not None and response.status_code == 201:
            self.ctx["uploads"].acknowledge(item, response.json()["id"])
            self.seen.append(item.doc_id)

    def query(self) -> str:
        text = self.ctx["uploads"].sample_text(self.rng)
        if self.rng.random() < 0.5:
            return f'"{phrase_of(text, self.rng, 6)}"'
        return f"{phrase_of(text, self.rng, 2)} {phrase_of(text, self.rng, 2)}"

    def search_api(self) -> None:
        response = self.call("search_api", self.api, "GET", "/api/v1/search",
                             params={"q": self.query()})
        if response is not None and response.status_code == 200:
            self.seen = [*self.seen, *(hit["id"] for hit in response.json()["hits"][:3])][-50:]

    def page_dashboard(self) -> None:
        self.call("page_dashboard", self.pages, "GET", "/")

    def page_documents(self) -> None:
        self.call("page_documents", self.pages, "GET", "/documents/",
                  params={"page": self.rng.randint(1, 3)})

    def page_document(self) -> None:
        if not self.seen:
            return self.page_documents()
        self.call("page_document", self.pages, "GET", f"/documents/{self.rng.choice(self.seen)}")

    def page_search(self) -> None:
        self.call("page_search", self.pages, "GET", "/search/", params={"q": self.query()})


def check_uploads(server: Server, uploads: Uploads, timeout: float) -> dict:
    """Wait for the index to catch up, then check every acknowledged upload."""
    seconds, waiting = server.wait_indexed(timeout)
    counts = {"acknowledged uploads (201 + id)": len(uploads.acked),
              "index caught up after the load (s)": round(seconds),
              "documents not indexed": waiting, "present": 0, "SHA-256 matches": 0,
              "registered": 0, "found by quoted search": 0}
    for item in uploads.acked:
        doc = server.api(f"/api/v1/documents/{item.doc_id}")
        counts["present"] += doc["id"] == item.doc_id
        stored = server.download_sha(f"/api/v1/documents/{item.doc_id}/file")
        counts["SHA-256 matches"] += doc["sha256"] == stored == item.sha256
        counts["registered"] += bool(doc["registration_no"])
        found = server.finds(item.phrase, item.doc_id)
        counts["found by quoted search"] += found
        if not found:
            print(f"not found: document {item.doc_id} ({item.kind}) by \"{item.phrase}\"",
                  file=sys.stderr)
    return counts


def machine() -> str:
    """CPU model and count, memory, Python."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text()
                .splitlines() if ln.startswith("model name")), platform.processor())
    mem = next((int(ln.split()[1]) // 1024 // 1024 for ln in Path("/proc/meminfo")
                .read_text().splitlines() if ln.startswith("MemTotal")), 0)
    return (f"{os.cpu_count()} × {cpu}, {mem} GiB, {platform.system()} "
            f"{platform.release()}, CPython {platform.python_version()}")


def report(args, stats: Stats, elapsed: float, loads: tuple, checks: dict) -> None:
    print(f"## {args.users} users, {args.duration:.0f} s, think time {args.think} s\n")
    print(f"{machine()}. Load average (1 min) before {loads[0][0]:.2f}, at the end of the "
          f"load {loads[1][0]:.2f} (5 min: {loads[1][1]:.2f}).\n")
    print(stats.table(elapsed))
    print("\n| check | result |\n| --- | ---: |")
    for name, value in checks.items():
        print(f"| {name} | {value} |")


def run(args) -> int:
    before = os.getloadavg()
    texts = law_texts(args.texts)
    with Server(args.database_url) as server:
        pdf_texts = texts[len(texts) - args.pdfs:]
        uploads = Uploads(texts, list(zip(make_pdfs(pdf_texts, server.tmp / "pdf"), pdf_texts,
                                          strict=False)))
        server.start()
        tokens = server.tokens(ROLES)
        demo_indexed, _ = server.wait_indexed(args.catch_up)
        server.api("/api/v1/search", q="法律意见")  # a warm server: dictionaries loaded
        stats = Stats()
        ctx = {"url": server.url, "tokens": tokens, "logins": server.logins(),
               "stats": stats, "uploads": uploads, "think": args.think,
               "deadline": time.monotonic() + args.duration}
        users = [User(n, ROLES[n % len(ROLES)], ctx) for n in range(args.users)]
        began = time.monotonic()
        for user in users:
            user.start()
        for user in users:
            user.join()
        elapsed, after = time.monotonic() - began, os.getloadavg()
        checks = {"demo documents indexed before the load (s)": round(demo_indexed),
                  **check_uploads(server, uploads, args.catch_up)}
        server.stop()
        verify = server.cli("verify")
    checks["server errors (5xx)"] = stats.server_errors()
    checks["`govcounsel verify`"] = "passed" if verify.returncode == 0 else "FAILED"
    checks["index jobs still queued (verify)"] = "尚在队列中" in verify.stdout
    report(args, stats, elapsed, (before, after), checks)
    acked = checks["acknowledged uploads (201 + id)"]
    good = all(checks[k] == acked for k in ("present", "SHA-256 matches", "registered",
                                            "found by quoted search"))
    if good and not verify.returncode and not checks["server errors (5xx)"] \
            and not checks["documents not indexed"]:
        shutil.rmtree(server.tmp, ignore_errors=True)
        return 0
    print(f"{verify.stdout[-3000:]}{verify.stderr[-3000:]}\nkept {server.tmp}", file=sys.stderr)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=180, help="seconds of load")
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated users")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between one user's actions, in seconds")
    parser.add_argument("--pdfs", type=int, default=80, help="PDFs made before the run")
    parser.add_argument("--texts", type=int, default=1500, help="laws to draw uploads from")
    parser.add_argument("--catch-up", type=float, default=1800,
                        help="longest wait for the index after the load, in seconds")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: embedded SQLite)")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
