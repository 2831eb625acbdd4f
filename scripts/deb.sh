#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make deb: builds the xen-blkback-async-dkms package with Debian's own
# tooling (dpkg-buildpackage, debhelper, dh-dkms) from a copy of the tree,
# so that the work tree stays clean. Prints the .deb's path; it is left in
# build/ of the tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_require deb

main() {
	local ver out=$XBB_TOP/build
	ver=$(cd "$XBB_TOP" && dpkg-parsechangelog -SVersion)
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
	mkdir -p "$out"
	xbb_copy_tree "$WORK/xen-blkback-async-$ver"
	(cd "$WORK/xen-blkback-async-$ver" &&
	 SOURCE_DATE_EPOCH=$(git -C "$XBB_TOP" log -1 --format=%ct 2>/dev/null || date +%s) \
	 dpkg-buildpackage -us -uc -b) > "$WORK/build.log" 2>&1 ||
		{ tail -n 40 "$WORK/build.log" >&2; xbb_die "dpkg-buildpackage failed"; }
	rm -f "$out"/xen-blkback-async-dkms_*.deb
	cp "$WORK"/xen-blkback-async-dkms_"$ver"_all.deb "$out/"
	echo "$out/xen-blkback-async-dkms_${ver}_all.deb"
}

main "$@"; exit $?
