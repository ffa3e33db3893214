#!/usr/bin/env python3
"""
NAME
    pipeline_report.py - figures of `make bench-pipeline`
SYNOPSIS
    pipeline_report.py GMIME.callgrind PIPELINE.callgrind REPORTS RESULTS_DIR
DESCRIPTION
    Instructions per message from two callgrind outputs of bench_pipeline
    (the GMime floor and the full pipeline), their ratio against the
    target (pipeline <= 3 x floor), and bench-pipeline-DATE.json.

    It also splits the pipeline by callgrind_annotate's inclusive counts:
    Hyperscan's scans (hs_scan, whatever CPU variant the library picked),
    the parse (report_parse_fd), the SimHash and the store's commit. The
    floor plus Hyperscan's scan is what any pipeline that runs these
    rules over the text must spend, whatever the rest costs: the lower
    bound of the ratio with this rule set.
"""
import datetime
import json
import re
import subprocess
import sys

PARTS = [("hyperscan", re.compile(r"[:\s](?:[a-z0-9]+_)?hs_scan \[")),
         ("parse", re.compile(r":report_parse_fd \[")),
         ("simhash", re.compile(r":triage_simhash \[")),
         ("store", re.compile(r":store_intake_commit \["))]


def ir(path):
    for line in open(path):
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    sys.exit("pipeline_report: no totals in %s" % path)


def inclusive(path):
    """The largest inclusive count of each part's function (0 if not found)."""
    out = {k: 0 for k, _ in PARTS}
    try:
        text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) ", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        for k, rx in PARTS:
            if rx.search(line) and n > out[k]:
                out[k] = n
    return out


def main():
    g, p, n = ir(sys.argv[1]), ir(sys.argv[2]), int(sys.argv[3])
    print("bench-pipeline: %d reports under callgrind" % n)
    print("  GMime parse (floor)   %12.0f instructions/message" % (g / n))
    print("  parse+triage+store    %12.0f instructions/message" % (p / n))
    print("  pipeline / floor = %.2f (target <= 3: %s)" % (p / g, "met" if p <= 3 * g else "MISSED"))
    res = {"reports": n, "gmime_per_msg": g / n, "pipeline_per_msg": p / n, "ratio": p / g}
    parts = inclusive(sys.argv[2])
    if parts:
        print("  of the pipeline, per message (inclusive):")
        for k, _ in PARTS:
            print("    %-10s %12.0f  (%.2f x floor)" % (k, parts[k] / n, parts[k] / g))
            res["%s_per_msg" % k] = parts[k] / n
        if parts["hyperscan"]:
            lb = (g + parts["hyperscan"]) / g
            print("  floor + Hyperscan's scan of these rules = %.2f x floor: no pipeline that"
                  " runs them can go below it" % lb)
            res["floor_plus_scan_ratio"] = lb
    day = datetime.date.today().isoformat()
    res["date"] = day
    with open("%s/bench-pipeline-%s.json" % (sys.argv[4], day), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
