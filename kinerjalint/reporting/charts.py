"""Charts drawn as inline SVG, so the report needs no script and prints as vectors.

Every text from a submission is escaped with :func:`markupsafe.escape` before it is
placed in the SVG; the result is :class:`markupsafe.Markup` for the template.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from kinerjalint.reporting.digest import AgencyView, GroupView
from kinerjalint.reporting.texts import texts

COLOURS = {"error": "#c0392b", "warning": "#e39b16", "info": "#2f6db5", "clean": "#2e8b57"}
PREDIKAT_COLOURS = {"aa": "#17663f", "a": "#2e8b57", "bb": "#2a8a8f", "b": "#2f6db5", "cc": "#d08a0b",
                    "c": "#d4602a", "d": "#b42318", "na": "#98a2b3"}
# Predikat zones on the 0-100 axis: (lower bound, upper bound, name).
ZONES = ((0, 30, "D"), (30, 50, "C"), (50, 60, "CC"), (60, 70, "B"), (70, 80, "BB"), (80, 90, "A"),
         (90, 100, "AA"))

WIDTH = 760
LABEL_W = 250
ROW_H = 26
BAR_H = 16
FONT = 'font-family="inherit" font-size="12"'


def _short(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def score_chart(agencies: Sequence[AgencyView], lang: str) -> Markup:
    """Horizontal bars, one per agency, coloured and labelled by predikat."""
    t = texts(lang)
    x0, bar_w, top = LABEL_W + 10, WIDTH - LABEL_W - 10 - 110, 24
    height = top + ROW_H * max(1, len(agencies)) + 28

    def x(score: float) -> float:
        return x0 + bar_w * max(0.0, min(100.0, score)) / 100

    parts = [f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(t["chart_scores"])}">',
             f"<title>{escape(t['chart_scores'])}</title>"]
    bottom = top + ROW_H * max(1, len(agencies))
    for lo, hi, name in ZONES:
        shade = "#f4f6f8" if ZONES.index((lo, hi, name)) % 2 else "#ffffff"
        parts.append(f'<rect x="{x(lo):.1f}" y="{top}" width="{x(hi) - x(lo):.1f}" height="{bottom - top}" '
                     f'fill="{shade}"/>')
        parts.append(f'<text x="{(x(lo) + x(hi)) / 2:.1f}" y="{top - 8}" text-anchor="middle" {FONT} '
                     f'font-weight="600" fill="#52606d">{name}</text>')
    for tick in (0, 30, 50, 60, 70, 80, 90, 100):
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" y2="{bottom}" stroke="#c3ccd5" '
                     f'stroke-width="0.8"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{bottom + 16}" text-anchor="middle" {FONT} '
                     f'fill="#52606d">{tick}</text>')
    for i, a in enumerate(agencies):
        y = top + i * ROW_H
        mid = y + ROW_H / 2 + 4
        parts.append(f'<a href="#{a.anchor}"><text x="{LABEL_W}" y="{mid:.1f}" text-anchor="end" {FONT} '
                     f'fill="#1f2933"><title>{escape(a.name)}</title>{escape(_short(a.name))}</text></a>')
        if a.score is None:
            parts.append(f'<text x="{x0 + 6}" y="{mid:.1f}" {FONT} font-style="italic" fill="#667085">'
                         f"{escape(t['not_gradable'])}</text>")
            continue
        colour = PREDIKAT_COLOURS.get(a.predikat_kind, PREDIKAT_COLOURS["na"])
        end = x(a.score)
        parts.append(f'<rect class="bar" x="{x0}" y="{y + (ROW_H - BAR_H) / 2:.1f}" width="{max(1.0, end - x0):.1f}" '
                     f'height="{BAR_H}" rx="2" fill="{colour}"/>')
        parts.append(f'<text x="{end + 6:.1f}" y="{mid:.1f}" {FONT} fill="#1f2933">'
                     f'<tspan font-weight="700">{escape(a.score_text)}</tspan>'
                     f'<tspan fill="{colour}" font-weight="700" dx="6">{escape(a.predikat)}</tspan></text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def group_chart(groups: Sequence[GroupView], lang: str) -> Markup:
    """Stacked horizontal bars: active findings of each rule group by severity."""
    t = texts(lang)
    label_w, x0, top = 190, 200, 30
    bar_w = WIDTH - x0 - 60
    most = max([g.total for g in groups] + [1])
    height = top + ROW_H * max(1, len(groups)) + 8
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(t["chart_groups"])}">',
             f"<title>{escape(t['chart_groups'])}</title>"]
    lx = x0
    for kind in ("error", "warning", "info"):
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" rx="2" fill="{COLOURS[kind]}"/>')
        parts.append(f'<text x="{lx + 17}" y="16" {FONT} fill="#1f2933">{escape(t[kind])}</text>')
        lx += 17 + 9 * len(t[kind]) + 22
    for i, g in enumerate(groups):
        y = top + i * ROW_H
        mid = y + ROW_H / 2 + 4
        parts.append(f'<text x="{label_w}" y="{mid:.1f}" text-anchor="end" {FONT} fill="#1f2933">'
                     f'<tspan font-weight="700">{escape(g.code)}</tspan> {escape(_short(g.label, 24))}</text>')
        x = float(x0)
        for kind in ("error", "warning", "info"):
            n = g.counts.get(kind, 0)
            if not n:
                continue
            w = bar_w * n / most
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y + (ROW_H - BAR_H) / 2:.1f}" width="{w:.1f}" '
                         f'height="{BAR_H}" fill="{COLOURS[kind]}"><title>{escape(g.code)}: {n} '
                         f'{escape(t[kind].lower())}</title></rect>')
            if w >= 22:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{mid:.1f}" text-anchor="middle" font-size="11" '
                             f'font-family="inherit" fill="#ffffff" font-weight="700">{n}</text>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{mid:.1f}" {FONT} fill="#52606d">{g.total}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def dimension_bar(score: float) -> Markup:
    """A small bar for one sub-score (0-100)."""
    width = 160
    filled = width * max(0.0, min(100.0, score)) / 100
    colour = "#2e8b57" if score > 80 else "#2f6db5" if score > 60 else "#e39b16" if score > 30 else "#c0392b"
    return Markup(f'<svg class="minibar" viewBox="0 0 {width} 10" width="{width}" height="10" '
                  f'xmlns="http://www.w3.org/2000/svg" aria-hidden="true">'
                  f'<rect width="{width}" height="10" rx="2" fill="#e4e7eb"/>'
                  f'<rect class="bar" width="{filled:.1f}" height="10" rx="2" fill="{colour}"/></svg>')
