"""统一社会信用代码 (unified social credit code, USCC) per GB 32100-2015.

An USCC has 18 characters:

    position 1      登记管理部门码  (registration authority: 1-9, A, N, Y)
    position 2      机构类别码      (organisation class: a digit 1-9)
    positions 3-8   登记管理机关行政区划码 (GB/T 2260 area code: six digits)
    positions 9-17  主体标识码      (organisation identifier)
    position 18     校验码          (check character)

Every character comes from the 31-character set ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z),
whose values are 0..30. The check character is ``ALPHABET[(31 - Σ value(c_i)·w_i mod 31) mod 31]`` with
weights ``w_i = 3^(i-1) mod 31`` for i = 1..17.

Only what the standard fixes is checked: length, character set, the structure of positions 1-8 and the
check character. Messages are Chinese because people read them.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "ALPHABET",
    "WEIGHTS",
    "check_character",
    "is_valid_uscc",
    "make_uscc",
    "normalise_uscc",
    "validate_uscc",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18

_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_REGISTRATION_AUTHORITIES = "123456789ANY"
_ORGANISATION_CLASSES = "123456789"
_EXCLUDED = "I、O、S、V、Z"


def normalise_uscc(code: str) -> str:
    """Full-width characters to half-width (NFKC), surrounding whitespace removed, upper case."""
    return unicodedata.normalize("NFKC", code).strip().upper()


def _check_body(body: str) -> None:
    """Raise ValueError unless ``body`` (the first 17 or all 18 characters) is structurally valid."""
    for position, char in enumerate(body, start=1):
        if char not in _VALUE:
            raise ValueError(f"第 {position} 位“{char}”不是合法字符（只能使用数字和除 {_EXCLUDED} 以外的大写字母）")
    if body[0] not in _REGISTRATION_AUTHORITIES:
        raise ValueError(f"第 1 位登记管理部门码“{body[0]}”无效（应为 1-9、A、N 或 Y）")
    if body[1] not in _ORGANISATION_CLASSES:
        raise ValueError(f"第 2 位机构类别码“{body[1]}”无效（应为数字 1-9）")
    area = body[2:8]
    if not area.isdigit():
        raise ValueError(f"第 3-8 位登记管理机关行政区划码“{area}”应为 6 位数字")


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (which must be structurally valid)."""
    body = normalise_uscc(first17)
    if len(body) != LENGTH - 1:
        raise ValueError(f"计算校验位需要前 17 位，实为 {len(body)} 位")
    _check_body(body)
    total = sum(_VALUE[c] * w for c, w in zip(body, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def make_uscc(first17: str) -> str:
    """A complete code: the first 17 characters plus their check character (for demo and test data)."""
    body = normalise_uscc(first17)
    return body + check_character(body)


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise ValueError with a Chinese message saying what is wrong.

    A wrong check character names the expected one: "校验位错误：应为 A，实为 B".
    """
    if not isinstance(code, str):
        raise ValueError("统一社会信用代码应为文本")
    normal = normalise_uscc(code)
    if not normal:
        raise ValueError("不能为空")
    if len(normal) != LENGTH:
        raise ValueError(f"长度应为 18 位，实为 {len(normal)} 位")
    _check_body(normal)
    expected = check_character(normal[:17])
    if normal[17] != expected:
        raise ValueError(f"校验位错误：应为 {expected}，实为 {normal[17]}")
    return normal


def is_valid_uscc(code: str) -> bool:
    try:
        validate_uscc(code)
    except ValueError:
        return False
    return True
