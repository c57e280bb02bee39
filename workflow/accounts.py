"""Use cases: user accounts (create, disable, reset password) and units (label, short name, number format).

Each runs in one unit of work and commits there. Passwords are hashed with argon2; the rules for usernames,
roles and unit membership live here once.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from workflow.audit import audit
from workflow.errors import Conflict, InputInvalid, NotFound
from workflow.numbering import format_number, validate_format
from workflow.ports import UnitOfWork, UnitRecord, UserRecord
from workflow.table import ROLE_LABELS, Role

_hasher = PasswordHasher()
MIN_PASSWORD = 8
MAX_USERNAME = 50
MAX_FULL_NAME = 50


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_username(text: str) -> str:
    """What a typed username means: NFKC (full-width letters and digits become ASCII), no surrounding spaces, at most
    MAX_USERNAME characters. The sign-in page, the token endpoint, the throttle and create_user all use it; the
    sign-in lookup and the throttle key also ignore case (usernames are letters, digits and . _ -). NUL, which no
    username holds and PostgreSQL cannot store, is dropped."""
    return unicodedata.normalize("NFKC", text).replace("\x00", "").strip()[:MAX_USERNAME]


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputInvalid({"password": f"密码至少 {MIN_PASSWORD} 个字符"})


def create_user(uow: UnitOfWork, *, username: str, password: str, role: str, unit: str | None,
                full_name: str | None, now: dt.datetime, acting_user_id: int | None = None) -> UserRecord:
    """Validate and add a user. InputInvalid names the field; a taken username is a Conflict."""
    typed = unicodedata.normalize("NFKC", username).strip()
    username = normalise_username(username)
    if not username or username != typed or not username.isascii() or \
            not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise InputInvalid({"username": f"用户名只能包含字母、数字和 . _ -，最长 {MAX_USERNAME} 个字符"})
    if role not in {r.value for r in Role}:
        raise InputInvalid({"role": "角色应为：" + "、".join(f"{r.value}（{ROLE_LABELS[r]}）" for r in Role)})
    name = (full_name or "").strip() or username
    if len(name) > MAX_FULL_NAME:
        raise InputInvalid({"full_name": f"姓名不得超过 {MAX_FULL_NAME} 个字符"})
    _check_password(password)
    with uow:
        unit_row = None
        if unit:
            unit_row = uow.units.find(unit)
            if unit_row is None:
                raise InputInvalid({"unit": f"没有代码或名称为“{unit}”的单位"})
        elif role in (Role.handler, Role.leader):
            raise InputInvalid({"unit": "承办人员和负责人必须指定所属单位（--unit）"})
        if uow.users.by_username(username, any_case=True) is not None:
            raise Conflict(f"用户名 {username} 已存在")
        user = uow.users.add(username=username, full_name=name, role=role,
                             unit_id=unit_row.id if unit_row else None, password_hash=hash_password(password),
                             created_at=now)
        uow.commit()
    audit("user_created", user_id=user.id, username=user.username, role=role,
          unit_id=user.unit_id, by=acting_user_id)
    return user


def set_active(uow: UnitOfWork, user_id: int, active: bool, *, acting_user_id: int) -> UserRecord:
    with uow:
        user = uow.users.get(user_id, for_update=True)
        if user is None:
            raise NotFound("用户不存在")
        if user.id == acting_user_id and not active:
            raise Conflict("不能停用自己的账号")
        if not active and user.role == Role.admin and user.active and uow.users.active_admins() <= 1:
            raise Conflict("至少需要保留一个启用的系统管理员")
        user.active = active
        if not active:
            uow.users.end_sessions(user.id)  # signed-in browsers are signed out in the same transaction
        uow.commit()
    audit("user_enabled" if active else "user_disabled", user_id=user.id, username=user.username, by=acting_user_id)
    return user


def set_password(uow: UnitOfWork, user_id: int, password: str, *, acting_user_id: int | None = None) -> UserRecord:
    """A new password also revokes the user's API tokens (they carry the old hash's fingerprint) and ends every
    session of the user, in the same transaction."""
    _check_password(password)
    with uow:
        user = uow.users.get(user_id, for_update=True)
        if user is None:
            raise NotFound("用户不存在")
        user.password_hash = hash_password(password)
        uow.users.end_sessions(user.id)
        uow.commit()
    audit("password_reset", user_id=user.id, username=user.username, by=acting_user_id)
    return user


def update_unit(uow: UnitOfWork, unit_id: int, *, label: str, short_name: str, number_format: str | None,
                acting_user_id: int | None = None) -> UnitRecord:
    """Edit a unit's display label, its short name and its document-number format. Numbers already issued keep
    their text; the serials continue. A format that would repeat another unit's numbers is refused."""
    label, short_name = label.strip(), short_name.strip()
    if not label or len(label) > 50:
        raise InputInvalid({"label": "简称应为 1 至 50 个字符"})
    if not short_name or len(short_name) > 10:
        raise InputInvalid({"short_name": "文号简称应为 1 至 10 个字符"})
    fmt = (number_format or "").strip() or None
    if fmt is not None:
        try:
            validate_format(fmt)
        except ValueError as exc:
            raise InputInvalid({"number_format": str(exc)}) from None
    with uow:
        unit = uow.units.get(unit_id)
        if unit is None:
            raise NotFound("单位不存在")
        mine = format_number(fmt, short=short_name, kind="责改", year=2023, n=1)
        for other in uow.units.all():
            if other.id != unit_id and \
                    format_number(other.number_format, short=other.short_name, kind="责改", year=2023, n=1) == mine:
                raise InputInvalid({"short_name": f"与{other.label}的文号相同（{mine}），请修改文号简称或格式"})
        unit.label, unit.short_name, unit.number_format = label, short_name, fmt
        uow.commit()
    audit("unit_updated", unit_id=unit_id, label=label, short_name=short_name, number_format=fmt, by=acting_user_id)
    return unit
