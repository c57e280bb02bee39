"""HTML pages. Each module exposes its handlers; ROUTES lists them all for the app factory."""

ROUTES: list = []
