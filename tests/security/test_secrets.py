"""No secrets, data dirs or key files in the repository.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import re
import subprocess

from tests.security.support import REPO

# ---------------------------------------------------------------------------
# Secrets in the repository
# ---------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpors]-[A-Za-z0-9-]{10,}"),
    "GovCounsel API token": re.compile(r"\bgct_[A-Za-z0-9_-]{40,}"),
    "Flask secret key assignment": re.compile(
        r"""SECRET_KEY\s*[=:]\s*["'][^"'{}\s]{16,}["']"""),
    # a password in a connection URL; placeholders (USER:PASSWORD, $VAR, {var}, <pw>) are fine
    "password in a URL": re.compile(r"\b[a-z+]+://[^/\s:@]+:(?![A-Z_]+@|[$<{*])[^/\s:@]{6,}@"),
}
# (path, pattern name) -> why the match is not a secret
SECRET_ALLOW = {
    (".ci/run", "password in a URL"): "CI's throwaway PostgreSQL role on 127.0.0.1",
}
FORBIDDEN_FILES = re.compile(
    r"(^|/)(var/|\.env$|secret_key$|demo_logins\.txt$|.*\.(db|sqlite|sqlite3|pem|key|p12)$"
    r"|id_rsa|\.htpasswd$)")


def _repo_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=REPO, capture_output=True,
                             check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        from tests.helpers import skip_or_fail

        skip_or_fail(f"git ls-files failed: {exc}")
    return [p for p in out.decode().split("\0") if p and (REPO / p).is_file()]


def test_no_secrets_in_the_repository():
    found = []
    files = _repo_files()
    for rel in files:
        data = (REPO / rel).read_bytes()
        if b"\0" in data[:4096] or len(data) > 5_000_000:
            continue  # binary (docx, fonts, images) or data files
        text = data.decode("utf-8", errors="replace")
        for name, pattern in SECRET_PATTERNS.items():
            if (rel, name) in SECRET_ALLOW:
                continue
            for match in pattern.finditer(text):
                found.append(f"{rel}: {name}: {match.group(0)[:40]}")
    assert not found, found
    assert len(files) > 100


def test_no_data_dir_or_key_files_in_the_repository():
    offending = [p for p in _repo_files() if FORBIDDEN_FILES.search(p)]
    assert not offending, offending
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "var/" in ignored, "the default data dir must be ignored"
