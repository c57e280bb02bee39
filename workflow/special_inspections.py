"""Use case: register the 专门现场检查 of an enterprise the two-failures rule lists (notice 四、7:
对2年内2次及以上监督抽查不合格的企业组织专门现场检查) as a hazard item.

The check ("is it listed, and not yet followed up?") and the registration run in ONE transaction, with the
enterprise's row locked: a second concurrent request waits, then finds the follow-up item and gets Conflict (409).
The rule itself (which inspections count, the window) is the read side's: db/special_inspections.py.
"""

from __future__ import annotations

import datetime as dt

from workflow import services
from workflow.actor import Actor
from workflow.clock import business_date
from workflow.errors import Conflict, Forbidden, NotFound
from workflow.ports import UnitOfWork


def register_special_inspection(uow: UnitOfWork, actor: Actor, enterprise_id: int,
                                now: dt.datetime) -> services.Outcome:
    """NotFound: no such enterprise, or another unit's; Forbidden: the actor may not register items, or the
    enterprise is not of the actor's unit; Conflict: not (or no longer) listed, or already followed up."""
    today = business_date(now)
    with uow:
        enterprise = uow.enterprises.get(enterprise_id, for_update=True)
        if enterprise is None or not actor.can_see_unit(enterprise.unit_id):
            raise NotFound("企业不存在或无权查看")
        if not actor.may_register or actor.unit_id != enterprise.unit_id:
            raise Forbidden("只有企业所属单位的承办人员或负责人可以登记专门现场检查")
        case = uow.special_inspections.case(enterprise_id, reference=today)
        if case is None:
            raise Conflict(uow.special_inspections.not_listed_reason(reference=today))
        if case.follow_up_item_id is not None:
            raise Conflict(f"该企业最近一次抽查不合格后已登记隐患（编号 {case.follow_up_item_id}）")
        raw = dict(enterprise_uscc=case.enterprise_uscc, category=case.category, sub_product=case.sub_product,
                   problem_type=case.problem_type, source=case.source, facts=case.facts,
                   found_on=today.isoformat())
        outcome = services.register_in(uow, actor, raw, now)
        uow.commit()
        return outcome
