#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the KUnit suites on UML, in the cached Debian linux-source-6.1 tree
# (or the tarball named by XBB_SOURCE_TARBALL: scripts/matrix.sh).
# The driver and tests directories are linked into the tree (the driver at
# the path it would have in-tree), so the tree is prepared once and every
# run builds the current checkout. Extra arguments go to kunit.py run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

xbb_require kunit
xbb_lock kunit
xbb_unpack_source
build=$XBB_SRC.uml
blockdir=$XBB_SRC/drivers/block

ln -sfn "$XBB_TOP/drivers/block/xen-blkback-async" "$blockdir/xen-blkback-async"
ln -sfn "$XBB_TOP/tests" "$blockdir/xen-blkback-async-tests"
if ! grep -q 'xen-blkback-async/Kconfig' "$blockdir/Kconfig"; then
	sed -i 's|^endif # BLK_DEV$|source "drivers/block/xen-blkback-async/Kconfig"\n\n&|' \
		"$blockdir/Kconfig"
	grep -q 'xen-blkback-async/Kconfig' "$blockdir/Kconfig" ||
		xbb_die "could not hook into $blockdir/Kconfig"
fi
if ! grep -q 'xen-blkback-async' "$blockdir/Makefile"; then
	printf '%s\n' 'obj-y += xen-blkback-async/ xen-blkback-async-tests/' \
		>> "$blockdir/Makefile"
fi

cd "$XBB_SRC"
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$XBB_TOP/.kunitconfig" \
	--build_dir="$build" --jobs="$(nproc)" --timeout=600 "$@" </dev/null
