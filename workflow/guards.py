"""Guard conditions of the workflow: rules that need more than one field, the item, the catalog or today's date.

Each refusal names the field it concerns (an InputInvalid, HTTP 422) so forms can show it next to the input.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from workflow.errors import InputInvalid
from workflow.ports import Catalog

EARLIEST_DATE = dt.date(2000, 1, 1)


def check_register(cleaned: dict[str, Any], catalog: Catalog, today: dt.date) -> None:
    errors: dict[str, str] = {}
    category = cleaned["category"]
    if category not in catalog.categories:
        errors["category"] = "产品类别不在本次专项行动的目录中"
    else:
        products = catalog.categories[category]
        sub = cleaned.get("sub_product")
        if products and not sub:
            errors["sub_product"] = f"请选择具体产品（{category}包括：{'、'.join(products)}）"
        elif sub and sub not in products:
            errors["sub_product"] = f"“{sub}”不属于{category}" if products else f"{category}没有细分产品"
    if cleaned["problem_type"] not in catalog.problem_types:
        errors["problem_type"] = "问题类型应为：" + "、".join(catalog.problem_types)
    if cleaned["source"] not in catalog.sources:
        errors["source"] = "发现来源应为：" + "、".join(catalog.sources)
    found_on = cleaned["found_on"]
    if found_on > today:
        errors["found_on"] = "发现日期不能晚于今天"
    elif found_on < EARLIEST_DATE:
        errors["found_on"] = "发现日期过早"
    if errors:
        raise InputInvalid(errors)


def _order_rectification(item: Any, c: dict[str, Any], today: dt.date) -> dict[str, str]:
    return {} if c["deadline"] > today else {"deadline": "整改期限须晚于今天"}


def _extend_rectification(item: Any, c: dict[str, Any], today: dt.date) -> dict[str, str]:
    current = item.deadline
    if current is not None and c["deadline"] <= current:
        return {"deadline": f"新整改期限须晚于当前期限 {current.isoformat()}"}
    if c["deadline"] <= today:
        return {"deadline": "新整改期限须晚于今天"}
    return {}


def _verify_rectification(item: Any, c: dict[str, Any], today: dt.date) -> dict[str, str]:
    if c["verified_on"] > today:
        return {"verified_on": "复查日期不能晚于今天"}
    if c["verified_on"] < item.found_on:
        return {"verified_on": "复查日期不能早于发现日期"}
    return {}


def _close_case(item: Any, c: dict[str, Any], today: dt.date) -> dict[str, str]:
    outcome = c["outcome"]
    if item.state == "transferred" and outcome != "移送已受理":
        return {"outcome": "案件已移送司法机关：公安机关受理的结“移送已受理”，不予立案的请先登记“退回”"}
    if item.state != "transferred" and outcome == "移送已受理":
        return {"outcome": "案件尚未移送司法机关，不能以“移送已受理”结案"}
    if outcome == "处罚" and not c.get("decision_number"):
        return {"decision_number": "作出处罚的，请填写行政处罚决定书文号"}
    if outcome == "不予处罚" and c["fine_amount"] != 0:
        return {"fine_amount": "不予处罚的，罚没金额应为 0"}
    return {}


def _start_recheck(item: Any, c: dict[str, Any], today: dt.date) -> dict[str, str]:
    return {} if c["scheduled_on"] >= today else {"scheduled_on": "计划复查日期不能早于今天"}


_EVENT_GUARDS: dict[str, Callable[[Any, dict[str, Any], dt.date], dict[str, str]]] = {
    "order_rectification": _order_rectification,
    "extend_rectification": _extend_rectification,
    "verify_rectification": _verify_rectification,
    "close_case": _close_case,
    "start_recheck": _start_recheck,
}


def check_event(event: str, item: Any, cleaned: dict[str, Any], today: dt.date) -> None:
    guard = _EVENT_GUARDS.get(event)
    errors = guard(item, cleaned, today) if guard else {}
    if errors:
        raise InputInvalid(errors)
