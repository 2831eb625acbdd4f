#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The project's test command (make check): the fresh-machine install check,
# static checks, KUnit on UML, a fuzz smoke run, the kernel matrix, and the
# lab's integrity run in both flavours (bookworm: Xen 4.17 + 6.1; trixie:
# Xen 4.20 + 6.12), and a PVH guest's through ours. Each stage's results
# are counted; the last line is "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XBB_TOP" || exit 1

passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# Counts a stage's PASS/FAIL lines; a stage that failed without saying
# what failed is a failure too.
count_stage() {
	local name=$1 rc=$2 file=$3
	passed=$((passed + $(grep -c '^PASS ' "$file")))
	failed=$((failed + $(grep -c '^FAIL ' "$file")))
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$file"; then
		echo "$name: exit status $rc without a FAIL line"
		failed=$((failed + 1))
	fi
}

# Runs one stage's script, shows and counts its PASS/FAIL lines.
stage() {
	local name=$1 rc
	shift
	xbb_log "stage: $name"
	"$@" | tee "$log/$name"
	rc=${PIPESTATUS[0]}
	count_stage "$name" "$rc" "$log/$name"
}

stage_fresh() { stage fresh scripts/fresh.sh; }
stage_lint() { stage lint scripts/lint.sh; }
# One minute: the three fuzz targets, 20 s each, on their kept corpora.
stage_fuzz() { stage fuzz scripts/fuzz.sh --smoke; }
# The host's 6.1 KUnit run is stage_kunit's.
stage_matrix() { stage matrix env XBB_MATRIX_NO_HOST_KUNIT=1 scripts/matrix.sh; }

stage_kunit() {
	local line p f e c
	xbb_log "stage: kunit"
	scripts/kunit.sh > "$log/kunit" 2>&1
	local rc=$?
	grep -E '\[(PASSED|FAILED|CRASHED|SKIPPED|ERROR)\]|Testing complete|Failures' \
		"$log/kunit" | grep -vE '\] =+ \[' | tail -n 400
	line=$(grep 'Testing complete' "$log/kunit" | tail -n 1)
	if [ -z "$line" ]; then
		tail -n 60 "$log/kunit"
		echo "kunit: no result (build or boot failed)"
		failed=$((failed + 1))
		return
	fi
	p=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<<"$line")
	f=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<<"$line")
	c=$(sed -nE 's/.*crashed: ([0-9]+).*/\1/p' <<<"$line")
	e=$(sed -nE 's/.*errors: ([0-9]+).*/\1/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0} + ${e:-0}))
	# kunit.py failing with every test passed is still a failure.
	if [ "$rc" != 0 ] && [ $((${f:-0} + ${c:-0} + ${e:-0})) = 0 ]; then
		failed=$((failed + 1))
	fi
}

stage_lab() {
	# For a developer's quick loop only; CI never sets it.
	if [ -n "${XBB_SKIP_LAB:-}" ]; then
		xbb_log "stage: lab skipped (XBB_SKIP_LAB)"
		return 0
	fi
	# The device-fault cases and the hostile frontend's subset (ours) run
	# in the bookworm flavour only: the faults wait out the drain timeout
	# several times, and CI's time is bounded (make hostile runs all of
	# the catalogue, LAB_DIST=trixie make hostile against 6.12's guest).
	# So do the integrity guests on image files (ext4, xfs): a guest is
	# about a minute and a cold make check must stay under 70. Trixie's
	# lifecycle still serves a file (the resize guest, the ramfs refusal).
	local faults='' devices="brd loop dm"
	[ "$1" != bookworm ] || { faults=ours; devices="$devices file-ext4 file-xfs"; }
	stage "lab-$1" env LAB_DIST="$1" FAULTS="$faults" HOSTILE="$faults" \
		DEVICES="$devices" scripts/lab.sh --check
}

# A PVH guest through ours (bookworm, brd): the integrity set as PV guests
# run it. The in-tree driver and HVM guests are in make lab-pvh and make
# lab-hvm (an HVM guest alone boots for minutes).
stage_lab_pvh() {
	[ -z "${XBB_SKIP_LAB:-}" ] || return 0
	stage lab-pvh env LAB_DIST=bookworm GUEST_TYPE=pvh BACKENDS=ours DEVICES=brd \
		FAULTS= HOSTILE= LIFECYCLE= SELFTEST= scripts/lab.sh --check
}

t0=$(date +%s)
timed() {
	local t
	t=$(date +%s)
	"$@"
	xbb_log "$* took $(( $(date +%s) - t ))s"
}
timed stage_fresh
timed stage_lint
timed stage_kunit
timed stage_fuzz
timed stage_matrix
timed stage_lab bookworm
timed stage_lab_pvh
timed stage_lab trixie
xbb_log "make check took $(( $(date +%s) - t0 ))s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
