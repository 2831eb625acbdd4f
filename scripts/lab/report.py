#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turns the lab's serial log into PASS/FAIL lines and a results table.

usage: report.py SERIAL_LOG QEMU_EXIT_CODE [SELFTEST_BACKEND [PREFIX]]
Exit status: 0 when nothing failed.
"""
import re
import statistics
import sys

# As dom0-run.sh's BAD_DMESG; kmemleak's line is for the debug dom0.
BAD_DMESG = re.compile(r"BUG:|Oops|WARNING:|KASAN|general protection|"
                       r"hung_task|blocked for more than|Call Trace|"
                       r"suspected memory leak")


def kv(words):
    """Splits k=v words into a dict; bare words go under their position."""
    out, bare = {}, []
    for w in words:
        if "=" in w:
            k, v = w.split("=", 1)
            out[k] = v
        else:
            bare.append(w)
    return out, bare


def main():
    log, qemu_rc = sys.argv[1], int(sys.argv[2])
    selftest = sys.argv[3] if len(sys.argv) > 3 else ""
    prefix = sys.argv[4] if len(sys.argv) > 4 else "lab"
    lines = open(log, errors="replace").read().replace("\r", "").splitlines()
    fails = 0

    def verdict(ok, name, extra=""):
        nonlocal fails
        print(("PASS " if ok else "FAIL ") + name + (" " + extra if extra else ""))
        fails += 0 if ok else 1

    exits = [l.split()[1] for l in lines if l.startswith("XBB-EXIT ")]
    if not exits:
        why = "timed out" if qemu_rc == 124 else "qemu exit %d" % qemu_rc
        verdict(False, prefix + "/boot", "dom0 never reported (%s)" % why)
        print("--- last lines of the serial log ---")
        print("\n".join(lines[-40:]))
    elif exits[-1] == "2":
        verdict(False, prefix + "/boot", "dom0 watchdog fired")

    results, injected, fio, cpu, info, dom0 = 0, {}, [], [], [], []
    scale, scale_fio, prof, syms = [], [], {}, {}
    faults, retried = {}, []
    rnd = 0
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] == "XBB-ROUND":
            rnd = int(words[1])
        elif words[0] == "XBB-RESULT":
            d, bare = kv(words[1:])
            state = bare[0] if bare else "?"
            name = prefix + "/%s/%s/%s%s" % (d.get("backend"), d.get("dev"),
                                        d["variant"] + "/" if "variant" in d else "",
                                        d.get("test"))
            if "inject" in d:
                injected[d.get("test")] = state
                continue
            results += 1
            extra = " ".join(w for w in words[1:] if not w.startswith(
                ("backend=", "dev=", "test=", "variant=", "ref=")) and w != state)
            if d.get("dev") in FAULT_DEVS:
                faults[(d.get("dev"), d.get("test"), d.get("backend"))] = (state, d)
            if "ref" in d:
                # The in-tree driver in the fault cases: a reference.
                print("REF  %s %s %s" % (name, state, extra))
            elif state == "skip":
                print("SKIP %s %s" % (name, extra))
            else:
                verdict(state == "pass", name, extra if state != "pass" else "")
        elif words[0] == "XBB-FIO":
            d, bare = kv(words[1:])
            if "inject" in d or "variant" in d:
                continue
            if "scale" in d:
                scale_fio.append((rnd, d["backend"], int(d["scale"]), d))
                continue
            fio.append((rnd, d["backend"], d["dev"], bare[0], d))
        elif words[0] == "XBB-PROF":
            d, _ = kv(words[1:])
            prof.setdefault((rnd, d["backend"], d["dev"], d["job"]), {})[
                d["event"]] = int(d["hits"] or 0)
        elif words[0] == "XBB-PERFSYM":
            d, _ = kv(words[1:])
            syms.setdefault((d["dev"], d["job"], d["sym"]), {}).setdefault(
                d["backend"], []).append(float(d["pct"]))
        elif words[0] == "XBB-SCALE":
            d, _ = kv(words[1:])
            scale.append((rnd, d["backend"], int(d["guests"]),
                          {k: int(d[k]) for k in ("cpu_ms", "ms", "idle_cpu_ms",
                                                  "idle_ms")}))
        elif words[0] == "XBB-DOM0CPU":
            d, _ = kv(words[1:])
            if "inject" in d or "variant" in d:
                continue
            dom0.append((rnd, d["backend"], d["dev"], d["job"],
                         int(d["cpu_ms"]), int(d["ms"])))
        elif words[0] == "XBB-CPU":
            d, _ = kv(words[1:])
            if "inject" in d or "variant" in d:
                continue
            cpu.append((rnd, d["backend"], d["dev"], int(d["cpu_ms"])))
        elif words[0] == "XBB-RETRY":
            # A guest whose own kernel died booting, booted once more:
            # said, so a flaky guest kernel shows and is counted.
            d, _ = kv(words[1:])
            retried.append(d)
            print("RETRY %s/%s/%s %s" % (prefix, d.get("backend"), d.get("dev"),
                                       d.get("reason")))
        elif words[0] == "XBB-INFO" and "inject=" not in line:
            info.append(" ".join(words[1:]))

    if exits and not results:
        verdict(False, prefix + "/results", "no workload reported anything")
    wrong = {t: st for t, st in injected.items() if t.startswith("hostile-")}
    if wrong:
        caught = len(wrong) >= 3 and all(st == "fail" for st in wrong.values())
        verdict(caught, prefix + "/hostile/negative-control-caught",
                "" if caught else "cases that passed against inverted "
                "expectations: %s" % sorted(t for t, st in wrong.items()
                                           if st != "fail"))
    if selftest:
        caught = (injected.get("pattern-roundtrip") == "fail" and
                  injected.get("dom0-readback") == "fail")
        verdict(caught, prefix + "/selftest/corruption-detected",
                "" if caught else "negative control passed: %s" % injected)
        caught = any(d.get("inject") == "corrupt" for d in retried)
        verdict(caught, prefix + "/selftest/boot-death-retried",
                "" if caught else "the guest whose kernel was made to die "
                "booting was not booted again")

    if exits:
        try:
            b = lines.index("XBB-DMESG-BEGIN")
            e = lines.index("XBB-DMESG-END")
            bad = [l for l in lines[b + 1:e] if BAD_DMESG.search(l)]
            verdict(not bad, prefix + "/dom0-dmesg-clean")
            for l in bad[:40]:
                print("    " + l)
        except ValueError:
            verdict(False, prefix + "/dom0-dmesg-clean", "dmesg not captured")

    for i in sorted(set(info)):
        print("negotiated (guest view): " + i)
    fault_table(faults)
    table(fio, cpu, dom0)
    profile(fio, prof)
    hot_symbols(syms)
    rows = compare(fio, dom0)
    srows = scaling(scale, scale_fio)
    if rows or srows:
        import os
        plot(rows, srows, os.path.join(os.path.dirname(os.path.abspath(log)),
                                       prefix + "-bench.svg"))
    return 1 if fails else 0


# Result "dev" names of the device-fault cases (dom0-run.sh run_faults).
FAULT_DEVS = ("dm-suspended", "loop-qd4-suspended", "faults", "hostile",
              "dm-error-range", "dm-error-all", "dm-flakey", "dm-delay",
              "brd-save-restore", "brd-migrate", "destroy-loop")


def fault_table(faults):
    """Fault case x backend: what each driver did with the same fault.

    The hostile frontend's cases get a table of their own, with what was
    expected and what each driver answered.
    """
    if not faults:
        return
    backends = sorted({be for _, _, be in faults}, key=lambda b: b != "ours")
    rows = sorted({(dev, test) for dev, test, _ in faults if dev != "hostile"})
    if rows:
        print()
        print("%-20s %-30s" % ("device fault", "test") +
              "".join(" %-8s" % b for b in backends))
    for dev, test in rows:
        print("%-20s %-30s" % (dev, test) + "".join(
            " %-8s" % faults.get((dev, test, b), ("-",))[0] for b in backends))
    rows = sorted({test for dev, test, _ in faults if dev == "hostile"},
                  key=hostile_order)
    if not rows:
        return
    print()
    print("%-34s %-16s" % ("hostile case", "expected") +
          "".join(" %-22s" % b for b in backends))
    for test in rows:
        cells = [faults.get(("hostile", test, b)) for b in backends]
        want = next((c[1].get("expect", "") for c in cells if c), "")
        print("%-34s %-16s" % (test, want) + "".join(
            " %-22s" % ("%s %s" % (c[0], c[1].get("got", "")) if c else "-")
            for c in cells))


def hostile_order(test):
    """Catalogue order: class letter, then number, then the rest."""
    m = re.match(r"hostile-([A-D])(\d+)(.*)", test)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else ("Z", 0, test)


def spread(values):
    med = statistics.median(values)
    if len(values) < 2:
        return "%.0f" % med
    return "%.0f (%.0f-%.0f)" % (med, min(values), max(values))


def dom0_per_io_rounds(fio, dom0):
    """dom0's CPU per I/O in us, per (round, dev, job, backend).

    Each job's window less dom0's idle rate (its "idle" window in the same
    guest run) times the window's length, over the I/Os fio completed.
    """
    windows = {}
    for rnd, be, dev, job, ms, length in dom0:
        windows[(rnd, be, dev, job)] = (ms, length)
    out = {}
    for rnd, be, dev, job, d in fio:
        w = windows.get((rnd, be, dev, job))
        idle = windows.get((rnd, be, dev, "idle"))
        if not w or not idle or not idle[1] or not int(d["ios"]):
            continue
        net = w[0] - idle[0] * w[1] / idle[1]
        out[(rnd, dev, job, be)] = net * 1000.0 / int(d["ios"])
    return out


def dom0_per_io(fio, dom0):
    """As dom0_per_io_rounds, the rounds' values listed per (dev, job, backend)."""
    out = {}
    for (rnd, dev, job, be), v in sorted(dom0_per_io_rounds(fio, dom0).items()):
        out.setdefault((dev, job, be), []).append(v)
    return out


def base_of(be):
    """ours-np@hvm -> ours."""
    return be.split("@")[0].split("-")[0]


def reference(be):
    """The in-tree driver with the same kind of guest and persistence:
    ours@hvm's is blkback@hvm, ours-np's blkback-np."""
    return "blkback" + be[len(base_of(be)):]


# Issue 11's targets against the in-tree driver, medians over the rounds.
TARGET_IOPS, TARGET_CPU = 1.10, 0.70


def noise(a, b):
    """' ~' when the two backends' own ranges overlap: a difference inside
    the noise."""
    return " ~" if min(a) <= max(b) and min(b) <= max(a) else ""


def ratio_cell(a, b, per_round):
    """Median of the rounds' ratios (min-max), and noise(a, b)."""
    if not per_round:
        return "-", None
    med = statistics.median(per_round)
    cell = "x%.2f (%.2f-%.2f)%s" % (med, min(per_round), max(per_round),
                                    noise(a, b))
    return cell, med


def compare(fio, dom0):
    """Ours against the in-tree driver, row by row, from the same rounds.

    Returns the rows for the plot: (label, iops ratios, cpu ratios).
    """
    iops = {(rnd, be, dev, job): float(d["iops"]) for rnd, be, dev, job, d in fio}
    cpu = dom0_per_io_rounds(fio, dom0)
    keys = sorted({(dev, job, be) for _, be, dev, job in iops
                   if base_of(be) == "ours"})
    rows = []
    lines = []
    for dev, job, be in keys:
        ref = reference(be)
        rnds = sorted({r for r, b, d, j in iops if (b, d, j) == (be, dev, job)} &
                      {r for r, b, d, j in iops if (b, d, j) == (ref, dev, job)})
        if not rnds:
            continue
        a = [iops[(r, be, dev, job)] for r in rnds]
        b = [iops[(r, ref, dev, job)] for r in rnds]
        ir = [x / y for x, y in zip(a, b) if y]
        crnds = [r for r in rnds if (r, dev, job, be) in cpu and (r, dev, job, ref) in cpu]
        ca = [cpu[(r, dev, job, be)] for r in crnds]
        cb = [cpu[(r, dev, job, ref)] for r in crnds]
        cr = [x / y for x, y in zip(ca, cb) if y > 0]
        icell, imed = ratio_cell(a, b, ir)
        ccell, cmed = ratio_cell(ca, cb, cr) if cr else ("-", None)
        met = "yes" if (imed and imed >= TARGET_IOPS and cmed is not None
                        and cmed <= TARGET_CPU) else "no"
        lines.append("%-5s %-18s %-12s %5d %24s %26s %5s" % (
            dev, job, be, len(rnds), icell, ccell, met))
        rows.append(("%s %s %s" % (dev, be, job), ir, cr))
    if lines:
        print()
        print("ours against the in-tree driver, round by round (same boot, "
              "order rotated):")
        hdr = "%-5s %-18s %-12s %5s %24s %26s %5s" % (
            "dev", "job", "backend", "rnds", "IOPS ratio", "dom0 CPU/IO ratio",
            "target")
        print(hdr)
        print("-" * len(hdr))
        print("\n".join(lines))
        print("ratio: median of the rounds' ours/in-tree (min-max); ~ the two "
              "backends' ranges overlap (inside the noise);")
        print("target: IOPS >= x%.2f and dom0 CPU per I/O <= x%.2f of the "
              "in-tree driver's." % (TARGET_IOPS, TARGET_CPU))
    return rows


def profile(fio, prof):
    """PROFILE=1: each event's count per I/O, per job and backend (median
    over the rounds), the idle window's taken off at its rate."""
    if not prof:
        return
    events = sorted({e for counts in prof.values() for e in counts})
    per = {}
    for rnd, be, dev, job, d in fio:
        counts = prof.get((rnd, be, dev, job))
        idle = prof.get((rnd, be, dev, "idle"), {})
        if not counts or not int(d["ios"]):
            continue
        for e in events:
            # The idle window is as long as a job: its counts, as they are.
            net = counts.get(e, 0) - idle.get(e, 0)
            per.setdefault((dev, job, be), {}).setdefault(e, []).append(
                net / float(d["ios"]))
    backends = sorted({be for (_, _, be) in per})
    print()
    print("events per I/O in dom0 (PROFILE=1; less the idle window's; "
          "EVENT:CLASS is the ring's, the timer's, IPIs' or the rest's share):")
    print("%-5s %-18s %-24s " % ("dev", "job", "event") +
          " ".join("%12s" % be for be in backends))
    for dev, job in sorted({(dev, job) for (dev, job, _) in per}):
        for e in events:
            cells = []
            for be in backends:
                ev = per.get((dev, job, be), {}).get(e)
                cells.append("%12.2f" % statistics.median(ev) if ev
                             else "%12s" % "-")
            print("%-5s %-18s %-24s " % (dev, job, e) + " ".join(cells))


def hot_symbols(syms):
    """PROFILE=1: the functions with the largest share of dom0's CPU
    samples in each job, per backend (median over the rounds; a round in
    which a function had under 0.5% counts as 0)."""
    if not syms:
        return
    backends = sorted({be for per in syms.values() for be in per})
    rounds = {}
    for per in syms.values():
        for be, pcts in per.items():
            rounds[be] = max(rounds.get(be, 0), len(pcts))
    print()
    print("where dom0's CPU went (PROFILE=1; perf cpu-clock samples, % of "
          "the job's, functions with >= 0.5% in a round):")
    print("%-5s %-18s %-36s " % ("dev", "job", "function") +
          " ".join("%10s" % be for be in backends))
    for dev, job in sorted({(dev, job) for (dev, job, _) in syms}):
        rows = []
        for (d, j, sym), per in syms.items():
            if (d, j) != (dev, job) or sym in ("idle", "[unknown]"):
                continue
            med = [statistics.median(per.get(be, []) +
                                     [0.0] * (rounds[be] - len(per.get(be, []))))
                   for be in backends]
            rows.append((max(med), sym, med))
        for _, sym, med in sorted(rows, reverse=True)[:15]:
            print("%-5s %-18s %-36s " % (dev, job, sym[:36]) +
                  " ".join("%10.1f" % m for m in med))


def scaling(scale, scale_fio):
    """Guests at once: aggregate IOPS and dom0 CPU per I/O per backend and
    guest count. Returns {(backend, guests): (iops list, cpu list)}."""
    if not scale:
        return {}
    agg = {}
    for rnd, be, n, d in scale_fio:
        a = agg.setdefault((rnd, be, n), [0.0, 0, 0])
        a[0] += float(d["iops"])
        a[1] += int(d["ios"])
        a[2] += 1
    out = {}
    for rnd, be, n, w in scale:
        a = agg.get((rnd, be, n))
        if not a or a[2] != n or not a[1] or not w["idle_ms"]:
            continue
        net = w["cpu_ms"] - w["idle_cpu_ms"] * w["ms"] / w["idle_ms"]
        e = out.setdefault((be, n), ([], []))
        e[0].append(a[0])
        e[1].append(net * 1000.0 / a[1])
    if not out:
        return {}
    print()
    print("guests at once (null_blk each, 4k randread QD32 in every guest): "
          "aggregate IOPS and dom0 CPU per I/O")
    hdr = "%-8s %6s %22s %20s %24s %26s" % (
        "backend", "guests", "IOPS median (min-max)", "dom0 CPU/IO us",
        "IOPS ratio", "dom0 CPU/IO ratio")
    print(hdr)
    print("-" * len(hdr))
    for (be, n), (io, cp) in sorted(out.items()):
        icell = ccell = ""
        ref = out.get((reference(be), n))
        if be != reference(be) and ref:
            icell = "x%.2f%s" % (statistics.median(io) / statistics.median(ref[0]),
                                 noise(io, ref[0]))
            ccell = "x%.2f%s" % (statistics.median(cp) / statistics.median(ref[1]),
                                 noise(cp, ref[1]))
        print("%-8s %6d %22s %20s %24s %26s" % (be, n, spread(io), spread(cp),
                                                icell, ccell))
    print("ratio: of the medians; ~ the ranges overlap.")
    return out


def plot(rows, srows, path):
    """The comparison as a figure: each row's ratios to the in-tree driver
    (median and min-max over the rounds), and the scaling run."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: python3-matplotlib is not installed (make deps)")
        return
    panels = (2 if rows else 0) + (2 if srows else 0)
    fig, axes = plt.subplots(1, panels, figsize=(5.5 * panels,
                                                 max(4, 0.32 * len(rows) + 1.5)),
                             squeeze=False)
    axes = list(axes[0])
    if rows:
        for ax, idx, title, target in ((axes.pop(0), 1, "IOPS, ours / in-tree",
                                        TARGET_IOPS),
                                       (axes.pop(0), 2, "dom0 CPU per I/O, ours / in-tree",
                                        TARGET_CPU)):
            ys = list(range(len(rows)))
            med = [statistics.median(r[idx]) if r[idx] else float("nan") for r in rows]
            lo = [m - min(r[idx]) if r[idx] else 0 for m, r in zip(med, rows)]
            hi = [max(r[idx]) - m if r[idx] else 0 for m, r in zip(med, rows)]
            # A run without dom0 CPU samples (make check) has no CPU
            # ratios: an empty panel, not matplotlib's all-NaN warning.
            if any(r[idx] for r in rows):
                ax.errorbar(med, ys, xerr=[lo, hi], fmt="o", capsize=3)
            ax.axvline(1.0, color="grey", lw=1)
            ax.axvline(target, color="green", ls="--", lw=1, label="target")
            ax.set_yticks(ys)
            ax.set_yticklabels([r[0] for r in rows] if idx == 1 else
                               ["" for _ in rows], fontsize=8)
            ax.invert_yaxis()
            ax.set_title(title, fontsize=10)
            ax.legend(fontsize=8)
    for idx, what in ((0, "aggregate IOPS"), (1, "dom0 CPU per I/O (us)")):
        if not srows:
            break
        ax = axes.pop(0)
        for be in sorted({be for be, _ in srows}):
            ns = sorted(n for b, n in srows if b == be)
            med = [statistics.median(srows[(be, k)][idx]) for k in ns]
            lo = [m - min(srows[(be, k)][idx]) for m, k in zip(med, ns)]
            hi = [max(srows[(be, k)][idx]) - m for m, k in zip(med, ns)]
            ax.errorbar(ns, med, yerr=[lo, hi], marker="o", capsize=3, label=be)
        ax.set_xlabel("guests at once (null_blk each, 4k randread QD32)")
        ax.set_ylabel(what)
        ax.set_xticks(sorted({n for _, n in srows}))
        ax.set_ylim(bottom=0)
        ax.set_title("guests at once: " + what, fontsize=10)
        ax.legend(fontsize=8)
    fig.suptitle("xen-blkback-async against the in-tree blkback "
                 "(QEMU TCG lab; ratios within one boot)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    print("plot: " + path)


def table(fio, cpu, dom0):
    if not fio:
        return
    groups = {}
    for rnd, be, dev, job, d in fio:
        groups.setdefault((dev, job, be), []).append(d)
    ios = {}
    for rnd, be, dev, job, d in fio:
        ios[(rnd, be, dev)] = ios.get((rnd, be, dev), 0) + int(d["ios"])
    cpu_per_io = {}
    for rnd, be, dev, ms in cpu:
        n = ios.get((rnd, be, dev), 0)
        if n:
            cpu_per_io.setdefault((be, dev), []).append(ms * 1000.0 / n)
    d0 = dom0_per_io(fio, dom0)
    width = max(8, max(len(be) for _, _, be in groups))

    hdr = "%-6s %-18s %-*s %22s %16s %14s %14s" % (
        "dev", "job", width, "backend", "IOPS median (min-max)", "MiB/s",
        "mean lat us", "p99 lat us")
    if d0:
        hdr += " %20s" % "dom0 CPU/IO us"
    print()
    print(hdr)
    print("-" * len(hdr))
    med = {key: statistics.median(float(d["iops"]) for d in ds)
           for key, ds in groups.items()}
    for (dev, job, be), ds in sorted(groups.items()):
        mib = [float(d["bw_kib"]) / 1024 for d in ds]
        lat = [float(d["lat_mean_us"]) for d in ds]
        p99 = [float(d["lat_p99_us"]) for d in ds]
        ratio = ""
        ref = reference(be)
        if be != ref and med.get((dev, job, ref)):
            ratio = "  x%.2f vs %s" % (med[(dev, job, be)] / med[(dev, job, ref)], ref)
        print("%-6s %-18s %-*s %22s %16s %14s %14s%s%s" % (
            dev, job, width, be, spread([float(d["iops"]) for d in ds]),
            spread(mib), spread(lat), spread(p99),
            " %20s" % spread(d0[(dev, job, be)]) if (dev, job, be) in d0
            else (" %20s" % "-" if d0 else ""), ratio))
    guest_types(med, d0)
    if cpu_per_io:
        print()
        print("backend CPU per I/O (dom0 backend threads, whole guest run):")
        for (be, dev), v in sorted(cpu_per_io.items()):
            print("  %-*s %-6s %s us" % (width, be, dev, spread(v)))
    if d0:
        print()
        print("dom0 CPU/IO: Xen's run time of dom0's vCPUs over the job, less "
              "dom0's idle rate, per I/O; native includes fio's own.")
    print()
    print("Figures from QEMU TCG: compare backends within one run, never across runs.")


def guest_types(med, d0):
    """The seed's comparison, when the run has HVM guests: each way a guest
    reaches the disk, its IOPS as a fraction of dom0's own (native), and its
    dom0 CPU per I/O as a multiple of the emulated disk's."""
    bes = sorted({be for _, _, be in med}, key=lambda b: (
        b == "native", "@" not in b and b != "emul", b))
    if not any("@" in b or b == "emul" for b in bes):
        return
    emul = next((b for b in bes if b.split("@")[0] == "emul"), None)
    if "native" not in bes and not emul:
        return
    cols = sorted({(dev, job) for dev, job, _ in med})
    width = max(len(be) for be in bes)
    print()
    print("guests compared: IOPS / native IOPS, and dom0 CPU per I/O / the "
          "emulated disk's")
    print("%-*s %s" % (width, "", " ".join("%-22s" % ("%s %s" % c)[:22] for c in cols)))
    for be in bes:
        cells = []
        for dev, job in cols:
            m, nat = med.get((dev, job, be)), med.get((dev, job, "native"))
            cell = "x%.3f" % (m / nat) if m and nat else "-"
            c, e = d0.get((dev, job, be)), d0.get((dev, job, emul))
            if c and e and statistics.median(e) > 0:
                cell += " cpu x%.2f" % (statistics.median(c) / statistics.median(e))
            cells.append("%-22s" % cell)
        print("%-*s %s" % (width, be, " ".join(cells)))


if __name__ == "__main__":
    sys.exit(main())
