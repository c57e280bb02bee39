"""Sign-in done right (issue 9 point 3, DESIGN §9.6/§9.7): normalised usernames, a throttle a stranger cannot turn
into a lockout, counters in the database, sessions in the database (none for anonymous visitors, a new id at
sign-in, ended by a password reset or a disable, removed when expired), CSRF bound to the session, and
`Cache-Control: no-store` on what a signed-in person sees. Storage tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import LoginFailure, User, WebSession
from db.uow import SqlUnitOfWork
from tests.conftest import NOW, MovableClock, World
from tests.web.api_support import PASSWORD, make_app
from web.auth import client_address
from workflow import accounts

WRONG = "not-the-password"
SESSION = "hazardtrack_session"


@pytest.fixture
def app(any_world: World, tmp_path, clock: MovableClock):
    return make_app(any_world, tmp_path, clock)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def page_login(client: TestClient, username: str, password: str = PASSWORD):
    client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "next": "/",
                                       "_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False)


def token_login(client: TestClient, username: str, password: str = PASSWORD, **kw):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password}, **kw)


def signed_in(client: TestClient) -> bool:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (200, 303)
    return response.status_code == 200


def session_rows(world: World, user_id: int | None = None) -> int:
    query = select(func.count()).select_from(WebSession)
    if user_id is not None:
        query = query.where(WebSession.user_id == user_id)
    with Session(world.db.reader) as s:
        return s.execute(query).scalar_one()


def user_id(world: World, username: str) -> int:
    with Session(world.db.reader) as s:
        return s.execute(select(User.id).where(User.username == username)).scalar_one()


# --- usernames --------------------------------------------------------------------------------------------------


def test_a_padded_uppercased_or_full_width_username_shares_the_throttle_key(client):
    for name in ("  PD.Leader ", "pd.LEADER", "ｐｄ．ｌｅａｄｅｒ", "\tpd.leader", "Pd.Leader  "):
        assert page_login(client, name, WRONG).status_code == 400
    # The sixth attempt, under the plain name and with the right password, waits like the account it names.
    assert page_login(client, "pd.leader").status_code == 429
    assert token_login(client, "pd.leader").status_code == 429


def test_a_padded_or_uppercased_username_signs_in_as_the_same_user(client):
    assert page_login(client, "  PD.Handler ").status_code == 303
    response = token_login(client, " PD.HANDLER\t")
    assert response.status_code == 200 and response.json()["user"]["username"] == "pd.handler"


def test_the_token_endpoint_truncates_the_username_like_the_page(client):
    long_name = "a" * 50
    for _ in range(5):
        assert token_login(client, long_name + "b" * 30, WRONG).status_code == 401
    assert page_login(client, long_name, WRONG).status_code == 429  # one key: the first 50 characters


def test_odd_usernames_are_refused_like_any_wrong_name(client):
    for name in ("pd.handler\x00", "ß" * 50, "ﬃ" * 50, "\x00" * 10 + "x", "用户" * 30):
        response = page_login(client, name, WRONG)
        assert response.status_code == 400 and "用户名或密码错误" in response.text, repr(name)
        assert token_login(client, name, WRONG).status_code == 401, repr(name)


def test_create_user_refuses_a_name_that_differs_from_another_only_in_case(any_world):
    from workflow.errors import Conflict
    with pytest.raises(Conflict):
        accounts.create_user(SqlUnitOfWork(any_world.db), username="PD.Handler", password="long-enough-1",
                             role="handler", unit="310115", full_name=None, now=NOW)


# --- the throttle -----------------------------------------------------------------------------------------------


def test_forty_guesses_with_rotating_forwarded_for_from_an_untrusted_peer_are_throttled(client, app):
    app.state.runtime.throttle.address_limit = 20  # the per-address limit, lowered to keep the test short
    client.get("/login")
    statuses = [client.post("/login", data={"username": f"made-up-{n}", "password": WRONG,
                                            "_csrf_token": client.cookies.get("csrftoken")},
                            headers={"X-Forwarded-For": f"10.0.{n}.1"}).status_code
                for n in range(40)]
    assert statuses[:20] == [400] * 20 and set(statuses[20:]) == {429}
    with Session(app.state.runtime.database.reader) as s:
        keys = set(s.execute(select(LoginFailure.key).where(LoginFailure.key.like("ip:%"))).scalars())
    assert keys == {"ip:testclient"}  # the peer, never an address the header named


def test_forwarded_for_is_believed_only_from_a_configured_proxy():
    proxies = (ipaddress.ip_network("10.1.0.0/16"), ipaddress.ip_network("192.168.1.1"))
    assert client_address("203.0.113.9", ["1.2.3.4"], ()) == "203.0.113.9"  # no proxies configured
    assert client_address("203.0.113.9", ["1.2.3.4"], proxies) == "203.0.113.9"  # not from a proxy
    assert client_address("10.1.2.3", ["1.2.3.4"], proxies) == "1.2.3.4"
    # The client may send its own header: only the entry the proxies appended counts.
    assert client_address("10.1.2.3", ["6.6.6.6, 1.2.3.4, 192.168.1.1"], proxies) == "1.2.3.4"
    assert client_address("10.1.2.3", ["not-an-address"], proxies) == "10.1.2.3"


def test_a_strangers_failures_do_not_lock_the_real_user_out(client, clock):
    waits, failures = [], 0
    while failures < 15:  # a stranger guesses on, waiting out every delay
        response = page_login(client, "pd.leader", WRONG)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            clock.advance(seconds=waits[-1])
        else:
            assert response.status_code == 400
            failures += 1
    assert waits[:4] == [1, 2, 4, 8] and waits[-1] == 60 and max(waits) <= 60  # a short, growing delay (1, 2, 4 … s), never a 15-minute lock
    assert waits == sorted(waits)
    blocked = page_login(client, "pd.leader")  # the real user, right after the stranger's last guess
    assert blocked.status_code == 429 and "秒后再试" in blocked.text
    clock.advance(seconds=int(blocked.headers["Retry-After"]))
    assert page_login(client, "pd.leader").status_code == 303


def test_failures_on_made_up_names_do_not_lock_out_an_office_behind_one_address(client):
    for n in range(30):
        assert page_login(client, f"nobody-{n}", WRONG).status_code == 400
    assert page_login(client, "pd.handler").status_code == 303
    assert token_login(client, "pd.leader").status_code == 200


def test_ones_own_sign_in_does_not_clear_the_address_counter(client, app):
    app.state.runtime.throttle.address_limit = 3
    assert page_login(client, "nobody-1", WRONG).status_code == 400
    assert page_login(client, "nobody-2", WRONG).status_code == 400
    assert token_login(client, "pd.handler").status_code == 200  # the guesser's own account
    assert page_login(client, "nobody-3", WRONG).status_code == 400
    assert page_login(client, "nobody-4", WRONG).status_code == 429


def test_the_counters_survive_a_new_app_on_the_same_database(any_world, tmp_path, clock):
    with TestClient(make_app(any_world, tmp_path, clock)) as first:
        for _ in range(5):
            assert token_login(first, "pd.leader", WRONG).status_code == 401
    with TestClient(make_app(any_world, tmp_path, clock)) as second:  # another process, or after a restart
        refused = token_login(second, "pd.leader")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


# --- sessions ---------------------------------------------------------------------------------------------------


def test_anonymous_visitors_store_no_session(client, any_world):
    for path in ("/login", "/health", "/api/v1/items", "/", "/items", "/static/app.css", "/no-such-page"):
        response = client.get(path, follow_redirects=False)
        assert SESSION not in response.cookies, path
    assert page_login(client, "nobody", WRONG).status_code == 400
    assert session_rows(any_world) == 0


def test_a_planted_session_id_does_not_survive_sign_in(app, any_world):
    planted = "a" * 64
    with TestClient(app) as victim:
        victim.get("/login")
        victim.cookies.set(SESSION, planted, domain="testserver.local")  # planted while the form is open
        response = victim.post("/login", data={"username": "pd.handler", "password": PASSWORD, "next": "/",
                                               "_csrf_token": victim.cookies.get("csrftoken")}, follow_redirects=False)
        assert response.status_code == 303
        assert victim.cookies.get(SESSION) not in (None, planted)
        assert signed_in(victim)
    with TestClient(app) as attacker:
        attacker.cookies.set(SESSION, planted, domain="testserver.local")
        assert not signed_in(attacker)
    assert session_rows(any_world) == 1


def test_signing_in_again_gives_a_new_session_id_and_ends_the_old_one(app, any_world):
    with TestClient(app) as client:
        page_login(client, "pd.handler")
        first = client.cookies.get(SESSION)
        page_login(client, "pd.leader")
        assert client.cookies.get(SESSION) != first
    with TestClient(app) as other:
        other.cookies.set(SESSION, first, domain="testserver.local")
        assert not signed_in(other)
    assert session_rows(any_world) == 1


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_password_reset_or_a_disable_ends_every_session_of_the_user(app, any_world, change):
    uid = user_id(any_world, "pd.handler")
    with TestClient(app) as laptop, TestClient(app) as phone, TestClient(app) as colleague:
        for client, name in ((laptop, "pd.handler"), (phone, "pd.handler"), (colleague, "pd.leader")):
            assert page_login(client, name).status_code == 303
        assert session_rows(any_world, uid) == 2
        admin = user_id(any_world, "city.admin")
        if change == "password":
            accounts.set_password(SqlUnitOfWork(any_world.db), uid, "a-new-password-1", acting_user_id=admin)
        else:
            accounts.set_active(SqlUnitOfWork(any_world.db), uid, False, acting_user_id=admin)
            accounts.set_active(SqlUnitOfWork(any_world.db), uid, True, acting_user_id=admin)  # enabling revives none
        assert not signed_in(laptop) and not signed_in(phone)
        assert signed_in(colleague)
        assert session_rows(any_world, uid) == 0


def test_expired_sessions_are_removed(app, any_world, clock):
    with TestClient(app) as stale, TestClient(app) as other:
        assert page_login(stale, "pd.handler").status_code == 303
        assert page_login(other, "pd.leader").status_code == 303
        clock.advance(hours=13)  # past the 12-hour session life
        assert not signed_in(stale)  # removed on access
        assert session_rows(any_world, user_id(any_world, "pd.handler")) == 0
        assert session_rows(any_world, user_id(any_world, "pd.leader")) == 1
        with TestClient(app) as newcomer:  # any write sweeps the expired rows nobody asked for again
            assert page_login(newcomer, "pd.handler").status_code == 303
        assert session_rows(any_world, user_id(any_world, "pd.leader")) == 0
        assert session_rows(any_world) == 1


# --- CSRF -------------------------------------------------------------------------------------------------------


def test_a_csrf_token_from_another_visitors_session_is_refused(app, any_world):
    with TestClient(app) as mallory, TestClient(app) as victim:
        assert page_login(mallory, "yp.handler").status_code == 303
        mallory.get("/")
        stolen = mallory.cookies.get("csrftoken")
        assert page_login(victim, "pd.handler").status_code == 303
        victim.get("/")
        own = victim.cookies.get("csrftoken")
        victim.cookies.set("csrftoken", stolen, domain="testserver.local")  # a cookie planted (e.g. from a sibling subdomain)
        refused = victim.post("/logout", data={"_csrf_token": stolen}, follow_redirects=False)
        assert refused.status_code == 403
        assert signed_in(victim)
        victim.cookies.set("csrftoken", own, domain="testserver.local")
        assert victim.post("/logout", data={"_csrf_token": own}, follow_redirects=False).status_code == 303
        assert not signed_in(victim)


def test_the_csrf_token_from_before_sign_in_does_not_serve_the_signed_in_session(client):
    client.get("/login")
    before = client.cookies.get("csrftoken")
    assert page_login(client, "pd.handler").status_code == 303
    assert client.cookies.get("csrftoken") != before  # sign-in issued one bound to the new session
    response = client.post("/logout", data={"_csrf_token": before}, follow_redirects=False,
                           headers={"Cookie": f"{SESSION}={client.cookies.get(SESSION)}; csrftoken={before}"})
    assert response.status_code == 403


# --- Cache-Control ----------------------------------------------------------------------------------------------


def test_authenticated_pages_and_api_answers_are_not_stored(client):
    assert "no-store" not in client.get("/login").headers.get("cache-control", "")  # public: nothing to hide
    token = token_login(client, "pd.handler").json()["token"]
    api = client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and api.headers["cache-control"] == "no-store"
    missing = client.get("/api/v1/items/999999", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"
    page_login(client, "pd.handler")
    for path in ("/", "/items"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store", path
