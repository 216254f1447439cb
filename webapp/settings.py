"""Every GovCounsel setting, declared once with its default and a help line.

Settings come from environment variables (and an optional ``config.json`` in the
data dir, whose keys are the same names). ``load_settings`` resolves them into
a plain dict that ``create_app`` puts into ``app.config``. Unknown keys in the
config file produce a warning, so typos do not go unnoticed. A new setting is one
``Setting`` entry here plus its row in the README (``settings_table``; a test
checks the README table is exactly what this module renders).
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration key: environment name, default, parser and help text."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _bool(value: str) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


SETTINGS: tuple[Setting, ...] = (
    Setting("GOVCOUNSEL_DATA_DIR", "./var", "数据目录：数据库、文件库、索引和密钥都放在这里"),
    Setting("DATABASE_URL", None, "数据库地址；默认是数据目录中的 SQLite（WAL 模式）"),
    Setting("GOVCOUNSEL_STORE", None, "文件库位置；默认是数据目录下的 blobs 文件夹"),
    Setting("GOVCOUNSEL_SEARCH", "tantivy",
            "检索引擎：tantivy（默认，编译型引擎，索引在数据目录；本机无法导入 tantivy 时自动改用"
            " whoosh 并记入日志和 /healthz）、whoosh（纯 Python）或 postgres（PostgreSQL 全文"
            "检索，索引表在 DATABASE_URL 指向的数据库中；postgres:地址 可另指数据库）。"
            "更换引擎后首次启动会自动重建索引"),
    Setting("GOVCOUNSEL_SEARCH_PER_USER", 2,
            "每个用户同时进行的检索数上限（每个 Web 进程）；超出时返回 429 并带 Retry-After", int),
    Setting("GOVCOUNSEL_SEARCH_TIME_BUDGET_MS", 3000,
            "单次检索的时间上限（毫秒）；超出时提示“检索条件过于宽泛，请缩小范围”（422）", int),
    Setting("GOVCOUNSEL_SEARCH_MAX_TERMS", 128,
            "单次检索最多涉及的索引词数；超出时同样提示缩小范围（422）", int),
    Setting("SECRET_KEY", None, "会话签名密钥；未设置时首次启动生成并保存在数据目录"),
    Setting("GOVCOUNSEL_MAX_UPLOAD_MB", 50, "单个上传文件的大小上限（MB）", int),
    Setting("GOVCOUNSEL_MAX_PDF_PAGES", 2000, "PDF 页数上限", int),
    Setting("GOVCOUNSEL_MAX_DOCX_UNCOMPRESSED_MB", 200,
            ".docx 解压后总大小上限（MB，防压缩炸弹）", int),
    Setting("GOVCOUNSEL_MAX_DOCX_RATIO", 100, ".docx 压缩比上限（防压缩炸弹）", int),
    Setting("GOVCOUNSEL_EXTRACT_TIMEOUT", 60, "单个文件文本提取的时间上限（秒）", int),
    Setting("GOVCOUNSEL_REGISTRATION_PATTERN", "汴法顾登〔{year}〕{seq:05d}号",
            "登记号格式，{year} 为年份，{seq} 为当年顺序号"),
    Setting("GOVCOUNSEL_CONTRACT_PATTERN", "汴法顾〔{year}〕第{seq:03d}号",
            "聘任合同编号格式，{year} 为年份，{seq} 为当年顺序号"),
    Setting("GOVCOUNSEL_FILING_DUE_DAYS", 15, "合同签订后应在多少天内备案", int),
    Setting("GOVCOUNSEL_LOGIN_MAX_FAILURES", 5, "连续登录失败多少次后锁定账号", int),
    Setting("GOVCOUNSEL_LOGIN_LOCK_MINUTES", 15, "账号锁定时长（分钟）", int),
    Setting("GOVCOUNSEL_LOGIN_RATE_PER_MINUTE", 20, "同一 IP 每分钟最多登录尝试次数", int),
    Setting("GOVCOUNSEL_SECURE_COOKIES", False,
            "会话 Cookie 仅经 HTTPS 发送（部署在 HTTPS 后时设为 true）", _bool),
    Setting("GOVCOUNSEL_WORKER", True, "serve 时在进程内运行索引工作线程", _bool),
    Setting("GOVCOUNSEL_PUBLISH_SCORES", True,
            "考评排名公布前，经办员能否看到其他单位的分项得分（false 为不能）", _bool),
    Setting("GOVCOUNSEL_PAGE_SIZE", 20, "列表每页条数", int),
    Setting("GOVCOUNSEL_SOFFICE", None,
            "LibreOffice soffice 程序路径（合同 PDF 预览、.doc/.wps 文件、Word 文件的页面预览）；"
            "默认在 PATH 中查找，找不到则不接受 .doc/.wps 并隐藏这些预览"),
    Setting("PASSWORD_HASH_METHOD", "scrypt",
            "密码哈希方法（werkzeug 的写法，如 scrypt 或 pbkdf2:sha256:600000）；"
            "只影响新设置的密码，已有密码仍可校验"),
    # --- security (#15) ---
    Setting("GOVCOUNSEL_UPLOADS_PER_USER", 2,
            "每个用户同时进行的上传数上限（每个 Web 进程）；超出时返回 429 并带 Retry-After", int),
    Setting("GOVCOUNSEL_IDLE_TIMEOUT_MIN", 30,
            "会话空闲超时（分钟）：超过该时长没有操作须重新登录；0 为不限", int),
    Setting("GOVCOUNSEL_REQUIRE_2FA", False,
            "管理员和审计人员必须启用两步验证（TOTP 动态口令）才能登录使用", _bool),
)

# --- ux (#15) ---
SETTINGS += (
    Setting("GOVCOUNSEL_TIMEZONE", "Asia/Shanghai",
            "服务所在地的时区（IANA 名称）：页面上显示和默认填写的日期"
            "（“今天”、季度、期限）都按此时区"),
    # --- previews (#14) ---
    Setting("GOVCOUNSEL_OCR", "rapidocr",
            "扫描件文字识别（OCR）引擎：rapidocr（默认，随程序安装）、tesseract（需安装 "
            "tesseract-ocr 与 tesseract-ocr-chi-sim）或 off（不识别，只标记需要 OCR）",
            lambda value: value.strip().lower()),
)

# --- contract kinds (#16): a numbering pattern per kind (standard keeps the one above) ---
SETTINGS += (
    Setting("GOVCOUNSEL_CONTRACT_PATTERN_INDIVIDUAL", "汴法专顾〔{year}〕第{seq:03d}号",
            "法学专家个人顾问合同编号格式（按年度单独编号）"),
    Setting("GOVCOUNSEL_CONTRACT_PATTERN_SPECIAL", "汴法专项〔{year}〕第{seq:03d}号",
            "专项法律服务合同编号格式（按年度单独编号）"),
    Setting("GOVCOUNSEL_CONTRACT_PATTERN_SUPPLEMENT", "汴法顾补〔{year}〕第{seq:03d}号",
            "补充协议编号格式（按年度单独编号）"),
    # --- matters (#13) ---
    Setting("GOVCOUNSEL_MATTER_DUE_WORKING_DAYS", 5,
            "法律事务的默认办理期限（提请日期后的工作日数；"
            "节假日与调休按系统设置中的节假日表）", int),
    Setting("GOVCOUNSEL_MATTER_PATTERN", "汴法顾事〔{year}〕{seq:04d}号",
            "法律事务编号格式，{year} 为提请年份，{seq} 为当年顺序号"),
    Setting("GOVCOUNSEL_SMTP_URL", None,
            "提醒邮件的 SMTP 服务器（如 smtp://用户:密码@主机:25，smtps:// 为 SSL，"
            "?starttls=1 启用 STARTTLS）；未设置时不发邮件，只有站内信"),
    Setting("GOVCOUNSEL_MAIL_FROM", "govcounsel@localhost", "提醒邮件的发件人地址"),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def settings_table() -> str:
    """The README's settings table (Markdown), rendered from :data:`SETTINGS`.

    ``tests/webapp/test_docs.py`` checks that the README holds exactly this; after
    changing a setting, paste the output of
    ``.venv/bin/python -c "from webapp.settings import settings_table as t; print(t())"``.
    """
    lines = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = "—" if s.default is None else f"`{s.default}`"
        lines.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(lines)


def _read_config_file(data_dir: Path) -> dict[str, Any]:
    path = data_dir / "config.json"
    if not path.exists():
        return {}
    values = json.loads(path.read_text(encoding="utf-8"))
    for key in values:
        if key not in SETTINGS_BY_NAME:
            warnings.warn(f"unknown setting {key!r} in {path}", RuntimeWarning, stacklevel=2)
    return values


def _secret_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def load_settings(environ: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Resolve every setting from overrides, environment, config file, then default."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    data_dir = Path(overrides.get("GOVCOUNSEL_DATA_DIR")
                    or environ.get("GOVCOUNSEL_DATA_DIR") or "./var").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    file_values = _read_config_file(data_dir)
    resolved: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            resolved[setting.name] = overrides[setting.name]
        elif environ.get(setting.name) not in (None, ""):
            resolved[setting.name] = setting.parse(environ[setting.name])
        elif setting.name in file_values:
            resolved[setting.name] = setting.parse(str(file_values[setting.name]))
        else:
            resolved[setting.name] = setting.default
    resolved["GOVCOUNSEL_DATA_DIR"] = str(data_dir)
    resolved["DATABASE_URL"] = resolved["DATABASE_URL"] or f"sqlite:///{data_dir / 'govcounsel.db'}"
    resolved["GOVCOUNSEL_STORE"] = resolved["GOVCOUNSEL_STORE"] or str(data_dir / "blobs")
    resolved["SECRET_KEY"] = resolved["SECRET_KEY"] or _secret_key(data_dir)
    for key, value in overrides.items():
        resolved.setdefault(key, value)
    return resolved
