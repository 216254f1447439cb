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
    "syntax_statement": "不支持 {{% %}} 语句，列表请用 {{{{ 列表.属性 }}}}；段落块请用 {{% if %}} … {{% endif %}}",
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
    # booleans and cross-field rules
    "not_boolean": "{label}应为“是”或“否”",
    "required_if": "已选择“{other_label}”，请填写{label}",
    "any_true": "请至少选择一项：{labels}",
    # paragraph blocks ({% if %} … {% endif %}) and optional clauses ({% clause %})
    "block_syntax": "段落块标记 {token} 无法识别，应写成 {{% if 字段 %}}、{{% if not 字段 %}}、"
                    "{{% if 字段 == \"取值\" %}}、{{% elif … %}}、{{% else %}}、{{% endif %}} "
                    "或 {{% clause 条款名 %}}（{where}）",
    "block_not_alone": "段落块标记 {token} 必须单独占一段，前后不能有其他文字（{where}）",
    "block_unclosed": "段落块 {token} 没有对应的 {{% endif %}}（{where}）",
    "block_unopened": "{token} 之前没有对应的 {{% if %}}（{where}）",
    "block_after_else": "{token} 不能出现在同一段落块的 {{% else %}} 之后（{where}）",
    "block_crosses": "段落块 {token} 的开始与结束不在同一层级（例如一个在正文、一个在表格中）（{where}）",
    "block_too_deep": "段落块嵌套超过 {max} 层（{where}）",
    "condition_unknown_field": "条件字段 {field} 未在字段清单中定义，不支持该条件：{token}（{where}）",
    "condition_not_boolean": "条件 {token} 直接判断的字段 {field}（{label}）不是“是/否”字段"
                             "（选项字段请写成 {field} == \"取值\"）（{where}）",
    "condition_not_choice": "条件 {token} 比较的字段 {field}（{label}）不是选项字段，"
                            "只能对“是/否”字段或选项字段设置条件（{where}）",
    "condition_choice_value": "条件 {token} 中的取值 {value} 不是{label}的可选值（可选：{choices}）"
                              "（{where}）",
    "clause_undeclared": "模板使用的可选条款 {name} 未在字段清单的 clauses 中声明（{where}）",
    "clause_unused": "字段清单声明的可选条款 {name}（{label}）未在模板中使用",
    "clause_not_in_library": "可选条款 {name}（{label}）在条款库中不存在",
    "clause_not_offered": "条款 {name} 不是本模板提供的可选条款",
    "clause_has_block": "条款 {name} 的正文含有段落块标记 {token}，条款中只能使用占位符",
    "clause_bad_markup": "条款 {name} 的正文中 {token} 无法识别：{detail}",
    "clause_placeholder_unknown": "条款 {name} 中的占位符 {placeholder} 未在字段清单中定义",
    "clause_list_item": "条款 {name} 中不能使用列表项占位符 {placeholder}",
    "clause_empty": "条款 {name} 的正文为空",
    "clause_control_chars": "条款 {name} 的正文含有不可见的控制字符",
    "clause_name": "条款名 {name} 无效：只能含小写字母、数字和下划线，并以字母开头",
    "clause_version": "条款 {name} 的版本号应为正整数",
    # manifest kinds and sample values (preview before activation)
    "kind_unknown": "未知的合同类型 {kind}（可选：{kinds}）",
    "kind_field_missing": "{kind_label}模板的字段清单缺少字段 {name}（类型应为 {type}）",
    "sample_missing": "字段清单没有提供示例值（sample），启用前无法预览",
    "sample_invalid": "字段清单中的示例值有误：{summary}",
    "sample_render_failed": "用示例值生成合同失败：{detail}",
    # redlines
    "redline_no_changes": "两份文件的正文没有差异。",
}


def text(code: str, **params: Any) -> str:
    """The Chinese text for ``code`` with ``params`` filled in."""
    return TEXTS[code].format(**params)
