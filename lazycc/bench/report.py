"""`lazycc-bench report DIR`: DIR/report.md and a self-contained DIR/report.html (PNGs inline as
base64; the Markdown references the same PNGs written to DIR/figures/).

Order: correctness first, then Tables 2-3, speed-ups with CIs, significance, overheads, short
runs, then Figures 2-6 (a figure that cannot be drawn is replaced by a line saying why).
"""

from __future__ import annotations

import base64
import html
import os

from lazycc.bench import figures, tables
from lazycc.bench.results import BenchDir, load

CSS = ("body{font-family:sans-serif;max-width:1200px;margin:2em auto}"
       "table{border-collapse:collapse;margin-bottom:1em;font-size:0.85em}"
       "td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top}th{background:#eee}")


def build_tables(bd: BenchDir) -> list[tables.Table]:
    return [
        tables.correctness(bd),
        tables.headline(bd),
        tables.table2(bd),
        tables.table3(bd),
        tables.speedup_table(bd),
        tables.medians_table(bd),
        tables.significance_table(bd),
        tables.compile_table(bd),
        tables.size_table(bd),
        tables.lazified_table(bd),
        tables.short_runs_table(bd),
    ]


def generate(path: str) -> tuple[str, str]:
    """Write the report for the output directory `path`; return (md path, html path)."""
    bd = load(path)
    if not bd.configs:
        raise SystemExit(f"lazycc-bench report: no results under {path}/results/<config>/run*.json")
    tabs = build_tables(bd)
    figs = [f(bd) for f in figures.ALL]
    figdir = os.path.join(path, "figures")
    os.makedirs(figdir, exist_ok=True)

    skipped = bd.state.get("skipped") or {}
    head = [f"# lazycc-bench report: {os.path.abspath(path)}", "",
            "Configurations: " + ", ".join(f"{c} ({bd.configs[c].runs} run(s))" for c in bd.order)]
    if skipped:
        head.append("Skipped: " + "; ".join(f"{c}: {r}" for c, r in sorted(skipped.items())))
    md = head + [""]
    hb = [f"<h1>{html.escape(head[0][2:])}</h1>"] + [f"<p>{html.escape(x)}</p>" for x in head[2:]]
    md.append("## Correctness\n")
    hb.append("<h2>Correctness</h2>")
    for i, t in enumerate(tabs):
        if i == 1:
            md.append("## Performance\n")
            hb.append("<h2>Performance</h2>")
        md.append(t.markdown())
        hb.append(t.html())
    md.append("## Figures\n")
    hb.append("<h2>Figures</h2>")
    for f in figs:
        if f.png is None:
            md.append(f"### {f.title}\n\nAbsent: {f.reason}.\n")
            hb.append(f"<h3>{html.escape(f.title)}</h3><p>Absent: {html.escape(f.reason)}.</p>")
            continue
        fn = os.path.join(figdir, f"{f.key}.png")
        with open(fn, "wb") as fh:
            fh.write(f.png)
        md.append(f"### {f.title}\n\n![{f.title}](figures/{f.key}.png)\n")
        if f.caption:
            md.append(f.caption + "\n")
        b64 = base64.b64encode(f.png).decode()
        hb.append(f"<h3>{html.escape(f.title)}</h3><img alt=\"{html.escape(f.key)}\" "
                  f"src=\"data:image/png;base64,{b64}\"/>")
        if f.caption:
            hb.append(f"<p>{html.escape(f.caption)}</p>")
    mdp = os.path.join(path, "report.md")
    htp = os.path.join(path, "report.html")
    with open(mdp, "w") as fh:
        fh.write("\n".join(md))
    with open(htp, "w") as fh:
        fh.write("<!doctype html><html><head><meta charset=\"utf-8\"><title>lazycc-bench report"
                 f"</title><style>{CSS}</style></head><body>\n" + "\n".join(hb) + "\n</body></html>\n")
    return mdp, htp
