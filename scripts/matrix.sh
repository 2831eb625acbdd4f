#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel matrix (make matrix): builds the module against the kernels Xen
# admins run, each inside a cached chroot of its own Debian suite with that
# suite's compiler, binutils and pahole (newer kernels' kbuild tools need a
# newer glibc than bookworm's). W=1 and sparse (C=1): no warning from our
# files. KUnit runs on UML for 6.1 (the host's tree) and for the newest
# stable kernel's source (XBB_MATRIX_KUNIT, default sid).
#
#   scripts/matrix.sh [SUITE...]
#
# Suites: bookworm (6.1), bookworm-backports (6.12), trixie (6.12),
# trixie-backports (7.3), sid (7.2), experimental (7.x-rc). Prints
# "PASS matrix/<suite>/<check>" lines and a table.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_require matrix

SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] ||
	SUITES=(bookworm bookworm-backports trixie trixie-backports sid experimental)
KUNIT_SUITE=${XBB_MATRIX_KUNIT:-sid}
CHROOTS=$XBB_CACHE/chroots
OUT=$XBB_CACHE/matrix
ROOT=

# Packages a suite's build chroot holds beside the kernel headers.
BUILD_PKGS="make gcc libc6-dev sparse kmod python3 bc flex bison git ca-certificates"

cleanup() { [ -z "$ROOT" ] || xbb_chroot_umount "$ROOT"; }
trap cleanup EXIT

in_root() { xbb_in_chroot "$ROOT" "$1"; }

# apt's target release for a suite that is a base suite plus one more.
target_release() {
	case $1 in
	*-backports|experimental) echo "-t $1" ;;
	esac
}

# Makes or refreshes (once a day) the suite's chroot with its newest
# kernel headers; the packages stay cached in the chroot.
prepare() {
	local suite=$1 base want
	ROOT=$CHROOTS/$suite
	if [ ! -f "$ROOT/.xbb-ready" ]; then
		base=$(xbb_suite_base "$suite")
		rm -rf --one-file-system "$ROOT"
		mkdir -p "$ROOT"
		tar -xf "$base" -C "$ROOT"
		xbb_suite_sources "$suite" > "$ROOT/etc/apt/sources.list"
	fi
	xbb_chroot_apt_conf "$ROOT"
	xbb_chroot_mount "$ROOT"
	want="$BUILD_PKGS linux-headers-amd64"
	[ "$suite" != "$KUNIT_SUITE" ] || want="$want linux-source"
	if [ -f "$ROOT/.xbb-ready" ] && [ -z "$(find "$ROOT/.xbb-ready" -mtime +0)" ] &&
	   [ "$(cat "$ROOT/.xbb-ready")" = "$want" ]; then
		return 0
	fi
	xbb_log "matrix: $suite: installing the newest headers"
	# shellcheck disable=SC2046,SC2086
	xbb_chroot_install "$ROOT" "$OUT/$suite.apt.log" $(target_release "$suite") $want ||
		return 1
	echo "$want" > "$ROOT/.xbb-ready"
}

# The newest installed headers' build directory, e.g. linux-headers-6.12.1-amd64.
headers_dir() {
	ls -d "$ROOT"/usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1
}

# Builds with W=1 (and sparse where the suite has it); counts our warnings.
build_one() {
	local suite=$1
	local hdr kver log=$OUT/$suite.build.log rc=0 sparse=C=1
	hdr=$(headers_dir)
	[ -n "$hdr" ] || { echo "no headers" > "$log"; return 1; }
	hdr=${hdr#"$ROOT"}
	kver=${hdr#/usr/src/linux-headers-}
	in_root "command -v sparse" >/dev/null || sparse=
	in_root "cd /src && make KDIR=$hdr W=1 $sparse modules" > "$log" 2>&1 || rc=$?
	ROW_WARN=$(grep -cE '^(/src/)?(drivers|tests)/.*(warning|error):' "$log" || true)
	ROW_KVER=$kver
	# The compiler the kernel was built with, which kbuild insists on.
	ROW_CC=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"/\1/p' "$ROOT$hdr/.config" |
		sed 's/ ([^)]*)//')
	ROW_SPARSE=${sparse:+yes}
	ROW_SPARSE=${ROW_SPARSE:-no}
	if [ $rc = 0 ]; then
		ROW_VERMAGIC=$(in_root "modinfo -F vermagic /src/drivers/block/xen-blkback-async/xen-blkback-async.ko" |
			cut -d' ' -f1)
		[ "$ROW_VERMAGIC" = "$kver" ] || rc=1
	fi
	return $rc
}

# KUnit on UML from the suite's own linux-source tarball.
kunit_one() {
	local tarball log=$OUT/$1.kunit.log
	tarball=$(ls "$ROOT"/usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || { echo "no linux-source" > "$log"; return 1; }
	tarball=${tarball#"$ROOT"}
	in_root "cd /src && XBB_SOURCE_TARBALL=$tarball scripts/kunit.sh" > "$log" 2>&1 || true
	kunit_result "$log"
}

# The host's own 6.1 run (scripts/kunit.sh) fills the bookworm row.
kunit_host() {
	scripts/kunit.sh > "$OUT/bookworm.kunit.log" 2>&1 || true
	kunit_result "$OUT/bookworm.kunit.log"
}

# Reads kunit.py's summary into ROW_KUNIT (passed/ran); true when nothing
# failed, crashed or errored, and there was a summary at all.
kunit_result() {
	local line
	line=$(grep 'Testing complete' "$1" | tail -n 1)
	ROW_KUNIT=$(sed -nE 's/.*Ran ([0-9]+) tests: passed: ([0-9]+).*/\2\/\1/p' <<<"$line")
	[ -n "$line" ] && ! grep -qE 'failed: [1-9]|crashed: [1-9]|errors: [1-9]' <<<"$line"
}

verdict() { xbb_verdict "matrix/$1" "$2" "${3:-}"; }

main() {
	local suite rc status=0 rows=()
	mkdir -p "$OUT" "$CHROOTS"
	xbb_lock matrix
	for suite in "${SUITES[@]}"; do
		ROW_KVER=- ROW_CC=- ROW_WARN=- ROW_SPARSE=- ROW_KUNIT=- ROW_BUILD=fail
		rc=0
		prepare "$suite" || rc=$?
		if [ $rc = 0 ]; then
			rm -rf --one-file-system "$ROOT/src"
			xbb_copy_tree "$ROOT/src"
			build_one "$suite" || rc=$?
			[ $rc != 0 ] || ROW_BUILD=ok
		fi
		verdict "$suite/build" $rc "$OUT/$suite.build.log"
		[ $rc = 0 ] || status=1
		rc=0
		[ "$ROW_WARN" = 0 ] || rc=1
		verdict "$suite/no-warnings" $rc "$OUT/$suite.build.log"
		[ $rc = 0 ] || status=1
		rc=-1
		if [ "$suite" = "$KUNIT_SUITE" ] && [ "$ROW_BUILD" = ok ]; then
			rc=0
			kunit_one "$suite" || rc=$?
		elif [ "$suite" = bookworm ] && [ -z "${XBB_MATRIX_NO_HOST_KUNIT:-}" ]; then
			rc=0
			kunit_host || rc=$?
		elif [ "$suite" = bookworm ]; then
			ROW_KUNIT="check's kunit stage"
		else
			ROW_KUNIT="build only"
		fi
		if [ $rc != -1 ]; then
			verdict "$suite/kunit" $rc "$OUT/$suite.kunit.log"
			[ $rc = 0 ] || { status=1; ROW_KUNIT="fail ${ROW_KUNIT}"; }
		fi
		rows+=("| $suite | $ROW_KVER | $ROW_CC | $ROW_BUILD | $ROW_WARN | $ROW_SPARSE | $ROW_KUNIT |")
		xbb_chroot_umount "$ROOT"
		ROOT=
	done
	echo
	echo "| suite | kernel | compiler | builds | warnings (W=1) | sparse | KUnit passed |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	printf '%s\n' "${rows[@]}"
	return $status
}

main "$@"; exit $?
