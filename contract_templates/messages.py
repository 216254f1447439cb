"""Every user-facing Chinese text of the package, keyed by a stable code.

Validation messages (``validate_values``), template problems (``check_template``)
and errors raised by the renderer all take their wording from here, so they can
be reviewed and translated in one place.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, str] = {
    # value validation
    "required": "请填写{label}",
    "unknown_field": "未知字段：{name}",
    "not_text": "{label}应为文字",
    "too_long": "{label}不能超过{max_length}个字",
    "too_short": "{label}不能少于{min_length}个字",
    "control_chars": "{label}含有不可见的控制字符",
    "template_markup": "{label}不能包含模板标记（{{{{、}}}}、{{%、%}}）",
    "pattern": "{label}格式不正确",
    "not_date": "{label}应为日期，格式为 YYYY-MM-DD",
    "date_range": "{label}应在{min}至{max}之间",
    "not_money": "{label}应为金额数字",
    "money_negative": "{label}不能为负数",
    "money_decimals": "{label}最多保留两位小数",
    "money_range": "{label}应在{min}至{max}元之间",
    "not_integer": "{label}应为整数",
    "integer_range": "{label}应在{min}至{max}之间",
    "not_choice": "{label}的取值不在可选范围内",
    "not_list": "{label}应为列表",
    "list_too_short": "{label}至少需要{min_items}项",
    "list_too_long": "{label}最多{max_items}项",
    "list_duplicate": "{label}有重复项",
    "not_object": "{label}的每一项应包含{keys}",
    "after": "{label}必须晚于{other_label}",
    "after_or_equal": "{label}不能早于{other_label}",
    # template problems
    "template_not_docx": "文件不是 Word 文档（.docx）",
    "template_encrypted": "文档已加密，请取消密码保护后再上传",
    "template_corrupt": "文档已损坏，无法打开：{detail}",
    "template_too_large": "文档解压后过大（{size} 字节），可能是压缩炸弹",
    "placeholder_unknown": "模板中的占位符 {placeholder} 未在字段清单中定义（{where}）",
    "field_unused": "字段清单中的 {name}（{label}）未在模板中使用",
    "syntax_error": "模板标记 {token} 无法识别：{detail}（{where}）",
    "manifest_invalid": "字段清单无效：{detail}",
    "syntax_statement": "不支持 {{% %}} 语句，列表请用 {{{{ 列表.属性 }}}}",
    "syntax_placeholder": "占位符应写成 {{{{ 字段名 }}}}，字段名只含小写字母、数字和下划线",
    "syntax_unclosed": "标记没有闭合",
    "syntax_not_list": "{field} 不是列表字段，不能使用“.”",
    "syntax_filter": "过滤器 {filter} 不适用于该字段",
    "syntax_list_attr": "列表字段 {field} 应写成 {field}.属性",
    "syntax_two_lists": "同一段落或表格行中不能同时重复 {first} 和 {second}",
    # rendering
    "missing_value": "以下字段缺少取值：{labels}",
    "invalid_values": "填写的内容有误：{summary}",
    "leftover_markup": "生成的合同仍含有未替换的模板标记（{where}）",
    "version_exists": "模板版本 {version} 已存在",
    "template_rejected": "模板未通过检查：{summary}",
    "pdf_unavailable": "服务器未安装 LibreOffice，无法生成 PDF",
    "pdf_failed": "PDF 转换失败：{detail}",
}


def text(code: str, **params: Any) -> str:
    """The Chinese text for ``code`` with ``params`` filled in."""
    return TEXTS[code].format(**params)
