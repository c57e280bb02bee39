"""The workflow's state diagram as server-side SVG, generated from workflow.table (states, events, roles).

No script, no network: boxes for the states, a labelled arrow per (source, event), colours by the role that
fires the event. Box positions are a presentation hint per state (a state the hint does not know gets a free
slot); the edges, their labels and colours always come from the table, so the diagram cannot drift from the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from workflow.table import EVENTS, ROLE_LABELS, STATE_LABELS, TRANSITION_EVENTS, Role, State

BOX_W, BOX_H = 148, 50
COL_W, ROW_H = 260, 170
LEFT, TOP = 150, 110
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
LABEL_SIZE = 13

# Column and row of each state: the main path runs left to right, cases along the bottom row.
POSITIONS: dict[str, tuple[int, int]] = {
    State.found: (0, 1),
    State.rectifying: (1, 0),
    State.case_filed: (1, 2),
    State.closed: (2, 1),
    State.transferred: (2, 2),
    State.rechecking: (3, 0),
}

ROLE_COLOURS = {Role.handler: "#2f5d8a", Role.leader: "#9a3412", Role.supervisor: "#3f7d58", Role.admin: "#555"}
STATE_FILL = {State.found: "#eef3f8", State.rectifying: "#fdf3e1", State.case_filed: "#f6e9ef",
              State.transferred: "#f3e8e6", State.closed: "#e8f3ec", State.rechecking: "#e6f2f4"}


@dataclass
class Box:
    state: str
    x: float  # centre
    y: float

    def contains(self, px: float, py: float, pad: float = 0) -> bool:
        return abs(px - self.x) <= BOX_W / 2 + pad and abs(py - self.y) <= BOX_H / 2 + pad


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Rect", pad: float = 3) -> bool:
        return not (self.x + self.w + pad <= other.x or other.x + other.w + pad <= self.x
                    or self.y + self.h + pad <= other.y or other.y + other.h + pad <= self.y)


def _layout() -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    taken = set()
    spare_row = max(r for _, r in POSITIONS.values()) + 1
    spare_col = 0
    for state in State:
        col, row = POSITIONS.get(state, (None, None))
        if col is None or (col, row) in taken:
            col, row = spare_col, spare_row
            spare_col += 1
        taken.add((col, row))
        boxes[state.value] = Box(state.value, LEFT + col * COL_W, TOP + row * ROW_H)
    return boxes


def _quad(p0, c, p1, t):
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1])


def _clear(points, boxes, ends, pad=10) -> bool:
    return not any(b.contains(x, y, pad) for x, y in points for b in boxes if b.state not in ends)


def _clip(p0, c, p1, a: Box, b: Box):
    """The part of the curve outside both boxes: (t_start, t_end)."""
    steps = 200
    t0 = next((i / steps for i in range(steps + 1) if not a.contains(*_quad(p0, c, p1, i / steps), 4)), 0.0)
    t1 = next((i / steps for i in range(steps, -1, -1) if not b.contains(*_quad(p0, c, p1, i / steps), 4)), 1.0)
    return t0, t1


def _sub_quad(p0, c, p1, t0, t1):
    """The control points of the piece of a quadratic Bézier between t0 and t1."""
    def point(t):
        return _quad(p0, c, p1, t)

    def derivative(t):
        return (2 * (1 - t) * (c[0] - p0[0]) + 2 * t * (p1[0] - c[0]),
                2 * (1 - t) * (c[1] - p0[1]) + 2 * t * (p1[1] - c[1]))

    start, end = point(t0), point(t1)
    d0 = derivative(t0)
    scale = (t1 - t0) / 2
    control = (start[0] + d0[0] * scale, start[1] + d0[1] * scale)
    return start, control, end


def _text_width(text: str) -> float:
    return sum(LABEL_SIZE if ord(ch) > 0x2E80 else LABEL_SIZE * 0.6 for ch in text) + 12


def build_svg() -> Markup:
    boxes = _layout()
    placed: list[Rect] = [Rect(b.x - BOX_W / 2, b.y - BOX_H / 2, BOX_W, BOX_H) for b in boxes.values()]
    edges = [(src.value, e.dest.value, e) for e in TRANSITION_EVENTS for src in e.sources]
    pair_count: dict[frozenset, int] = {}
    for s, d, _ in edges:
        if s != d:
            pair_count[frozenset((s, d))] = pair_count.get(frozenset((s, d)), 0) + 1
    paths, labels = [], []
    pending: list[tuple[str, list, str, int]] = []  # label text, candidate centres, colour, edge index
    samples: list[list[tuple[float, float]]] = []  # points along each edge, to keep labels off other edges
    max_x = max(b.x for b in boxes.values()) + BOX_W / 2
    max_y = max(b.y for b in boxes.values()) + BOX_H / 2
    rows = {b.y for b in boxes.values()}

    def place_label(text: str, candidates, colour: str, own: int | None = None) -> None:
        width, height = _text_width(text), LABEL_SIZE + 8
        others = [pt for i, points in enumerate(samples) if i != own for pt in points]
        chosen = None
        for strict in (True, False):
            for cx, cy in candidates:
                rect = Rect(cx - width / 2, cy - height / 2, width, height)
                if any(rect.overlaps(other) for other in placed):
                    continue
                if strict and any(rect.x - 2 <= x <= rect.x + rect.w + 2 and rect.y - 2 <= y <= rect.y + rect.h + 2
                                  for x, y in others):
                    continue
                chosen = rect
                break
            if chosen:
                break
        if chosen is None:
            cx, cy = candidates[0]
            chosen = Rect(cx - width / 2, cy - height / 2, width, height)
        placed.append(chosen)
        labels.append(
            f'<g class="edge-label"><rect x="{chosen.x:.1f}" y="{chosen.y:.1f}" width="{chosen.w:.1f}" '
            f'height="{chosen.h:.1f}" rx="4" fill="#fff" stroke="{colour}" stroke-width="0.8"/>'
            f'<text x="{chosen.x + chosen.w / 2:.1f}" y="{chosen.y + chosen.h / 2 + LABEL_SIZE * 0.36:.1f}" '
            f'fill="{colour}" text-anchor="middle">{escape(text)}</text></g>')

    for source, dest, event in edges:
        colour = ROLE_COLOURS.get(event.role, "#555")
        a, b = boxes[source], boxes[dest]
        own = len(samples)
        if source == dest:
            # A self-loop above the box in the top row, below it otherwise.
            if a.y == min(rows):
                sign, edge_y = -1, a.y - BOX_H / 2
            else:
                sign, edge_y = 1, a.y + BOX_H / 2
            x1, x2 = a.x - 30, a.x + 30
            reach = edge_y + sign * 58
            paths.append(f'<path d="M{x1:.1f},{edge_y:.1f} C{x1 - 28:.1f},{reach:.1f} {x2 + 28:.1f},{reach:.1f} '
                         f'{x2:.1f},{edge_y + sign * 2:.1f}" stroke="{colour}" marker-end="url(#arrow-{event.role})"/>')
            samples.append([(a.x + dx, edge_y + sign * dy) for dx in (-40, -20, 0, 20, 40) for dy in (20, 40)])
            pending.append((event.label, [(a.x, reach + sign * 2), (a.x + 90, reach), (a.x - 90, reach)], colour,
                            own))
            max_y = max(max_y, reach + 20)
            continue
        key = frozenset((source, dest))
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy)
        nx, ny = -dy / length, dx / length  # left-hand normal of the direction of travel
        p0, p1 = (a.x, a.y), (b.x, b.y)
        if pair_count[key] > 1:
            # Two opposite edges between the same pair: parallel lines, each shifted to its own left.
            p0 = (a.x + nx * 9, a.y + ny * 9)
            p1 = (b.x + nx * 9, b.y + ny * 9)
        bends = [0.0, 70.0, -70.0, 120.0, -120.0, 170.0, -170.0]
        chosen = None
        for bend in bends:
            control = ((p0[0] + p1[0]) / 2 + nx * bend * 2, (p0[1] + p1[1]) / 2 + ny * bend * 2)
            points = [_quad(p0, control, p1, i / 40) for i in range(41)]
            if _clear(points, boxes.values(), {source, dest}):
                chosen = control
                break
        if chosen is None:
            chosen = ((p0[0] + p1[0]) / 2 + nx * bends[-1] * 2, (p0[1] + p1[1]) / 2 + ny * bends[-1] * 2)
        t0, t1 = _clip(p0, chosen, p1, a, b)
        start, control, end = _sub_quad(p0, chosen, p1, t0, t1)
        paths.append(f'<path d="M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} '
                     f'{end[0]:.1f},{end[1]:.1f}" stroke="{colour}" marker-end="url(#arrow-{event.role})"/>')
        samples.append([_quad(p0, chosen, p1, t0 + (t1 - t0) * i / 60) for i in range(61)])
        candidates = []
        for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.28, 0.72, 0.22, 0.78):
            x, y = _quad(p0, chosen, p1, t)
            candidates.append((x, y))
        if pair_count[key] > 1:  # a label beside its own line of a parallel pair
            candidates = [(x + nx * k, y + ny * k) for k in (14, 28, 40) for x, y in candidates] + candidates
        pending.append((event.label, candidates, colour, own))

    for text, candidates, colour, own in pending:
        place_label(text, candidates, colour, own)

    # The entry arrow: register creates the item in its first state.
    register = EVENTS["register"]
    first = boxes[register.dest.value]
    start_x = first.x - BOX_W / 2 - 95
    entry = (f'<circle cx="{start_x:.1f}" cy="{first.y:.1f}" r="7" fill="#1d2733"/>'
             f'<path d="M{start_x + 8:.1f},{first.y:.1f} L{first.x - BOX_W / 2 - 4:.1f},{first.y:.1f}" '
             f'stroke="{ROLE_COLOURS[register.role]}" marker-end="url(#arrow-{register.role})"/>')
    place_label(register.label, [(start_x + 45, first.y - 18)], ROLE_COLOURS[register.role])

    state_boxes = []
    for state, box in boxes.items():
        state_boxes.append(
            f'<g class="state" id="state-{state}"><rect x="{box.x - BOX_W / 2:.1f}" y="{box.y - BOX_H / 2:.1f}" '
            f'width="{BOX_W}" height="{BOX_H}" rx="8" fill="{STATE_FILL.get(state, "#f4f6f8")}" stroke="#31465e" '
            f'stroke-width="1.4"/><text x="{box.x:.1f}" y="{box.y + 2:.1f}" text-anchor="middle" '
            f'class="state-label">{escape(STATE_LABELS[state])}</text><text x="{box.x:.1f}" y="{box.y + 18:.1f}" '
            f'text-anchor="middle" class="state-code">{state}</text></g>')

    markers = "".join(
        f'<marker id="arrow-{role}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for role, colour in ROLE_COLOURS.items())
    min_x = min([r.x for r in placed] + [start_x - 12]) - 10
    min_y = min(r.y for r in placed) - 10
    max_x = max([r.x + r.w for r in placed] + [max_x]) + 10
    max_y = max([r.y + r.h for r in placed] + [max_y]) + 10
    legend_y = max_y + 6
    legend = "".join(
        f'<g transform="translate({min_x + 10 + i * 170:.1f},{legend_y:.1f})"><path d="M0,8 L36,8" '
        f'stroke="{ROLE_COLOURS[role]}" marker-end="url(#arrow-{role})"/><text x="44" y="13">'
        f'{escape(ROLE_LABELS[role])}办理</text></g>'
        for i, role in enumerate((Role.handler, Role.leader)))
    height = legend_y + 26 - min_y
    width = max_x - min_x
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img" '
        f'aria-label="隐患办理流程状态图" viewBox="{min_x:.0f} {min_y:.0f} {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="{FONT}">'
        f'<title>隐患办理流程状态图</title>'
        f'<defs>{markers}</defs>'
        f'<style>.edges path{{fill:none;stroke-width:1.6}} .edge-label text{{font-size:{LABEL_SIZE}px}} '
        f'.state-label{{font-size:16px;font-weight:700;fill:#1d2733}} .state-code{{font-size:11px;fill:#66717d}} '
        f'.legend text{{font-size:13px;fill:#333d47}} .legend path{{fill:none;stroke-width:1.6}}</style>'
        f'<g class="edges">{entry}{"".join(paths)}</g>{"".join(state_boxes)}{"".join(labels)}'
        f'<g class="legend">{legend}</g></svg>')
    return Markup(svg)
