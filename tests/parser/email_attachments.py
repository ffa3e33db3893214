#!/usr/bin/env python3
# tests/parser/email_attachments.py - attachments of a message, by Python's email
#
# SYNOPSIS
#	email_attachments.py SECMILTER_JSONL FILE...
#
# DESCRIPTION
#	SECMILTER_JSONL holds the output of "secmilter -t FILE...": one
#	triage object per FILE, in the same order. For each FILE this
#	parses the message again with Python's email package
#	(policy=email.policy.default) and prints one line:
#
#		NAME<TAB>same
#		NAME<TAB>differ<TAB>python=JSON<TAB>secmilter=JSON
#
#	NAME is the file's base name; each JSON is the list of attachments
#	as [filename, content_type, size, sha256], sorted (the walk order is
#	not compared: it is no promise of the interface).
#
#	"Attachment" is defined as secmilter's parser/report.c defines it,
#	so that a difference means the two parsers read the MIME structure
#	or the content differently, not that they disagree on the word:
#	- a leaf that is not text/* is an attachment; a text/* leaf is one
#	  when it has a file name or Content-Disposition: attachment;
#	- PGP/S-MIME signatures, encrypted and pkcs7 parts and delivery
#	  status parts (message/delivery-status, message/global-delivery-
#	  status, message/disposition-notification) are markers, never
#	  attachments;
#	- multipart/encrypted is not walked; of a multipart/signed only
#	  the signed content (the first part) is walked;
#	- an inner message (message/rfc822 and every other message/* type
#	  Python parses as a message) is walked like the outer one.
#
#	Content types are lower case, "text/plain" when absent, as both
#	parsers do; sizes and SHA-256 are of the decoded bytes
#	(get_payload(decode=True)).
# DIAGNOSTICS
#	Exit 0 when every file was compared (whatever the result), 2 when
#	the secmilter output does not have one line per file.
#--

import email
import email.policy
import hashlib
import json
import os
import sys

# Leaf types secmilter reads as markers, never as attachments.
MARKER_TYPES = {
    "application/pkcs7-mime",
    "application/x-pkcs7-mime",
    "application/pgp-signature",
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-encrypted",
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
}

# MIME nesting bound, as secmilter's MaxMimeDepth default.
MAX_DEPTH = 20


def walk(part, out, depth):
    """Append the attachments under part to out, in secmilter's sense."""
    if depth > MAX_DEPTH:
        return
    ctype = part.get_content_type()
    if ctype in MARKER_TYPES or ctype == "multipart/encrypted":
        return
    if ctype == "multipart/signed":
        subparts = list(part.iter_parts())
        if subparts:
            walk(subparts[0], out, depth + 1)
        return
    if part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            walk(sub, out, depth + 1)
        return
    if part.is_multipart():
        # message/rfc822 and the other message/* Python parses as mail.
        for inner in part.get_payload():
            walk(inner, out, depth + 1)
        return
    leaf(part, out)


def leaf(part, out):
    """One non-multipart part: an attachment or not."""
    ctype = part.get_content_type()
    filename = part.get_filename()
    disposition = part.get_content_disposition()
    is_text = ctype.startswith("text/")
    if is_text and not filename and disposition != "attachment":
        return
    data = part.get_payload(decode=True)
    if data is None:
        data = b""
    out.append([filename or "", ctype, len(data),
                hashlib.sha256(data).hexdigest()])


def python_attachments(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = []
    walk(msg, out, 1)
    return sorted(out)


def secmilter_attachments(obj):
    return sorted([a.get("filename", ""), a.get("content_type", ""),
                   a.get("size", -1), a.get("sha256", "")]
                  for a in obj.get("attachments", []))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: email_attachments.py SECMILTER_JSONL FILE...\n")
        return 64
    with open(argv[0], encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    files = argv[1:]
    if len(lines) != len(files):
        sys.stderr.write("email_attachments.py: %d secmilter lines for %d files\n"
                         % (len(lines), len(files)))
        return 2
    for path, line in zip(files, lines):
        name = os.path.basename(path)
        try:
            theirs = secmilter_attachments(json.loads(line))
        except ValueError as e:
            theirs = "invalid JSON: %s" % e
        try:
            ours = python_attachments(path)
        except Exception as e:	# Python's parser failing is a result too
            ours = "python raised %s: %s" % (type(e).__name__, e)
        if ours == theirs:
            print("%s\tsame" % name)
        else:
            print("%s\tdiffer\tpython=%s\tsecmilter=%s"
                  % (name, json.dumps(ours, ensure_ascii=True),
                     json.dumps(theirs, ensure_ascii=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
