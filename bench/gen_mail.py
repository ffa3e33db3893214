#!/usr/bin/env python3
"""
NAME
    gen_mail.py - the messages and plans of `contrib/quickstart bench`
SYNOPSIS
    gen_mail.py DIR
DESCRIPTION
    Writes into DIR (deterministic, standard library only):
      plain-NN.eml    10 ordinary 4 KB messages (to user@example.com)
      report-NNN.eml  150 reports to security@example.com, about 20 KB of
                      researcher prose each (gen_corpus.py's generator);
                      every third one also carries a 100 KB attachment
                      (base64 of a zip-ish PoC archive)
      plan-a.txt      ordinary mail only
      plan-b.txt      security@ mail only
      plan-c.txt      99 ordinary messages to 1 report, 2000 lines
      plan-r.txt      the 20 KB reports without an attachment
    A plan line is "SENDER RECIPIENT FILE" (bench_smtp's input). Every
    Message-ID is "<bench-0000000000000000.N@host>": bench_smtp puts a
    fresh number in the zeros for every message it sends, and every
    report's sender is "researcher-%N@example.net": bench_smtp puts a
    fresh number in %N, so each report is acknowledged.
"""
import os
import random
import re
import sys
from email import message_from_bytes, policy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402

SEED = 20261129
N_PLAIN = 10
N_REPORTS = 150
REPORT_BYTES = 20 * 1024
ATTACHMENT_BYTES = 100 * 1024
PLAIN_BYTES = 4 * 1024
PLAN_C_LINES = 2000

WORDS = ("the quarterly numbers are attached please review before the meeting on "
         "thursday we will discuss the budget the roadmap and the hiring plan for "
         "next year let me know if anything is missing").split()


def placeholder_id(msg, n):
    return re.sub(rb"(?mi)^Message-ID: <[^>]*>",
                  b"Message-ID: <bench-0000000000000000.%d@bench.example.net>" % n,
                  msg, count=1)


def plain(rng, n):
    head = ("From: Colleague %d <colleague%d@partner.example.org>\n"
            "To: user%d@example.com\n"
            "Subject: Quarterly planning, part %d\n"
            "Date: Tue, 3 Mar 2026 10:%02d:00 +0100\n"
            "Message-ID: <bench-0000000000000000.%d@bench.example.net>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=us-ascii\n\n" % (n, n, n, n, n, 100000 + n))
    body, line = [], []
    size = len(head)
    while size < PLAIN_BYTES:
        w = rng.choice(WORDS)
        line.append(w)
        if sum(len(x) + 1 for x in line) > 70:
            s = " ".join(line) + "\n"
            body.append(s)
            size += len(s)
            line = []
    return (head + "".join(body)).encode()


def with_attachment(rng, msg, n):
    m = message_from_bytes(msg, policy=policy.default)
    data = bytes(rng.getrandbits(8) for _ in range(ATTACHMENT_BYTES * 3 // 4))
    m.add_attachment(b"PK\x03\x04" + data, maintype="application", subtype="zip",
                     filename="poc-%d.zip" % n)
    return m.as_bytes(policy=policy.default.clone(linesep="\n"))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_mail.py DIR")
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    rng = random.Random(SEED)
    plains, reports = [], []
    for i in range(N_PLAIN):
        p = os.path.join(d, "plain-%02d.eml" % i)
        with open(p, "wb") as f:
            f.write(plain(rng, i))
        plains.append(p)
    for i in range(N_REPORTS):
        msg = gen_corpus.make_report(SEED, i, REPORT_BYTES, False)[0]
        if i % 3 == 2:
            msg = with_attachment(rng, msg, i)
        p = os.path.join(d, "report-%03d.eml" % i)
        with open(p, "wb") as f:
            f.write(placeholder_id(msg, i))
        reports.append(p)

    def line_plain(i):
        return "colleague%d@partner.example.org user%d@example.com %s\n" % (
            i % 97, i % 89, plains[i % len(plains)])

    # "%N": bench_smtp gives every message its own sender, so every
    # report is acknowledged in every round, as reports from different
    # researchers are (a fixed set of senders would hit AckLimitPerHour
    # in the first round and send no acknowledgement after it).
    def line_report(i):
        return "researcher-%%N@example.net security@example.com %s\n" % (
            reports[i % len(reports)])

    with open(os.path.join(d, "plan-a.txt"), "w") as f:
        f.writelines(line_plain(i) for i in range(100))
    with open(os.path.join(d, "plan-b.txt"), "w") as f:
        f.writelines(line_report(i) for i in range(len(reports)))
    # The 20 KB reports without an attachment: the latency run's.
    with open(os.path.join(d, "plan-r.txt"), "w") as f:
        f.writelines(line_report(i) for i in range(len(reports)) if i % 3 != 2)
    with open(os.path.join(d, "plan-c.txt"), "w") as f:
        f.writelines(line_report(i // 100) if i % 100 == 99 else line_plain(i)
                     for i in range(PLAN_C_LINES))
    sizes = [os.path.getsize(p) for p in reports]
    print("gen_mail: %d plain, %d reports (%.1f KB median, %d with a 100 KB attachment)"
          % (len(plains), len(reports), sorted(sizes)[len(sizes) // 2] / 1024,
             len([i for i in range(N_REPORTS) if i % 3 == 2])))


if __name__ == "__main__":
    main()
