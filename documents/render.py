"""Render a document snapshot to PDF: a pure function of (snapshot, TEMPLATE_VERSION).

A transition freezes everything its document prints into a JSON snapshot (DESIGN §5); this module turns
the snapshot into PDF/A-2u bytes with the kind's Jinja2 template (documents/templates/<kind>.html) and the
static stylesheet documents/templates/document.css. The same snapshot always gives the same bytes: the PDF
metadata dates come from the snapshot's `issued_on`, never from the clock.

The footer prints the document number and the snapshot's short hash (first 12 hex digits of
`snapshot_hash`), since a PDF cannot carry the hash of its own bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from jinja2 import Environment

from documents.pdf import FONT_CONFIG, html_to_pdf, metadata_date, template_environment
from workflow.labels import calendar_day, chinese_date
from workflow.snapshot import TEMPLATE_VERSION, DocumentSnapshot, ItemJson, canonical_json, snapshot_sha256
from workflow.table import DOCUMENT_KINDS

SUPPORTED_TEMPLATE_VERSIONS = frozenset({1})
STYLESHEET = "document.css"

# The remedies sentence (救济途径告知) of decisions addressed to the party. The reconsideration body and
# the court are left generic (they depend on the issuing unit); a 通知书 says 本通知/本通知书 instead of 本决定/本决定书.
REMEDY_DECISION = (
    "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
)
REMEDY_NOTICE = (
    "如不服本通知，可以在收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
)

BLANK = "/"  # printed for an empty field, as the 范本 forms do

__all__ = ["FONT_CONFIG", "TEMPLATE_VERSION", "canonical_json", "render_html", "render_pdf", "short_hash",
           "snapshot_hash"]


def snapshot_hash(snapshot: DocumentSnapshot) -> str:
    """Full sha256 hex digest of the snapshot's canonical JSON (workflow.snapshot.snapshot_sha256)."""
    return snapshot_sha256(snapshot)


def short_hash(snapshot: DocumentSnapshot) -> str:
    """The footer's short hash: the first 12 hex digits of `snapshot_hash`."""
    return snapshot_hash(snapshot)[:12]


# --- template filters -----------------------------------------------------------------------------------


cn_date = partial(chinese_date, blank=BLANK)  # 2023-07-19 → 2023年7月19日; no date prints "/"


def add_days(value: Any, days: int) -> dt.date:
    day = calendar_day(value)
    if day is None:
        raise ValueError("add_days needs a date")
    return day + dt.timedelta(days=int(days))


def money(value: Any, blank: str = BLANK) -> str:
    """An amount in 元 as the snapshot holds it ("12000.00") → 12000.00元; a non-number prints as entered."""
    if value is None or value == "":
        return blank
    try:
        amount = Decimal(str(value).replace(",", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return f"{value}元"
    return f"{amount}元"


def dash(value: Any) -> Any:
    """An empty field prints as "/"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    return value


def paras(value: Any) -> list[str]:
    """Split free text into its non-empty lines: each becomes one paragraph."""
    if value is None:
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def clause(value: Any) -> str:
    """Free text used inside a sentence: without its trailing full stop or semicolon."""
    return str(value).strip().rstrip("。；;.，,")


def _env() -> Environment:
    env = template_environment()  # autoescape: everything user-entered prints literally
    env.filters.update(cn_date=cn_date, add_days=add_days, money=money, dash=dash, paras=paras, clause=clause)
    return env


ENV = _env()


# --- rendering ------------------------------------------------------------------------------------------


def _product(item: ItemJson) -> str:
    category = item.get("category") or ""
    sub = item.get("sub_product")
    return f"{category}（{sub}）" if sub else category


def _case_title(snapshot: DocumentSnapshot) -> str:
    """案件名称: the case's 案由 when a case was filed, else a name made of party, product and problem."""
    case = snapshot.get("case") or {}
    if case.get("offence"):
        return case["offence"]
    item = snapshot["item"]
    product = item.get("sub_product") or item.get("category") or ""
    return f"{snapshot['party']['name']}{product}{item.get('problem_type') or ''}问题"


def template_context(snapshot: DocumentSnapshot) -> dict[str, Any]:
    """Everything a template sees: the snapshot as `s` plus a few derived values."""
    kind = DOCUMENT_KINDS[snapshot["kind"]]
    return {
        "s": snapshot,
        "kind": kind,
        "short_hash": short_hash(snapshot),
        "product": _product(snapshot["item"]),
        "case_title": _case_title(snapshot),
        "remedy_decision": REMEDY_DECISION,
        "remedy_notice": REMEDY_NOTICE,
        "meta_date": metadata_date(calendar_day(snapshot["issued_on"])),
        "template_version": TEMPLATE_VERSION,
    }


def render_html(snapshot: DocumentSnapshot) -> str:
    """The print HTML of a snapshot (useful for previews and for debugging a template)."""
    version = snapshot.get("template_version", TEMPLATE_VERSION)
    if version not in SUPPORTED_TEMPLATE_VERSIONS:
        raise ValueError(f"unsupported template_version {version!r} (this code renders {TEMPLATE_VERSION})")
    kind = snapshot.get("kind")
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    return ENV.get_template(f"{kind}.html").render(template_context(snapshot))


def render_pdf(snapshot: DocumentSnapshot) -> bytes:
    """PDF/A-2u bytes of a document snapshot; byte-identical for one snapshot and TEMPLATE_VERSION."""
    return html_to_pdf(render_html(snapshot), STYLESHEET, calendar_day(snapshot["issued_on"]))
