"""The use cases against the in-memory fakes (tests/workflow/fakes.py): no database, each test in milliseconds.

The same behaviour runs against SQLite and PostgreSQL in tests/db and tests/web; here the rules themselves: who may
do what, what is refused, that a refusal writes nothing and that a success commits exactly once.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workflow.fakes import FakeUnitOfWork
from workflow import accounts, enterprises, flags, records, services, special_inspections, submissions
from workflow.actor import Actor
from workflow.clock import SHANGHAI
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.ports import SpecialInspectionCase
from workflow.uscc import make_uscc

NOW = dt.datetime(2023, 7, 10, 10, 0, tzinfo=SHANGHAI)
USCC = "91310115591693856A"
OTHER_USCC = "91310110666007217T"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.seed("campaigns", key="campaign_2023", name="2023年专项行动", notice_number="沪市监产质〔2023〕349号",
              starts_on=dt.date(2023, 6, 1), ends_on=dt.date(2023, 10, 31),
              reporting_deadlines=[{"kind": "monthly", "title": "7月统计表", "due_on": "2023-07-31"}])
    fake.seed("campaigns", key="campaign_2024", name="2024年专项行动", notice_number="沪市监产质〔2024〕1号",
              starts_on=dt.date(2024, 5, 1), ends_on=dt.date(2024, 11, 30), reporting_deadlines=[])
    for code, name, short in (("310115", "上海市浦东新区市场监督管理局", "浦"), ("310110", "上海市杨浦区市场监督管理局", "杨")):
        fake.seed("units", code=code, name=name, label=name[2:6] + "局", short_name=short, kind="district",
                  enforces=True, number_format=None)
    fake.seed("users", username="pd.handler", full_name="张三", role="handler", unit_id=1, password_hash="x")
    fake.seed("enterprises", uscc=USCC, name="上海宏达燃气器具有限公司", address="张江路100号", legal_rep="王伟",
              phone="021-58881234", unit_id=1, kind="生产和销售")
    fake.seed("enterprises", uscc=OTHER_USCC, name="上海杨浦电动车销售有限公司", address="", legal_rep="", phone="",
              unit_id=2, kind="销售")
    return fake


HANDLER = Actor(1, "pd.handler", "张三", "handler", 1)
LEADER = Actor(2, "pd.leader", "李四", "leader", 1)
OTHER_HANDLER = Actor(3, "yp.handler", "王五", "handler", 2)
SUPERVISOR = Actor(4, "city.supervisor", "周督导", "supervisor", None)
ADMIN = Actor(5, "city.admin", "管理员", "admin", None)


def register(uow, actor=HANDLER, **changes):
    raw = dict(enterprise_uscc=USCC, category="燃气用品", sub_product="家用燃气灶", problem_type="质量低劣",
               source="监督抽查", facts="熄火保护装置不合格", found_on="2023-07-03")
    raw.update(changes)
    return services.register_item(uow, actor, raw, NOW)


# --- items ----------------------------------------------------------------------------------------------------


def test_registering_commits_the_item_its_history_and_a_numbered_document_once(uow):
    outcome = register(uow)
    item = uow.tables["items"].rows[outcome.item_id]
    assert (item.state, item.version, item.campaign_id, item.unit_id) == ("found", 1, 1, 1)
    assert item.deadline > dt.date(2023, 7, 10)  # 15 working days to decide
    [document] = uow.all("documents")
    assert document.number.startswith("沪市监浦") and document.number.endswith("〔2023〕1号")
    assert [h.event for h in uow.all("history")] == ["register"]
    assert uow.commits == 1


def test_an_item_found_in_2024_belongs_to_the_2024_campaign(uow):
    later = NOW.replace(year=2024, month=6)
    raw = dict(enterprise_uscc=USCC, category="燃气用品", sub_product="家用燃气灶", problem_type="质量低劣",
               source="监督抽查", facts="熄火保护装置不合格", found_on="2024-06-03")
    outcome = services.register_item(uow, HANDLER, raw, later)
    assert uow.tables["items"].rows[outcome.item_id].campaign_id == 2


def test_a_stale_version_is_a_conflict_and_writes_nothing(uow):
    item_id = register(uow).item_id
    with pytest.raises(Conflict):
        services.fire_event(uow, LEADER, item_id, "dismiss", {"version": 7, "reason": "核查不属实"}, NOW)
    with pytest.raises(Forbidden):  # the role is checked before the version: dismissing needs a leader
        services.fire_event(uow, HANDLER, item_id, "dismiss", {"version": 7, "reason": "核查不属实"}, NOW)
    assert uow.commits == 1 and len(uow.all("history")) == 1


def test_another_units_item_is_not_found_before_anything_else_is_checked(uow):
    item_id = register(uow).item_id
    with pytest.raises(NotFound):
        services.fire_event(uow, OTHER_HANDLER, item_id, "no_such_event", {}, NOW)


def test_an_unknown_enterprise_names_the_field(uow):
    with pytest.raises(InputInvalid) as refused:
        register(uow, enterprise_uscc="91310110MA1G8CKN9R")
    assert "enterprise_uscc" in refused.value.fields and uow.commits == 0


# --- activity records -----------------------------------------------------------------------------------------

SAMPLING = dict(date="2023-07-05", enterprise_uscc=USCC, category="燃气用品", sub_product="家用燃气灶",
                level="区级", channel="生产", batches_sampled=3, batches_failed=1)


def test_a_record_belongs_to_the_campaign_of_its_date(uow):
    made = records.create_record(uow, "sampling_inspection", HANDLER, SAMPLING, NOW)
    assert made["campaign_id"] == 1 and made["unit_id"] == 1 and uow.commits == 1
    later = records.create_record(uow, "sampling_inspection", HANDLER, {**SAMPLING, "date": "2024-05-02"},
                                  NOW.replace(year=2024, month=5, day=3))
    assert later["campaign_id"] == 2


def test_a_record_for_another_units_enterprise_is_refused(uow):
    with pytest.raises(Forbidden):
        records.create_record(uow, "sampling_inspection", HANDLER, {**SAMPLING, "enterprise_uscc": OTHER_USCC}, NOW)
    with pytest.raises(Forbidden):  # supervisors read every unit but write no unit's records
        records.create_record(uow, "sampling_inspection", SUPERVISOR, SAMPLING, NOW)
    assert uow.all("records") == []


def test_more_failed_than_sampled_batches_is_refused_with_the_field(uow):
    with pytest.raises(InputInvalid) as refused:
        records.create_record(uow, "sampling_inspection", HANDLER, {**SAMPLING, "batches_failed": 4}, NOW)
    assert set(refused.value.fields) == {"batches_failed"}


def test_an_exposure_needs_a_filed_case(uow):
    item_id = register(uow).item_id
    with pytest.raises(InputInvalid) as refused:
        records.create_record(uow, "exposure", HANDLER, dict(item_id=item_id, date="2023-07-08", channel="门户网站"), NOW)
    assert "尚未立案" in refused.value.fields["item_id"]


def test_an_update_of_another_units_record_is_not_found(uow):
    made = records.create_record(uow, "sampling_inspection", HANDLER, SAMPLING, NOW)
    with pytest.raises(NotFound):
        records.update_record(uow, "sampling_inspection", OTHER_HANDLER, made["id"], {"batches_failed": 0}, NOW)


# --- enterprises ----------------------------------------------------------------------------------------------

NEW_USCC = make_uscc("91310115MA1G8CKN9")
NEW_FIRM = dict(uscc=NEW_USCC, name="上海新企业有限公司", address="", legal_rep="", phone="", kind="生产")


def test_a_legal_representative_may_be_as_long_as_the_column(uow):
    made = enterprises.create_enterprise(uow, HANDLER, {**NEW_FIRM, "legal_rep": "王" * 100}, NOW)
    assert len(made.legal_rep) == 100 and made.unit_id == 1
    with pytest.raises(InputInvalid) as refused:
        enterprises.create_enterprise(uow, HANDLER, {**NEW_FIRM, "legal_rep": "王" * 101}, NOW)
    assert set(refused.value.fields) == {"legal_rep"}


def test_the_form_refuses_the_phone_number_the_import_refuses(uow):
    with pytest.raises(InputInvalid) as refused:
        enterprises.create_enterprise(uow, HANDLER, {**NEW_FIRM, "phone": "---"}, NOW)
    assert set(refused.value.fields) == {"phone"}


def test_a_known_uscc_is_refused_and_only_own_enterprises_are_changed(uow):
    with pytest.raises(InputInvalid):
        enterprises.create_enterprise(uow, HANDLER, {**NEW_FIRM, "uscc": USCC}, NOW)
    with pytest.raises(Forbidden):  # supervisors see the registry but change no unit's enterprises
        enterprises.update_enterprise(uow, SUPERVISOR, 1, {"name": "改名"}, NOW)
    with pytest.raises(NotFound):
        enterprises.update_enterprise(uow, OTHER_HANDLER, 1, {"name": "改名"}, NOW)
    changed = enterprises.update_enterprise(uow, HANDLER, 1, {"name": "上海宏达燃气器具股份有限公司"}, NOW)
    assert changed.name == "上海宏达燃气器具股份有限公司" and changed.phone == "021-58881234"


def test_an_import_is_all_or_nothing_and_a_unit_imports_only_its_own(uow):
    header = "统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型\n"
    mine = f"{NEW_USCC},上海甲公司,,,,310115,生产\n"
    theirs = f"{make_uscc('91310110MA1FL4EP2')},上海乙公司,,,,310110,销售\n"
    refused = enterprises.import_enterprises(uow, "a.csv", (header + mine + theirs).encode(), NOW, actor=HANDLER)
    assert not refused.ok and {e.column for e in refused.errors} >= {"所属单位"}
    assert len(uow.all("enterprises")) == 2 and uow.commits == 0
    done = enterprises.import_enterprises(uow, "a.csv", (header + mine).encode(), NOW, actor=HANDLER)
    assert done.ok and done.imported == 1 and uow.commits == 1


def test_an_import_of_thousands_of_bad_rows_lists_the_first_hundred_and_counts_them_all(uow, monkeypatch):
    header = "统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型\n"
    rows = "".join(f"{make_uscc(f'91310110{n:09d}')},上海乙{n}公司,,,,310110,销售\n" for n in range(2_500))
    finds, batches = [], []
    find, known = uow.units.find, uow.enterprises.known_usccs
    monkeypatch.setattr(uow.units, "find", lambda key: finds.append(key) or find(key))
    monkeypatch.setattr(uow.enterprises, "known_usccs", lambda usccs: batches.append(list(usccs)) or known(batches[-1]))
    refused = enterprises.import_enterprises(uow, "a.csv", (header + rows).encode(), NOW, actor=HANDLER)
    assert not refused.ok and uow.commits == 0
    assert (len(refused.errors), refused.total_errors, refused.unlisted) == (100, 2_500, 2_400)
    assert [e.row for e in refused.errors] == list(range(2, 102)) and {e.column for e in refused.errors} == {"所属单位"}
    assert finds == ["310110"]  # one look-up per unit named, not one per row
    assert [len(b) for b in batches] == [1_000, 1_000, 500]


# --- accounts -------------------------------------------------------------------------------------------------


def test_accounts_rules(uow):
    with pytest.raises(InputInvalid) as refused:
        accounts.create_user(uow, username="new.handler", password="short", role="handler", unit="310115",
                             full_name=None, now=NOW)
    assert set(refused.value.fields) == {"password"}
    with pytest.raises(InputInvalid) as refused:
        accounts.create_user(uow, username="new.handler", password="long-enough-1", role="handler", unit=None,
                             full_name=None, now=NOW)
    assert set(refused.value.fields) == {"unit"}
    with pytest.raises(Conflict):
        accounts.create_user(uow, username="pd.handler", password="long-enough-1", role="handler", unit="310115",
                             full_name=None, now=NOW)
    admin = accounts.create_user(uow, username="admin2", password="long-enough-1", role="admin", unit=None,
                                 full_name="管理员", now=NOW)
    with pytest.raises(Conflict):
        accounts.set_active(uow, admin.id, False, acting_user_id=admin.id)  # not oneself
    with pytest.raises(Conflict):
        accounts.set_active(uow, admin.id, False, acting_user_id=1)  # not the last admin
    assert accounts.verify_password(admin.password_hash, "long-enough-1")


def test_a_unit_format_that_repeats_another_units_numbers_is_refused(uow):
    with pytest.raises(InputInvalid) as refused:
        accounts.update_unit(uow, 1, label="浦东新区局", short_name="杨", number_format=None)
    assert set(refused.value.fields) == {"short_name"}


# --- 督办 -----------------------------------------------------------------------------------------------------


def test_only_supervisors_flag_and_a_flag_closes_once(uow):
    item_id = register(uow).item_id
    with pytest.raises(Forbidden):
        flags.flag_item(uow, HANDLER, item_id, "请加快", NOW)
    with pytest.raises(InputInvalid):
        flags.flag_item(uow, SUPERVISOR, item_id, "   ", NOW)
    flag = flags.flag_item(uow, SUPERVISOR, item_id, "请加快整改", NOW)
    assert flag.unit_id == 1
    flags.close_flag(uow, SUPERVISOR, flag.id, NOW)
    with pytest.raises(Conflict):
        flags.close_flag(uow, SUPERVISOR, flag.id, NOW)


# --- 专门现场检查 -------------------------------------------------------------------------------------------------


def _case(follow_up=None):
    return SpecialInspectionCase(enterprise_id=1, enterprise_uscc=USCC, unit_id=1, category="燃气用品",
                                 sub_product="家用燃气灶", facts="两年内监督抽查不合格2次", source="监督抽查",
                                 problem_type="质量低劣", follow_up_item_id=follow_up)


def test_a_listed_enterprise_is_registered_once(uow):
    with pytest.raises(Conflict):  # not listed
        special_inspections.register_special_inspection(uow, HANDLER, 1, NOW)
    uow.special_cases[1] = _case()
    outcome = special_inspections.register_special_inspection(uow, HANDLER, 1, NOW)
    item = uow.tables["items"].rows[outcome.item_id]
    assert (item.source, item.problem_type, item.facts) == ("监督抽查", "质量低劣", "两年内监督抽查不合格2次")
    uow.special_cases[1] = _case(follow_up=outcome.item_id)
    with pytest.raises(Conflict):
        special_inspections.register_special_inspection(uow, HANDLER, 1, NOW)
    with pytest.raises(NotFound):
        special_inspections.register_special_inspection(uow, OTHER_HANDLER, 1, NOW)


# --- submissions ----------------------------------------------------------------------------------------------


def test_a_leader_submits_a_numbered_frozen_report_of_the_deadlines_period(uow):
    with pytest.raises(Forbidden):
        submissions.submit_report(uow, HANDLER, "monthly-2023-07-31", NOW)
    with pytest.raises(InputInvalid):
        submissions.submit_report(uow, LEADER, "monthly-2023-07-30", NOW)
    made = submissions.submit_report(uow, LEADER, "monthly-2023-07-31", NOW.replace(day=31))
    assert "报统〔2023〕1号" in made["number"]
    assert uow.statistics_calls == [dict(campaign_id=1, unit_id=1, date_from=dt.date(2023, 6, 1),
                                         date_to=dt.date(2023, 6, 30))]
    [row] = uow.all("submissions")
    assert row.sha256 == submissions.frozen_sha256(row.frozen)


# --- audit records --------------------------------------------------------------------------------------------


def audit_events(caplog) -> list[dict]:
    return [r.audit for r in caplog.records if r.name == "hazardtrack.audit"]


def test_the_writes_an_auditor_asks_about_leave_an_audit_record(uow, caplog):
    caplog.set_level("INFO", logger="hazardtrack.audit")
    header = "统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型\n"
    enterprises.import_enterprises(uow, "a.csv", (header + f"{NEW_USCC},上海甲公司,,,,310115,生产\n").encode(), NOW,
                                   actor=HANDLER)
    submissions.submit_report(uow, LEADER, "monthly-2023-07-31", NOW.replace(day=31))
    flag = flags.flag_unit(uow, SUPERVISOR, 1, "请按时报送", NOW)
    flags.close_flag(uow, SUPERVISOR, flag.id, NOW)
    user = accounts.create_user(uow, username="new.leader", password="long-enough-1", role="leader", unit="310115",
                                full_name="新负责人", now=NOW, acting_user_id=ADMIN.user_id)
    accounts.set_password(uow, user.id, "another-long-1", acting_user_id=ADMIN.user_id)
    accounts.set_active(uow, user.id, False, acting_user_id=ADMIN.user_id)
    events = audit_events(caplog)
    assert [e["event"] for e in events] == ["enterprises_imported", "report_submitted", "flag_opened", "flag_closed",
                                            "user_created", "password_reset", "user_disabled"]
    assert events[0]["count"] == 1 and events[4]["by"] == ADMIN.user_id
    assert all("another-long-1" not in str(e) and "long-enough-1" not in str(e) for e in events)


def test_a_refused_write_leaves_no_audit_record(uow, caplog):
    caplog.set_level("INFO", logger="hazardtrack.audit")
    with pytest.raises(Forbidden):
        flags.flag_unit(uow, HANDLER, 1, "请按时报送", NOW)
    with pytest.raises(Conflict):
        accounts.create_user(uow, username="pd.handler", password="long-enough-1", role="handler", unit="310115",
                             full_name=None, now=NOW)
    assert audit_events(caplog) == []
