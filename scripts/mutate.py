#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Mutation check of the KUnit suites (make mutation).

Removes one validation check at a time from the pure core, runs KUnit, and
expects at least one failure: a check no test notices is a check no test
covers. The source is restored after each run, also on interruption.
Prints one PASS/FAIL line per mutation and "N passed, N failed".
Names on the command line run only those mutations.
"""
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQ = "drivers/block/xen-blkback-async/request.c"
ABI = "drivers/block/xen-blkback-async/abi.c"
PGR = "drivers/block/xen-blkback-async/pgrant.c"
NEG = "drivers/block/xen-blkback-async/negotiate.c"

# (name, file, text, replacement): each removes exactly one check.
MUTATIONS = [
    ("unknown-op", REQ, "\tdefault:\n\t\treturn xbb_req_reject(req, XBB_REJECT_UNKNOWN_OP);",
     "\tdefault:\n\t\treq->kind = XBB_REQ_READ;\n\t\treturn 0;"),
    ("flush-advertised", REQ, "\t\tif (!lim->flush)\n\t\t\treturn xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);\n", ""),
    ("barrier-advertised", REQ, "\t\tif (!lim->barrier)\n\t\t\treturn xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);\n", ""),
    ("discard-advertised", REQ, "\tif (!lim->discard)\n\t\treturn xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);\n", ""),
    ("indirect-advertised", REQ, "\tif (!lim->max_indirect_segs)\n\t\treturn xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);\n", ""),
    ("discard-flags", REQ, "\tif (wire->discard_flag & ~BLKIF_DISCARD_SECURE)\n\t\treturn xbb_req_reject(req, XBB_REJECT_DISCARD_FLAG);\n", ""),
    ("secure-only-if-advertised", REQ, " && lim->discard_secure)", ")"),
    ("indirect-op", REQ, "\tdefault:\n\t\treturn xbb_req_reject(req, XBB_REJECT_INDIRECT_OP);",
     "\tdefault:\n\t\treq->kind = XBB_REQ_READ;\n\t\tbreak;"),
    ("readonly", REQ, "\tif (lim->readonly && xbb_req_is_write(req))\n\t\treturn xbb_req_reject(req, XBB_REJECT_READONLY);\n", ""),
    ("direct-max-segs", REQ, "\tif (nr > BLKIF_MAX_SEGMENTS_PER_REQUEST || nr > req->max_segs ||",
     "\tif (nr > req->max_segs ||"),
    ("zero-segs-only-flush", REQ, "\t    (!nr && !flushes))", "\t    false)"),
    ("indirect-nr-segs", REQ, "\tif (!nr || nr > max)\n\t\treturn xbb_req_reject(req, XBB_REJECT_NR_SEGS);\n\tpages",
     "\tif (nr > XBB_MAX_INDIRECT_SEGS)\n\t\treturn xbb_req_reject(req, XBB_REJECT_NR_SEGS);\n\tpages"),
    ("seg-bounds", REQ, "\t\tif (seg->last_sect >= XBB_SECTORS_PER_PAGE ||\n\t\t    seg->first_sect > seg->last_sect)\n\t\t\treturn xbb_req_reject(req, XBB_REJECT_SEG_BOUNDS);\n", ""),
    ("seg-align", REQ, "\t\tif ((seg->first_sect | (seg->last_sect + 1)) & (spb - 1))\n\t\t\treturn xbb_req_reject(req, XBB_REJECT_SEG_ALIGN);\n", ""),
    ("sector-wrap", REQ, "\tif (req->sector > U64_MAX - req->nr_sectors)\n\t\treturn xbb_req_reject(req, XBB_REJECT_SECTOR_WRAP);\n", ""),
    ("beyond-disk", REQ, "\tif (req->sector + req->nr_sectors > lim->nr_sectors)\n\t\treturn xbb_req_reject(req, XBB_REJECT_BEYOND_DISK);\n", ""),
    ("sector-align", REQ, "\tif ((req->sector | req->nr_sectors) & (spb - 1))\n\t\treturn xbb_req_reject(req, XBB_REJECT_SECTOR_ALIGN);\n", ""),
    ("discard-empty", REQ, "\tif (!wire->nr_sectors)\n\t\treturn xbb_req_reject(req, XBB_REJECT_DISCARD_EMPTY);\n", ""),
    ("prod-overflow", ABI, "\tif (RING_REQUEST_PROD_OVERFLOW(r, p))\n\t\treturn -EOVERFLOW;\n", ""),
    ("cons-overflow", ABI, "\tif (cons == prod || !xbb_back_ring_slot_free(ring, cons))", "\tif (cons == prod)"),
    ("pgrant-active-not-shared", PGR, "\tif (!pg || pg->active)\n\t\treturn NULL;", "\tif (!pg)\n\t\treturn NULL;"),
    ("pgrant-keep-fresh", PGR, "\tif (!all && cache->nr <= cap && time_before(now, pg->last_used + idle))\n\t\treturn NULL;\n", ""),
    ("pgrant-one-entry-per-gref", PGR, "\t\tif (pg->gref == this->gref)\n\t\t\treturn false;\n", ""),
    ("range-chunk-aligned", REQ, "\treturn rounddown(max_sectors, unit);", "\treturn max_sectors;"),
    ("fe-uint-digits-only", NEG, "\t\tif (*p < '0' || *p > '9' || p - str >= 10)", "\t\tif (p - str >= 10)"),
]


def kunit():
    r = subprocess.run([os.path.join(TOP, "scripts/kunit.sh")], cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, stdin=subprocess.DEVNULL)
    last = [l for l in r.stdout.splitlines() if "Testing complete" in l]
    return r.returncode, (last[-1] if last else "no result (build failed?)")


def main():
    caught = missed = 0
    only = sys.argv[1:]
    for name, rel, old, new in MUTATIONS:
        if only and name not in only:
            continue
        path = os.path.join(TOP, rel)
        orig = open(path).read()
        if orig.count(old) != 1:
            print("FAIL mutation/%s: pattern not found once in %s" % (name, rel))
            missed += 1
            continue
        try:
            open(path, "w").write(orig.replace(old, new))
            rc, line = kunit()
        finally:
            open(path, "w").write(orig)
        if rc != 0 and "failed: 0" not in line:
            print("PASS mutation/%s caught: %s" % (name, line.split("] ")[-1]))
            caught += 1
        else:
            print("FAIL mutation/%s survived: %s" % (name, line.split("] ")[-1]))
            missed += 1
    rc, line = kunit()
    print("unmutated: " + line.split("] ")[-1])
    print("%d passed, %d failed" % (caught, missed))
    return 1 if missed or rc else 0


if __name__ == "__main__":
    sys.exit(main())
