"""Documents: print templates, the WeasyPrint renderer, the content-addressed PDF store and report writers.

- documents.render: render_pdf(snapshot) -> bytes, snapshot_hash(snapshot) -> str, TEMPLATE_VERSION
- documents.store: PdfStore(root) with put / get / path / exists
- documents.issue_list: issue_list_pdf(...) and issue_list_xlsx(...) for a unit's 问题清单
"""
