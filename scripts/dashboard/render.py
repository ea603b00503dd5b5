"""Renders docs/grafana/rollup-node.json to a PNG from a real run, without Grafana.

Grafana is not packaged in Debian, so this script does what Grafana would: it reads every panel
of the dashboard, sends the panel's own PromQL (with `$job` set) to a real Prometheus server's
`/api/v1/query_range` over the run's window, and draws the answers with matplotlib in the
dashboard's layout (rows, stat panels as numbers, time series as lines). What the picture shows
is therefore exactly what the dashboard's queries return against the node's metrics.

The run (scripts/dashboard/render.sh starts it): a fake L1 mining a block a second with an L1
message every few blocks, a node on chains/bench.json with `--metrics`, a WebSocket client
subscribed to new heads, a Prometheus scraping the node every second, and `rollup-load` sending
transfers at a fixed rate for the window.

Usage: python render.py --prometheus URL --job JOB --start UNIX --end UNIX --out PNG
"""
import argparse
import json
import math
import os
import re
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DASHBOARD = os.path.join(HERE, "..", "..", "docs", "grafana", "rollup-node.json")


def query_range(prometheus, expr, start, end, step):
    params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{params}", timeout=30) as r:
        reply = json.load(r)
    if reply.get("status") != "success":
        raise RuntimeError(f"{expr}: {reply}")
    return reply["data"]["result"]


def legend(template, labels):
    if not template:
        return ",".join(f"{k}={v}" for k, v in sorted(labels.items()) if k not in ("job", "instance")) or "value"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template)


def scale(unit, values):
    """The factor and axis label that show `values` in the panel's unit, as Grafana would."""
    top = max((abs(v) for v in values if not math.isnan(v)), default=0)
    if unit == "s":
        if top < 1e-3:
            return 1e6, "µs"
        return (1e3, "ms") if top < 1 else (1, "s")
    if unit == "bytes":
        for factor, name in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
            if top >= factor:
                return 1 / factor, name
        return 1, "B"
    return 1, "" if unit in ("short", "none", "") else unit


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--prometheus", required=True)
    p.add_argument("--job", required=True)
    p.add_argument("--start", type=float, required=True)
    p.add_argument("--end", type=float, required=True)
    p.add_argument("--step", type=float, default=2)
    p.add_argument("--out", required=True)
    p.add_argument("--subtitle", default="")
    a = p.parse_args()

    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    panels = dashboard["panels"]
    rows_total = max(pn["gridPos"]["y"] + pn["gridPos"]["h"] for pn in panels)
    unit_h = 0.42  # inches per grid row
    fig = plt.figure(figsize=(24, rows_total * unit_h + 1.2), dpi=70)
    fig.suptitle(f"{dashboard['title']}  -  {a.subtitle}", fontsize=18, x=0.01, ha="left")
    top = 1 - 1.0 / (rows_total * unit_h + 1.2)

    def box(gp):
        x0, w = gp["x"] / 24, gp["w"] / 24
        y0 = top - (gp["y"] + gp["h"]) / rows_total * top
        h = gp["h"] / rows_total * top
        pad_x, pad_y = 0.035, 0.012
        return [x0 + pad_x * w + 0.01, y0 + pad_y + 0.004, w * (1 - 2 * pad_x) - 0.01, h - 2 * pad_y - 0.01]

    empty = []
    for panel in panels:
        gp = panel["gridPos"]
        if panel["type"] == "row":
            fig.text(gp["x"] / 24 + 0.005, top - (gp["y"] + 0.8) / rows_total * top, panel["title"], fontsize=15,
                     fontweight="bold", color="#333")
            continue
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        series = []
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$job", a.job)
            for result in query_range(a.prometheus, expr, a.start, a.end, a.step):
                points = [(float(t) - a.start, float(v)) for t, v in result["values"]]
                series.append((legend(target.get("legendFormat"), result["metric"]), points))
        ax = fig.add_axes(box(gp))
        ax.set_title(panel["title"], fontsize=12, loc="left")
        if not series:
            empty.append(panel["title"])
        if panel["type"] == "stat":
            ax.axis("off")
            if series:
                last = series[0][1][-1][1]
                factor, suffix = scale(unit, [last])
                value = last * factor
                text = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
                ax.text(0.5, 0.4, f"{text} {suffix}".strip(), fontsize=30, ha="center", va="center", color="#1f6f3f")
            else:
                ax.text(0.5, 0.4, "no data", fontsize=16, ha="center", va="center", color="#999")
            continue
        factor, suffix = scale(unit, [v for _, pts in series for _, v in pts])
        # Like a Grafana legend sorted by max: the busiest series first, the idle ones left out.
        def peak(item):
            return max((abs(v) for _, v in item[1] if not math.isnan(v)), default=0)
        shown = sorted(series, key=peak, reverse=True)
        if len(shown) > 1:
            shown = [x for x in shown if peak(x) > 0] or shown[:1]
        shown = shown[:8]
        for name, pts in shown:
            ax.plot([x for x, _ in pts], [v * factor for _, v in pts], label=name[:40], linewidth=1.4)
        peaks = [peak(x) for x in shown if peak(x) > 0]
        if len(peaks) > 1 and max(peaks) / min(peaks) > 1000:
            ax.set_yscale("log")  # e.g. transactions and gas per block on one panel
        if not series:
            ax.text(0.5, 0.5, "no data in this run", transform=ax.transAxes, ha="center", color="#999")
        ax.set_ylabel(suffix, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, a.end - a.start)
        if series:
            ax.legend(fontsize=7, loc="upper left", ncol=2 if len(series) > 4 else 1, framealpha=0.6)
    fig.text(0.01, 0.002, "x axis: seconds since the start of the window; every panel is the dashboard's own query "
             "sent to Prometheus's query_range (scripts/dashboard/render.py)", fontsize=10, color="#555")
    fig.savefig(a.out)
    print(f"wrote {a.out}; panels without data: {empty or 'none'}")


if __name__ == "__main__":
    main()
