#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# libFuzzer over the pure core (abi.c, request.c, negotiate.c, pgrant.c),
# built for userspace with tests/fuzz/shim in place of the kernel headers,
# under AddressSanitizer and UndefinedBehaviorSanitizer. Three targets:
#   ring       ring slots of each ABI, indirect pages, responses
#   negotiate  the xenstore keys of a connect
#   pgrant     the persistent-grant cache against a model
# Each target checks the core's answers against rules of its own, so a
# wrong verdict is a finding as much as a memory error.
#
#   scripts/fuzz.sh [--smoke] [TARGET...]
#
# FUZZ_S: seconds per target (default 300; --smoke: 20). Corpora grow in
# $XBB_CACHE/fuzz/corpus/<target>, seeded by tests/fuzz/seeds.c; a crash
# leaves its input in $XBB_CACHE/fuzz/crashes/ and fails the run. Prints
# executions per target and the core's line and branch coverage by the
# corpus.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_require fuzz

SMOKE=
if [ "${1:-}" = --smoke ]; then
	SMOKE=1
	shift
fi
TARGETS=${*:-ring negotiate pgrant}
FUZZ_S=${FUZZ_S:-$([ -n "$SMOKE" ] && echo 20 || echo 300)}
OUT=$XBB_CACHE/fuzz
DRV=$XBB_TOP/drivers/block/xen-blkback-async
CORE=("$DRV/abi.c" "$DRV/request.c" "$DRV/negotiate.c" "$DRV/pgrant.c")

# The blkif headers come from the pinned kernel source, three files only:
# the rest of its include/ would shadow the C library.
headers() {
	local d=$OUT/include/xen/interface/io f
	xbb_unpack_source
	mkdir -p "$d"
	for f in blkif.h ring.h protocols.h; do
		cp "$XBB_SRC/include/xen/interface/io/$f" "$d/"
	done
}

CFLAGS=(-std=gnu11 -g -O1 -Wall -Werror -I "$XBB_TOP/tests/fuzz/shim"
	-I "$XBB_TOP/tests/fuzz" -I "$XBB_TOP/tests" -I "$DRV" -I "$OUT/include"
	-include "$XBB_TOP/tests/fuzz/shim/linux/kconfig.h" -DCONFIG_X86=1)

build() {
	local t
	mkdir -p "$OUT/bin"
	for t in $TARGETS; do
		clang "${CFLAGS[@]}" -fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=all "$XBB_TOP/tests/fuzz/fuzz_$t.c" \
			"${CORE[@]}" "$XBB_TOP/tests/fuzz/shim/shim.c" -o "$OUT/bin/fuzz_$t"
		clang "${CFLAGS[@]}" -fsanitize=fuzzer -fprofile-instr-generate \
			-fcoverage-mapping "$XBB_TOP/tests/fuzz/fuzz_$t.c" \
			"${CORE[@]}" "$XBB_TOP/tests/fuzz/shim/shim.c" -o "$OUT/bin/cov_$t"
	done
	clang "${CFLAGS[@]}" "$XBB_TOP/tests/fuzz/seeds.c" -o "$OUT/bin/seeds"
	"$OUT/bin/seeds" "$OUT/seeds"
}

# Runs one target for FUZZ_S seconds on its corpus; prints its executions.
run() {
	local t=$1 log=$OUT/log/$1.log runs
	mkdir -p "$OUT/corpus/$t" "$OUT/crashes" "$OUT/log"
	if ! (cd "$OUT/crashes" && "$OUT/bin/fuzz_$t" -max_total_time="$FUZZ_S" \
		-print_final_stats=1 "$OUT/corpus/$t" "$OUT/seeds/$t") > "$log" 2>&1; then
		grep -E 'invariant failed|ERROR:|SUMMARY:|Test unit written' "$log" | head -n 8
		echo "FAIL fuzz/$t"
		return 1
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "PASS fuzz/$t executions=$runs seconds=$FUZZ_S"
	TOTAL=$((TOTAL + runs))
}

# Line and branch coverage of the core by every corpus together.
coverage() {
	local t profs=() objects=()
	rm -rf "$OUT/prof"
	mkdir -p "$OUT/prof"
	for t in $TARGETS; do
		LLVM_PROFILE_FILE=$OUT/prof/$t.profraw "$OUT/bin/cov_$t" -runs=0 \
			"$OUT/corpus/$t" "$OUT/seeds/$t" > /dev/null 2>&1
		profs+=("$OUT/prof/$t.profraw")
		objects+=("-object=$OUT/bin/cov_$t")
	done
	llvm-profdata merge -sparse "${profs[@]}" -o "$OUT/prof/all.profdata"
	# The first binary is positional, the others -object=.
	objects[0]=${objects[0]#-object=}
	llvm-cov report "${objects[@]}" -instr-profile="$OUT/prof/all.profdata" \
		--show-branch-summary "${CORE[@]}" | sed "s|$DRV/||"
}

main() {
	local t rc=0
	xbb_lock fuzz
	headers
	build
	TOTAL=0
	for t in $TARGETS; do
		run "$t" || rc=1
	done
	echo "fuzz: $TOTAL executions in all"
	coverage
	return $rc
}

main
