"""Every document kind renders from its snapshot to a PDF/A-2u that prints what the snapshot says."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from weasyprint.text.fonts import FontConfiguration

from documents import pdf as fonts, render  # documents.fonts was renamed documents.pdf in 26ea961
from documents.render import TEMPLATE_VERSION, render_html, render_pdf, snapshot_hash
from tests.documents.pdf_probe import (
    INTENDED_FACES,
    fail_on_weasyprint_warnings,
    pdf_fonts,
    pdf_info,
    pdf_layout_text,
    pdf_pages,
    pdf_text,
    squeeze,
    strict,
)
from tests.documents.sample_snapshots import JUDICIARY_RETURNED_SNAPSHOT, SAMPLE_SNAPSHOTS, sample
from workflow.table import DOCUMENT_KINDS, EVENTS

KINDS = sorted(SAMPLE_SNAPSHOTS)

# What each kind must print beyond the common head, party block, date and footer (compared without whitespace).
KEY_FIELDS: dict[str, list[str]] = {
    "hazard_register": [
        "燃气用品",
        "家用燃气灶",
        "质量低劣",
        "监督抽查",
        "2023年7月3日",
        "熄火保护装置",
        "2023年7月24日前",
        "登记人：张三",
    ],
    "rectification_order": [
        "2023年8月18日前改正",
        "改正内容及要求：1.立即停止生产",
        "4.整改完成后将整改报告及复检报告书面报送本局",
        "违反了《中华人民共和国产品质量法》第十三条第一款、第二十六条第二款第（一）项的规定",
        "经查，你单位燃气用品（家用燃气灶）存在质量低劣问题",
        "六十日内依法申请行政复议",
        "六个月内依法向人民法院提起行政诉讼",
    ],
    "matter_approval": [
        "延长整改期限",
        "2023年9月15日",
        "沪市监浦责改〔2023〕12号",
        "2023年8月18日",
        "已召回216台",
        "承办人意见",
        "承办人：张三",
        "负责人意见",
        "负责人：李四",
    ],
    "rectification_review": [
        "沪市监浦责改〔2023〕12号",
        "2023年7月19日",
        "2023年8月18日前",
        "本局于2023年9月12日对你单位的整改情况进行了复查",
        "2023-RQ-08817",
        "予以销号",
    ],
    "case_filing_approval": [
        "执法检查",
        "上海某某电动车商行销售未经强制性产品认证的电动自行车充电器案",
        "核查情况及立案理由",
        "无有效认证证书",
        "《中华人民共和国认证认可条例》第二十七条、第六十六条",
        "建议立案调查",
        "承办人：张三",
        "同意立案。",
        "负责人：李四",
    ],
    "no_filing_approval": [
        "投诉举报",
        "不予立案理由",
        "核查不属实",
        "GB/T5023.3-2008",
        "建议不予立案",
        "承办人：张三",
        "同意不予立案。",
        "负责人：李四",
    ],
    "compulsory_measures": [
        "实施查封、扣押的行政强制措施",
        "30日，自2023年8月3日起至2023年9月2日止",
        "《中华人民共和国产品质量法》第十八条第一款第（四）项",
        "罚没物品仓库",
        "六十日内依法申请行政复议",
        "场所/设施/财物清单",
        "电动自行车充电器包装盒",
        "“速某”牌48V12Ah",
        "86",
        "120",
        "进货单据",
    ],
    "criminal_transfer": [
        "上海市公安局浦东分局：",
        "涉嫌销售伪劣产品罪一案",
        "47600.00元",
        "《行政执法机关移送涉嫌犯罪案件的规定》第三条",
        "附件：1.涉嫌犯罪案件情况的调查报告",
        "4.现场检查笔录",
        "沪市监浦立〔2023〕41号",
    ],
    "case_closing_approval": [
        "沪市监浦立〔2023〕41号",
        "2023年8月2日",
        "处罚",
        "沪市监浦处〔2023〕315号",
        "12000.00元",
        "47600.00元",
        "建议结案",
        "承办人：张三",
        "同意结案。",
        "负责人：李四",
    ],
    "recheck_record": [
        "检查对象",
        "燃气用品（家用燃气灶）",
        "沪市监浦责改〔2023〕12号",
        "2023年10月20日",
        "召回台账与销售记录相符",
        "回头看检查通过",
        "检查人员",
        "张三",
    ],
}


def cn(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {kind: strict(render_pdf, SAMPLE_SNAPSHOTS[kind]) for kind in KINDS}


@pytest.fixture(scope="module")
def texts(pdfs) -> dict[str, str]:
    return {kind: pdf_text(pdf) for kind, pdf in pdfs.items()}


# --- the catalogue ---------------------------------------------------------------------------------------


def test_every_document_kind_of_the_workflow_has_a_sample_and_a_template():
    assert set(SAMPLE_SNAPSHOTS) == set(DOCUMENT_KINDS)
    produced = {e.document for e in EVENTS.values() if e.document}
    assert produced == set(DOCUMENT_KINDS)
    for kind in DOCUMENT_KINDS:
        assert (fonts.TEMPLATES_DIR / f"{kind}.html").is_file()


def test_samples_are_snapshots_of_the_current_template_version():
    for kind, snap in SAMPLE_SNAPSHOTS.items():
        assert snap["kind"] == kind
        assert snap["template_version"] == TEMPLATE_VERSION
        assert snap["title"] == DOCUMENT_KINDS[kind].title
        assert DOCUMENT_KINDS[kind].code in snap["number"]
        assert EVENTS[snap["event"]["name"]].document == kind


# --- what each document prints ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_document_prints_its_head_party_date_and_footer(kind, texts):
    snap = SAMPLE_SNAPSHOTS[kind]
    flat = squeeze(texts[kind])
    for expected in (
        snap["agency"],
        snap["title"],
        snap["number"],
        snap["party"]["name"],
        snap["party"]["uscc"],
        cn(snap["issued_on"]),
        "校验码" + snapshot_hash(snap)[:12],
    ):
        assert squeeze(expected) in flat, expected
    assert "— 1 —" in texts[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_a_document_prints_its_key_fields(kind, texts):
    flat = squeeze(texts[kind])
    missing = [field for field in KEY_FIELDS[kind] if squeeze(field) not in flat]
    assert not missing


@pytest.mark.parametrize("kind", ["rectification_order", "compulsory_measures", "rectification_review"])
def test_letters_print_the_whole_party_block(kind, texts):
    party = SAMPLE_SNAPSHOTS[kind]["party"]
    flat = squeeze(texts[kind])
    for label, key in (
        ("当事人", "name"),
        ("统一社会信用代码", "uscc"),
        ("住所", "address"),
        ("法定代表人（负责人）", "legal_rep"),
        ("联系电话", "phone"),
    ):
        assert squeeze(f"{label}：{party[key]}") in flat


@pytest.mark.parametrize(
    "kind",
    [
        "case_filing_approval",
        "no_filing_approval",
        "case_closing_approval",
        "matter_approval",
        "hazard_register",
        "recheck_record",
    ],
)
def test_forms_print_the_party_block_as_rows(kind, texts):
    party = SAMPLE_SNAPSHOTS[kind]["party"]
    flat = squeeze(texts[kind])
    for label in ("统一社会信用代码", "住所", "法定代表人（负责人）", "联系电话"):
        assert label in flat
    for key in ("address", "legal_rep", "phone"):
        assert squeeze(party[key]) in flat


APPROVAL_FORMS = ["matter_approval", "case_filing_approval", "no_filing_approval", "case_closing_approval"]


@pytest.mark.parametrize("kind", APPROVAL_FORMS)
def test_approval_forms_print_handler_and_leader_opinions_with_name_and_date(kind, pdfs):
    snap = SAMPLE_SNAPSHOTS[kind]
    layout = pdf_layout_text(pdfs[kind])
    date = cn(snap["issued_on"])
    assert re.search(rf"承办人意见.*\n(.*\n)*?.*承办人：{snap['handler']['name']}\s+{date}", layout)
    assert re.search(rf"负责人意见.*\n(.*\n)*?.*负责人：{snap['actor']['name']}\s+{date}", layout)


def test_only_decisions_addressed_to_the_party_carry_the_remedies_sentence(texts):
    with_remedy = {k for k, t in texts.items() if "依法申请行政复议" in squeeze(t)}
    assert with_remedy == {"rectification_order", "compulsory_measures"}
    assert squeeze(render.REMEDY_DECISION) in squeeze(texts["compulsory_measures"])
    assert squeeze(render.REMEDY_NOTICE) in squeeze(texts["rectification_order"])


def test_the_matter_approval_of_a_judiciary_return_prints_that_matter():
    text = squeeze(pdf_text(strict(render_pdf, JUDICIARY_RETURNED_SNAPSHOT)))
    assert "公安机关不予立案退回" in text
    assert "沪公浦不立字〔2023〕118号" in text
    assert "延长整改期限" not in text
    assert "负责人：李四" in text
    assert "沪市监浦立〔2023〕41号" in text


@pytest.mark.parametrize(
    "outcome, fine, opinion",
    [
        ("不予处罚", "0.00", "本案依法作出不予行政处罚决定，建议结案。"),
        ("移送已受理", "0", "本案已移送司法机关并经其受理，建议结案。"),
    ],
)
def test_the_closing_approval_prints_each_outcome(outcome, fine, opinion):
    snap = sample("case_closing_approval")
    snap["event"]["input"].update(outcome=outcome, decision_number="", fine_amount=fine)
    text = squeeze(pdf_text(strict(render_pdf, snap)))
    assert outcome in text and opinion in text
    assert "0.00元" in text


def test_the_seizure_list_follows_the_decision_on_a_page_of_its_own(pdfs):
    pages = pdf_pages(pdfs["compulsory_measures"])
    list_pages = [i for i, p in enumerate(pages) if "场所/设施/财物清单" in squeeze(p) and "序号" in p]
    assert list_pages and list_pages[0] >= 1
    assert "实施行政强制措施决定书" not in pages[list_pages[0]]
    seized = squeeze(pages[list_pages[0]])
    for row in SAMPLE_SNAPSHOTS["compulsory_measures"]["event"]["input"]["items"]:
        assert squeeze(row["name"]) in seized


# --- fonts, format, metadata -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_intended_cjk_faces_are_embedded(kind, pdfs):
    found = pdf_fonts(pdfs[kind])
    names = [f["name"] for f in found]
    assert names, "no fonts"
    assert not [n for n in names if "DejaVu" in n]
    assert all(INTENDED_FACES.match(n) for n in names), names
    assert all(f["emb"] == "yes" for f in found)
    assert any("Noto-Serif-CJK-SC" in n for n in names)


def test_a_document_is_pdf_a_2u_on_a4_with_dates_from_the_snapshot(pdfs):
    pdf = pdfs["rectification_order"]
    info = pdf_info(pdf)
    assert "595.276 x 841.89 pts (A4)" in info or "595.28 x 841.89 pts (A4)" in info
    assert re.search(r"^CreationDate:\s+2023-07-19T00:00:00\+08", info, re.MULTILINE)
    assert re.search(r"^ModDate:\s+2023-07-19T00:00:00\+08", info, re.MULTILINE)
    meta = pdf_info(pdf, "-meta")
    assert 'pdfaid:part="2"' in meta or "<pdfaid:part>2<" in meta
    assert 'pdfaid:conformance="U"' in meta or "<pdfaid:conformance>U<" in meta
    assert "2023-07-19T00:00:00+08:00" in meta


def test_two_renders_of_one_snapshot_are_byte_identical(pdfs):
    again = strict(render_pdf, sample("rectification_order"))
    assert again == pdfs["rectification_order"]
    reordered = json.loads(json.dumps(SAMPLE_SNAPSHOTS["compulsory_measures"], sort_keys=True))
    assert strict(render_pdf, reordered) == pdfs["compulsory_measures"]


def test_a_render_does_not_read_the_clock(monkeypatch):
    """Emoji fonts are re-saved by fontTools, which stamps them with time.time() unless told otherwise."""
    import time

    if not _emoji_font_installed():
        pytest.fail("no font has emoji: install the Debian package fonts-noto-color-emoji (Makefile DEB_PACKAGES)")
    snap = sample("rectification_order")
    snap["item"]["facts"] += "现场照片标注 🔥。"
    first = strict(render_pdf, snap)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 1000 * 86400)
    assert strict(render_pdf, snap) == first


def test_a_render_in_another_process_gives_the_same_bytes(pdfs, tmp_path):
    """No hash-seed or process-state dependence: a fresh interpreter renders the same bytes."""
    root = Path(__file__).resolve().parents[2]
    script = (
        "import sys\n"
        "from documents.render import render_pdf\n"
        "from tests.documents.sample_snapshots import SAMPLE_SNAPSHOTS\n"
        "sys.stdout.buffer.write(render_pdf(SAMPLE_SNAPSHOTS['case_filing_approval']))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)},
    ).stdout
    assert out == pdfs["case_filing_approval"]


def test_renders_from_several_threads_agree_with_renders_from_one(pdfs):
    from concurrent.futures import ThreadPoolExecutor

    kinds = ["rectification_order", "hazard_register", "rectification_order", "hazard_register"]
    with fail_on_weasyprint_warnings(), ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda k: render_pdf(SAMPLE_SNAPSHOTS[k]), kinds))
    assert results == [pdfs[k] for k in kinds]


def test_another_snapshot_gives_another_pdf(pdfs):
    changed = sample("rectification_order")
    changed["number"] = "沪市监浦责改〔2023〕13号"
    assert strict(render_pdf, changed) != pdfs["rectification_order"]


def test_the_font_configuration_is_shared_by_every_render(pdfs):
    assert isinstance(fonts.FONT_CONFIG, FontConfiguration)
    assert fonts.stylesheet(render.STYLESHEET) is fonts.stylesheet(render.STYLESHEET)


# --- the hash ---------------------------------------------------------------------------------------------


def test_the_snapshot_hash_is_the_sha256_of_the_canonical_json():
    snap = SAMPLE_SNAPSHOTS["hazard_register"]
    canonical = json.dumps(snap, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert snapshot_hash(snap) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    shuffled = dict(reversed(list(snap.items())))
    assert snapshot_hash(shuffled) == snapshot_hash(snap)
    changed = sample("hazard_register")
    changed["item"]["facts"] += "。"
    assert snapshot_hash(changed) != snapshot_hash(snap)


# --- long text, hostile text -----------------------------------------------------------------------------


def _long_facts() -> str:
    sentence = "执法人员对该批次产品的生产记录、进货查验记录和出厂检验记录逐项核对，发现检验记录与实际生产数量不符。"
    parts, n = [], 1
    while sum(len(p) for p in parts) < 3000:
        parts.append(f"（{n}）{sentence}")
        n += 1
    text = "".join(parts)[:2992]
    return text + "以上为事实终点。"


@pytest.mark.parametrize("kind", KINDS)
def test_three_thousand_characters_of_facts_flow_onto_further_pages(kind):
    snap = sample(kind)
    snap["item"]["facts"] = _long_facts()
    assert len(snap["item"]["facts"]) >= 3000
    pdf = strict(render_pdf, snap)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert "— 2 —" in pages[1]
    for n, page in enumerate(pages, start=1):
        assert f"— {n} —" in page
        assert squeeze(snap["number"]) in squeeze(page)  # the footer is on every page
    flat = squeeze("".join(pages))
    assert "以上为事实终点。" in flat  # nothing was cut off
    assert "（1）执法人员" in flat


def _emoji_font_installed() -> bool:
    out = subprocess.run(["fc-list", ":charset=1f525", "family"], capture_output=True, text=True, check=True).stdout
    return bool(out.strip())


def test_user_text_prints_literally():
    if not _emoji_font_installed():
        pytest.fail("no font has emoji: install the Debian package fonts-noto-color-emoji (Makefile DEB_PACKAGES)")
    snap = sample("rectification_order")
    snap["party"]["name"] = "上海<script>alert(1)</script>某某&燃气器具有限公司"
    snap["item"]["facts"] = "检查发现<b>不是粗体</b>，依据沪市监产质〔2023〕349号通知，标志为 🔥 与 &amp; 原样。"
    snap["event"]["input"]["requirements"] = "改正 \"引号\" 与 'apostrophe' & <i>标签</i>"
    html = render_html(snap)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    pdf = strict(render_pdf, snap)
    text = pdf_text(pdf)
    flat = squeeze(text)
    assert "上海<script>alert(1)</script>某某&燃气器具有限公司" in flat
    assert "<b>不是粗体</b>" in flat
    assert "沪市监产质〔2023〕349号" in flat
    assert "🔥" in text
    assert "&amp;" in flat
    assert squeeze("\"引号\" 与 'apostrophe' & <i>标签</i>") in flat
    faces = [f["name"] for f in pdf_fonts(pdf)]
    assert not [n for n in faces if not (INTENDED_FACES.match(n) or "Emoji" in n)], faces


def test_hostile_text_without_emoji_still_uses_only_cjk_faces():
    snap = sample("case_filing_approval")
    snap["party"]["name"] = "上海<script>某某</script>&公司〔2023〕"
    pdf = strict(render_pdf, snap)
    assert not [f for f in pdf_fonts(pdf) if not INTENDED_FACES.match(f["name"])]


def test_missing_optional_fields_print_a_slash():
    snap = sample("no_filing_approval")
    del snap["event"]["input"]["remarks"]
    snap["party"]["phone"] = None
    snap["party"]["legal_rep"] = ""
    text = squeeze(pdf_text(strict(render_pdf, snap)))
    assert "联系电话/" in text


# --- refusals ---------------------------------------------------------------------------------------------


def test_an_unknown_kind_is_refused():
    snap = sample("hazard_register")
    snap["kind"] = "birthday_card"
    with pytest.raises(ValueError, match="unknown document kind"):
        render_pdf(snap)


def test_a_snapshot_of_an_unknown_template_version_is_refused():
    snap = sample("hazard_register")
    snap["template_version"] = TEMPLATE_VERSION + 1
    with pytest.raises(ValueError, match="template_version"):
        render_pdf(snap)


def test_a_snapshot_missing_a_required_field_fails_loudly():
    snap = sample("rectification_order")
    del snap["event"]["input"]["deadline"]
    with pytest.raises(UndefinedError, match="deadline"):
        render_pdf(snap)


def test_the_warning_guard_fails_on_any_weasyprint_warning():
    import logging

    with pytest.raises(pytest.fail.Exception, match="WeasyPrint warned"), fail_on_weasyprint_warnings():
        logging.getLogger("weasyprint").warning("Ignored `font-famly: x` at 1:1, unknown property.")


@pytest.mark.parametrize("name", [render.STYLESHEET, "issue_list.css"])
def test_stylesheets_are_static_css_with_the_licensed_windows_faces_first(name):
    css = (fonts.TEMPLATES_DIR / name).read_text(encoding="utf-8")
    assert "{{" not in css and "{%" not in css
    stacks = re.findall(r"font-family:\s*([^;]+);", css)
    assert stacks
    for stack in stacks:
        families = [f.strip().strip('"') for f in stack.split(",")]
        free = [i for i, f in enumerate(families) if f.startswith(("Noto ", "LXGW"))]
        assert free, stack  # a free CJK face is always there as the fallback
        assert free[0] > 0, stack  # … after the Windows names (仿宋_GB2312, SimHei, 方正小标宋简体, …)
        assert not any("DejaVu" in f for f in families)
