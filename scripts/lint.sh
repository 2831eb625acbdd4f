#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Static checks. Each check prints "PASS name" or "FAIL name" and the
# findings; the exit status is the number of failed checks (0 = clean).
#   build-w1-sparse  make W=1 C=2: no warning from our files
#   checkpatch       checkpatch.pl --strict --no-tree: no error/warning/check
#   kernel-doc       kernel-doc -none -v: no warning
#   core-layering    the pure core includes no Xen glue or block headers
#   shell-syntax     every script of ours parses (sh -n / bash -n): a lab
#                    guest whose init does not parse fails only minutes later
#   hostile-builds   the hostile frontend (tests/hostile) builds static with
#                    -Wall -Wextra -Werror, as the lab builds it
set -uo pipefail
. "$(dirname "$0")/lib.sh"
xbb_require build lint
cd "$XBB_TOP" || exit 1

failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

result() {
	if [ "$2" = 0 ]; then
		echo "PASS $1"
	else
		echo "FAIL $1"
		sed 's/^/    /' "$out" | head -n 60
		failed=$((failed + 1))
	fi
}

check_build() {
	local kdir
	kdir=$(scripts/kdir.sh)
	[ -n "$kdir" ] || { echo "no kernel build tree" > "$out"; return 1; }
	# Rebuild everything so that each file is compiled and checked.
	make -s KDIR="$kdir" clean >/dev/null 2>&1
	make KDIR="$kdir" W=1 C=2 > "$out.log" 2>&1
	local rc=$?
	grep -E '(warning|error):' "$out.log" | grep -E "^($XBB_TOP/)?(drivers|tests|include)/" > "$out"
	[ $rc = 0 ] || cat "$out.log" >> "$out"
	rm -f "$out.log"
	[ $rc = 0 ] && [ ! -s "$out" ]
}

check_checkpatch() {
	local files shim hostile cp="$XBB_SRC/scripts/checkpatch.pl"
	local opts=(--strict --no-tree --terse --show-types --ignore SPDX_LICENSE_TAG)
	mapfile -t files < <(xbb_c_files | grep -vE '/compat\.h$|^tests/fuzz/shim/|^tests/hostile/')
	mapfile -t shim < <(xbb_c_files | grep '^tests/fuzz/shim/')
	mapfile -t hostile < <(xbb_c_files | grep '^tests/hostile/')
	{
		perl "$cp" "${opts[@]}" -f "${files[@]}" Makefile Kbuild \
			drivers/block/xen-blkback-async/Makefile \
			drivers/block/xen-blkback-async/Kconfig tests/Makefile
		# The version-shim header exists to compare LINUX_VERSION_CODE.
		perl "$cp" "${opts[@]}" \
			--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
			-f drivers/block/xen-blkback-async/compat.h
		# The fuzzer's userspace stand-ins for kernel headers define
		# the kernel's types, attributes, barriers and macros from the C
		# library's and the compiler's: what checkpatch steers away from.
		perl "$cp" "${opts[@]}" --ignore PREFER_KERNEL_TYPES,MACRO_ARG_REUSE,\
IS_ENABLED_CONFIG,MEMORY_BARRIER,PREFER_DEFINED_ATTRIBUTE_MACRO,VOLATILE,CAMELCASE \
			-f "${shim[@]}"
		# The hostile frontend is a user-space program on the C
		# library and the Linux UAPI; its ring accesses are volatile
		# on purpose (the other side is another domain).
		perl "$cp" "${opts[@]}" --ignore PREFER_KERNEL_TYPES,VOLATILE,\
PREFER_DEFINED_ATTRIBUTE_MACRO -f "${hostile[@]}"
	} > "$out" 2>&1
	# Keep only findings. XenbusState* are Xen's names, and
	# LLVMFuzzerTestOneInput libFuzzer's, not ours; with --no-tree
	# checkpatch cannot see where they are defined.
	grep -E ': (ERROR|WARNING|CHECK):' "$out" |
		grep -vE 'CAMELCASE: Avoid CamelCase: <(XenbusState[A-Za-z]+|LLVMFuzzerTestOneInput)>' \
		> "$out.f" || true
	mv "$out.f" "$out"
	[ ! -s "$out" ]
}

check_kernel_doc() {
	local files
	mapfile -t files < <(xbb_c_files)
	# 6.1 has no -Wall; -v adds the missing-Return warnings, among info lines.
	perl "$XBB_SRC/scripts/kernel-doc" -none -v "${files[@]}" 2>&1 |
		grep -v ": info: " > "$out"
	[ ! -s "$out" ]
}

# The hostile frontend, as the lab builds it for the guest.
check_hostile_build() {
	gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$out.bin" \
		tests/hostile/*.c > "$out" 2>&1
	local rc=$?
	rm -f "$out.bin"
	return $rc
}

check_core_layering() {
	local f
	: > "$out"
	for f in "${XBB_CORE_FILES[@]}"; do
		grep -HnE '#include[[:space:]]*<(xen/(grant_table|events|xenbus|page)\.h|linux/(bio|blkdev|blk-mq|genhd)\.h|asm/xen/)' \
			"$f" >> "$out"
		grep -HnE '#include[[:space:]]*"' "$f" | grep -v '"core.h"' >> "$out"
	done
	[ ! -s "$out" ]
}

check_shell_syntax() {
	local f
	: > "$out"
	for f in scripts/*.sh scripts/lab/*.sh; do
		bash -n "$f" >> "$out" 2>&1
	done
	for f in scripts/lab/guest-init scripts/lab/dom0-init scripts/lab/stage1-init \
		 scripts/lab/block-hotplug; do
		sh -n "$f" >> "$out" 2>&1
	done
	[ ! -s "$out" ]
}

xbb_unpack_source
check_build; result build-w1-sparse $?
check_checkpatch; result checkpatch $?
check_kernel_doc; result kernel-doc $?
check_core_layering; result core-layering $?
check_hostile_build; result hostile-builds $?
check_shell_syntax; result shell-syntax $?
exit "$failed"
