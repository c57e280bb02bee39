"""Documents: print templates, the WeasyPrint renderer, the content-addressed PDF store and report writers.

- documents.render: render_pdf(snapshot) -> bytes, snapshot_hash(snapshot) -> str (snapshot: workflow.snapshot)
- documents.pdf: the one WeasyPrint set-up (fonts, static stylesheets, reproducible dates), the Jinja environment
- documents.store: PdfStore(root) with put / get / path / exists
- documents.sheets: the XLSX kit every sheet is written with (fonts, borders, headings, print set-up, dates)
- documents.issue_list: issue_list_pdf(...) and issue_list_xlsx(...) for a unit's 问题清单
- documents.statistics_report / ledger_report: 附件2 and 附件1 (PDF, XLSX) and a submission of both
- documents.item_export: the item list's XLSX export (隐患清单)
"""
