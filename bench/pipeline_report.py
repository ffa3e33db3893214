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
"""
import datetime
import json
import sys


def ir(path):
    for line in open(path):
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    sys.exit("pipeline_report: no totals in %s" % path)


def main():
    g, p, n = ir(sys.argv[1]), ir(sys.argv[2]), int(sys.argv[3])
    print("bench-pipeline: %d reports under callgrind" % n)
    print("  GMime parse (floor)   %12.0f instructions/message" % (g / n))
    print("  parse+triage+store    %12.0f instructions/message" % (p / n))
    print("  pipeline / floor = %.2f (target <= 3: %s)" % (p / g, "met" if p <= 3 * g else "MISSED"))
    day = datetime.date.today().isoformat()
    with open("%s/bench-pipeline-%s.json" % (sys.argv[4], day), "w") as f:
        json.dump({"date": day, "reports": n, "gmime_per_msg": g / n,
                   "pipeline_per_msg": p / n, "ratio": p / g}, f, indent=1)


if __name__ == "__main__":
    main()
