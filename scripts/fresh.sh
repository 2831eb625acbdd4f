#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The fresh-machine check: the README's install step, run the way a new
# user runs it, on a bare Debian 12 (a debootstrap minbase chroot: no
# compiler, no headers, no package lists). Inside it: install make and git
# (the prerequisites the README names), `make deps`, then every tool each script
# requires must be there, the module must build against the headers deps
# chose, and `make lint` must pass. This machine cannot show such bugs: it
# keeps every package ever installed.
#
#   scripts/fresh.sh              check the working tree
#   scripts/fresh.sh --rev REV    check a commit instead (e.g. to show that
#                                 an old deps.sh fails here)
#
# Prints "PASS fresh/<step>" / "FAIL fresh/<step>" lines.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_require matrix

REV=
case ${1:-} in
--rev) REV=${2:?usage: $0 [--rev REV]} ;;
"") ;;
*) xbb_die "usage: $0 [--rev REV]" ;;
esac

FRESH=$XBB_CACHE/fresh
# Downloaded .debs are kept across runs so that a run costs an install,
# not a download; the chroot still resolves and installs everything.
ARCHIVES=$FRESH/archives
ROOT=

cleanup() {
	[ -n "$ROOT" ] || return 0
	xbb_chroot_umount "$ROOT"
	rm -rf --one-file-system "$ROOT"
}
trap cleanup EXIT

step() {
	local name=$1 rc=0
	shift
	"$@" > "$FRESH/$name.log" 2>&1 || rc=$?
	xbb_verdict "fresh/$name" $rc "$FRESH/$name.log"
	return $rc
}

in_root() { xbb_in_chroot "$ROOT" "$1"; }

main() {
	local base
	mkdir -p "$FRESH" "$ARCHIVES"
	base=$(xbb_suite_base bookworm)
	ROOT=$(mktemp -d "$FRESH/root.XXXXXX")
	xbb_log "fresh: unpacking a bare bookworm into $ROOT"
	tar -xf "$base" -C "$ROOT"
	xbb_chroot_mount "$ROOT"
	mkdir -p "$ROOT/var/cache/apt/archives"
	mount --bind "$ARCHIVES" "$ROOT/var/cache/apt/archives"
	# lint.sh lists files with git: a clone is a git work tree.
	xbb_copy_tree "$ROOT/root/xen-blkback-async" "$REV"
	local rc=0
	step bare-has-no-headers in_root \
		'! ls -d /usr/src/linux-headers-* 2>/dev/null && ! command -v gcc' || rc=1
	step install-make in_root \
		'apt-get -q update && apt-get -y -q install make git' || rc=1
	step make-deps in_root 'cd /root/xen-blkback-async && make deps' || return 1
	step tools-present in_root \
		'cd /root/xen-blkback-async && . scripts/lib.sh &&
		 for r in build lint kunit lab matrix deb fuzz; do xbb_require $r || exit 1; done' || rc=1
	step module-builds in_root \
		'cd /root/xen-blkback-async && make &&
		 . /var/cache/xen-blkback-async/kernel.env &&
		 v=$(modinfo -F vermagic drivers/block/xen-blkback-async/xen-blkback-async.ko) &&
		 echo "vermagic: $v" && case $v in "$KABI-amd64 "*) ;; *) exit 1 ;; esac' || rc=1
	step lint in_root 'cd /root/xen-blkback-async && make lint' || rc=1
	# The fuzzer links libFuzzer's runtime, which no command stands for.
	step fuzz-builds-and-runs in_root \
		'cd /root/xen-blkback-async && FUZZ_S=1 scripts/fuzz.sh' || rc=1
	step deps-idempotent in_root \
		'cd /root/xen-blkback-async && make deps 2>&1 | tee /tmp/again &&
		 ! grep -qE "installing:|apt-get" /tmp/again' || rc=1
	return $rc
}

main "$@"; exit $?
