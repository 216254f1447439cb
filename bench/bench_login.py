"""Login time for an unknown name, a known name with a wrong password, and a good login.

    .venv/bin/python bench/bench_login.py [--rounds 10]

Issue #15, finding 8: an unknown name used to answer in 8–31 ms and a known one in
250–535 ms. This builds an app on a temp data dir (SQLite, the real default hash
method, scrypt), creates one user and times ``--rounds`` logins of each kind through
the real login form (Flask test client, in process). Prints a Markdown table of
median and max milliseconds; the three medians should be within a few per cent.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time

PASSWORD = "Bench-password-42"


def _login(app, username: str, password: str) -> tuple[int, float]:
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    start = time.perf_counter()
    resp = client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})
    return resp.status_code, (time.perf_counter() - start) * 1000


def main() -> None:
    """Time the three kinds of login and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from webapp import create_app
    from webapp.auth.services import create_user
    from webapp.setup import initialise
    from webapp.transaction import unit_of_work

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"GOVCOUNSEL_DATA_DIR": tmp, "GOVCOUNSEL_WORKER": False,
                          "GOVCOUNSEL_LOGIN_RATE_PER_MINUTE": 10_000,
                          "GOVCOUNSEL_LOGIN_MAX_FAILURES": 10_000})
        initialise(app)
        with app.app_context(), unit_of_work():
            create_user("bench_admin", "admin", PASSWORD)
        kinds = {"unknown name": ("nobody_here", "wrong-password-1"),
                 "known name, wrong password": ("bench_admin", "wrong-password-1"),
                 "good login": ("bench_admin", PASSWORD)}
        print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} logins each\n")
        print("| login | status | median ms | max ms |\n| --- | ---: | ---: | ---: |")
        for label, (name, password) in kinds.items():
            runs = [_login(app, name, password) for _ in range(args.rounds)]
            times = [ms for _, ms in runs]
            print(f"| {label} | {runs[0][0]} | {statistics.median(times):.0f} | "
                  f"{max(times):.0f} |")


if __name__ == "__main__":
    main()
