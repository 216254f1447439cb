"""Browser checks of issue #15's UI findings (1: single submit and duplicates; 14: narrow
screens) in Chromium against the shared ``serve --demo`` server."""

from __future__ import annotations

import io
import time
from urllib.parse import quote

from docx import Document as Docx

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(text: str) -> bytes:
    doc = Docx()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _choose(page, title: str, data: bytes) -> None:
    page.locator("#f-file").set_input_files(files=[{"name": f"{title}.docx", "mimeType": DOCX,
                                                     "buffer": data}])
    page.get_by_label("文书类型").select_option(label="法律意见书")
    page.get_by_label("标题").fill(title)


def test_a_double_click_registers_once_and_a_duplicate_is_offered_not_registered(login, server):
    title = f"重复提交检验意见书{int(time.time())}"
    data = _docx(f"{title}：经审查，该事项应当履行合法性审查程序。")
    clerk = login("clerk")
    clerk.goto(server.url + "/documents/upload")
    _choose(clerk, title, data)
    clerk.get_by_role("button", name="上传并登记").dblclick()
    expect(clerk.locator("#upload-progress")).to_contain_text("已登记：汴法顾登")
    assert clerk.locator("#upload-progress a").first.get_attribute("href").startswith(
        "/documents/")
    expect(clerk.get_by_label("标题")).to_have_value("")  # the form is cleared after success

    _choose(clerk, title, data)
    clerk.get_by_role("button", name="上传并登记").click()
    expect(clerk.locator(".gc-duplicate")).to_contain_text("该文件已登记为")
    expect(clerk.locator(".gc-duplicate a")).to_contain_text(title)

    clerk.goto(server.url + "/documents/?q=" + quote(title))
    expect(clerk.get_by_role("link", name=title)).to_have_count(1)


def test_narrow_screen_menu_folds_behind_a_button(login, server):
    clerk = login("clerk")
    clerk.set_viewport_size({"width": 390, "height": 800})
    clerk.goto(server.url + "/")
    nav = clerk.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()
    clerk.get_by_role("button", name="菜单").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="文书管理")).to_be_visible()


def test_several_files_get_their_own_titles_and_types(login, server):
    stamp = int(time.time())
    clerk = login("clerk")
    clerk.goto(server.url + "/documents/upload")
    clerk.locator("#f-doc_type").select_option(label="法律意见书")
    clerk.locator("#f-file").set_input_files(files=[
        {"name": f"甲{stamp}.docx", "mimeType": DOCX, "buffer": _docx(f"甲意见{stamp}")},
        {"name": f"乙{stamp}.docx", "mimeType": DOCX, "buffer": _docx(f"乙报告{stamp}")}])
    clerk.get_by_label(f"乙{stamp}.docx 的标题").fill(f"乙项目风险评估报告{stamp}")
    clerk.get_by_label(f"乙{stamp}.docx 的文书类型").select_option(label="风险评估报告")
    clerk.get_by_role("button", name="上传并登记").click()
    expect(clerk.get_by_role("link", name="全部 2 份已上传，查看文书列表")).to_be_visible()
    clerk.goto(server.url + "/documents/?q=" + quote(f"乙项目风险评估报告{stamp}"))
    row = clerk.locator("tr", has_text=f"乙项目风险评估报告{stamp}")
    expect(row).to_contain_text("风险评估报告")
    clerk.goto(server.url + "/documents/?q=" + quote(f"甲{stamp}"))
    expect(clerk.locator("tr", has_text=f"甲{stamp}")).to_contain_text("法律意见书")
