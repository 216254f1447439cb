"""Every user-facing Chinese text: labels of the vocabulary and error messages.

Views, forms and the API take their wording from here, so the UI can be reviewed
and translated in one place. Error texts are keyed by a stable machine code that
the JSON API returns beside the message.
"""

from __future__ import annotations

PRODUCT_NAME = "法律顾问文书管理平台"

LABELS: dict[str, dict[str, str]] = {
    "agency_category": {
        "party_committee": "市委部委",
        "government_dept": "市政府部门",
        "county_district": "县区政府",
        "stationed_unit": "驻汴单位",
    },
    "advisor_kind": {"scholar": "法学专家", "lawyer": "律师", "public_lawyer": "公职律师"},
    "pool_category": {"scholar": "法学专家", "firm": "律师事务所", "lawyer": "律师"},
    "pool_status": {"admitted": "已入库", "renewed": "已续聘", "suspended": "暂停",
                    "removed": "已出库"},
    "role": {"admin": "司法局管理员", "clerk": "单位法务经办人", "advisor": "法律顾问",
             "auditor": "纪检审计"},
    "doc_type": {
        "legal_opinion": "法律意见书",
        "legality_review": "合法性审查意见",
        "risk_assessment": "风险评估报告",
        "review_report": "审查报告",
        "contract": "聘任合同",
        "other": "其他",
    },
    "matter_area": {
        "major_investment": "重大投资",
        "investment_promotion": "招商引资",
        "state_asset_disposal": "国资处置",
        "soe_listing": "国企上市",
        "major_dispute": "重大纠纷",
        "bidding": "招投标",
    },
    "meeting_type": {
        "standing_committee": "常委会",
        "executive_meeting": "常务会",
        "party_group": "党委(组)会",
        "office_meeting": "行政办公会",
        "leading_group": "领导小组会",
    },
    "service_type": {
        "major_decision": "重大决策",
        "normative_document": "规范性文件",
        "litigation": "复议诉讼",
        "contract_review": "合同审查",
        "training": "法治培训",
    },
    "engagement_status": {
        "draft": "草稿", "signed": "已签订", "filed": "已备案", "active": "履行中",
        "expired": "已到期", "renewed": "已续聘", "terminated": "已解除",
    },
    "index_status": {"pending": "待索引", "indexed": "已索引", "failed": "索引失败"},
}

ERRORS: dict[str, str] = {
    "bad_request": "请求无效。",
    "unauthorized": "请先登录，或提供有效的 API 令牌。",
    "forbidden": "您没有权限执行此操作。",
    "not_found": "您访问的内容不存在或已被删除。",
    "method_not_allowed": "不支持此请求方法。",
    "conflict": "数据冲突，请刷新后重试。",
    "too_large": "文件超过大小上限。",
    "unsupported_type": "不支持的文件类型。",
    "validation": "提交的内容有误，请检查后重试。",
    "csrf": "页面已过期或表单校验失败，请刷新页面后重新提交。",
    "rate_limited": "尝试次数过多，请稍后再试。",
    "server_error": "服务器内部错误，已记录，请稍后重试。",
    "login_failed": "用户名或密码错误。",
    "account_locked": "连续登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试。",
    "account_disabled": "账号已停用，请联系司法局管理员。",
    "login_rate_limited": "登录尝试过于频繁，请一分钟后再试。",
    "required": "此项为必填项。",
    "too_long": "长度不能超过 {max} 个字符。",
    "html_not_allowed": "不能包含 HTML 标签或尖括号。",
    "control_chars": "不能包含控制字符。",
    "invalid_choice": "选项无效。",
    "invalid_code": "单位代码只能包含字母、数字、短横线和下划线，长度 2–32。",
    "duplicate_code": "代码“{value}”已存在。",
    "duplicate_name": "名称“{value}”已存在。",
    "duplicate_licence": "执业证号“{value}”已存在。",
    "invalid_licence": "律师执业证号应为 17 位数字。",
    "invalid_credit_code": "统一社会信用代码应为 18 位数字或大写字母。",
    "invalid_phone": "电话号码格式不正确（手机 11 位，或座机如 0371-12345678）。",
    "invalid_email": "电子邮箱格式不正确。",
    "invalid_date": "日期格式不正确，应为 YYYY-MM-DD。",
    "invalid_integer": "应为整数。",
    "negative": "不能为负数。",
    "unknown_agency": "单位“{value}”不存在。",
    "unknown_firm": "律师事务所“{value}”不存在。",
    "unknown_advisor": "法律顾问“{value}”不存在。",
    "unknown_field": "未知字段。",
    "firm_required": "律师须填写所属律师事务所。",
    "pool_target_required": "请选择入库的专家、律师或律师事务所。",
    "import_no_file": "请选择要导入的 .xlsx 或 .csv 文件。",
    "import_bad_file": "无法读取文件：请上传 .xlsx 或 UTF-8/GBK 编码的 .csv 文件。",
    "import_missing_columns": "缺少必需的列：{columns}。",
    "import_empty": "文件中没有数据行。",
    "import_too_many_rows": "一次最多导入 {max} 行。",
    "password_too_short": "密码至少 8 位。",
    "password_mismatch": "两次输入的密码不一致。",
    "role_needs_agency": "单位法务经办人必须绑定一个单位。",
    "role_needs_advisor": "法律顾问账号必须绑定一个顾问记录。",
    "user_exists": "用户名“{value}”已存在。",
    "token_revoked": "令牌已吊销。",
}


def label(group: str, key: str | None) -> str:
    """Chinese label of a vocabulary value (the key itself when unknown)."""
    if key is None:
        return ""
    return LABELS.get(group, {}).get(key, key)


def error_text(code: str, **params: object) -> str:
    """Chinese message for an error code, formatted with ``params``."""
    template = ERRORS.get(code, ERRORS["bad_request"])
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
