#!/usr/bin/env python3
"""
NAME
    bench_report.py - tables of bench/bench_mta.sh's throughput runs
SYNOPSIS
    bench_report.py [--base NAME] RAW.tsv RESULTS_DIR [README.md]
DESCRIPTION
    RAW.tsv holds one line per run (round, mix, configuration, ...) and a
    last "# key=value ..." line. Prints, for every mix and configuration,
    the median and the spread (min..max over rounds) of messages per
    second and machine CPU ms per message; the ratios of secmilter to the
    floor milter, no milter, the null milter and MIMEDefang, taken round
    by round (the runs of one round are neighbours in time) and then the
    median; secmilter's EOM latency p50/p99, its worker's CPU seconds per
    1,000 messages and peak RSS; and the targets, met or missed.
    Writes NAME-DATE.md, .svg and .tsv (NAME: bench-mta) into RESULTS_DIR
    and, given a README, replaces the text between its "bench-mta" markers.
    Never fails on a missed target: this is a measurement.
"""
import datetime
import os
import shutil
import statistics
import sys

CONFIGS = [("none", "no milter"), ("null", "null milter"), ("floor", "floor milter"),
           ("secm", "secmilter"), ("mimed", "MIMEDefang"), ("zero", "zero-cost layout")]
MIXES = [("a", "a: 4 KB ordinary"), ("b", "b: security@ reports"), ("c", "c: 99% a + 1% b")]
COLOURS = {"none": "#9e9e9e", "null": "#607d8b", "floor": "#8d6e63", "secm": "#1565c0",
           "mimed": "#ef6c00", "zero": "#2e7d32"}
BEGIN, END = "<!-- bench-mta begin -->", "<!-- bench-mta end -->"


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


def fmt(xs, nd=1):
    if not xs:
        return "-"
    return "%.*f (%.*f..%.*f)" % (nd, statistics.median(xs), nd, min(xs), nd, max(xs))


def table(w, title, cols):
    """A blank line, the title, a blank line, a Markdown table's head."""
    w("")
    w(title)
    w("")
    w("| %s |" % " | ".join(cols))
    w("|%s" % ("---|" * len(cols)))


def main():
    args = sys.argv[1:]
    name = "bench-mta"
    if len(args) > 1 and args[0] == "--base":
        name = args[1]
        args = args[2:]
    raw, out_dir = args[0], args[1]
    readme = args[2] if len(args) > 2 else None
    runs, meta = [], {}
    for line in open(raw):
        if line.startswith("round"):
            continue
        if line.startswith("#"):
            for kv in line[1:].split(" "):
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    meta[k] = v.strip()
            # machine has spaces: take it whole
            if "machine=" in line:
                meta["machine"] = line.split("machine=", 1)[1].split(" date=")[0]
            continue
        f = line.rstrip("\n").split("\t")
        runs.append({"round": int(f[0]), "mix": f[1], "config": f[2], "n": int(f[3]),
                     "ok": int(f[4]), "temp": int(f[5]), "secs": float(f[6]),
                     "cpu": int(f[7]), "wcpu": int(f[8]),
                     "eom": [int(x) for x in f[9].split(",")] if f[9] != "-" else [],
                     "own": int(f[10]) if len(f) > 10 and f[10].isdigit() else None,
                     "mta": int(f[11]) if len(f) > 11 and f[11].isdigit() else None})
    hz = float(meta.get("hz", 100))
    day = meta.get("date", datetime.date.today().isoformat())
    mixes = [m for m in MIXES if any(r["mix"] == m[0] for r in runs)]
    configs = [c for c in CONFIGS if any(r["config"] == c[0] for r in runs)]
    rounds = sorted({r["round"] for r in runs})

    def cell(m, c):
        return [r for r in runs if r["mix"] == m and r["config"] == c]

    def rate(r):
        return r["ok"] / r["secs"] if r["secs"] > 0 and r["ok"] > 0 else 0.0

    def cpu(r):
        return r["cpu"] * 1000.0 / hz / r["n"]

    lines = []
    w = lines.append
    w("secmilter benchmark, %s, on %s (commit %s)" % (day, meta.get("machine", "?"),
                                                       meta.get("commit", "?")))
    w("%d rounds; each run %d messages over %s sessions; median (min..max)."
      % (len(rounds), runs[0]["n"] if runs else 0, meta.get("sessions", "20")))
    w("")
    w("| mix | configuration | msg/s | CPU ms/msg | milter 4xx |")
    w("|---|---|---|---|---|")
    for m, mname in mixes:
        for c, cname in configs:
            rs = cell(m, c)
            if not rs:
                continue
            w("| %s | %s | %s | %s | %d |" % (mname, cname, fmt([rate(r) for r in rs]),
                                            fmt([cpu(r) for r in rs], 2),
                                            sum(r["temp"] for r in rs)))
    w("")
    w("Ratios of secmilter to each baseline, per round, then the median (min..max);"
      " throughput (higher is better) and CPU per message (lower is better):")
    w("")
    w("| mix | vs | msg/s ratio | CPU/msg ratio |")
    w("|---|---|---|---|")
    ratios = {}
    for m, mname in mixes:
        for c, cname in configs:
            if c == "secm":
                continue
            tr, cr = [], []
            for rd in rounds:
                s = [r for r in cell(m, "secm") if r["round"] == rd]
                o = [r for r in cell(m, c) if r["round"] == rd]
                if s and o and rate(o[0]) > 0:
                    tr.append(rate(s[0]) / rate(o[0]))
                    cr.append(cpu(s[0]) / cpu(o[0]) if cpu(o[0]) > 0 else float("nan"))
            if tr:
                ratios[(m, c)] = statistics.median(tr)
                w("| %s | %s | %s | %s |" % (mname, cname, fmt(tr, 3), fmt(cr, 3)))
    # The pipeline's own processes: on a shared machine the only fair figure.
    if any(r["own"] is not None for r in runs):
        table(w, "CPU of the pipeline's own processes (the Postfix tree, the milters and their"
              " children, the driver), ms/msg, and secmilter's ratio to each baseline per"
              " round (machine CPU above counts whatever else runs on the machine):",
              ["mix", "configuration", "own CPU ms/msg", "secmilter / this"])
        for m, mname in mixes:
            for c, cname in configs:
                rs = [r for r in cell(m, c) if r["own"] is not None]
                if not rs:
                    continue
                oc = [r["own"] * 1000.0 / hz / r["n"] for r in rs]
                rr = []
                for rd in rounds:
                    s = [r for r in cell(m, "secm") if r["round"] == rd and r["own"]]
                    o = [r for r in rs if r["round"] == rd and r["own"]]
                    if s and o:
                        rr.append(s[0]["own"] / s[0]["n"] / (o[0]["own"] / o[0]["n"]))
                w("| %s | %s | %s | %s |" % (mname, cname, fmt(oc, 2), fmt(rr, 3) if rr else "-"))
    # Where it goes: the MTA's own work against the milter's.
    if any(r["mta"] is not None and r["own"] is not None for r in runs):
        table(w, "Where the pipeline's own CPU goes, ms/msg: the Postfix tree alone (the MTA's"
              " work, the acknowledgements secmilter hands it included), and the rest (the"
              " milter, its children, the driver); for secmilter, its worker:",
              ["mix", "configuration", "Postfix ms/msg", "milter + driver ms/msg",
               "worker ms/msg"])
        for m, mname in mixes:
            for c, cname in configs:
                rs = [r for r in cell(m, c) if r["mta"] is not None and r["own"] is not None]
                if not rs:
                    continue
                w("| %s | %s | %s | %s | %s |" % (
                    mname, cname, fmt([r["mta"] * 1000.0 / hz / r["n"] for r in rs], 2),
                    fmt([(r["own"] - r["mta"]) * 1000.0 / hz / r["n"] for r in rs], 2),
                    fmt([r["wcpu"] * 1000.0 / hz / r["n"] for r in rs], 2)
                    if c in ("secm", "zero") else "-"))
    w("")
    w("secmilter itself (worker process):")
    w("")
    w("| mix | EOM p50 ms | EOM p99 ms | EOMs | worker CPU s / 1,000 msg |")
    w("|---|---|---|---|---|")
    eom_b = []
    for m, mname in mixes:
        rs = cell(m, "secm")
        eoms = [x for r in rs for x in r["eom"]]
        if m == "b":
            eom_b = eoms
        wc = [r["wcpu"] / hz / r["n"] * 1000 for r in rs]
        w("| %s | %s | %s | %d | %s |" % (mname, "%d" % pct(eoms, 50) if eoms else "-",
                                          "%d" % pct(eoms, 99) if eoms else "-", len(eoms),
                                          fmt(wc, 3)))
    hwm = meta.get("worker_vmhwm_kb", "0")
    hwm_mb = int(hwm) / 1024 if hwm.isdigit() else float("nan")
    w("")
    w("Peak RSS of the worker (VmHWM) over the whole run: %.1f MB; tickets in its store: %s."
      % (hwm_mb, meta.get("tickets", "?")))
    w("")
    w("Targets:")
    w("")

    def target(name, ok, got):
        w("- %s: %s (%s)" % (name, "met" if ok else "**missed**", got))

    if ("a", "floor") in ratios:
        target("mix a: secmilter >= 0.95 x floor milter", ratios[("a", "floor")] >= 0.95,
               "%.3f" % ratios[("a", "floor")])
    if ("b", "null") in ratios:
        target("mix b: secmilter >= 0.90 x null milter", ratios[("b", "null")] >= 0.90,
               "%.3f" % ratios[("b", "null")])
        # The ceiling: secmilter's pipeline with a worker that costs
        # nothing still has the MTA carry an acknowledgement per report.
        ceil, extra = [], []
        for rd in rounds:
            s = [r for r in cell("b", "secm") if r["round"] == rd and r["own"] and r["mta"]]
            o = [r for r in cell("b", "null") if r["round"] == rd and r["own"] and r["mta"]]
            if s and o and s[0]["own"] > s[0]["wcpu"]:
                ceil.append(o[0]["own"] / o[0]["n"] / ((s[0]["own"] - s[0]["wcpu"]) / s[0]["n"]))
                extra.append((s[0]["mta"] / s[0]["n"] - o[0]["mta"] / o[0]["n"]) * 1000.0 / hz)
        if ceil:
            w("  ceiling: with a worker that cost nothing, secmilter's pipeline would still"
              " spend %.2f ms more per report in Postfix than the null milter's (the"
              " acknowledgement it carries, the header edits): null's own CPU / secmilter's"
              " own CPU without its worker = %s, the most any worker can reach"
              % (statistics.median(extra), fmt(ceil, 3)))
    for m, mname in mixes:
        if (m, "mimed") in ratios:
            target("mix %s: secmilter ahead of MIMEDefang" % m, ratios[(m, "mimed")] > 1.0,
                   "%.3f" % ratios[(m, "mimed")])
    if eom_b:
        target("EOM p99 <= 10 ms (mix b, reports of 20 KB and 20 KB + 100 KB)",
               pct(eom_b, 99) <= 10, "%d ms" % pct(eom_b, 99))
        ncpu = int(meta.get("cpus", "0")) if meta.get("cpus", "").isdigit() else 0
        busy = [r["cpu"] / (r["secs"] * hz * ncpu) for r in cell("b", "secm")
                if ncpu and r["secs"] > 0]
        if busy:
            w("  the CPUs were %.0f%% busy (median) during these runs: %s sessions at once keep"
              " every CPU busy, and an EOM waits its turn; the latency part (bench-latency"
              " JSON) measures reports that do not wait" % (100 * statistics.median(busy),
                                                           meta.get("sessions", "?")))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)

    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, "%s-%s" % (name, day))
    with open(base + ".md", "w") as f:
        f.write(text)
    shutil.copyfile(raw, base + ".tsv")
    with open(base + ".svg", "w") as f:
        f.write(svg(mixes, configs, cell, rate, day, meta))
    if readme:
        update_readme(readme, text, day, os.path.basename(base))
    print("bench: wrote %s.md, .svg, .tsv" % base)


def svg(mixes, configs, cell, rate, day, meta):
    """Grouped bars: msg/s per configuration, one group per mix, min..max whiskers."""
    bw, gap, left, top, h = 22, 36, 60, 40, 260
    groups = len(mixes)
    gw = len(configs) * bw
    width = left + groups * (gw + gap) + 190
    vals = {(m, c): [rate(r) for r in cell(m, c)] for m, _ in mixes for c, _ in configs}
    vmax = max([max(v) for v in vals.values() if v] + [1.0]) * 1.1
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="11">' % (width, top + h + 50),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="20" font-size="13">secmilter benchmark: messages per second '
         '(median, min..max), %s</text>' % (left, day)]
    for i in range(6):
        v = vmax * i / 5
        y = top + h - h * i / 5
        o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>'
                 % (left, left + groups * (gw + gap), y, y))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%.0f</text>' % (left - 4, y + 4, v))
    for g, (m, mname) in enumerate(mixes):
        x0 = left + g * (gw + gap) + gap / 2
        for k, (c, _) in enumerate(configs):
            v = vals[(m, c)]
            if not v:
                continue
            med = statistics.median(v)
            x = x0 + k * bw
            y = top + h - h * med / vmax
            o.append('<rect x="%.1f" y="%.1f" width="%d" height="%.1f" fill="%s"/>'
                     % (x, y, bw - 3, top + h - y, COLOURS[c]))
            y1, y2 = top + h - h * min(v) / vmax, top + h - h * max(v) / vmax
            xc = x + (bw - 3) / 2
            o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="black"/>'
                     % (xc, xc, y1, y2))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                 % (x0 + gw / 2, top + h + 18, mname))
    lx = left + groups * (gw + gap) + 10
    for k, (c, cname) in enumerate(configs):
        o.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>'
                 % (lx, top + k * 18, COLOURS[c]))
        o.append('<text x="%d" y="%d">%s</text>' % (lx + 16, top + k * 18 + 10, cname))
    o.append('<text x="%d" y="%d" fill="#555">%s</text>'
             % (left, top + h + 40, meta.get("machine", "").replace("&", "&amp;")))
    o.append("</svg>")
    return "\n".join(o) + "\n"


def update_readme(path, text, day, base):
    body = open(path).read()
    if BEGIN not in body or END not in body:
        return
    new = ("%s\n![throughput](bench/results/%s.svg)\n\n%s%s"
           % (BEGIN, base, text, END))
    head, rest = body.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as f:
        f.write(head + new + tail)


if __name__ == "__main__":
    main()
