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
