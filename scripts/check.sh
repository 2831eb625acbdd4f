#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The project's test command (make check): static checks, KUnit on UML and,
# where the lab exists, its end-to-end integrity run. Each stage's results
# are counted; the last line is "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XBB_TOP"

passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

stage_lint() {
	xbb_log "stage: lint"
	scripts/lint.sh | tee "$log/lint"
	passed=$((passed + $(grep -c '^PASS ' "$log/lint")))
	failed=$((failed + $(grep -c '^FAIL ' "$log/lint")))
}

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
	local rc
	xbb_log "stage: lab (integrity)"
	scripts/lab.sh --check | tee "$log/lab"
	rc=${PIPESTATUS[0]}
	passed=$((passed + $(grep -c '^PASS ' "$log/lab")))
	failed=$((failed + $(grep -c '^FAIL ' "$log/lab")))
	# A lab that failed without saying what failed is a failure too.
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$log/lab"; then
		echo "lab: exit status $rc without a FAIL line"
		failed=$((failed + 1))
	fi
}

stage_lint
stage_kunit
stage_lab
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
