"""Configuration from the environment (DESIGN §7). No secret lives in the repository."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from db.engine import data_dir


@dataclass(frozen=True)
class Settings:
    secret_key: str
    data_dir: Path
    secure_cookies: bool
    # Peers whose X-Forwarded-For is believed (HAZARDTRACK_TRUSTED_PROXIES: IPs or CIDRs, comma-separated; default
    # none): from anyone else the header is ignored and the peer's own address is the client's.
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default=())

    @property
    def session_secret(self) -> bytes:
        """32 bytes for the encrypted session cookie, derived from the secret key."""
        return hashlib.sha256(("session:" + self.secret_key).encode()).digest()

    @property
    def pdf_dir(self) -> Path:
        return self.data_dir / "pdf"


def load_settings() -> Settings:
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    key = os.environ.get("HAZARDTRACK_SECRET_KEY")
    if not key:
        # Development: a random key kept in the data directory (never in the repo), so sessions survive restarts.
        key_file = directory / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        key = key_file.read_text().strip()
    return Settings(secret_key=key, data_dir=directory,
                    secure_cookies=os.environ.get("HAZARDTRACK_SECURE_COOKIES", "") in ("1", "true", "yes"),
                    trusted_proxies=parse_proxies(os.environ.get("HAZARDTRACK_TRUSTED_PROXIES", "")))


def parse_proxies(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """`10.0.0.1, 192.168.0.0/24` → networks; a malformed entry stops the server with its name."""
    networks = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SystemExit(f"HAZARDTRACK_TRUSTED_PROXIES: {part!r} is not an IP address or network") from None
    return tuple(networks)
