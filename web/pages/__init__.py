"""HTML pages. Each module exposes its handlers; ROUTES lists them all for the app factory."""

from web.pages import admin, dashboard, enterprises, items, reporting, supervision, workflow_page

ROUTES: list = [
    *dashboard.ROUTES,
    *items.ROUTES,
    *enterprises.ROUTES,
    *supervision.ROUTES,
    *workflow_page.ROUTES,
    *reporting.ROUTES,
    *admin.ROUTES,
]
