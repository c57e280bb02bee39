"""Monthly reporting: a leader's submission freezes 附件2 and 附件1; the supervisor's overview of deadlines."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlmodel import Session

from workflow import records
from db import record_queries
from db.models import ReportSubmission
from db.statistics import statistics
from db.campaigns import campaign_of_date
from db.submissions import get_submission, list_submissions, submission_status, verify_submission
from documents.statistics_report import submission_pdf, submission_xlsx
from tests.db.activity_builders import LATER, Builder, at, new_enterprise
from workflow.errors import Forbidden, InputInvalid, NotFound
from workflow.submissions import frozen_sha256, reporting_deadlines, submit_report

D = dt.date
JULY = "monthly-2023-07-31"


def seed_july(world):
    b = Builder(world)
    firm = new_enterprise(world, "310115")
    made = b.record("sampling_inspection", world.handler, firm, date="2023-07-10", category="电线电缆",
                    level="区级", channel="流通", batches_sampled=4, batches_failed=1)
    item = b.item(world.handler, firm, "电线电缆", D(2023, 7, 1))
    b.file_case(world.leader, item, D(2023, 7, 3))
    records.create_record(world.uow(), "typical_case", world.handler, dict(
        item_id=item, reported_on="2023-07-20", content="典型案例", progress="已立案"), LATER)
    return made, item


def test_the_campaigns_deadlines_are_the_month_ends_and_the_two_summaries(db):
    with Session(db.reader) as s:
        deadlines = reporting_deadlines(campaign_of_date(s, D(2023, 7, 10)))
    assert [d.due_on for d in deadlines] == [D(2023, 6, 30), D(2023, 7, 31), D(2023, 8, 15), D(2023, 8, 31),
                                             D(2023, 9, 30), D(2023, 10, 31), D(2023, 11, 15)]
    phase = deadlines[2]
    assert phase.key == "phase_summary-2023-08-15"
    assert (phase.covers_from, phase.covers_to) == (D(2023, 6, 1), D(2023, 7, 31))
    assert (deadlines[-1].covers_from, deadlines[-1].covers_to) == (D(2023, 6, 1), D(2023, 10, 31))


def test_a_submission_is_numbered_frozen_and_hashed(any_world):
    seed_july(any_world)
    result = submit_report(any_world.uow(), any_world.leader, JULY, at(D(2023, 7, 31), 16))
    assert result["number"] == "沪市监浦报统〔2023〕1号"
    assert result["on_time"] is True and result["from"] == "2023-07-01" and result["to"] == "2023-07-31"
    with Session(any_world.db.reader) as s:
        row = get_submission(s, any_world.leader, result["id"])
        live = statistics(s, unit_id=any_world.leader.unit_id, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    assert row.frozen["statistics"] == live.to_json()
    assert len(row.frozen["ledger"]["rows"]) == 1
    assert row.sha256 == frozen_sha256(row.frozen) and verify_submission(row)
    second = submit_report(any_world.uow(), any_world.leader, JULY, at(D(2023, 8, 2), 9))
    assert second["number"] == "沪市监浦报统〔2023〕2号"  # the unit's gapless series


def test_a_frozen_submission_does_not_change_when_records_change_later(any_world):
    sampled, item = seed_july(any_world)
    result = submit_report(any_world.uow(), any_world.leader, JULY, at(D(2023, 7, 31), 16))
    with Session(any_world.db.reader) as s:
        before = copy.deepcopy(s.get(ReportSubmission, result["id"]).frozen)
    pdf_before = submission_pdf(before, result["sha256"])
    # later: a record is corrected, another added in July, the typical case withdrawn
    records.update_record(any_world.uow(), "sampling_inspection", any_world.handler, sampled["id"],
                                          {"batches_sampled": 9, "batches_failed": 3}, LATER)
    records.create_record(any_world.uow(), "risk_information", any_world.handler, dict(
        date="2023-07-15", category="水泥", channel="舆情监测", title="t", summary="s"), LATER)
    with Session(any_world.db.reader) as s:
        case = record_queries.list_records(s, "typical_case", any_world.handler)[0][0]
    records.update_record(any_world.uow(), "typical_case", any_world.handler, case["id"], {"flagged": "否"}, LATER)
    with Session(any_world.db.reader) as s:
        row = s.get(ReportSubmission, result["id"])
        live = statistics(s, unit_id=any_world.leader.unit_id, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
        assert row.frozen == before
        assert verify_submission(row)
        assert live.value("电线电缆", "sampled_batches") == 9
        assert row.frozen["statistics"] != live.to_json()
    assert submission_pdf(row.frozen, row.sha256) == pdf_before  # re-rendered from the frozen JSON, byte-identical
    assert submission_xlsx(row.frozen, row.sha256)[:2] == b"PK"


def test_only_a_unit_leader_submits_and_only_a_deadline_whose_period_has_begun(world):
    for actor in (world.handler, world.supervisor, world.admin):
        with pytest.raises(Forbidden):
            submit_report(world.uow(), actor, JULY, at(D(2023, 7, 31)))
    with pytest.raises(InputInvalid):
        submit_report(world.uow(), world.leader, "monthly-2023-07-30", at(D(2023, 7, 31)))
    with pytest.raises(InputInvalid):
        submit_report(world.uow(), world.leader, "monthly-2023-09-30", at(D(2023, 8, 20)))


def test_submissions_are_visible_to_their_unit_and_to_supervisors_only(world):
    result = submit_report(world.uow(), world.leader, JULY, at(D(2023, 7, 31)))
    with Session(world.db.reader) as s:
        assert get_submission(s, world.supervisor, result["id"]).number == result["number"]
        with pytest.raises(NotFound):
            get_submission(s, world.other_leader, result["id"])
        assert [r["id"] for r in list_submissions(s, world.handler)] == [result["id"]]
        assert list_submissions(s, world.other_leader) == []
        assert len(list_submissions(s, world.supervisor)) == 1


def test_the_overview_marks_each_deadline_and_unit_submitted_late_missing_or_pending(any_world):
    submit_report(any_world.uow(), any_world.leader, JULY, at(D(2023, 7, 31), 23))  # on the due day: on time
    submit_report(any_world.uow(), any_world.other_leader, JULY, at(D(2023, 8, 1), 9))  # a day late
    submit_report(any_world.uow(), any_world.other_leader, JULY, at(D(2023, 8, 2), 9))  # a correction
    with Session(any_world.db.reader) as s:
        overview = submission_status(s, campaign_of_date(s, D(2023, 8, 5)), today=D(2023, 8, 5))
    by_key = {d.deadline.key: d for d in overview}
    assert len(overview) == 7
    july = {u.unit_code: u for u in by_key[JULY].units}
    assert len(july) == 19  # the enforcing units: 16 districts, 临港, 机场, 总队
    assert july["310115"].status == "submitted"
    assert july["310110"].status == "late" and july["310110"].number == "沪市监杨报统〔2023〕1号"
    assert july["310101"].status == "missing"
    assert {u.status for u in by_key["monthly-2023-06-30"].units} == {"missing"}
    assert {u.status for u in by_key["phase_summary-2023-08-15"].units} == {"pending"}
    assert by_key[JULY].to_json()["counts"] == {"submitted": 1, "late": 1, "missing": 17, "pending": 0}
