"""The one WeasyPrint set-up shared by every PDF this package writes.

- ONE module-level `FontConfiguration` per process (DESIGN §8: reusing it makes renders ~30 % faster).
  Pango's font map is not documented as thread-safe, and the web layer renders from worker threads, so
  renders are serialised by a lock: a render takes ~0.25 s, which a bureau's traffic never queues behind.
- Stylesheets are static files parsed once per process (never interpolated by Jinja: autoescape would
  turn the quotes of a font stack into entities and the PDF would silently fall back to DejaVu).
- Output is PDF/A-2u with fonts embedded (subset) and fixed metadata dates taken from the document's own
  date, so that one input always gives the same bytes. One more clock hides inside: WeasyPrint re-saves
  colour-emoji fonts with fontTools, which stamps the font's `head.modified` with the current time unless
  SOURCE_DATE_EPOCH is set; it is set to the document's date for the duration of a render.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

TEMPLATES_DIR = Path(__file__).parent / "templates"
PDF_VARIANT = "pdf/a-2u"
ATTACHMENTS_STYLESHEET = "statistics.css"  # 附件1, 附件2 and a submission (both) print alike

FONT_CONFIG = FontConfiguration()
_RENDER_LOCK = threading.Lock()


def template_environment() -> Environment:
    """The Jinja2 environment of the print templates: user text prints literally (autoescape), a missing value
    fails loudly (StrictUndefined)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet(name: str) -> CSS:
    """A static stylesheet of documents/templates/, parsed once per process."""
    return CSS(filename=str(TEMPLATES_DIR / name), font_config=FONT_CONFIG)


def metadata_date(day: dt.date) -> str:
    """The W3C date WeasyPrint reads from <meta name="dcterms.created|modified">: midnight, Shanghai time."""
    return f"{day.isoformat()}T00:00:00+08:00"


def _epoch(day: dt.date) -> str:
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return str(int(midnight.timestamp()))


def html_to_pdf(html: str, stylesheet_name: str, day: dt.date) -> bytes:
    """Render HTML (which carries its own dcterms dates) with one static stylesheet to PDF/A-2u bytes.

    `day` is the document's date: any timestamp a library would take from the clock is taken from it.
    """
    with _RENDER_LOCK:
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = _epoch(day)
        try:
            css = stylesheet(stylesheet_name)
            document = HTML(string=html, base_url=str(TEMPLATES_DIR))
            return document.write_pdf(
                stylesheets=[css],
                font_config=FONT_CONFIG,
                pdf_variant=PDF_VARIANT,
            )
        finally:
            if previous is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous
