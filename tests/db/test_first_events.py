"""One rule for "the 立案 date is the date of the item's first file_case" (db.queries.first_events / first_event_on),
read the same way by 附件2, 附件1, the supervisor's stale-case list and the side-record checks."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from db.ledger import ledger
from db.queries import FILE_CASE, first_event_on
from db.statistics import statistics
from db.supervision import stale_cases
from tests.db.activity_builders import Builder, new_enterprise

D = dt.date


def test_a_case_filed_again_keeps_its_first_filing_date_everywhere(any_world):
    b = Builder(any_world)
    firm = new_enterprise(any_world, "310115")
    item = b.item(any_world.handler, firm, "燃气用品", D(2023, 6, 10))
    b.file_case(any_world.leader, item, D(2023, 6, 12))
    b.close_case(any_world.leader, item, D(2023, 6, 20), "10000", "10000")
    b.refile_after_recheck(any_world.leader, any_world.handler, item, D(2023, 7, 3), D(2023, 7, 5))
    b.record("typical_case", any_world.handler, item_id=item, reported_on="2023-07-20", content="案例", progress="办理中")
    with Session(any_world.db.reader) as s:
        assert first_event_on(s, item, FILE_CASE) == D(2023, 6, 12)
        assert first_event_on(s, item, "transfer_to_judiciary") is None
        [row] = ledger(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31)).rows
        assert row.filed_on == D(2023, 6, 12)
        [(_, _, _, filed_on)] = stale_cases(s, any_world.supervisor, D(2023, 10, 1))
        assert filed_on == D(2023, 6, 12)
        assert stale_cases(s, any_world.supervisor, D(2023, 9, 1)) == []  # 81 days after the first filing
        june = statistics(s, unit_id=None, date_from=D(2023, 6, 1), date_to=D(2023, 6, 30))
        july = statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    assert (june.value("燃气用品", "cases_filed"), july.value("燃气用品", "cases_filed")) == (1, 0)
