# SPDX-License-Identifier: GPL-2.0-only
# Shared by the scripts: where things are cached and which kernel we pin to.
# Sourced, not run.

XBB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Caches live outside the repo so that a fresh clone reuses them.
XBB_CACHE=${XBB_CACHE:-/var/cache/xen-blkback-async}
XBB_KERNEL_ENV=$XBB_CACHE/kernel.env

# Serialises users of one shared cache directory (KUnit build, lab run):
# two at once would corrupt each other's build or boot.
xbb_lock() {
	mkdir -p "$XBB_CACHE"
	exec 9> "$XBB_CACHE/$1.lock"
	if ! flock -n 9; then
		xbb_log "waiting for another $1 run to finish"
		flock 9
	fi
}

xbb_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
xbb_die() { xbb_log "error: $*"; exit 1; }

# Loads KVER (Debian package version, e.g. 6.1.192-2) and KABI (e.g.
# 6.1.0-56) as pinned by scripts/deps.sh.
xbb_load_kernel_env() {
	[ -r "$XBB_KERNEL_ENV" ] || xbb_die "no $XBB_KERNEL_ENV: run 'make deps'"
	# shellcheck source=/dev/null
	. "$XBB_KERNEL_ENV"
	XBB_HEADERS=/usr/src/linux-headers-$KABI-amd64
	XBB_SRC=$XBB_CACHE/linux-source-$KVER
}

# apt-get with retries: the mirror is reachable but not always quick.
xbb_apt() {
	local try
	for try in 1 2 3 4 5; do
		DEBIAN_FRONTEND=noninteractive apt-get -y -q \
			-o Dpkg::Use-Pty=0 -o Acquire::Retries=3 "$@" && return 0
		xbb_log "apt-get $1 failed (try $try), retrying"
		sleep $((try * 5))
	done
	return 1
}

# Unpacks Debian's linux-source-6.1 tarball into the cache once per release.
# The tree is used for KUnit (UML) and for checkpatch.pl and kernel-doc.
xbb_unpack_source() {
	xbb_load_kernel_env
	[ -f "$XBB_SRC/.xbb-unpacked" ] && return 0
	local tarball=/usr/src/linux-source-6.1.tar.xz
	[ -r "$tarball" ] || xbb_die "no $tarball: run 'make deps'"
	xbb_log "unpacking $tarball into $XBB_SRC"
	rm -rf "$XBB_SRC" "$XBB_SRC.tmp"
	mkdir -p "$XBB_SRC.tmp"
	tar -xJf "$tarball" -C "$XBB_SRC.tmp" --strip-components=1
	touch "$XBB_SRC.tmp/.xbb-unpacked"
	mv "$XBB_SRC.tmp" "$XBB_SRC"
}

# The pure core: these files must build without Xen glue or the block layer.
XBB_CORE_FILES=(
	drivers/block/xen-blkback-async/core.h
	drivers/block/xen-blkback-async/abi.c
	drivers/block/xen-blkback-async/request.c
	drivers/block/xen-blkback-async/negotiate.c
	drivers/block/xen-blkback-async/pgrant.c
)

# Every C source and header of ours, for style and kernel-doc checks.
xbb_c_files() {
	(cd "$XBB_TOP" && git ls-files -co --exclude-standard -- \
		'drivers/*.c' 'drivers/*.h' 'tests/*.c' 'tests/*.h' 'include/*.h' |
		sort -u)
}
