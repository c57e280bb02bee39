"""Charts as inline SVG, rendered on the server with pygal: no script, no network, printable."""

from __future__ import annotations

import re
from typing import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ("#2f5d8a", "#b42318", "#c9822b", "#3f7d58", "#6b4c9a", "#1f7a8c")

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _style(colors: Sequence[str]) -> Style:
    return Style(
        font_family=FONT, label_font_family=FONT, major_label_font_family=FONT, value_font_family=FONT,
        value_label_font_family=FONT, tooltip_font_family=FONT, title_font_family=FONT, legend_font_family=FONT,
        no_data_font_family=FONT,
        background="transparent", plot_background="transparent", foreground="#333d47",
        foreground_strong="#1d2733", foreground_subtle="#d5dbe1", colors=tuple(colors),
        label_font_size=13, major_label_font_size=13, value_font_size=12, value_label_font_size=12,
        title_font_size=15, legend_font_size=13, tooltip_font_size=13, no_data_font_size=16,
        opacity="0.92", opacity_hover="1", transition="0s",
        guide_stroke_color="#dfe4ea", major_guide_stroke_color="#c9d1da", guide_stroke_dasharray="3,3",
        major_guide_stroke_dasharray="3,3",
    )


def _label_room(labels: Sequence[str], size: int = 13) -> int:
    """Extra left margin for horizontal-bar labels: pygal measures text as Latin (~0.6 em a character), while a
    CJK character is a full em wide, so long Chinese labels would be cut at the left edge."""
    longest = max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in label) for label in labels), default=0)
    return int(longest * size * 0.45) + 8


def _svg(chart: pygal.graph.graph.Graph, title: str) -> Markup:
    svg = chart.render(is_unicode=True)
    width = chart.config.width
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    # An accessible name for screen readers; the numbers are also in the tables next to each chart.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(title)}" '
                      f'style="max-width:{int(width * 1.25)}px" ', 1)
    return Markup(svg)


def bar_chart(title: str, data: Sequence[tuple[str, int | float]], *, horizontal: bool = False, width: int = 640,
              height: int = 300, color: str = PALETTE[0], series: str = "数量") -> Markup:
    """One series of labelled bars, values printed on the bars."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        style=_style([color]), js=[], width=width, height=height, show_legend=False, print_values=True,
        print_values_position="top", disable_xml_declaration=True, explicit_size=False, margin=8,
        spacing=12, show_y_guides=True, show_x_guides=False, truncate_label=-1,
        x_label_rotation=0, min_scale=1, max_scale=6, no_data_text="暂无数据",
        value_formatter=lambda v: f"{v:g}", tooltip_border_radius=2,
    )
    labels = [label for label, _ in data]
    values = [value for _, value in data]
    if horizontal:  # pygal draws the first horizontal bar at the bottom; list the first item on top
        labels, values = labels[::-1], values[::-1]
    chart.x_labels = labels
    if horizontal:
        chart.config.margin_left = _label_room(labels)
    chart.add(series, values)
    return _svg(chart, title)


def grouped_bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *,
                      horizontal: bool = True, width: int = 640, height: int = 420) -> Markup:
    """Several series per label, with a legend (e.g. all items and overdue items per category)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        style=_style(PALETTE), js=[], width=width, height=height, show_legend=True, legend_at_bottom=True,
        legend_at_bottom_columns=len(series), print_values=False, disable_xml_declaration=True,
        explicit_size=False, margin=8, spacing=10, show_y_guides=True, show_x_guides=False,
        truncate_label=-1, truncate_legend=-1, min_scale=1, max_scale=6, no_data_text="暂无数据",
        value_formatter=lambda v: f"{v:g}",
    )
    rows = list(labels)
    data = [(name, list(values)) for name, values in series]
    if horizontal:
        rows = rows[::-1]
        data = [(name, values[::-1]) for name, values in data]
    chart.x_labels = rows
    if horizontal:
        chart.config.margin_left = _label_room(rows)
    for name, values in data:
        chart.add(name, values)
    return _svg(chart, title)
