"""Document numbers in GB/T 9704 style: full year in 〔〕, serial without padding, e.g. 沪市监浦责改〔2023〕12号."""

from __future__ import annotations

DEFAULT_FORMAT = "沪市监{short}{kind}〔{year}〕{n}号"
PLACEHOLDERS = ("short", "kind", "year", "n")


def format_number(fmt: str | None, *, short: str, kind: str, year: int, n: int) -> str:
    return (fmt or DEFAULT_FORMAT).format(short=short, kind=kind, year=year, n=n)


def validate_format(fmt: str) -> str:
    """A unit's own format must keep the serial and the year, or numbers could repeat. Raises ValueError."""
    try:
        sample = fmt.format(short="浦", kind="责改", year=2023, n=7)
    except (KeyError, IndexError, ValueError):
        raise ValueError("格式只能使用 {short} {kind} {year} {n} 占位符") from None
    if "{n}" not in fmt or "{year}" not in fmt or "{kind}" not in fmt:
        raise ValueError("格式必须包含 {kind}、{year} 和 {n}")
    if len(sample) > 80:
        raise ValueError("格式过长")
    return fmt
