#!/usr/bin/env python3
"""accuracy.py - measure secmilter's triage against the labelled corpus.

Runs "secmilter -t" once over every *.eml of the corpus directory (one
batched call, one JSON line per file, in order), compares each line with
the human labels of labels.json and prints, per field, the share of files
the classifier got right, with n:

  kind                 every file
  class                classes[0] (or null) against the label; automated
                       mail (by its label) is compared on kind only, here
                       and in every field below
  completeness.ITEM    type, target, impact, steps, poc (reports and
                       follow-ups)
  scope                in / out / unclear
  conduct precision    micro-averaged over the conduct flags of every
  conduct recall       file, bounty_demand (from "flags") counted as one
                       more flag
  severity             exact band (critical/high/medium/low/none/null)

--verbose lists the misclassified files of each figure with got/want.
--no-target measures only (the held-out mail of tests/data/holdout).
The closing lines say, per figure, whether the target (0.95 unless
--target says otherwise) is met or missed.

It is a measurement, not a test: the exit status is 0 whatever the
figures, unless --check is given; then it is 1 when any figure is under
its target. 2 means the measurement itself could not be made (no
secmilter, no corpus, unreadable labels).

The corpus may carry a secmilter.conf (the program's InScopeDomains);
it is passed with -c unless --config names another file (or "none").

Python 3 standard library only.
"""
import argparse
import json
import os
import subprocess
import sys

ITEMS = ("type", "target", "impact", "steps", "poc")
KINDS = ("report", "followup", "automated")


def die(msg):
    print("accuracy: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Measure secmilter -t against the labelled corpus.")
    ap.add_argument("--secmilter", default=os.environ.get("SECMILTER", "./secmilter"),
                    help="the secmilter binary (default: $SECMILTER or ./secmilter)")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "data", "corpus"),
                    help="directory of *.eml files and labels.json")
    ap.add_argument("--labels", help="labels file (default: CORPUS/labels.json)")
    ap.add_argument("--config", help='secmilter configuration passed with -c (default: '
                    'CORPUS/secmilter.conf when present; "none" for the built-in defaults)')
    ap.add_argument("--target", type=float, default=0.95, help="target for every figure (default 0.95)")
    ap.add_argument("--no-target", action="store_true",
                    help="measure only: no targets block, never fail (held-out mail)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list the misclassified files")
    ap.add_argument("--check", action="store_true", help="exit 1 when a figure is under its target")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    return ap.parse_args(argv)


def load_labels(path):
    try:
        with open(path, encoding="utf-8") as f:
            labels = json.load(f)
    except (OSError, ValueError) as e:
        die("cannot read labels %s: %s" % (path, e))
    if not isinstance(labels, dict):
        die("%s: not an object keyed by file name" % path)
    for name, lab in labels.items():
        for key in ("kind", "class", "completeness", "scope", "conduct", "bounty_demand", "severity"):
            if key not in lab:
                die("%s: %s has no %r" % (path, name, key))
        if lab["kind"] not in KINDS:
            die("%s: %s: bad kind %r" % (path, name, lab["kind"]))
    return labels


def run_secmilter(binary, config, paths):
    cmd = [binary]
    if config:
        cmd += ["-c", config]
    cmd += ["-t"] + paths
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    except OSError as e:
        die("cannot run %s: %s" % (binary, e))
    except subprocess.TimeoutExpired:
        die("%s -t did not finish within 600 s" % binary)
    if proc.returncode not in (0, 66):
        print("accuracy: warning: %s -t exited %d: %s" % (
            binary, proc.returncode, proc.stderr.decode("utf-8", "replace").strip()[:500]), file=sys.stderr)
    results = {}
    order = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            print("accuracy: warning: not JSON: %s" % line[:200], file=sys.stderr)
            order.append(None)
            continue
        order.append(obj)
        if isinstance(obj, dict) and "file" in obj:
            results[obj["file"]] = obj
    # One line per file, in order: trust the order when the count matches,
    # otherwise fall back to the "file" member of each object.
    out = {}
    for i, p in enumerate(paths):
        obj = results.get(p)
        if obj is None and len(order) == len(paths) and isinstance(order[i], dict):
            obj = order[i]
        out[p] = obj
    return out


class Figure:
    def __init__(self, name):
        self.name = name
        self.n = 0
        self.ok = 0
        self.misses = []  # (file, got, want)

    def add(self, fname, got, want):
        self.n += 1
        if got == want:
            self.ok += 1
        else:
            self.misses.append((fname, got, want))

    def value(self):
        return self.ok / self.n if self.n else 1.0


class Ratio:
    """Precision or recall: a share of counted flags, n = the denominator."""

    def __init__(self, name):
        self.name = name
        self.n = 0
        self.ok = 0
        self.misses = []
        self.other_n = 0  # the denominator of the counterpart (recall for precision)

    def value(self):
        if self.n:
            return self.ok / self.n
        # Nothing flagged: perfect precision only when nothing was to be flagged.
        return 0.0 if self.other_n else 1.0


def fmt(v):
    return "null" if v is None else (",".join(v) if isinstance(v, (list, tuple)) else str(v))


def main(argv):
    args = parse_args(argv)
    corpus = args.corpus
    if not os.path.isdir(corpus):
        die("no corpus directory %s" % corpus)
    labels = load_labels(args.labels or os.path.join(corpus, "labels.json"))
    if not (os.path.isfile(args.secmilter) and os.access(args.secmilter, os.X_OK)):
        die("%s is not an executable (build it first: make)" % args.secmilter)
    config = args.config
    if config is None:
        cand = os.path.join(corpus, "secmilter.conf")
        config = cand if os.path.isfile(cand) else None
    elif config == "none":
        config = None

    files = sorted(f for f in os.listdir(corpus) if f.endswith(".eml"))
    unlabelled = [f for f in files if f not in labels]
    missing = [f for f in labels if f not in files]
    for f in unlabelled:
        print("accuracy: warning: %s has no label; skipped" % f, file=sys.stderr)
    for f in missing:
        print("accuracy: warning: label for %s but no such file" % f, file=sys.stderr)
    files = [f for f in files if f in labels]
    if not files:
        die("no labelled *.eml in %s" % corpus)

    paths = [os.path.join(corpus, f) for f in files]
    got_by_path = run_secmilter(args.secmilter, config, paths)

    figs = {"kind": Figure("kind"), "class": Figure("class")}
    for it in ITEMS:
        figs["completeness." + it] = Figure("completeness." + it)
    figs["scope"] = Figure("scope")
    prec, rec = Ratio("conduct precision"), Ratio("conduct recall")
    figs["severity"] = Figure("severity")
    bounty = {"tp": 0, "fp": 0, "fn": 0}
    no_output = []

    for fname, path in zip(files, paths):
        want = labels[fname]
        got = got_by_path.get(path)
        if not isinstance(got, dict):
            no_output.append(fname)
            got = {}
        figs["kind"].add(fname, got.get("kind"), want["kind"])
        if want["kind"] == "automated":
            continue
        classes = got.get("classes") or []
        figs["class"].add(fname, classes[0] if classes else None, want["class"])
        comp = got.get("completeness") or {}
        for it in ITEMS:
            figs["completeness." + it].add(fname, comp.get(it), bool(want["completeness"].get(it)))
        figs["scope"].add(fname, got.get("scope"), want["scope"])
        figs["severity"].add(fname, got.get("severity"), want["severity"])

        got_flags = set(got.get("conduct") or [])
        if "bounty_demand" in (got.get("flags") or []):
            got_flags.add("bounty_demand")
        want_flags = set(want["conduct"])
        if want["bounty_demand"]:
            want_flags.add("bounty_demand")
        tp = got_flags & want_flags
        fp = got_flags - want_flags
        fn = want_flags - got_flags
        prec.n += len(got_flags)
        prec.ok += len(tp)
        rec.n += len(want_flags)
        rec.ok += len(tp)
        if fp:
            prec.misses.append((fname, sorted(got_flags), sorted(want_flags)))
        if fn:
            rec.misses.append((fname, sorted(got_flags), sorted(want_flags)))
        b_got, b_want = "bounty_demand" in got_flags, "bounty_demand" in want_flags
        bounty["tp"] += b_got and b_want
        bounty["fp"] += b_got and not b_want
        bounty["fn"] += b_want and not b_got

    prec.other_n, rec.other_n = rec.n, prec.n
    order = ["kind", "class"] + ["completeness." + it for it in ITEMS] + ["scope"]
    figures = [figs[k] for k in order] + [prec, rec, figs["severity"]]

    kinds = {}
    for f in files:
        kinds[labels[f]["kind"]] = kinds.get(labels[f]["kind"], 0) + 1
    print("secmilter accuracy over %s: %d files (%s)%s" % (
        corpus, len(files), ", ".join("%d %s" % (kinds[k], k) for k in KINDS if k in kinds),
        "" if not config else ", config " + config))
    if no_output:
        print("  WARNING: no triage output for %d file(s), counted as wrong: %s" % (
            len(no_output), " ".join(no_output[:10]) + (" ..." if len(no_output) > 10 else "")))
    width = max(len(f.name) for f in figures)
    for fig in figures:
        print("  %-*s  %.3f  (%d/%d)" % (width, fig.name, fig.value(), fig.ok, fig.n))
        if args.verbose:
            for fname, g, w in fig.misses:
                print("      %s: got %s, want %s" % (fname, fmt(g), fmt(w)))
    bp = bounty["tp"] / (bounty["tp"] + bounty["fp"]) if bounty["tp"] + bounty["fp"] else 1.0
    br = bounty["tp"] / (bounty["tp"] + bounty["fn"]) if bounty["tp"] + bounty["fn"] else 1.0
    print("  (of which bounty_demand: precision %.3f, recall %.3f)" % (bp, br))

    under = 0
    if args.no_target:
        figures_judged = []
    else:
        figures_judged = figures
        print("targets (>= %.2f):" % args.target)
    for fig in figures_judged:
        met = fig.value() >= args.target
        under += not met
        print("  %-*s  %.3f  %s" % (width, fig.name, fig.value(), "met" if met else "missed"))
    if figures_judged:
        print("%d of %d figures meet the target" % (len(figures) - under, len(figures)))

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"files": len(files), "target": args.target,
                       "figures": {fig.name: {"value": round(fig.value(), 4), "ok": fig.ok, "n": fig.n,
                                              "misses": [{"file": m[0], "got": m[1], "want": m[2]}
                                                         for m in fig.misses]}
                                   for fig in figures}}, f, indent=1)
            f.write("\n")
    if args.check and under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
