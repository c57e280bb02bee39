from web.api import enterprises, items, reporting

ROUTES = [
    items.api_list_items, items.api_register_item, items.api_get_item, items.api_fire_event, items.api_overdue,
    items.api_get_document, items.api_document_pdf, items.api_workflow,
    enterprises.api_list_enterprises, enterprises.api_create_enterprise, enterprises.api_get_enterprise,
    enterprises.api_update_enterprise,
    *reporting.ROUTES,
]
