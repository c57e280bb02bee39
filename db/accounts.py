"""User accounts: argon2 password hashes, roles and unit membership rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select
from sqlmodel import Session

from db.models import Unit, User
from workflow.table import ROLE_LABELS, Role

_hasher = PasswordHasher()
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_unit(session: Session, code_or_name: str) -> Unit | None:
    """A unit by its code (310115) or its full name; also accepts the short label (浦东新区局)."""
    key = code_or_name.strip()
    return session.execute(
        select(Unit).where(or_(Unit.code == key, Unit.name == key, Unit.label == key))
    ).scalars().first()


def create_user(session: Session, *, username: str, password: str, role: str, unit: str | None,
                full_name: str | None = None) -> User:
    """Validate and add a user (flushes, does not commit). Raises ValueError with a Chinese message."""
    username = username.strip()
    if not username or len(username) > 50 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise ValueError("用户名只能包含字母、数字和 . _ -，最长 50 个字符")
    if role not in {r.value for r in Role}:
        raise ValueError("角色应为：" + "、".join(f"{r.value}（{ROLE_LABELS[r]}）" for r in Role))
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 个字符")
    unit_row = None
    if unit:
        unit_row = find_unit(session, unit)
        if unit_row is None:
            raise ValueError(f"没有代码或名称为“{unit}”的单位")
    elif role in (Role.handler, Role.leader):
        raise ValueError("承办人员和负责人必须指定所属单位（--unit）")
    if session.execute(select(User).where(User.username == username)).scalars().first():
        raise ValueError(f"用户名 {username} 已存在")
    user = User(username=username, full_name=full_name or username, role=role,
                unit_id=unit_row.id if unit_row else None, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


# -- administration: users and units ---------------------------------------------------------------------------

from sqlalchemy import func  # noqa: E402

from workflow.numbering import format_number, validate_format  # noqa: E402


def set_active(session: Session, user_id: int, active: bool, *, acting_user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise LookupError("用户不存在")
    if user.id == acting_user_id and not active:
        raise ValueError("不能停用自己的账号")
    if not active and user.role == Role.admin:
        admins = session.execute(select(func.count()).select_from(User).where(User.role == Role.admin, User.active)).scalar_one()
        if admins <= 1:
            raise ValueError("至少需要保留一个启用的系统管理员")
    user.active = active
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user_id: int, password: str) -> User:
    """A new password also revokes the user's API tokens (they carry the old hash's fingerprint)."""
    user = session.get(User, user_id)
    if user is None:
        raise LookupError("用户不存在")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 个字符")
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def update_unit(session: Session, unit_id: int, *, label: str, short_name: str, number_format: str | None) -> Unit:
    """Edit a unit's display label, its short name and its document-number format. Numbers already issued keep
    their text; the serials continue. Raises ValueError (Chinese) with the field in `args[1]`."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise LookupError("单位不存在")
    label, short_name = label.strip(), short_name.strip()
    if not label or len(label) > 50:
        raise ValueError("简称应为 1 至 50 个字符", "label")
    if not short_name or len(short_name) > 10:
        raise ValueError("文号简称应为 1 至 10 个字符", "short_name")
    fmt = (number_format or "").strip() or None
    if fmt is not None:
        try:
            validate_format(fmt)
        except ValueError as exc:
            raise ValueError(str(exc), "number_format") from None
    mine = format_number(fmt, short=short_name, kind="责改", year=2023, n=1)
    for other in session.execute(select(Unit).where(Unit.id != unit_id)).scalars():
        if format_number(other.number_format, short=other.short_name, kind="责改", year=2023, n=1) == mine:
            raise ValueError(f"与{other.label}的文号相同（{mine}），请修改文号简称或格式", "short_name")
    unit.label, unit.short_name, unit.number_format = label, short_name, fmt
    session.add(unit)
    session.flush()
    return unit

