"""Who may call which route: ONE table, checked by one guard on every request (fail closed).

Every route handler must appear here by its handler name; the guard refuses a route missing from the table, and
tests/web/test_access.py enumerates the registered routes against it. Unit scoping (a handler sees only their own
unit) is enforced below this, in the use cases and queries, for every record.
"""

from __future__ import annotations

from workflow.record_kinds import KINDS

PUBLIC = frozenset({"public"})
ANYONE = frozenset({"handler", "leader", "supervisor", "admin"})
UNIT_STAFF = frozenset({"handler", "leader"})
STAFF_AND_SUPERVISORS = frozenset({"handler", "leader", "supervisor"})
SUPERVISORS = frozenset({"supervisor", "admin"})
LEADERS = frozenset({"leader"})
ADMINS = frozenset({"admin"})

ACCESS: dict[str, frozenset[str]] = {
    # system
    "health": PUBLIC,
    # sign-in
    "login_page": PUBLIC,
    "login_submit": PUBLIC,
    "logout": ANYONE,
    "api_token": PUBLIC,
    # API: items, events, documents, overdue
    "api_list_items": ANYONE,
    "api_register_item": UNIT_STAFF,
    "api_get_item": ANYONE,
    "api_fire_event": UNIT_STAFF,
    "api_get_document": ANYONE,
    "api_document_pdf": ANYONE,
    "api_overdue": ANYONE,
    "api_list_enterprises": ANYONE,
    "api_create_enterprise": UNIT_STAFF,
    "api_get_enterprise": ANYONE,
    "api_update_enterprise": UNIT_STAFF,
    "api_workflow": ANYONE,
    # pages
    "dashboard": ANYONE,
    "item_list": ANYONE,
    "item_export": ANYONE,
    "item_new": UNIT_STAFF,
    "item_create": UNIT_STAFF,
    "item_page": ANYONE,
    "item_event": UNIT_STAFF,
    "document_pdf": ANYONE,
    "enterprise_search": ANYONE,
    "enterprise_list": ANYONE,
    "enterprise_page": ANYONE,
    "enterprise_new": UNIT_STAFF,
    "enterprise_create": UNIT_STAFF,
    "enterprise_edit": UNIT_STAFF,
    "enterprise_update": UNIT_STAFF,
    "enterprise_import_page": UNIT_STAFF,
    "enterprise_import": UNIT_STAFF,
    "supervision": SUPERVISORS,
    "flag_item": SUPERVISORS,
    "flag_unit": SUPERVISORS,
    "unflag": SUPERVISORS,
    "workflow_page": ANYONE,
    # pages: reporting
    "records_list": STAFF_AND_SUPERVISORS,
    "record_new": UNIT_STAFF,
    "record_create": UNIT_STAFF,
    "record_edit": UNIT_STAFF,
    "record_update": UNIT_STAFF,
    "reports_page": STAFF_AND_SUPERVISORS,
    "report_file": STAFF_AND_SUPERVISORS,
    "submissions_page": STAFF_AND_SUPERVISORS,
    "submission_create": LEADERS,
    "submission_file": STAFF_AND_SUPERVISORS,
    "special_inspections": STAFF_AND_SUPERVISORS,
    "special_inspection_register": UNIT_STAFF,
    # pages: administration
    "admin_users": ADMINS,
    "admin_user_create": ADMINS,
    "admin_user_active": ADMINS,
    "admin_user_password": ADMINS,
    "admin_units": ADMINS,
    "admin_unit_update": ADMINS,
    # API: reporting
    "api_report": STAFF_AND_SUPERVISORS,
    "api_list_submissions": STAFF_AND_SUPERVISORS,
    "api_submit_report": LEADERS,
    "api_get_submission": STAFF_AND_SUPERVISORS,
    "api_submission_file": STAFF_AND_SUPERVISORS,
    "api_reporting_status": SUPERVISORS,
    "api_special_inspections": STAFF_AND_SUPERVISORS,
    "api_register_special_inspection": UNIT_STAFF,
}

# The activity records behind 附件2: every kind has the same four routes (web/api/reporting.py).
for _kind in KINDS:
    ACCESS[f"api_list_{_kind}"] = STAFF_AND_SUPERVISORS
    ACCESS[f"api_get_{_kind}"] = STAFF_AND_SUPERVISORS
    ACCESS[f"api_create_{_kind}"] = UNIT_STAFF
    ACCESS[f"api_update_{_kind}"] = UNIT_STAFF


# Routes the framework itself registers: the OpenAPI documents, static files and automatic OPTIONS answers.
# They hold no records, so they are public — but only under their own path prefixes.
FRAMEWORK_PREFIXES = ("/schema", "/static/")
FRAMEWORK_HANDLERS = frozenset({"_handler", "get_handler", "head_handler", "options_handler",
                                "handle_schema_path_not_found", "render_oauth2_redirect"})


def roles_for(handler_name: str, path: str) -> frozenset[str] | None:
    """The roles allowed on a route; None when the route is not in the table (the guard then refuses it)."""
    if handler_name == "options_handler":
        return PUBLIC
    if handler_name in FRAMEWORK_HANDLERS:
        return PUBLIC if path.startswith(FRAMEWORK_PREFIXES) else None
    return ACCESS.get(handler_name)
