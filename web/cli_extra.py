"""CLI commands beyond the core set; each registers a sub-parser on import."""

from __future__ import annotations
