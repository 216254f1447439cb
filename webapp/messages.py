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

# Documents: upload, storage and extraction (codes shared with document_store).
ERRORS.update({
    "empty_file": "文件为空。",
    "file_too_large": "文件超过大小上限（{limit} MB）。",
    "unsupported_file_type": "不支持的文件类型：仅接受 .docx、.pdf、.txt、.md 文件（按内容识别，与扩展名无关）。",
    "corrupt_pdf": "PDF 文件已损坏，无法打开。",
    "encrypted_pdf": "PDF 文件已加密，请上传未加密的版本。",
    "zero_pages": "PDF 文件没有任何页面。",
    "too_many_pages": "PDF 页数超过上限。",
    "corrupt_docx": ".docx 文件已损坏，无法打开。",
    "encrypted_docx": ".docx 文件已加密或为旧版 .doc 格式，请另存为未加密的 .docx 后上传。",
    "zip_bomb": ".docx 文件解压后过大或压缩比异常，已拒绝（疑似压缩炸弹）。",
    "bad_encoding": "无法识别文本文件的编码（支持 UTF-8、UTF-8 BOM、GB18030/GBK）。",
    "extraction_timeout": "文件文本提取超时。",
    "bad_filename": "文件名不合法（不能包含路径、控制字符，且不能为空）。",
    "no_file": "请选择要上传的文件。",
    "storage_failed": "文件保存失败，请稍后重试。",
    "upload_not_allowed": "您不能为该单位上传文书。",
    "deletion_reason_required": "请填写删除原因。",
    "document_deleted": "该文书已删除。",
    "invalid_period": "考评期间格式应为 2022Q1（季度 1–4）。",
})


# --- Organisation registers (webapp/orgs): appended keys --------------------------------

ERRORS.update({
    "duplicate_credit_code": "统一社会信用代码“{value}”已存在。",
    "invalid_username": "用户名只能包含字母、数字及 . _ @ -，长度 2–64。",
    "invalid_bool": "应填写“是”或“否”。",
    "invalid_choice_value": "“{value}”不是有效选项，可选：{choices}。",
    "firm_inactive": "律师事务所“{value}”已停用。",
    "member_inactive": "“{value}”已停用，不能入库。",
    "pool_member_mismatch": "所选成员与入库类别不符。",
    "pool_duplicate": "“{value}”已在人才库中（{status}）。",
    "pool_bad_transition": "当前状态为“{state}”，不能执行此操作。",
    "pool_status_date": "状态为“{status}”时须填写此日期。",
    "reason_required": "请填写原因。",
    "date_before_admitted": "日期不能早于入库日期（{date}）。",
    "review_year_range": "考核年度应在 {min}–{max} 之间。",
    "review_year_older": "已记录 {year} 年度考核，不能改为更早的年度。",
    "ambiguous_advisor": "有多名“{value}”，请填写执业证号以区分。",
    "cannot_change_self": "不能停用、降级或解除绑定当前登录的账号。",
    "import_too_large": "导入文件不能超过 {mb} MB。",
    "import_duplicate_row": "与第 {row} 行重复。",
    "import_expired": "导入文件已失效，请重新上传。",
    "import_has_errors": "文件中有 {count} 行存在错误，未写入任何数据。请修改后重新上传。",
})

LABELS.update({
    "review_result": {"excellent": "优秀", "qualified": "合格",
                      "basically_qualified": "基本合格", "unqualified": "不合格"},
    "yes_no": {"yes": "是", "no": "否"},
    "active_state": {"active": "启用", "inactive": "停用"},
    "lock_state": {"locked": "已锁定", "unlocked": "正常"},
    "import_action": {"created": "新增", "updated": "更新", "unchanged": "无变化"},
    "register": {"agencies": "单位", "firms": "律师事务所", "advisors": "法律顾问",
                 "pool": "人才库", "users": "用户"},
})

# Field names of the registers: form labels, export column headers and import headers.
ORG_FIELDS: dict[str, dict[str, str]] = {
    "agencies": {"code": "单位代码", "name": "单位名称", "category": "类别",
                 "is_classified_unit": "涉密单位", "legal_rep": "负责人", "address": "地址",
                 "contact": "联系人", "phone": "联系电话", "active": "状态"},
    "firms": {"name": "律所名称", "licence_no": "统一社会信用代码", "leader": "负责人",
              "address": "地址", "phone": "联系电话", "active": "状态"},
    "advisors": {"name": "姓名", "kind": "类别", "firm_id": "所属律师事务所",
                 "firm_name": "所属律师事务所", "licence_no": "执业证号", "title": "职务职称",
                 "specialties": "专业特长", "phone": "联系电话", "email": "电子邮箱",
                 "active": "状态"},
    "pool": {"category": "类别", "advisor_id": "法学专家或律师", "firm_id": "律师事务所",
             "member_name": "成员名称", "member_no": "执业证号或信用代码",
             "member_firm": "所属律所", "specialties": "专业特长", "status": "状态",
             "admitted_on": "入库日期", "renewed_on": "续聘日期", "suspended_on": "暂停日期",
             "removed_on": "出库日期", "status_reason": "原因", "on_date": "日期",
             "reason": "原因", "last_review_year": "考核年度",
             "last_review_result": "考核结果", "year": "考核年度", "result": "考核结果",
             "notes": "备注"},
    "users": {"username": "用户名", "display_name": "姓名", "role": "角色", "agency": "绑定单位",
              "advisor": "绑定顾问", "active": "状态", "locked": "锁定状态",
              "last_login_at": "最近登录", "password": "密码", "password_confirm": "确认密码"},
    "import": {"file": "导入文件（.xlsx 或 .csv）"},
}

# How an import matches existing rows (shown on the import pages).
IMPORT_MATCHING: dict[str, str] = {
    "agencies": "按“单位代码”匹配：代码已存在则更新该单位，否则新增。",
    "firms": "先按“统一社会信用代码”、再按“律所名称”匹配：找到则更新，否则新增。",
    "advisors": "先按“执业证号”匹配；未填执业证号的按“姓名＋类别”匹配（须唯一）：找到则更新，否则新增。",
    "pool": "按成员匹配（类别＋执业证号或信用代码，未填时按成员名称）：已有入库记录则更新，否则新增。",
}

NOTICES: dict[str, str] = {
    "created": "已新增“{name}”。",
    "updated": "已保存“{name}”。",
    "deactivated": "已停用“{name}”。",
    "reactivated": "已启用“{name}”。",
    "pool_admitted": "“{name}”已入库。",
    "pool_renewed": "“{name}”已续聘。",
    "pool_suspended": "“{name}”已暂停。",
    "pool_removed": "“{name}”已出库。",
    "pool_reviewed": "已记录“{name}”的年度考核。",
    "password_reset": "已重置“{name}”的密码，该用户现有的登录会话均已失效。",
    "unlocked": "已解除“{name}”的锁定。",
    "imported": "导入完成：新增 {created} 行，更新 {updated} 行，无变化 {unchanged} 行。",
    "import_cancelled": "已取消导入，上传的文件已删除。",
    "none_option": "（无）",
    "inactive_suffix": "（已停用）",
}


def notice(code: str, **params: object) -> str:
    """Chinese confirmation text for a completed action."""
    return NOTICES.get(code, "").format(**params)

LABELS["audit_action"] = {
    "login": "登录", "logout": "退出", "login_failed": "登录失败",
    "login_refused_locked": "登录被拒（账号锁定）", "login_refused_disabled": "登录被拒（账号停用）",
    "user_created": "创建用户", "token_created": "创建 API 令牌", "token_revoked": "吊销 API 令牌",
    "document_created": "登记文书", "document_updated": "修改文书信息",
    "document_version_added": "上传新版本", "document_downloaded": "下载文书",
    "classified_document_viewed": "查看涉密文书", "document_deleted": "删除文书",
    "permission_refused": "越权访问被拒",
}

ERRORS.update({
    "bad_query": "检索式有误。",
    "search_too_costly": "检索条件过于宽泛，请缩小范围",
    "search_busy": "您同时进行的检索过多，请稍候再试。",
})

# --- Assessments, statistics and dashboards (webapp/assessments, statistics, dashboard) ---

ERRORS.update({
    "record_locked": "该考评记录已定稿锁定，不能直接修改；如需更正，请填写更正原因提交更正。",
    "record_not_finalised": "该考评记录尚未定稿，请直接修改评分，无需提交更正。",
    "record_incomplete": "考评记录不完整，不能定稿：以下评分项尚未评分：{items}。",
    "score_invalid": "得分应为数字，最多保留两位小数。",
    "score_negative": "得分不能为负数。",
    "score_above_max": "得分不能超过该项满分 {max} 分。",
    "score_unknown_item": "评分项“{value}”不在本期考评标准中。",
    "no_criteria": "{period} 没有适用的考评标准，请先制定考评标准。",
    "period_future": "{period} 尚未开始，不能建立考评记录。",
    "period_no_records": "{period} 还没有任何考评记录。",
    "period_missing_records": "{period} 有 {count} 个单位尚未建立考评记录，请先建立考评记录。",
    "period_not_finalised": "{period} 还有 {count} 个单位的考评记录未定稿，全部定稿后才能公布排名。",
    "period_published": "{period} 的排名已经公布。",
    "criteria_locked_period": "{period} 已有定稿的考评记录，新版标准最早只能从 {next} 起施行。",
    "criteria_no_items": "至少需要一个评分项。",
    "criteria_duplicate_code": "评分项代码“{value}”重复。",
    "criteria_bad_code": "评分项代码只能包含字母、数字和下划线，长度 1–32。",
    "criteria_max_points": "满分应大于 0 且不超过 100，最多两位小数。",
    "criteria_indicator_required": "按数据计算的评分项须选择一个计算指标。",
    "criteria_indicator_manual": "人工评分项不能选择计算指标。",
    "criteria_bad_rule": "计算规则应为 JSON，例如 {\"full_at\": 5}；可用键：full_at、per（正数）、none（full 或 zero）。",
    "invalid_year": "年份应在 2000–2100 之间。",
})

LABELS["assessment_status"] = {"open": "评分中", "finalised": "已定稿"}
LABELS["assessment_method"] = {"manual": "人工评分", "computed": "按数据计算"}
LABELS["indicator_group"] = {
    "services": "法律服务", "documents": "提交文书", "recommendations": "意见建议",
    "engagements": "聘任与备案", "meetings": "决策会议合法性审查", "key_areas": "重点领域",
}
LABELS["indicator"] = {
    "services_total": "法律服务（合计）",
    "services": "法律服务：{name}",
    "documents_total": "提交文书（合计）",
    "documents": "提交文书：{name}",
    "recommendations": "意见建议条数",
    "engagement_in_force": "本季度全程有聘任合同在履行",
    "contracts_due": "本季度到期应备案的合同",
    "contracts_filed_on_time": "按时备案的合同",
    "filing_on_time_rate": "按时备案率",
    "decision_meetings": "上会事项（合计）",
    "decision_meetings_reviewed": "经合法性审查的上会事项（合计）",
    "decision_review_rate": "上会事项合法性审查率",
    "meetings": "上会事项：{name}",
    "meetings_reviewed": "经合法性审查：{name}",
    "key_area_documents": "重点领域文书（合计）",
    "key_area": "重点领域：{name}",
}
LABELS["audit_action"].update({
    "assessment_period_opened": "建立季度考评记录",
    "assessment_scores_saved": "保存考评得分",
    "assessment_finalised": "考评记录定稿",
    "assessment_amended": "更正考评记录",
    "assessment_published": "公布季度考评排名",
    "assessment_criteria_created": "制定考评标准",
})
NOTICES.update({
    "assessment_opened": "已为 {period} 建立 {count} 条考评记录。",
    "assessment_saved": "已保存“{name}”的考评得分。",
    "assessment_finalised": "“{name}”的考评记录已定稿锁定。",
    "assessment_finalised_all": "已定稿 {done} 条考评记录；{left} 条尚不完整，未定稿。",
    "assessment_amended": "已更正“{name}”的考评记录，更正已记入审计日志。",
    "assessment_published": "{period} 排名已公布。",
    "criteria_created": "已制定考评标准第 {version} 版，自 {period} 起施行。",
})

ERRORS.update({
    "score_computed_item": "该项按数据计算得分，不能手工填写；如需调整，请在定稿后提交更正。",
    "amendment_no_change": "没有修改任何得分，无需更正。",
})

ERRORS.update({
    "legacy_doc": "不支持旧版 Word（.doc）文件，请另存为 .docx 后上传。",
    "extraction_failed": "无法提取文件中的文字。",
    "file_rejected": "文件被拒绝。",
})


# --- Engagement contracts (webapp/engagements) and 系统设置 (webapp/admin_settings) ---

ERRORS.update({
    "template_missing": "尚未导入聘任合同通用样本，请先运行 govcounsel init。",
    "template_required_field": "字段清单缺少系统必需的字段 {name}（{type} 类型）。",
    "template_upload_missing": "请选择模板文件（.docx）。",
    "manifest_upload_missing": "请选择或粘贴字段清单（manifest.json）。",
    "template_pending_expired": "待确认的模板已失效，请重新上传。",
    "template_rejected_again": "模板复核未通过，未保存任何内容，请重新上传。",
    "not_own_agency": "只能为本单位生成和管理聘任合同。",
    "agency_inactive": "单位“{value}”已停用。",
    "advisor_inactive": "法律顾问“{value}”已停用。",
    "advisor_required": "请选择首席法律顾问。",
    "advisor_not_in_firm": "“{value}”不是所选律师事务所的律师。",
    "lawyer_not_lawyer": "“{value}”不是执业律师，不能作为指派律师。",
    "lawyer_no_licence": "律师“{value}”没有登记执业证号，请先在法律顾问名册中补充。",
    "lawyers_required": "请至少选择一名指派律师（法学专家担任首席法律顾问时，须同时指派律师事务所的律师）。",
    "advisor_not_in_pool": "“{value}”不在法律顾问人才库中，须从人才库在库成员中选聘。",
    "advisor_pool_status": "“{value}”在人才库中的状态为“{status}”，不能选聘。",
    "pool_override_forbidden": "只有司法局管理员可以在填写理由后越过人才库选聘。",
    "field_auto": "该字段由系统根据所选单位和顾问自动填写，不能直接提交。",
    "field_html": "{label}不能包含 HTML 标签或尖括号（< >）。",
    "field_control_chars": "{label}不能包含控制字符。",
    "engagement_bad_state": "合同当前状态为“{state}”，不能{action}。",
    "engagement_frozen": "合同已签订，条款已锁定，不能修改。",
    "signed_scan_required": "请上传签字盖章后的合同扫描件（PDF 或 .docx）。",
    "signed_scan_type": "签订扫描件须为 PDF 或 .docx 文件。",
    "date_in_future": "日期不能晚于今天。",
    "date_before": "日期不能早于{other}（{date}）。",
    "duplicate_filing_no": "备案号“{value}”已被其他合同使用。",
    "term_not_started": "服务期限自 {date} 开始，尚未开始，暂不能启用。",
    "term_ended": "服务期限已于 {date} 届满，不能启用。",
    "renew_overlap": "续聘合同的服务期限应从原合同期满（{date}）之后开始。",
})

LABELS.update({
    "engagement_action": {"sign": "签订", "file": "备案", "activate": "启用", "renew": "续聘",
                          "terminate": "解除", "expire": "到期"},
    "engagement_field": {
        "agency_id": "聘任单位", "advisor_id": "首席法律顾问", "firm_id": "律师事务所",
        "lawyer_ids": "指派律师", "override_reason": "越过人才库的理由", "file": "扫描件",
        "signed_on": "签订日期", "filing_no": "备案号", "filed_on": "备案日期",
        "reason": "解除原因", "terminated_on": "解除日期", "start_date": "服务期限开始日期",
        "end_date": "服务期限结束日期", "annual_fee": "年度顾问费", "notes": "版本说明",
        "template": "模板文件", "manifest": "字段清单",
    },
})

LABELS.setdefault("audit_action", {}).update({
    "engagement_created": "生成聘任合同", "engagement_updated": "修改合同草稿",
    "engagement_signed": "合同签订", "engagement_filed": "合同备案",
    "engagement_activated": "合同启用", "engagement_expired": "合同到期",
    "engagement_renewed": "合同续聘", "engagement_terminated": "合同解除",
    "contract_template_accepted": "启用新版合同模板",
    "contract_template_activated": "切换合同模板版本",
})

NOTICES.update({
    "engagement_created": "已生成聘任合同 {no}（草稿）。",
    "engagement_updated": "已修改合同草稿 {no}，合同文件已重新生成。",
    "engagement_sign": "合同 {no} 已签订，条款已锁定。",
    "engagement_file": "合同 {no} 已备案。",
    "engagement_activate": "合同 {no} 已启用。",
    "engagement_terminate": "合同 {no} 已解除。",
    "engagement_renew": "已生成续聘合同 {no}（草稿）。",
    "regenerated_same": "按保存的模板版本和参数重新生成，结果与存档文件完全一致。",
    "regenerated_differs": "重新生成的文件与存档文件不一致，请联系管理员核查。",
    "template_accepted": "已接受合同模板第 {version} 版，新生成的合同将使用此版本。",
    "template_activated": "新生成的合同将使用第 {version} 版模板。",
    "template_cancelled": "已取消，上传的模板未保存。",
    "token_revoked": "已吊销令牌 {prefix}…。",
})

# Organisation registers: names of their audit actions.
LABELS.setdefault("audit_action", {}).update({
    "agency_created": "新增单位", "agency_updated": "修改单位", "agency_deactivated": "停用单位",
    "agency_reactivated": "启用单位", "law_firm_created": "新增律师事务所",
    "law_firm_updated": "修改律师事务所", "law_firm_deactivated": "停用律师事务所",
    "law_firm_reactivated": "启用律师事务所", "advisor_created": "新增法律顾问",
    "advisor_updated": "修改法律顾问", "advisor_deactivated": "停用法律顾问",
    "advisor_reactivated": "启用法律顾问", "pool_admitted": "人才库入库",
    "pool_created": "人才库入库（导入）", "pool_updated": "修改人才库记录",
    "pool_renewed": "人才库续聘", "pool_suspended": "人才库暂停", "pool_removed": "人才库出库",
    "pool_reviewed": "记录年度考核", "orgs_imported": "批量导入", "user_updated": "修改用户",
    "user_password_reset": "重置密码", "user_deactivated": "停用用户",
    "user_reactivated": "启用用户", "user_unlocked": "解除账号锁定",
})

# --- History tables ("字段：旧值 → 新值") and the contract form's register fallback ---

LABELS.update({
    "history_field": {
        "agency_id": "单位", "doc_type": "文书类型", "title": "标题", "advisor_id": "法律顾问",
        "issued_on": "出具日期", "service_type": "法律服务", "matter_area": "重点领域",
        "meeting_type": "会议类型", "recommendations": "意见建议条数", "classified": "涉密",
        "notes": "备注", "registration_no": "登记号", "sha256": "SHA-256", "size": "文件大小",
        "filename": "文件名", "version": "版本", "reason": "原因", "action": "操作",
        "contract_no": "合同编号", "from": "状态", "status": "状态", "firm_id": "律师事务所",
        "start_date": "服务期限开始日期", "end_date": "服务期限结束日期",
        "annual_fee": "年度顾问费", "signed_on": "签订日期", "filing_due_on": "备案期限",
        "filing_no": "备案号", "filed_on": "备案日期", "late": "逾期备案",
        "terminated_on": "解除日期", "new_contract_no": "续聘合同编号",
        "pool_override_reason": "越过人才库的理由", "pool_override": "越过人才库",
        "members": "人员", "template_version": "模板版本", "changed": "修改的条款",
        "period": "考评季度", "agency": "单位", "total": "总分", "scores": "得分",
        "criteria_version": "考评标准版本", "created": "新建记录数", "records": "定稿记录",
        "ranking": "排名", "lawyer_ids": "指派律师", "comment": "说明", "items": "评分项",
        "valid_from": "施行季度", "username": "用户名", "role": "角色",
    },
    "policy_action": {"document.view": "查看文书", "engagement.view": "查看聘任合同"},
    "history_value": {"empty": "（空）", "yes": "是", "no": "否", "count": "共 {count} 项",
                      "ref": "#{id}", "version": "第 {n} 版"},
})

ERRORS.update({
    "register_field_missing": "{party}的登记信息中没有{label}，请在此填写。",
})

# --- Input the database cannot hold, refused before it gets there ---

ERRORS.update({
    "invalid_text": "含有无效的字符（孤立的 UTF-16 代理项），请检查编码。",
    "integer_out_of_range": "数值超出允许范围（{min} 至 {max}）。",
    "json_object_required": "请求体必须是 JSON 对象。",
    "nul_refused": "提交的内容含有空字符（NUL），无法保存，请删除后重试。",
})

# --- One unit of work per request (webapp/transaction.py) ---

ERRORS.update({
    "upload_batch_refused": "未登记：同一批提交的文件中有文件被拒绝，请去掉被拒绝的文件后重新提交。",
})

# --- Document fields declared once; custom fields (webapp/documents/registry.py, custom.py) ---

ERRORS.update({
    "custom_field_name": "字段代码须以小写字母开头，只能包含小写字母、数字和下划线，长度 2–32。",
    "custom_field_reserved": "字段代码“{value}”已被使用或为系统保留，请换一个。",
    "custom_field_choices": "“选项”类型的字段至少需要一个选项（每行一个）。",
    "field_not_for_type": "该字段不适用于{type}。",
    "invalid_number": "应为数字。",
})
LABELS["field_kind"] = {"text": "文本", "integer": "整数", "number": "数字", "date": "日期",
                        "choice": "选项", "agency": "单位", "advisor": "法律顾问"}
LABELS["audit_action"].update({
    "document_field_created": "新增文书字段", "document_field_deactivated": "停用文书字段",
    "document_field_reactivated": "启用文书字段",
})
LABELS["history_field"].update({"field_code": "字段代码", "field_label": "字段名称",
                                "field_kind": "字段类型"})
LABELS["document_field"] = {
    "name": "字段代码（小写英文，如 budget）", "label": "字段名称", "kind": "类型",
    "doc_types": "适用的文书类型（不选则全部适用）", "choices": "选项（“选项”类型，每行一个）",
    "required": "必填", "filterable": "可在文书列表中筛选", "searchable": "参与全文检索（文本类型）",
    "exported": "导出到 Excel/CSV",
}
NOTICES.update({
    "document_field_created": "已新增文书字段“{label}”。",
    "document_field_deactivated": "已停用文书字段“{label}”（已填写的内容仍保留）。",
    "document_field_reactivated": "已启用文书字段“{label}”。",
})

# --- security (#15) ---

ERRORS.update({
    "page_out_of_range": "页码超出范围（1–{max}）。",
    "inactive_advisor": "法律顾问“{value}”已停用，不能选择。",
    "advisor_not_changeable": "法律顾问不能更改文书的所属法律顾问。",
})
ERRORS.update({
    "bidi_not_allowed": "不能包含控制文字方向的不可见字符（如 U+202E）。",
})
NOTICES["password_reset"] = "已重置“{name}”的密码，该用户现有的登录会话均已失效，其 API 令牌均已吊销。"
LABELS["audit_action"]["tokens_revoked"] = "吊销全部 API 令牌"
ERRORS["contract_document_frozen"] = ("这是聘任合同的合同文本或签字盖章扫描件，只能通过聘任合同流程修改"
                                      "（签订后不能再修改、替换或删除）。")
ERRORS["upload_busy"] = "您已有 {limit} 个文件正在上传，请等其完成后再试。"
ERRORS.update({
    "password_weak": "密码至少 {length} 位，且须包含小写字母、大写字母、数字、其他字符中的至少三类。",
    "password_has_username": "密码不能包含用户名。",
    "password_reused": "不能使用最近 {count} 次用过的密码。",
    "password_wrong": "当前密码不正确。",
})
ERRORS.update({
    "totp_wrong": "动态口令不正确或已过期，请输入验证器应用中当前显示的 6 位数字（或一个恢复码）。",
    "totp_required_role": "系统要求管理员和审计人员必须启用两步验证，不能关闭。",
    "totp_required": "系统要求管理员和审计人员启用两步验证：请先完成两步验证设置。",
    "totp_pending_expired": "验证已超时，请重新输入用户名和密码。",
    "idle_timeout": "由于长时间未操作，您已自动退出，请重新登录。",
})
LABELS["audit_action"].update({
    "password_changed": "修改密码", "login_password_ok": "密码正确（待两步验证）",
    "login_2fa_failed": "登录失败（动态口令错误）", "totp_enabled": "启用两步验证",
    "totp_disabled": "关闭两步验证", "recovery_code_used": "使用恢复码登录",
    "idle_logout": "空闲超时退出",
})
# --- ux (#15) ---

ERRORS.update({
    "duplicate_document": "该文件已登记为 {registration_no}《{title}》。可打开已登记的文书，"
                          "或注明理由后仍然登记。",
    "duplicate_reason_required": "仍要登记相同的文件时，请说明理由。",
    "idempotency_key": "Idempotency-Key 须为 1–100 个可见字符。",
})
LABELS["audit_object"] = {
    "document": "文书", "engagement": "聘任合同", "agency": "单位", "law_firm": "律师事务所",
    "advisor": "法律顾问", "user": "用户", "talent_pool_entry": "人才库", "contract_template":
    "合同模板", "assessment_record": "考评记录", "assessment_period": "考评季度",
    "assessment_criteria": "考评标准", "document_field": "文书字段", "agencies": "单位名册",
    "firms": "律师事务所名册", "advisors": "法律顾问名册", "pool": "人才库名册",
    "advisor_evaluation": "顾问评价", "api_token": "API 令牌", "calendar_day": "节假日/调休日",
    "calendar_feed": "日历订阅", "contract_clause": "合同条款", "document_version": "文书版本",
    "evaluation_form": "评价表", "legal_matter": "法律事务", "notification": "站内信",
    "recommendation": "意见建议", "supplementary_agreement": "补充协议",
}
# Records no event names today but a refusal could (policy.require names the model): shown
# in Chinese, not offered in the trail's type filter.
LABELS["audit_object_internal"] = {
    "assessment_amendment": "考评更正", "assessment_item": "考评项目", "audit_event": "审计记录",
    "audit_head": "审计链", "counter": "编号计数器", "idempotency_key": "重复提交保护",
    "index_job": "索引任务", "instance_setting": "系统设置", "login_attempt": "登录记录",
    "matter_advisor": "事务承办顾问", "matter_document": "事务材料",
    "notification_address": "提醒地址", "password_history": "历史密码", "recovery_code": "恢复码",
}
LABELS["audit_action"].update({"document_duplicate_registered": "重复登记相同文件（附理由）"})
LABELS["history_field"].update({
    "rows": "行数", "failed_logins": "连续登录失败次数", "locked_until": "锁定至",
    "prefix": "令牌前缀", "rank": "名次", "bottom_five": "后5位",
    "accountability_interview": "约谈问责", "fields": "字段", "duplicate_of": "重复的文书",
    "duplicate_of_registration_no": "重复的登记号", "display_name": "姓名", "active": "状态",
})
# Field names and values of an audit event's object, by object type (audit/objects.py).
AUDIT_OBJECT_FIELDS: dict[str, dict[str, str]] = {
    "agency": ORG_FIELDS["agencies"], "law_firm": ORG_FIELDS["firms"],
    "advisor": ORG_FIELDS["advisors"], "talent_pool_entry": ORG_FIELDS["pool"],
    "user": {**ORG_FIELDS["users"], "name": "令牌名称"},
    "contract_clause": {"name": "条款代码", "title": "条款名称", "version": "版本"},
    "contract_template": {"kind": "合同类型", "title": "模板名称", "version": "版本",
                          "fields": "字段数", "sha256": "文件校验码"},
    "calendar_day": {"day": "日期", "kind": "类别", "name": "名称"},
    **{register: {"filename": "文件名", "rows": "行数", "created": "新增", "updated": "更新",
                  "unchanged": "未变"} for register in ("agencies", "firms", "advisors", "pool")},
}
AUDIT_OBJECT_VALUES: dict[str, dict[str, str]] = {
    "agency": {"category": "agency_category"}, "advisor": {"kind": "advisor_kind"},
    "talent_pool_entry": {"category": "pool_category", "status": "pool_status"},
    "contract_template": {"kind": "contract_kind"}, "calendar_day": {"kind": "calendar_kind"},
}
ERRORS.update({
    "renewal_in_progress": "该合同已有续聘合同草稿 {no}，请先签订或解除该草稿。",
})
NOTICES.update({
    "engagement_renew": "已生成续聘合同 {no}（草稿）。原合同继续履行；续聘合同签订后，原合同才标记为“已续聘”。",
})
LABELS["audit_action"].update({"engagement_renewal_drafted": "生成续聘合同草稿"})
ERRORS.update({
    "serve_port_busy": "无法启动：{host} 的端口 {port} 已被其他程序占用（可能已有一个平台在运行）。"
                       "请先停止它，或换一个端口，例如：govcounsel serve --port {other}",
    "serve_port_denied": "无法启动：没有权限使用 {host} 的端口 {port}（1024 以下的端口需要管理员权限），"
                         "请换一个端口，例如：govcounsel serve --port {other}",
    "serve_bad_port": "无法启动：端口 {port} 无效，应在 1–65535 之间。",
    "serve_bad_host": "无法启动：找不到主机地址 {host}，请检查 --host。",
})
ERRORS.update({"login_required": "请先登录。"})
# 系统设置 in the bureau's words (no setting names, format codes or technical terms).
LABELS["setting_plain"] = {
    "GOVCOUNSEL_MAX_UPLOAD_MB": "单个上传文件的大小上限（MB）",
    "GOVCOUNSEL_MAX_PDF_PAGES": "PDF 文件的页数上限",
    "GOVCOUNSEL_MAX_DOCX_UNCOMPRESSED_MB": "Word 文件内容的大小上限（MB，超出的文件视为异常文件拒收）",
    "GOVCOUNSEL_FILING_DUE_DAYS": "合同签订后应在多少天内备案",
    "GOVCOUNSEL_PAGE_SIZE": "列表每页条数",
}
# --- previews (#14) ---

ERRORS.update({
    "unsupported_file_type": "不支持的文件类型：仅接受 .docx、.doc/.wps、.pdf、.ofd、图片（.jpg、.png、"
                             ".tif）和 .txt/.md 文件（按内容识别，与扩展名无关）。",
    "legacy_doc": "不支持旧版 Word（.doc/.wps）文件，请另存为 .docx 后上传。",
    "office_unavailable": "服务器未安装 LibreOffice，无法接收 .doc/.wps 文件：请管理员安装 LibreOffice"
                          "（Debian/统信/麒麟：apt-get install libreoffice-writer-nogui）或设置 "
                          "GOVCOUNSEL_SOFFICE，也可将文件另存为 .docx 后上传。",
    "zip_bomb": "文件解压后过大或压缩比异常，已拒绝（疑似压缩炸弹）。",
    "too_many_pages": "文件页数超过上限。",
    "zero_pages": "文件没有任何页面。",
    "corrupt_image": "图像文件已损坏或不完整，无法打开。",
    "image_too_large": "图像像素数超过上限（疑似像素炸弹），已拒绝。",
    "corrupt_ofd": "OFD 文件已损坏（压缩包或其中的 XML 无法读取）。",
    "ofd_missing_part": "OFD 文件不完整：缺少必需的组成部分。",
    "ofd_too_complex": "OFD 文件的页面对象过多（疑似恶意构造的文件），已拒绝。",
    "conversion_failed": "LibreOffice 无法转换该文件（文件可能已损坏）。",
    "page_not_found": "文件中没有该页。",
    "ocr_unavailable": "服务器未安装文字识别（OCR）组件：请运行 pip install rapidocr-onnxruntime，"
                       "或安装 tesseract-ocr 与 tesseract-ocr-chi-sim 并设置 GOVCOUNSEL_OCR=tesseract。",
    "preview_unavailable": "该文件暂无页面预览，请查看文本。",
    "preview_width": "预览宽度应为 200–1600 像素。",
    "signed_scan_required": "请上传签字盖章后的合同扫描件（图片、PDF 或 OFD）。",
    "signed_scan_type": "签订扫描件须为图片（.jpg、.png、.tif）、PDF 或 OFD 文件。",
})
LABELS.setdefault("audit_action", {}).update({"document_previewed": "预览文书页面"})
LABELS["ocr_status"] = {"pending": "等待识别", "running": "识别中", "done": "已识别",
                        "failed": "识别失败", "off": "未开启 OCR"}
LABELS["page_source"] = {"text-layer": "文字层", "ocr": "OCR", "none": "无文字"}
# --- contract kinds (#16) ---

LABELS["contract_kind"] = {"standard": "常年法律顾问", "individual": "法学专家个人顾问",
                           "special": "专项法律服务", "supplement": "补充协议"}
LABELS["supplement_status"] = {"draft": "草稿", "signed": "已签订", "filed": "已备案"}
ERRORS.update({
    "unknown_kind": "未知的合同类型“{value}”。",
    "individual_no_firm": "法学专家个人顾问合同以个人身份签订，不能选择律师事务所。",
    "individual_no_lawyers": "法学专家个人顾问合同只聘请一人，不能另行指派律师。",
    "individual_person_kind": "{value}不是法学专家或律师，不能以个人身份聘为法律顾问。",
    "renew_special": "专项法律服务合同不能续聘，请另行签订新的专项合同。",
    "supplement_base_state": "只能对已签订、已备案或履行中的合同签订补充协议（当前状态：{status}）。",
    "supplement_kind": "专项法律服务合同不能以补充协议延长期限或更换律师，请另行签订。",
    "supplement_no_change": "请至少选择一项变更：变更顾问费用、延长服务期限或增派、改派律师。",
    "supplement_effective_range": "变更生效日期应在原合同服务期限内（{start} 至 {end}）。",
    "supplement_new_end": "延长后的结束日期必须晚于当前服务期限结束日期（{date}）。",
    "supplement_extension_too_long": "延长后的服务期限超过人才库规则允许的一年（最晚 {date}）。",
    "supplement_remove_unknown": "“{value}”不是本合同现有的指派律师。",
    "supplement_no_lawyers": "法学专家个人顾问合同没有指派律师，不能增派或改派。",
    "supplement_state": "补充协议当前状态为“{status}”，不能执行此操作。",
    "supplement_frozen": "补充协议已签订，条款不能再修改。",
    "terms_date_invalid": "日期格式应为 YYYY-MM-DD。",
    "clause_name_invalid": "条款代码须以小写字母开头，只能包含小写字母、数字和下划线，长度 2–32。",
    "clause_title_required": "请填写条款名称。",
    "clause_text_required": "请填写条款正文。",
    "redline_same_document": "请选择同一文书的两个不同版本进行比对。",
    "redline_not_docx": "只能比对 Word（.docx）文件的版本。",
    "template_kind_missing": "该类型还没有模板版本。",
})
LABELS["audit_action"].update({
    "supplement_created": "生成补充协议", "supplement_signed": "补充协议签订",
    "supplement_filed": "补充协议备案", "contract_clause_saved": "保存条款库条款",
})
NOTICES.update({
    "supplement_created": "已生成补充协议 {no}（草稿）。",
    "supplement_signed": "补充协议 {no} 已签订，变更自生效日期起适用。",
    "supplement_filed": "补充协议 {no} 已备案。",
    "clause_saved": "已保存条款“{title}”（第 {version} 版）。",
})
# --- matters (#13) ---

LABELS.update({
    "matter_kind": {
        "major_decision_review": "重大行政决策合法性审查",
        "normative_document_review": "规范性文件审查",
        "contract_review": "合同审查",
        "litigation": "诉讼仲裁",
        "petition": "信访与矛盾纠纷",
        "other": "其他",
    },
    "matter_status": {
        "submitted": "已提交", "accepted": "已受理", "returned": "退回补充材料",
        "answered": "已出具意见", "adoption_recorded": "已反馈采纳", "closed": "已办结",
        "withdrawn": "已撤回",
    },
    "matter_action": {
        "accept": "受理", "return": "退回补充材料", "resubmit": "补充材料后重新提交",
        "answer": "出具意见", "adopt": "反馈采纳情况", "close": "办结", "withdraw": "撤回",
    },
    "adoption": {"adopted": "采纳", "partly_adopted": "部分采纳", "not_adopted": "未采纳",
                 "pending": "待反馈"},
    "calendar_kind": {"holiday": "节假日（放假）", "workday": "调休上班"},
    "notification_kind": {
        "matter_assigned": "新的法律事务", "matter_due": "事务明日到期", "matter_overdue": "事务已逾期",
        "matter_returned": "事务被退回", "matter_answered": "待反馈采纳情况",
        "filing_due": "合同备案期限", "contract_expiring": "合同即将到期",
        "evaluation_due": "年度考核待填报",
    },
    "pool_outcome": {"renew": "建议续聘", "warn": "建议提醒整改", "suspend": "建议暂停"},
    "matter_field": {
        "agency_id": "单位", "kind": "事务类型", "title": "事项名称", "description": "事项说明",
        "meeting_type": "上会类型", "matter_area": "重点领域", "classified": "涉密",
        "advisor_ids": "承办法律顾问", "requested_on": "提请日期", "due_on": "办理期限",
        "override_reason": "越过聘任关系指派的理由", "reason": "理由", "file": "文件",
        "recommendations": "意见建议", "day": "日期", "name": "名称",
    },
})
LABELS["indicator_group"]["matters"] = "法律事务办理与采纳"
LABELS["indicator"].update({
    "matters_requested": "提请法律事务件数", "matters_answered": "出具意见件数",
    "matters_answered_on_time": "按期出具意见件数", "matters_on_time_rate": "按期答复率",
    "matters_median_days": "答复用时中位数（工作日）",
    "matter_recommendations": "已反馈采纳情况的意见建议条数",
    "matter_recommendations_adopted": "采纳条数（部分采纳计半条）", "matter_adoption_rate": "意见建议采纳率",
    "matter_meetings": "上会事项（法律事务）", "matter_meetings_reviewed": "已出具合法性审查意见的上会事项",
    "matter_meeting_review_rate": "上会事项合法性审查率（法律事务）",
    "matter_meetings_unreviewed": "未经合法性审查的上会事项：{name}",
})
LABELS["audit_action"].update({
    "matter_submitted": "提请法律事务", "matter_accepted": "受理法律事务",
    "matter_returned": "退回补充材料", "matter_resubmitted": "补充材料后重新提交",
    "matter_answered": "出具法律意见", "matter_adoption_recorded": "反馈采纳情况",
    "matter_closed": "办结法律事务", "matter_withdrawn": "撤回法律事务",
    "calendar_day_saved": "设置节假日/调休日", "calendar_day_deleted": "删除节假日/调休日",
    "calendar_feed_issued": "生成日历订阅地址", "calendar_feed_revoked": "撤销日历订阅地址",
    "evaluation_form_saved": "设置顾问考核表", "advisor_evaluated": "考核法律顾问",
    "pool_decision": "人才库年度审核决定",
})
ERRORS.update({
    "matter_bad_state": "该事务当前状态为“{state}”，不能执行“{action}”。",
    "matter_advisor_not_engaged": "{agency}没有与法律顾问“{name}”签订在履行期内的聘任合同；"
                                  "如确需指派，请由管理员填写理由后越过聘任关系指派。",
    "matter_advisor_required": "请至少指派一名法律顾问。",
    "matter_due_before_request": "办理期限不能早于提请日期（{date}）。",
    "matter_not_assigned": "您不是该事务的承办法律顾问，不能执行此操作。",
    "matter_not_answered": "该事务尚未出具意见，不能反馈采纳情况。",
    "recommendation_text_required": "第 {n} 条意见建议的内容不能为空。",
    "recommendation_reason_required": "第 {n} 条意见建议为“{adoption}”，请填写理由。",
    "recommendations_required": "请至少填写一条意见建议。",
    "recommendation_pending": "第 {n} 条意见建议尚未选择采纳情况。",
    "opinion_required": "请上传法律意见书（PDF、.docx 等）。",
    "calendar_day_exists": "{day} 已在节假日/调休表中，请先删除再设置。",
    "calendar_feed_invalid": "日历订阅地址无效或已撤销。",
    "evaluation_not_engaged": "本单位在 {year} 年未聘任法律顾问“{name}”，不能对其考核。",
    "evaluation_form_missing": "管理员尚未设置 {year} 年的顾问考核表。",
    "evaluation_score_invalid": "“{item}”的得分应在 0 到 {max} 之间。",
    "evaluation_exists": "本单位已提交对该顾问 {year} 年的考核。",
    "pool_member_suspended": "法律顾问“{name}”在人才库中已被暂停或出库，不能续聘。",
    "smtp_failed": "邮件发送失败：{reason}",
    "json_string_list": "应为 JSON 字符串数组，如 [\"建议一\", \"建议二\"]。",
})
NOTICES.update({
    "matter_created": "已提请法律事务 {no}，办理期限 {due}。",
    "matter_accept": "已受理事务 {no}。", "matter_return": "已退回事务 {no}，计时暂停。",
    "matter_resubmit": "已重新提交事务 {no}，办理期限顺延至 {due}。",
    "matter_answer": "已出具事务 {no} 的法律意见。",
    "matter_adopt": "已记录事务 {no} 的采纳情况。", "matter_close": "事务 {no} 已办结。",
    "matter_withdraw": "已撤回事务 {no}。",
    "calendar_day_saved": "已保存 {day}（{name}）。", "calendar_day_deleted": "已删除 {day}。",
    "calendar_feed_issued": "已生成新的日历订阅地址，旧地址随即失效。",
    "calendar_feed_revoked": "已撤销日历订阅地址。",
    "notifications_read": "已全部标为已读。",
    "notification_address_saved": "已保存提醒邮箱。",
    "evaluation_saved": "已提交对“{name}”的 {year} 年考核。",
    "evaluation_form_saved": "已保存 {year} 年顾问考核表。",
    "pool_decision_saved": "已记录对“{name}”的审核决定：{outcome}。",
})

# --- after the merge of #15 and #16: the contract kind in the audit trail's details ---
LABELS["engagement_field"].update({"kind": "合同类型", "clauses": "可选条款"})

# --- twofactor (#15) ---
ERRORS.update({
    "totp_replayed": "该动态口令已经使用过，请等待验证器应用显示下一个 6 位数字后再输入。",
    "totp_reset_self": "不能在用户管理中重置自己的两步验证：请在“账户安全”中操作；"
                       "如已无法登录，请由服务器管理员运行 govcounsel reset-2fa。",
    "totp_not_enrolled": "用户“{name}”尚未启用两步验证，无需重置。",
})
NOTICES.update({
    "totp_reset": "已重置“{name}”的两步验证：该用户现有的登录会话均已失效，其 API 令牌均已吊销；{next}",
    "totp_reset_console": "已重置用户 {name} 的两步验证，登录会话已失效，吊销 API 令牌 {revoked} 个；{next}",
    "totp_reset_next_required": "按本平台设置，该用户下次登录后须重新设置两步验证。",
    "totp_reset_next_optional": "该用户下次登录只需密码，可自行在“账户安全”中重新设置两步验证。",
    "totp_reset_message": "管理员已重置您的两步验证（原因：{reason}）。您原来的验证器和恢复码已失效，"
                          "API 令牌已吊销；请在“账户安全”中重新设置两步验证。",
})
LABELS["audit_action"].update({"totp_reset": "重置两步验证",
                               "login_2fa_replayed": "登录失败（动态口令重复使用）"})
LABELS["notification_kind"]["totp_reset"] = "两步验证已重置"
# --- dropdowns (#15) ---
LABELS["advisor_group"] = {"engaged": "本单位在聘顾问", "other": "其他顾问"}
LABELS["picker"] = {"filter": "输入姓名筛选", "filter_name": "输入名称筛选"}
# --- needtoknow (#15) ---
NOTICES.update({
    "ranking_need_to_know": "您只能查看聘请您担任法律顾问的单位的考评结果"
                            "（其余 {count} 个单位的得分、名次、后五位及约谈问责情况不显示）。",
})
# --- docpage (#15) ---
# The rows of the printable 法律顾问文书备案登记表, in print order (webapp/documents/regform.py).
LABELS["registration_form_row"] = {
    "registration_no": "登记号", "agency": "单位", "doc_type": "文书类型", "title": "标题",
    "advisor": "法律顾问（律师事务所）", "issued_on": "出具日期", "registered_on": "登记日期",
    "registrar": "登记人", "secrecy": "密级", "version": "版本", "links": "关联合同/考核记录",
}
LABELS["secrecy"] = {"classified": "涉密", "open": "非涉密"}
# --- criteria (#15) ---
ERRORS.update({
    "criteria_rule_kind_required": "请选择计分规则。",
    "criteria_rule_kind_invalid": "所选计算指标不能使用这种计分规则，请重新选择。",
    "criteria_rule_n": "请填写 N：大于 0、不超过 10000 的数，最多两位小数。",
    "criteria_bad_rule": "计分规则无效。",
})
LABELS["criteria_rule_kind"] = {
    "full_at": "达到 N 件得满分，不足按比例", "per": "每件 N 分，以满分为限",
    "ratio": "按比率计分", "flag": "为“是”得满分，否则 0 分",
}
LABELS["criteria_rule_none"] = {"full": "无应计事项时得满分", "zero": "无应计事项时得 0 分"}
LABELS["criteria_rule_text"] = {
    "full_at": "达到 {n} {unit}得满分，不足按比例", "per": "每{unit} {n} 分，以满分为限",
    "ratio": "按比率计分（比率 × 满分）", "flag": "为“是”得满分，否则 0 分",
    "unit": "件", "unit_number": "个单位",
}
LABELS["history_field"]["sha256"] = "文件校验码"

# --- account: a change of one's own credentials ends one's other sessions ---
NOTICES.update({
    "password_changed_own": "密码已修改；您在其他浏览器中的登录已失效。",
    "totp_enabled_own": "两步验证已开启；您在其他浏览器中的登录已失效，请用密码和动态口令重新登录。",
    "totp_disabled_own": "已关闭两步验证；您在其他浏览器中的登录已失效。",
})

# --- texts that views had as literals ---
ERRORS.update({
    "redline_timeout": "比对超时：文件过大或过于复杂，无法比对。",
    "redline_failed": "文件无法比对（解析失败）。",
})
NOTICES.update({
    "logged_out": "您已安全退出。",
    "documents_uploaded": "已上传并登记 {count} 份文书。",
    "document_updated": "文书信息已更新。",
    "document_version_added": "已上传第 {version} 版。",
    "document_deleted": "文书已删除（登记记录和文件仍予保留）。",
})
