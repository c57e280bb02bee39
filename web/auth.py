"""Authentication (session cookie for people, bearer token for API clients) and the one access guard."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import SkipValidation
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import User
from web import access, csrf, sessions
from web.app_state import Runtime, in_thread
from web.api import schemas as api_schemas
from web.api_tokens import fingerprint_matches, issue_token, read_token
from workflow.accounts import normalise_username, verify_password
from workflow.actor import Actor
from workflow.audit import audit
from workflow.errors import InputInvalid, NotFound


class LoginRequired(Exception):
    """A page needs a signed-in user: answered with a redirect to the login page."""

    def __init__(self, next_path: str):
        self.next_path = next_path


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, user.role, user.unit_id)


def _load_user(runtime: Runtime, user_id: int) -> User | None:
    with Session(runtime.database.reader) as session:
        user = session.get(User, user_id)
        return user if user is not None and user.active else None


def resolve_actor(connection: ASGIConnection) -> Actor | None:
    runtime: Runtime = connection.app.state.runtime
    if is_api(connection.url.path):
        header = connection.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        claims = read_token(runtime.settings.secret_key, header[7:].strip())
        if claims is None:
            return None
        user = _load_user(runtime, claims[0])
        if user is None or not fingerprint_matches(user.password_hash, claims[1]):
            return None
        return _actor(user)
    user_id = connection.session.get("uid") if "session" in connection.scope else None
    if not isinstance(user_id, int):
        return None
    user = _load_user(runtime, user_id)
    return _actor(user) if user else None


MAX_ID = 2**31 - 1  # ids are 32-bit everywhere; a longer number in a path names no record


def _check_ids(connection: ASGIConnection) -> None:
    for value in connection.path_params.values():
        if isinstance(value, int) and not isinstance(value, bool) and not 0 < value <= MAX_ID:
            raise NotFound("记录不存在")


def access_guard(connection: ASGIConnection, route_handler: BaseRouteHandler) -> None:
    """Runs before every handler: authenticate (401 / login redirect), check the role against ACCESS (403),
    then refuse ids no record can have (404) before any query sees them."""
    name = route_handler.handler_name
    roles = access.roles_for(name, connection.url.path)
    if roles is None:
        raise PermissionDeniedException(f"路由 {name} 不在访问控制表中")  # fail closed
    if roles is access.PUBLIC:
        connection.state.actor = resolve_actor(connection)
        return
    actor = resolve_actor(connection)
    if actor is None:
        if is_api(connection.url.path):
            raise NotAuthorizedException("请先登录（Authorization: Bearer <token>）")
        target = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
        raise LoginRequired(target)
    connection.state.actor = actor
    if actor.role not in roles:
        raise PermissionDeniedException("您的角色无权访问此功能")
    _check_ids(connection)


def current_actor(request: Request) -> Actor:
    return request.state.actor


def _address(request: Request) -> str:
    headers = request.headers.getall("x-forwarded-for", [])
    return client_address(request.client.host if request.client else "?", headers,
                          request.app.state.runtime.settings.trusted_proxies)


def client_address(peer: str, forwarded_for: list[str], proxies: tuple) -> str:
    """The client's address: the peer's, unless the peer is a configured proxy (HAZARDTRACK_TRUSTED_PROXIES); then
    the last X-Forwarded-For entry that is not itself a trusted proxy. From anyone else the header is ignored."""
    if not proxies or not _within(peer, proxies):
        return peer
    hops = [h.strip() for h in ",".join(forwarded_for).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _within(hop, proxies):
            return hop if _is_ip(hop) else peer
    return peer


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _within(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def authenticate(runtime: Runtime, username: str, password: str) -> User | None:
    """`username` normalised (workflow.accounts.normalise_username): the exact name, else the one name that
    differs from it only in case."""
    with Session(runtime.database.reader) as session:
        user = session.execute(select(User).where(User.username == username)).scalars().first()
        if user is None:
            user = session.execute(select(User).where(func.lower(User.username) == username.lower())
                                   .order_by(User.id)).scalars().first()
        if user is None or not user.active:
            # Spend the same time as a real check so that timing does not reveal which usernames exist.
            verify_password(runtime.dummy_hash, password)
            return None
        return user if verify_password(user.password_hash, password) else None


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@get("/login")
async def login_page(request: Request, next: str | None = None) -> Template:  # noqa: A002
    return Template("login.html", context={"next": _safe_next(next), "error": None, "username": ""})


@post("/login", media_type=MediaType.HTML)  # the sign-in page again on failure, never markup as text
async def login_submit(request: Request) -> Any:
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    username = normalise_username(str(form.get("username", "")))
    password = str(form.get("password", ""))[:200]
    target = _safe_next(str(form.get("next", "/")))
    address = _address(request)
    wait = await in_thread(runtime.throttle.retry_after, username, address)
    if wait:
        audit("lockout", username=username, address=address, retry_after=wait, via="page")
        return Template("login.html", status_code=429, headers={"Retry-After": str(wait)}, context={
            "next": target, "username": username, "error": f"登录失败次数过多，请 {wait} 秒后再试。"})
    user = await in_thread(authenticate, runtime, username, password)
    if user is None:
        await in_thread(runtime.throttle.failed, username, address)
        audit("sign_in_failed", username=username, address=address, via="page")
        return Template("login.html", status_code=400, context={
            "next": target, "username": username, "error": "用户名或密码错误。"})
    await in_thread(runtime.throttle.succeeded, username)
    audit("sign_in", user_id=user.id, username=user.username, address=address, via="page")
    request.set_session({"uid": user.id})
    session_id = sessions.rotate(request)  # a new id: whatever id the visitor came with is not signed in
    config = request.app.state.csrf_config
    # The CSRF token is bound to the session id, so the new session gets its own.
    return Redirect(target, status_code=303,
                    cookies=[csrf.cookie(config, csrf.issue(config.secret, session_id))])


@post("/logout")
async def logout(request: Request) -> Redirect:
    actor = getattr(request.state, "actor", None)
    audit("sign_out", user_id=actor.user_id if actor else None, address=_address(request))
    request.clear_session()
    return Redirect("/login", status_code=303)


@post("/api/v1/auth/token", status_code=200, responses=api_schemas.errors(401, 413, 422, 429),
      operation_class=api_schemas.operation(public=True))
async def api_token(request: Request, data: SkipValidation[api_schemas.TokenRequest]) -> api_schemas.Token:
    if not isinstance(data, dict):  # what `data: dict[str, Any]` refused: answered 422 by web/errors.py
        raise ValidationException()
    runtime: Runtime = request.app.state.runtime
    username, password = data.get("username"), data.get("password")
    errors = {}
    if not isinstance(username, str) or not normalise_username(username):
        errors["username"] = "请填写用户名"
    if not isinstance(password, str) or not password:
        errors["password"] = "请填写密码"
    if errors:
        raise InputInvalid(errors)
    username, address = normalise_username(username), _address(request)
    wait = await in_thread(runtime.throttle.retry_after, username, address)
    if wait:
        audit("lockout", username=username, address=address, retry_after=wait, via="token")
        raise TooManyAttempts(wait)
    user = await in_thread(authenticate, runtime, username, password[:200])
    if user is None:
        await in_thread(runtime.throttle.failed, username, address)
        audit("sign_in_failed", username=username, address=address, via="token")
        raise NotAuthorizedException("用户名或密码错误")
    await in_thread(runtime.throttle.succeeded, username)
    audit("sign_in", user_id=user.id, username=user.username, address=address, via="token")
    token = issue_token(runtime.settings.secret_key, user.id, user.password_hash)
    return {"token": token, "token_type": "bearer", "user": {"username": user.username, "role": user.role}}


class TooManyAttempts(Exception):
    def __init__(self, wait: int):
        self.wait = wait


def login_redirect(next_path: str) -> Redirect:
    return Redirect(f"/login?next={quote(next_path)}", status_code=303)
