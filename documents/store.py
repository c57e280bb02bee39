"""Content-addressed store of PDF bytes: a file's name is the sha256 of its bytes (DESIGN §5).

Layout: <root>/ab/cdef….pdf for the digest abcdef…; writes go to a temporary file in the same folder and
are moved into place with os.replace, so a reader never sees a half-written PDF and two writers of the
same bytes cannot corrupt each other.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


class PdfStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    @staticmethod
    def _check(sha: str) -> str:
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        return sha

    def path(self, sha: str) -> Path:
        sha = self._check(sha)
        return self.root / sha[:2] / f"{sha[2:]}.pdf"

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their sha256 hex digest."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.is_file():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        return sha

    def get(self, sha: str) -> bytes | None:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            return None
