"""The OpenAPI document (/schema/openapi.json) describes every JSON API body and response (issue 8, point 5), the
schemas follow the single sources of the rules (the workflow table, the record kinds, the enterprise fields), real
responses match them, and documenting the bodies did not hand their validation to Litestar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from db.engine import open_database
from workflow.enterprise_fields import FORM_FIELDS as ENTERPRISE_FIELDS
from tests.conftest import EVENT_INPUTS, NOW, PUDONG_USCC, World, register_input
from tests.web.api_support import Api, make_app
from web.app import create_app
from web.settings import Settings
from workflow.clock import business_date
from workflow.record_kinds import KINDS
from workflow.table import CLOSE_OUTCOMES, EVENTS, TRANSITION_EVENTS

TODAY = business_date(NOW)  # the app's clock is pinned at NOW (tests/web/api_support.make_app)
NO_BODY = {("post", "/api/v1/special-inspections/{enterprise_id}/register")}  # registers from the flagged record
FILE_ROUTES = {
    "/api/v1/documents/{document_id}/pdf": {"application/pdf"},
    "/api/v1/submissions/{submission_id}/{fmt}": {
        "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@pytest.fixture(scope="module")
def spec(tmp_path_factory) -> dict[str, Any]:
    """The published document. Building it queries nothing, so an empty database serves."""
    data_dir: Path = tmp_path_factory.mktemp("openapi")
    database = open_database(f"sqlite:///{data_dir / 'empty.db'}")
    app = create_app(database=database, settings=Settings(secret_key="test-secret-key-0123456789abcdef",
                                                          data_dir=data_dir, secure_cookies=False))
    with TestClient(app=app) as client:
        response = client.get("/schema/openapi.json")
    database.dispose()
    assert response.status_code == 200
    return response.json()


def api_operations(spec: dict[str, Any]):
    for path, item in spec["paths"].items():
        if path.startswith("/api/v1/"):
            for method in ("get", "post", "patch", "put", "delete"):
                if method in item:
                    yield method, path, item[method]


def schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["components"]["schemas"]


def ref_name(schema: dict[str, Any]) -> str:
    assert set(schema) == {"$ref"}, schema
    prefix = "#/components/schemas/"
    assert schema["$ref"].startswith(prefix)
    return schema["$ref"][len(prefix):]


def referenced(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The component names a body or response schema points to: one $ref, or a oneOf of $refs; each must exist."""
    names = [ref_name(s) for s in schema["oneOf"]] if "oneOf" in schema else [ref_name(schema)]
    for name in names:
        assert name in schemas(spec), name
    return names


# --- a small JSON Schema check (jsonschema is not in uv.lock): enough for the shapes the API documents -------------


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = schemas(spec)[ref_name(schema)]
    return schema


TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def violations(spec: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """What in `value` the schema refuses. Stricter than JSON Schema on one point: an object schema with properties
    is closed, so a key the serializer writes but the schema does not document is reported too."""
    schema = resolve(spec, schema)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not violations(spec, s, value, where)]
        if len(matches) != 1:
            return [f"{where}: {value!r} matches {len(matches)} of {len(schema['oneOf'])} alternatives"]
        rest = {k: v for k, v in schema.items() if k != "oneOf"}
        return violations(spec, rest, value, where) if rest else []
    problems: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        ok = any((k == "integer" and isinstance(value, int) and not isinstance(value, bool))
                 or (k == "number" and isinstance(value, (int, float)) and not isinstance(value, bool))
                 or (k in TYPES and isinstance(value, TYPES[k])) for k in kinds)
        if not ok:
            return [f"{where}: {value!r} is not {kind}"]
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{where}: longer than {schema['maxLength']}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append(f"{where}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
        try:
            if schema.get("format") == "date":
                dt.date.fromisoformat(value)
            elif schema.get("format") == "date-time":
                dt.datetime.fromisoformat(value)
        except ValueError:
            problems.append(f"{where}: {value!r} is not a {schema['format']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{where}: more than {schema['maxItems']} items")
        for index, entry in enumerate(value):
            problems += violations(spec, schema.get("items", {}), entry, f"{where}[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties")
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing {key!r}")
        for key, entry in value.items():
            if properties is not None and key in properties:
                problems += violations(spec, properties[key], entry, f"{where}.{key}")
            elif properties is not None:
                problems.append(f"{where}: undocumented key {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += violations(spec, schema["additionalProperties"], entry, f"{where}.{key}")
    return problems


def assert_matches(spec: dict[str, Any], name: str, value: Any) -> None:
    problems = violations(spec, {"$ref": f"#/components/schemas/{name}"}, value)
    assert not problems, "\n".join(problems)


def test_the_validator_catches_what_it_should(spec):
    item = {"error": "not_found", "detail": "记录不存在"}
    assert not violations(spec, {"$ref": "#/components/schemas/Error"}, item)
    assert violations(spec, {"$ref": "#/components/schemas/Error"}, {"error": "x"})  # missing detail
    assert violations(spec, {"$ref": "#/components/schemas/Error"}, {**item, "extra": 1})  # undocumented key
    assert violations(spec, {"$ref": "#/components/schemas/Error"}, {**item, "fields": {"a": 1}})  # wrong value type


# --- the document --------------------------------------------------------------------------------------------------


def test_components_name_the_api_objects(spec):
    names = set(schemas(spec))
    assert {"Item", "ItemSummary", "ItemList", "HistoryEntry", "Document", "DocumentRef", "ItemRegister", "Workflow",
            "Enterprise", "EnterpriseCreate", "EnterpriseUpdate", "EnterpriseList", "Error", "Token", "TokenRequest",
            "Statistics", "Ledger", "IssueList", "Submission", "SubmissionCreate", "SubmissionDetail",
            "SubmissionList", "ReportingStatus", "SpecialInspectionList", "FlaggedEnterprise"} <= names
    assert {f"{camel(e.name)}Event" for e in TRANSITION_EVENTS} <= names
    for kind in KINDS:
        assert {camel(kind), f"{camel(kind)}Create", f"{camel(kind)}Update", f"{camel(kind)}List"} <= names, kind


def test_every_api_write_documents_its_body(spec):
    writes = [(m, p, op) for m, p, op in api_operations(spec) if m in ("post", "patch", "put")]
    assert len(writes) >= 2 * len(KINDS) + 6
    for method, path, op in writes:
        if (method, path) in NO_BODY:
            assert "requestBody" not in op, path
            continue
        content = op["requestBody"]["content"]
        assert list(content) == ["application/json"], path
        assert referenced(spec, content["application/json"]["schema"]), path


def test_every_api_response_is_documented(spec):
    operations = list(api_operations(spec))
    assert len(operations) >= 50
    for method, path, op in operations:
        responses = op["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert len(success) == 1, (method, path)
        content = responses[success[0]]["content"]
        if path in FILE_ROUTES:
            assert set(content) == FILE_ROUTES[path], path
            assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values()), path
        else:
            assert referenced(spec, content["application/json"]["schema"]), (method, path)
        # Errors: the API's own body; never Litestar's generic 400 (web/errors.py answers bad input with 422).
        assert "400" not in responses, path
        errors = [code for code in responses if code.startswith(("4", "5"))]
        assert "401" in errors, path
        for code in errors:
            assert ref_name(responses[code]["content"]["application/json"]["schema"]) == "Error", (path, code)
        if method != "get" and (method, path) not in NO_BODY:
            assert "422" in errors, path


def test_api_routes_declare_the_bearer_token_except_the_token_route(spec):
    assert spec["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token {username, password} → {token}"}
    for method, path, op in api_operations(spec):
        expected = None if path == "/api/v1/auth/token" else [{"BearerToken": []}]
        assert op.get("security") == expected, path


def test_item_schema_lists_the_contract_fields(spec):
    item = schemas(spec)["Item"]
    contract = {"state", "version", "deadline", "overdue", "allowed_events", "history", "documents"}
    assert contract <= set(item["properties"]) and contract <= set(item["required"])
    assert ref_name(item["properties"]["history"]["items"]) == "HistoryEntry"
    assert ref_name(item["properties"]["documents"]["items"]) == "DocumentRef"
    assert {"id", "kind", "number", "sha256", "created_at"} <= set(schemas(spec)["DocumentRef"]["required"])
    assert item["properties"]["allowed_events"]["items"]["enum"] == list(EVENTS)
    summary = schemas(spec)["ItemList"]["properties"]
    assert ref_name(summary["items"]["items"]) == "ItemSummary" and "next_cursor" in summary
    for path in ("/api/v1/items", "/api/v1/items/{item_id}", "/api/v1/items/{item_id}/events/{event}"):
        for op in spec["paths"][path].values():
            success = next(r for code, r in op["responses"].items() if code.startswith("2"))
            assert referenced(spec, success["content"]["application/json"]["schema"]) in (["Item"], ["ItemList"])


def test_event_schemas_follow_the_workflow_table(spec):
    order = schemas(spec)["OrderRectificationEvent"]
    assert set(order["properties"]) == {"deadline", "requirements", "legal_basis", "version"}
    assert order["properties"]["deadline"]["format"] == "date"
    for event in TRANSITION_EVENTS:
        schema = schemas(spec)[f"{camel(event.name)}Event"]
        assert set(schema["properties"]) == {f.name for f in event.fields} | {"version"}, event.name
        assert set(schema["required"]) == {f.name for f in event.fields if f.required} | {"version"}, event.name
        for field in event.fields:
            assert schema["properties"][field.name].get("title", field.label) == field.label
    close = schemas(spec)["CloseCaseEvent"]["properties"]
    assert close["outcome"]["enum"] == list(CLOSE_OUTCOMES)
    assert close["decision_number"]["oneOf"][0]["maxLength"] == 100  # optional: the value or null
    period = schemas(spec)["SeizeEvent"]["properties"]["period_days"]
    assert (period["type"], period["minimum"], period["maximum"]) == ("integer", 1, 30)
    seized = schemas(spec)["SeizeEvent"]["properties"]["items"]
    assert set(resolve(spec, seized["items"])["required"]) == {"name", "unit", "quantity"}
    register = schemas(spec)["ItemRegister"]
    assert set(register["properties"]) == {f.name for f in EVENTS["register"].fields}
    body = spec["paths"]["/api/v1/items/{item_id}/events/{event}"]["post"]
    assert referenced(spec, body["requestBody"]["content"]["application/json"]["schema"]) == [
        f"{camel(e.name)}Event" for e in TRANSITION_EVENTS]
    event_param = next(p for p in body["parameters"] if p["name"] == "event")
    assert event_param["schema"]["enum"] == [e.name for e in TRANSITION_EVENTS]


def test_the_inputs_the_suite_sends_match_the_event_schemas(spec):
    """The documents accept the real inputs: every event's test input plus version, and a registration."""
    for event, make in EVENT_INPUTS.items():
        assert_matches(spec, f"{camel(event)}Event", {**make(TODAY), "version": 3})
    assert_matches(spec, "ItemRegister", register_input())
    assert violations(spec, {"$ref": "#/components/schemas/OrderRectificationEvent"},
                      EVENT_INPUTS["order_rectification"](TODAY))  # version missing


def test_record_and_enterprise_schemas_follow_their_field_specifications(spec):
    for kind in KINDS.values():
        create = schemas(spec)[f"{camel(kind.key)}Create"]
        assert set(create["properties"]) == set(kind.field_names), kind.key
        assert set(create["required"]) == {f.name for f in kind.fields if f.required}, kind.key
        update = schemas(spec)[f"{camel(kind.key)}Update"]
        assert set(update["properties"]) == set(kind.field_names) and not update.get("required"), kind.key
        public = schemas(spec)[camel(kind.key)]
        assert set(kind.field_names) - {"enterprise_uscc"} <= set(public["properties"]), kind.key
        assert {"id", "kind", "unit", "enterprise", "created_at", "updated_at"} <= set(public["required"])
        listed = schemas(spec)[f"{camel(kind.key)}List"]["properties"]
        assert ref_name(listed["items"]["items"]) == camel(kind.key)
    inspection = schemas(spec)["SamplingInspectionCreate"]["properties"]
    assert inspection["level"]["enum"] == ["市级", "区级"]
    assert (inspection["batches_sampled"]["minimum"], inspection["batches_sampled"]["maximum"]) == (1, 100_000)
    enterprise = schemas(spec)["EnterpriseCreate"]
    assert set(enterprise["properties"]) == {f.name for f in ENTERPRISE_FIELDS}
    assert enterprise["properties"]["name"]["maxLength"] == next(f for f in ENTERPRISE_FIELDS
                                                                 if f.name == "name").max_length
    assert not schemas(spec)["EnterpriseUpdate"].get("required")


def test_list_routes_document_their_query_parameters(spec):
    items = {p["name"]: p for p in spec["paths"]["/api/v1/items"]["get"]["parameters"]}
    assert {"state", "unit", "category", "overdue", "q", "cursor", "limit", "from", "to", "sort"} <= set(items)
    assert items["state"]["schema"]["enum"] == ["found", "rectifying", "case_filed", "transferred", "closed",
                                                "rechecking"]
    assert (items["limit"]["schema"]["minimum"], items["limit"]["schema"]["maximum"]) == (1, 200)
    report = {p["name"]: p for p in spec["paths"]["/api/v1/reports/{kind}"]["get"]["parameters"]}
    assert report["kind"]["schema"]["enum"] == ["statistics", "ledger", "issue-list"]
    assert set(report["format"]["schema"]["enum"]) == {"json", "xlsx", "pdf"}
    content = spec["paths"]["/api/v1/reports/{kind}"]["get"]["responses"]["200"]["content"]
    assert referenced(spec, content["application/json"]["schema"]) == ["Statistics", "Ledger", "IssueList"]
    assert {"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= set(content)


# --- real responses against the document; validation still ours ---------------------------------------------------


@pytest.fixture
def api(world: World, tmp_path):
    with TestClient(app=make_app(world, tmp_path)) as client:
        yield Api(client)


def test_real_responses_match_their_documented_schemas(spec, api: Api):
    token = api.client.post("/api/v1/auth/token", json={"username": "pd.handler", "password": "correct-horse-battery"})
    assert_matches(spec, "Token", token.json())
    created = api.post("/api/v1/items", "pd.handler", json=register_input(found_on=TODAY.isoformat()))
    assert created.status_code == 201, created.text
    item = created.json()
    assert_matches(spec, "Item", item)
    fired = api.post(f"/api/v1/items/{item['id']}/events/order_rectification", "pd.handler",
                     json={**EVENT_INPUTS["order_rectification"](TODAY), "version": item["version"]})
    assert fired.status_code == 200, fired.text
    assert_matches(spec, "Item", fired.json())
    assert_matches(spec, "Item", api.get(f"/api/v1/items/{item['id']}", "pd.leader").json())
    assert_matches(spec, "ItemList", api.get("/api/v1/items", "pd.leader").json())
    assert_matches(spec, "ItemList", api.get("/api/v1/overdue", "city.supervisor").json())
    assert_matches(spec, "Document", api.get(f"/api/v1/documents/{item['documents'][0]['id']}", "pd.handler").json())
    assert_matches(spec, "Workflow", api.get("/api/v1/workflow", "pd.handler").json())
    enterprises = api.get("/api/v1/enterprises", "pd.handler").json()
    assert_matches(spec, "EnterpriseList", enterprises)
    enterprise_id = enterprises["items"][0]["id"]
    assert_matches(spec, "Enterprise", api.get(f"/api/v1/enterprises/{enterprise_id}", "pd.handler").json())
    record = api.post("/api/v1/sampling-inspections", "pd.handler", json=dict(
        date=TODAY.isoformat(), enterprise_uscc=PUDONG_USCC, category="燃气用品", sub_product="家用燃气灶",
        level="区级", channel="流通", batches_sampled=3, batches_failed=1))
    assert record.status_code == 201, record.text
    assert_matches(spec, "SamplingInspection", record.json())
    assert_matches(spec, "SamplingInspectionList", api.get("/api/v1/sampling-inspections", "pd.leader").json())
    statistics = api.get("/api/v1/reports/statistics?format=json", "pd.handler")
    assert statistics.status_code == 200, statistics.text
    assert_matches(spec, "Statistics", statistics.json())
    assert_matches(spec, "Error", api.get("/api/v1/items/999999", "pd.handler").json())


def test_bodies_are_still_validated_by_our_code_with_field_messages(api: Api):
    """Documenting a body must not let Litestar refuse it first: wrong types still get our 422 per field."""
    item = api.post("/api/v1/items", "pd.handler", json=register_input(found_on=TODAY.isoformat())).json()
    wrong = api.post(f"/api/v1/items/{item['id']}/events/order_rectification", "pd.handler",
                     json={"version": item["version"], "deadline": 20991231, "requirements": ["立即"], "legal_basis": ""})
    assert wrong.status_code == 422, wrong.text
    body = wrong.json()
    assert body["error"] == "invalid_input"
    assert body["fields"] == {"deadline": "整改期限应为日期（YYYY-MM-DD）", "requirements": "改正内容及要求应为文本",
                              "legal_basis": "请填写法律依据"}
    stale = api.post(f"/api/v1/items/{item['id']}/events/order_rectification", "pd.handler",
                     json={"version": "one"})
    assert stale.status_code == 422 and set(stale.json()["fields"]) == {"version"}
    not_an_object = api.post("/api/v1/items", "pd.handler", json=["not", "an", "object"])
    assert not_an_object.status_code == 422
    assert not_an_object.json()["fields"] == {"body": "请求内容应为 JSON 对象"}
    enterprise = api.post("/api/v1/enterprises", "pd.handler", json={"name": ["某公司"], "kind": "批发"})
    assert enterprise.status_code == 422 and set(enterprise.json()["fields"]) == {"uscc", "name", "kind"}
    record = api.post("/api/v1/sampling-inspections", "pd.handler", json={"date": TODAY.isoformat(),
                                                                         "batches_sampled": "many"})
    assert record.status_code == 422 and "batches_sampled" in record.json()["fields"]
    token = api.client.post("/api/v1/auth/token", json=["pd.handler"])
    assert token.status_code == 422
    assert token.json() == {"error": "invalid_input", "detail": "请求内容不是有效的 JSON 对象"}
    typed = api.client.post("/api/v1/auth/token", json={"username": 7, "password": None})
    assert typed.status_code == 422 and set(typed.json()["fields"]) == {"username", "password"}
