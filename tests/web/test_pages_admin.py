"""Administration pages: users and units, admins only."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlmodel import Session

from db.models import Unit, User
from tests.conftest import NOW, World, register_input
from tests.web.api_support import make_app
from tests.web.test_pages_reporting import form, signed_in
from workflow import services


@pytest.fixture
def app(world: World, tmp_path):
    return make_app(world, tmp_path)


def user(world: World, username: str) -> User | None:
    with Session(world.db.reader) as s:
        return s.execute(select(User).where(User.username == username)).scalars().first()


def test_an_admin_creates_a_handler_who_can_then_sign_in(app, world: World):
    admin = signed_in(app, "city.admin")
    assert "新建用户" in admin.get("/admin/users").text
    made = admin.post("/admin/users", data=form(admin, username="pd.new", full_name="新同事", role="handler",
                                                unit="310115", password="long-enough-1"), follow_redirects=False)
    assert made.status_code == 303
    created = user(world, "pd.new")
    assert created.role == "handler" and created.password_hash.startswith("$argon2")
    assert not PasswordHasher().check_needs_rehash(created.password_hash)  # argon2's production parameters
    refused = admin.post("/admin/users", data=form(admin, username="pd.bad", role="handler", unit="",
                                                   password="long-enough-1"))
    assert refused.status_code == 422 and "必须指定所属单位" in refused.text and user(world, "pd.bad") is None


def test_a_disabled_user_can_no_longer_sign_in_and_admins_cannot_disable_themselves(app, world: World):
    admin = signed_in(app, "city.admin")
    target = user(world, "pd.handler")
    admin.post(f"/admin/users/{target.id}/active", data=form(admin, active="0"))
    assert user(world, "pd.handler").active is False
    from litestar.testing import TestClient

    with TestClient(app=app) as client:
        client.get("/login")
        response = client.post("/login", data={"username": "pd.handler", "password": "correct-horse-battery",
                                               "_csrf_token": client.cookies.get("csrftoken")})
        assert response.status_code == 400
    me = user(world, "city.admin")
    page = admin.post(f"/admin/users/{me.id}/active", data=form(admin, active="0"))
    assert "不能停用自己的账号" in page.text and user(world, "city.admin").active


def test_a_units_number_format_applies_to_the_next_document(app, world: World):
    admin = signed_in(app, "city.admin")
    unit_id = world.handler.unit_id
    bad = admin.post(f"/admin/units/{unit_id}", data=form(admin, label="浦东新区局", short_name="浦",
                                                         number_format="浦{year}"))
    assert bad.status_code == 422 and "必须包含" in bad.text
    clash = admin.post(f"/admin/units/{unit_id}", data=form(admin, label="浦东新区局", short_name="杨", number_format=""))
    assert clash.status_code == 422 and "文号相同" in clash.text
    ok = admin.post(f"/admin/units/{unit_id}", data=form(admin, label="浦东新区局", short_name="浦",
                                                        number_format="沪浦市监{kind}〔{year}〕第{n}号"),
                    follow_redirects=False)
    assert ok.status_code == 303
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    from db.models import Document

    with Session(world.db.reader) as s:
        assert s.get(Document, outcome.document_id).number == "沪浦市监隐登〔2023〕第1号"
        assert s.get(Unit, unit_id).number_format == "沪浦市监{kind}〔{year}〕第{n}号"


def test_only_admins_reach_administration(app):
    for username in ("pd.handler", "pd.leader", "city.supervisor"):
        client = signed_in(app, username)
        assert client.get("/admin/users", follow_redirects=False).status_code == 403
        assert client.post("/admin/units/1", data=form(client, label="x", short_name="x"),
                           follow_redirects=False).status_code == 403
