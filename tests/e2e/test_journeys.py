"""Browser journeys through the Chinese UI of a real ``govcounsel serve --demo``.

Every journey step is a click or a form fill in Chromium; the JSON API is used
only to set up data and to wait for the index worker. The demo users: ``clerk``
(bound to the first agency, 中共开封市委办公室), ``advisor`` (engaged by it),
``admin``.

The journeys share one server and run in file order: the two that need the
index (2 and 4) come last, when the worker has caught up with the demo documents.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

from docx import Document as Docx

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

PHRASE = "汴西湖生态补水工程"
FILING_NO = "汴司法备〔2026〕E2E-001号"


def date_cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def opinion_docx() -> bytes:
    """A legal opinion containing the phrase the clerk will search for."""
    doc = Docx()
    doc.add_heading(f"关于{PHRASE}项目的法律意见书", level=1)
    doc.add_paragraph(f"经审查，{PHRASE}属于重大行政决策事项，应当履行公众参与、专家论证、"
                      "风险评估、合法性审查和集体讨论决定程序。")
    doc.add_paragraph("建议一：在补水协议中明确水源调度责任。建议二：补充违约责任和履约担保条款。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(path: Path) -> str:
    doc = Docx(str(path))
    cells = (c.text for t in doc.tables for r in t.rows for c in r.cells)
    return "\n".join([*(p.text for p in doc.paragraphs), *cells])


def signed_scan_pdf(browser) -> bytes:
    """A one-page "scan" of the signed, sealed contract, printed by Chromium."""
    page = browser.new_page()
    page.set_content("<h1>法律顾问聘任合同（签字盖章页）</h1><p>甲方（盖章）：中共开封市委办公室</p>"
                     "<p>乙方（盖章）：律师事务所</p><div style='width:150px;height:150px;"
                     "border:5px solid #c00;border-radius:50%'></div>")
    pdf = page.pdf(format="A4")
    page.close()
    return pdf


def nav(page, text: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=text).click()


def flash(page):
    return page.locator("main .alert-success")


def test_clerk_generates_and_signs_a_contract_and_the_admin_files_it(login, browser, shot):
    scan = signed_scan_pdf(browser)
    clerk = login("clerk")
    nav(clerk, "聘任合同")
    clerk.get_by_role("link", name="生成合同").click()
    clerk.get_by_role("link", name="选择“常年法律顾问”").click()  # the kind first (#16)
    expect(clerk.get_by_role("heading", name="生成聘任合同：常年法律顾问")).to_be_visible()
    agency = clerk.locator("#f-agency_id option:checked").inner_text()
    advisor = clerk.locator("#f-advisor_id optgroup[label='人才库在库成员'] option").first
    clerk.locator("#f-advisor_id").select_option(advisor.get_attribute("value"))
    # 甲方 details come from the agency register (shown as the inputs' placeholders)
    address = clerk.locator("#f-agency_address").get_attribute("placeholder")
    assert address.startswith("单位登记：开封市"), address
    expect(clerk.locator("main")).to_contain_text(f"编号示例：汴法顾〔{date.today().year}〕第001号")
    clerk.get_by_label("重大决策法律论证").check()
    clerk.get_by_label("合同合法性审查").check()
    clerk.get_by_label("年度顾问费").fill("68000")
    clerk.get_by_label("专项法律事务收费方式").fill("专项法律事务按件另行协商，单件不超过年度顾问费的百分之二十。")
    clerk.get_by_label("签订地点").fill("开封市")
    shot(clerk, "1-contract-form")
    clerk.get_by_role("button", name="生成合同").click()

    expect(flash(clerk)).to_contain_text("已生成聘任合同")
    heading = clerk.locator("main h1")
    expect(heading).to_contain_text("草稿")
    contract_no = re.search(r"汴法顾〔\d{4}〕第\d{3}号", heading.inner_text()).group(0)
    expect(clerk.locator("main")).to_contain_text("¥68,000.00")
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="下载合同（.docx）").click()
    text = docx_text(download.value.path())
    assert contract_no in text and agency in text and address.removeprefix("单位登记：") in text
    expect(clerk.locator("td[data-history]").first).not_to_contain_text("{")

    clerk.get_by_label("扫描件（PDF 或 .docx）").set_input_files(
        files=[{"name": "签字盖章扫描件.pdf", "mimeType": "application/pdf", "buffer": scan}])
    clerk.get_by_role("button", name="确认签订").click()
    expect(flash(clerk)).to_contain_text(f"合同 {contract_no} 已签订")
    assert clerk.dialogs == ["签订后合同条款将锁定，不能再修改。确定吗？"]
    expect(heading).to_contain_text("已签订")
    expect(clerk.locator("main")).to_contain_text(sha256(scan))
    expect(clerk.get_by_role("button", name="登记备案")).to_have_count(0)  # filing is the bureau's
    expect(clerk.get_by_role("link", name="修改草稿")).to_have_count(0)  # terms are frozen
    shot(clerk, "1-contract-signed")

    admin = login("admin")
    nav(admin, "聘任合同")
    admin.get_by_role("link", name=re.compile(r"^已签订")).click()
    admin.get_by_label("合同编号或备案号").fill(contract_no)
    admin.get_by_role("button", name="筛选").click()
    admin.get_by_role("link", name=contract_no).click()
    admin.get_by_label("备案号").fill(FILING_NO)
    admin.get_by_label("备案日期").fill(date.today().isoformat())
    admin.get_by_role("button", name="登记备案").click()
    expect(flash(admin)).to_contain_text(f"合同 {contract_no} 已备案")
    expect(admin.locator("main h1")).to_contain_text("已备案")
    expect(admin.locator("main table tr:has(th:text-is('备案'))")).to_contain_text(
        f"{FILING_NO}（{date_cn(date.today())}）")
    shot(admin, "1-contract-filed")


def quarter_cn(period: str) -> str:
    """How the pages name a quarter: ``2026年第三季度`` for ``2026Q3``."""
    return f"{period[:4]}年第{'一二三四'[int(period[-1]) - 1]}季度"


def previous_quarter(today: date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year}Q{quarter - 1}" if quarter > 1 else f"{today.year - 1}Q4"


def score_in_ui(admin, code: str, manual: list[dict], share: float) -> None:
    """Open one agency's record from the ranking, enter low scores, save and finalise."""
    admin.locator(f"#ranking tr[data-agency='{code}'] a").click()
    for item in manual:
        admin.get_by_label(f"{item['name']}得分").fill(f"{item['max_points'] * share:.1f}")
    admin.get_by_role("button", name="保存并定稿").click()
    expect(admin.locator("[data-record-status]")).to_have_attribute(
        "data-record-status", "finalised")
    admin.get_by_role("navigation", name="位置").get_by_role("link").click()


def region(page, first, last, margin: int = 16) -> dict:
    """A full-page clip from the top of ``first`` to the bottom of ``last``, full width."""
    page.evaluate("window.scrollTo(0, 0)")
    top, bottom = first.bounding_box(), last.bounding_box()
    y = max(0, top["y"] - margin)
    return {"x": 0, "y": y, "width": page.viewport_size["width"],
            "height": bottom["y"] + bottom["height"] + 2 * margin - y}


def test_admin_finalises_and_publishes_a_quarter_and_sees_the_bottom_five(login, server, shot):
    period = previous_quarter(date.today())
    admin = login("admin")
    nav(admin, "督察考评")
    quarter = admin.get_by_label("考评季度")
    if quarter.input_value() != period:  # another journey may have made it the default
        quarter.select_option(period)  # auto-submits
        admin.wait_for_url(re.compile(rf"period={period}"))
    expect(admin.locator("p[data-status]")).to_have_attribute("data-status", "provisional")
    admin.get_by_role("button", name="建立本季度考评记录").click()
    expect(flash(admin)).to_contain_text(f"已为 {quarter_cn(period)} 建立")

    records = server.api("GET", f"/api/v1/assessments?period={period}")["items"]
    assert len(records) == 62
    records.sort(key=lambda r: r["agency"]["code"])
    weak = [r["agency"]["code"] for r in records[::12][:5]]  # to score low; 2 of them by hand
    for n, record in enumerate(records):
        manual = [i for i in record["items"] if i["method"] == "manual"]
        code = record["agency"]["code"]
        share = 0.1 + 0.05 * weak.index(code) if code in weak else 0.78 + (n * 7 % 20) / 100
        if code in weak[:2]:
            score_in_ui(admin, code, manual, share)
        else:  # setup: the other agencies' scores through the API
            server.api("PUT", f"/api/v1/assessments/{record['id']}/scores",
                       {"scores": {i["code"]: round(i["max_points"] * share * 2) / 2
                                   for i in manual}})

    admin.get_by_role("button", name="批量定稿（完整的记录）").click()
    expect(flash(admin)).to_have_text("已定稿 60 条考评记录；0 条尚不完整，未定稿。")
    expect(admin.locator("p[data-status]")).to_contain_text("已定稿 62 个")
    admin.get_by_role("button", name="公布排名").click()
    expect(flash(admin)).to_have_text(f"{quarter_cn(period)} 排名已公布。")
    expect(admin.locator("p[data-status]")).to_have_attribute("data-status", "published")
    assert admin.dialogs[-2:] == ["定稿后记录将锁定，只能以更正方式修改。确定批量定稿吗？",
                                  "公布后名次即为正式结果。确定公布吗？"]

    highlighted = admin.locator("#ranking tbody tr.table-warning")
    expect(highlighted).to_have_count(5)
    assert {row.get_attribute("data-agency") for row in highlighted.all()} == set(weak)
    expect(highlighted.locator("[data-flag='bottom_five']")).to_have_count(5)
    ranks = {row.get_attribute("data-agency"): int(row.get_attribute("data-rank"))
             for row in admin.locator("#ranking tbody tr").all()}
    assert len(ranks) == 62
    assert min(ranks[c] for c in weak) > max(r for c, r in ranks.items() if c not in weak)
    bottom = admin.locator("#bottom-five li")
    expect(bottom).to_have_count(5)
    assert {li.get_attribute("data-agency") for li in bottom.all()} == set(weak)
    expect(admin.get_by_role("button", name="公布排名")).to_be_disabled()
    shot(admin, "3-ranking-published", full_page=False)
    shot(admin, "3-bottom-five", clip=region(admin, admin.locator("#ranking tbody tr").nth(52),
                                             admin.locator("div.row.g-3:has(#bottom-five)")))


def test_advisor_uploads_an_opinion_that_the_clerk_finds_opens_and_downloads(
        login, server, shot):
    data, filename = opinion_docx(), f"{PHRASE}法律意见书.docx"
    advisor = login("advisor")
    nav(advisor, "文书管理")
    advisor.get_by_role("link", name="上传文书").click()
    advisor.locator("#f-file").set_input_files(files=[{
        "name": filename, "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    expect(advisor.locator("#f-agency_id option")).to_have_text(["中共开封市委办公室"])
    advisor.get_by_label("文书类型").select_option(label="法律意见书")
    advisor.get_by_label("标题").fill(f"关于{PHRASE}项目的法律意见书")
    advisor.get_by_label("出具日期").fill(date.today().isoformat())
    advisor.get_by_label("意见建议条数").fill("2")
    advisor.get_by_role("button", name="上传并登记").click()
    expect(advisor.locator("#upload-progress")).to_contain_text("已登记：汴法顾登")
    shot(advisor, "2-opinion-uploaded")
    advisor.get_by_role("link", name="全部 1 份已上传，查看文书列表").click()
    advisor.get_by_role("link", name=f"关于{PHRASE}项目的法律意见书").click()
    advisor.wait_for_url(re.compile(r"/documents/\d+$"))
    doc_id = int(re.search(r"/documents/(\d+)$", advisor.url).group(1))
    server.wait_indexed(doc_id)

    clerk = login("clerk")
    nav(clerk, "全文检索")
    clerk.get_by_label("检索词").fill(f'"{PHRASE}"')
    clerk.get_by_role("button", name="检索").click()
    expect(clerk.locator("main")).to_contain_text("共找到 1 份文书")
    hit = clerk.locator(".gc-hit")
    expect(hit).to_have_count(1)
    expect(hit.locator(".gc-snippet mark").first).to_have_text(PHRASE)
    shot(clerk, "2-search-highlight")
    hit.get_by_role("link").click()
    clerk.wait_for_url(re.compile(rf"/documents/{doc_id}\?q="))  # the result keeps the query
    expect(clerk.locator("main h1")).to_contain_text(PHRASE)
    expect(clerk.locator("[data-hit-text] mark").first).to_have_text(PHRASE)
    expect(clerk.locator(".gc-text-preview")).to_contain_text(f"经审查，{PHRASE}属于重大行政决策事项")
    expect(clerk.locator("main")).to_contain_text(sha256(data))
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="下载原件").click()
    assert download.value.suggested_filename == filename
    assert sha256(Path(download.value.path()).read_bytes()) == sha256(data)
    shot(clerk, "2-opinion-detail")


def find_foreign_classified(server, own_agency: str) -> dict:
    """A classified document of an agency other than ``own_agency`` (admin API, setup)."""
    for page in range(1, 20):
        listing = server.api("GET", f"/api/v1/documents?per_page=200&page={page}")
        for doc in listing["items"]:
            if doc["classified"] and doc["agency"] != own_agency:
                return doc
        if page * 200 >= listing["total"]:
            break
    raise AssertionError("the demo data has no classified document of another agency")


def test_clerk_is_refused_another_agencys_classified_document(login, server, shot):
    clerk = login("clerk")
    own_agency = clerk.locator("header div.small > span").nth(2).inner_text()
    secret = find_foreign_classified(server, own_agency)
    server.wait_indexed(secret["id"])

    for url in (f"/documents/{secret['id']}", f"/documents/{secret['id']}/file"):
        response = clerk.goto(server.url + url)
        assert response.status == 404, url  # answered like a missing id (#15, finding 11)
        expect(clerk.locator("main h4")).to_have_text("未找到（404）")
        html = clerk.content()
        for leak in (secret["title"], secret["registration_no"], secret["agency"]):
            assert leak not in html, f"{url} shows {leak!r}"
    shot(clerk, "4-classified-refused")

    clerk.get_by_label("全文检索").fill(f'"{secret["title"]}"')
    clerk.get_by_label("全文检索").press("Enter")
    expect(clerk.get_by_role("heading", name="全文检索")).to_be_visible()
    expect(clerk.locator(".gc-hit", has_text=secret["title"])).to_have_count(0)
    expect(clerk.locator(f"a[href='/documents/{secret['id']}']")).to_have_count(0)
    found = server.api("GET", f"/api/v1/search?q={quote(chr(34) + secret['title'] + chr(34))}")
    assert secret["id"] in [h["id"] for h in found["hits"]]  # the admin finds it

    refused = server.api("GET", "/api/v1/audit/events?action=permission_refused&actor=clerk"
                                f"&object_id={secret['id']}")
    assert len(refused["items"]) == 2


CASE_REF = "汴司法案〔2026〕E2E-7号"


def test_admin_adds_a_custom_field_sets_it_on_a_document_and_finds_it(login, server, shot):
    """系统设置 → 文书字段: the new field is in the document's edit form, the list filters by
    it, and (marked 参与全文检索) the full-text search finds the document by its value."""
    target = server.api("GET", "/api/v1/documents?doc_type=legal_opinion&per_page=1")["items"][0]
    admin = login("admin")
    nav(admin, "系统设置")
    admin.get_by_role("link", name="文书字段").click()
    admin.get_by_label("字段代码（小写英文，如 budget）").fill("case_no")
    admin.get_by_label("字段名称", exact=True).fill("案卷编号")
    admin.get_by_label("类型", exact=True).select_option(label="文本")
    admin.get_by_label("参与全文检索（文本类型）").check()
    admin.get_by_role("button", name="新增字段").click()
    expect(admin.locator("#custom-fields")).to_contain_text("案卷编号")
    shot(admin, "5-custom-field")

    admin.goto(f"{server.url}/documents/{target['id']}")
    admin.locator("summary", has_text="修改文书信息").click()
    admin.get_by_label("案卷编号").fill(CASE_REF)
    admin.get_by_role("button", name="保存修改").click()
    expect(admin.locator("[data-field='case_no']")).to_have_text(CASE_REF)

    nav(admin, "文书管理")
    admin.get_by_label("案卷编号").fill("E2E-7")
    admin.get_by_role("button", name="筛选").click()
    expect(admin.locator("main")).to_contain_text("共 1 条")
    admin.get_by_role("link", name=target["title"]).click()
    admin.wait_for_url(f"{server.url}/documents/{target['id']}")

    server.wait_indexed(target["id"])
    nav(admin, "全文检索")
    admin.get_by_label("检索词").fill(f'"{CASE_REF}"')
    admin.get_by_role("button", name="检索").click()
    expect(admin.locator(".gc-hit")).to_have_count(1)
    expect(admin.locator(".gc-hit").get_by_role("link")).to_contain_text(target["title"])


# --- scans, OFD and page previews (#14) ---

SCAN_PHRASE = "城东供水特许经营协议"


def scanned_pdf() -> bytes:
    """A two-page scan: a LibreOffice PDF rasterised at 200 dpi, saved as images only."""
    import pypdfium2 as pdfium

    from tests.webapp.files import pdf_bytes

    lines = [f"关于{SCAN_PHRASE}的法律意见书", "经审查，该协议的签订程序符合有关规定。"]
    lines += [f"第{n}条 特许经营者应当按照协议约定履行供水义务，保障供水安全。"
              for n in range(1, 46)]
    document = pdfium.PdfDocument(pdf_bytes("\n".join(lines)))
    pages = [document[i].render(scale=200 / 72).to_pil().convert("L") for i in range(2)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200)
    return out.getvalue()


def upload_through_form(page, name: str, data: bytes, mime: str, title: str,
                        classified: bool = False) -> int:
    """Upload one file in 文书管理 → 上传文书 and open its page; returns its id."""
    nav(page, "文书管理")
    page.get_by_role("link", name="上传文书").click()
    page.locator("#f-file").set_input_files(files=[{"name": name, "buffer": data,
                                                     "mimeType": mime}])
    page.get_by_label("文书类型").select_option(label="法律意见书")
    page.get_by_label("标题").fill(title)
    page.get_by_label("出具日期").fill(date.today().isoformat())
    if classified:
        page.get_by_label("涉密文书").check()
    page.get_by_role("button", name="上传并登记").click()
    expect(page.locator("#upload-progress")).to_contain_text("已登记：汴法顾登")
    nav(page, "文书管理")
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    return int(re.search(r"/documents/(\d+)$", page.url).group(1))


def show_pages(page):
    """Switch the document page to its page view; returns the page image."""
    page.get_by_role("button", name="页面").click()
    image = page.locator("[data-page-image]")
    expect(image).to_be_visible()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=image.element_handle())
    return image


def test_clerk_uploads_a_scan_watches_it_recognised_and_finds_it(login, server, shot):
    clerk = login("clerk")
    doc_id = upload_through_form(clerk, "签字扫描件.pdf", scanned_pdf(), "application/pdf",
                                 "城东供水协议法律意见（扫描件）")
    expect(clerk.locator("[data-ocr-progress]")).to_contain_text(
        re.compile(r"识别中 \d/2 页"), timeout=120_000)
    shot(clerk, "14-ocr-progress")
    expect(clerk.locator(".gc-text-preview")).to_contain_text(SCAN_PHRASE, timeout=300_000)
    expect(clerk.locator("[data-page-sources]")).to_contain_text("OCR")
    server.wait_indexed(doc_id)
    found = server.api("GET", f"/api/v1/search?q={quote(chr(34) + SCAN_PHRASE + chr(34))}")
    assert doc_id in [h["id"] for h in found["hits"]], (found, server.api(
        "GET", f"/api/v1/documents/{doc_id}"))

    nav(clerk, "全文检索")
    clerk.get_by_label("检索词").fill(f'"{SCAN_PHRASE}"')
    clerk.get_by_role("button", name="检索").click()
    hit = clerk.locator(".gc-hit")
    expect(hit).to_have_count(1)
    expect(hit.locator(".gc-snippet mark").first).to_have_text(SCAN_PHRASE)


def test_clerk_pages_through_an_ofd_preview(login, server, shot):
    from tests.webapp.scans import NOTICE_OFD, ofd_sample

    clerk = login("clerk")
    upload_through_form(clerk, NOTICE_OFD, ofd_sample(), "application/ofd",
                        "路桥区卫生局批复（OFD）")
    expect(clerk.locator(".gc-text-preview")).to_contain_text("同意张阿三同志辞职",
                                                              timeout=120_000)
    image = show_pages(clerk)
    label = clerk.locator("[data-page-label]")
    expect(label).to_have_text("第 1 页 / 共 2 页")
    clerk.get_by_role("button", name="下一页").click()
    expect(label).to_have_text("第 2 页 / 共 2 页")
    expect(image).to_have_attribute("src", re.compile(r"/pages/2\.png\?width=\d+$"))
    clerk.wait_for_function("el => el.complete && el.naturalWidth > 0",
                            arg=image.element_handle())
    shot(clerk, "14-ofd-preview")
    clerk.get_by_role("button", name="文本").click()
    expect(clerk.locator(".gc-text-preview")).to_be_visible()


def test_a_classified_preview_shows_the_viewers_watermark(login, server, shot):
    from PIL import Image

    from tests.webapp.files import pdf_bytes

    clerk = login("clerk")
    upload_through_form(clerk, "涉密意见.pdf", pdf_bytes("涉密法律意见：预览水印测试"),
                        "application/pdf", "涉密法律意见（水印）", classified=True)
    image = show_pages(clerk)
    expect(clerk.locator("[data-reading-panel=pages]")).to_contain_text("带有查看人水印")
    seen = Image.open(io.BytesIO(image.screenshot())).convert("RGB")
    raw = seen.tobytes()
    reddish = sum(1 for r, g, b in zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
                  if r - g > 30 and r - b > 30)
    assert reddish > 0.005 * seen.width * seen.height  # the red diagonal stamp is there
    shot(clerk, "14-classified-watermark")
    response = clerk.request.get(server.url + image.get_attribute("src"))
    assert response.headers["cache-control"] == "private, no-store"
