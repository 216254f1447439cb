"""Assertions shared by the security tests: response headers and inline-script checks."""

from __future__ import annotations

import re

REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                     "strict-origin-when-cross-origin"}
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*",
                  "http:", "https:"}


def csp_directives(value: str) -> dict[str, list[str]]:
    """``{"script-src": ["'self'"], ...}`` from a Content-Security-Policy value."""
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def security_header_problems(headers) -> list[str]:
    """What is wrong with a response's security headers (empty when all is well)."""
    problems = []
    csp = headers.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        d = csp_directives(csp)
        scripts = d.get("script-src", d.get("default-src"))
        if scripts is None:
            problems.append("CSP restricts no script source")
        elif UNSAFE_SOURCES & set(scripts):
            problems.append(f"CSP allows unsafe script sources: {scripts}")
        if d.get("frame-ancestors") not in (["'none'"], ["'self'"]):
            problems.append(f"CSP frame-ancestors is {d.get('frame-ancestors')}")
        objects = d.get("object-src", d.get("default-src"))
        if objects not in (["'none'"], ["'self'"]):
            problems.append(f"CSP object-src is {objects}")
    if headers.get("X-Frame-Options", "").upper() != "DENY":
        problems.append(f"X-Frame-Options is {headers.get('X-Frame-Options')!r}")
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append(f"X-Content-Type-Options is {headers.get('X-Content-Type-Options')!r}")
    if headers.get("Referrer-Policy", "").lower() not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {headers.get('Referrer-Policy')!r}")
    return problems


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""",
                    re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def inline_script_problems(html: str) -> list[str]:
    """Inline script (which the CSP blocks, so it would also be a broken page)."""
    problems = []
    for attrs in SCRIPT_TAG.findall(html):
        if "src=" in attrs.lower():
            continue
        kind = re.search(r"""type\s*=\s*["']([^"']+)""", attrs, re.IGNORECASE)
        if kind and kind.group(1).lower() in DATA_TYPES:
            continue
        problems.append(f"inline <script{attrs}>")
    problems += [f"inline event handler: {m.group(0)[:80]}" for m in EVENT_HANDLER.finditer(html)]
    problems += [f"javascript: URL: {m.group(0)[:80]}" for m in JS_URL.finditer(html)]
    problems += [f"inline style attribute: {m.group(0)[:80]}" for m in STYLE_ATTR.finditer(html)]
    return problems
