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

# Unpacks a Debian linux-source tarball into the cache, once per package
# version: Debian's linux-source-6.1 of the pinned release, or the tarball
# named by XBB_SOURCE_TARBALL (the matrix runs KUnit on a newer kernel so).
# The tree is used for KUnit (UML) and for checkpatch.pl and kernel-doc.
xbb_unpack_source() {
	local tarball stamp
	if [ -n "${XBB_SOURCE_TARBALL:-}" ]; then
		tarball=$XBB_SOURCE_TARBALL
		XBB_SRC=$XBB_CACHE/$(basename "$tarball" .tar.xz)
	else
		xbb_load_kernel_env
		tarball=/usr/src/linux-source-6.1.tar.xz
	fi
	[ -r "$tarball" ] || xbb_die "no $tarball: run 'make deps'"
	stamp=$(stat -c '%s-%Y' "$tarball")
	[ "$(cat "$XBB_SRC/.xbb-unpacked" 2>/dev/null)" = "$stamp" ] && return 0
	xbb_log "unpacking $tarball into $XBB_SRC"
	rm -rf "$XBB_SRC" "$XBB_SRC.tmp" "$XBB_SRC.uml"
	mkdir -p "$XBB_SRC.tmp"
	tar -xJf "$tarball" -C "$XBB_SRC.tmp" --strip-components=1
	echo "$stamp" > "$XBB_SRC.tmp/.xbb-unpacked"
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

# The commands each role's scripts call, beyond a minbase Debian. A script
# states its role with xbb_require; scripts/deps.sh installs the packages
# that provide them, and scripts/fresh.sh checks on a bare Debian that it did.
declare -A XBB_ROLE_CMDS=(
	[build]="make gcc ld bc flex bison perl python3 modinfo depmod xz pahole git"
	[lint]="sparse perl git make gcc"
	[kunit]="python3 gcc make bc flex bison git"
	[lab]="qemu-system-x86_64 debootstrap mke2fs zstd cpio busybox gzip
	       flock timeout xz modprobe mountpoint fuser gcc"
	[matrix]="debootstrap tar mount chroot git"
	[deb]="dpkg-buildpackage dh dh_dkms fakeroot git"
	[fuzz]="clang llvm-profdata llvm-cov"
)

# Dies naming what is missing when a role's commands are not all installed.
xbb_require() {
	local role c missing=()
	for role in "$@"; do
		for c in ${XBB_ROLE_CMDS[$role]}; do
			command -v "$c" >/dev/null 2>&1 || missing+=("$c")
		done
	done
	[ ${#missing[@]} = 0 ] && return 0
	xbb_log "error: missing ${missing[*]} ($*): run 'make deps'"
	return 1
}

# The Debian mirror apt uses here for a bookworm suite (never hard-coded
# where apt says more): xbb_mirror [bookworm-security].
xbb_mirror() {
	local suite=${1:-bookworm} m
	m=$(apt-cache policy 2>/dev/null |
		awk -v s="$suite/main" '$3 == s && $4 == "amd64" { print $2; exit }')
	case $suite in
	*-security) echo "${m:-http://deb.debian.org/debian-security}" ;;
	*) echo "${m:-http://deb.debian.org/debian}" ;;
	esac
}

# The apt sources of a Debian suite's own machine. "bookworm-backports" and
# "experimental" are a base suite plus one more, as admins add them.
xbb_suite_sources() {
	local suite=$1 m s
	m=$(xbb_mirror)
	s=$(xbb_mirror bookworm-security)
	case $suite in
	bookworm|trixie)
		echo "deb $m $suite main"
		echo "deb $m $suite-updates main"
		echo "deb $s $suite-security main" ;;
	bookworm-backports)
		xbb_suite_sources bookworm
		echo "deb $m bookworm-backports main" ;;
	trixie-backports)
		xbb_suite_sources trixie
		echo "deb $m trixie-backports main" ;;
	sid)
		echo "deb $m sid main" ;;
	experimental)
		echo "deb $m sid main"
		echo "deb $m experimental main" ;;
	*) xbb_die "unknown suite $suite" ;;
	esac
}

# The suite a debootstrap starts from.
xbb_base_suite() {
	case $1 in
	bookworm*) echo bookworm ;;
	trixie*) echo trixie ;;
	*) echo sid ;;
	esac
}

# A bare debootstrap (minbase) of a suite, as a cached tarball: what a fresh
# machine of that suite has. Remade after two weeks (the suites move).
xbb_suite_base() {
	local suite dir tarball log
	suite=$(xbb_base_suite "$1")
	dir=$XBB_CACHE/chroots
	tarball=$dir/$suite-base.tar
	mkdir -p "$dir"
	if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +14)" ]; then
		echo "$tarball"
		return 0
	fi
	log=$dir/$suite-debootstrap.log
	xbb_log "debootstrap $suite (minbase)"
	rm -rf "$dir/$suite-base"
	debootstrap --variant=minbase "$suite" "$dir/$suite-base" "$(xbb_mirror)" \
		> "$log" 2>&1 || { tail -n 20 "$log" >&2; xbb_die "debootstrap $suite failed"; }
	xbb_suite_sources "$suite" > "$dir/$suite-base/etc/apt/sources.list"
	# No daemon may start inside a chroot.
	printf '#!/bin/sh\nexit 101\n' > "$dir/$suite-base/usr/sbin/policy-rc.d"
	chmod +x "$dir/$suite-base/usr/sbin/policy-rc.d"
	rm -rf "$dir/$suite-base"/var/lib/apt/lists/* "$dir/$suite-base"/var/cache/apt/archives/*.deb
	tar -C "$dir/$suite-base" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	rm -rf "$dir/$suite-base"
	echo "$tarball"
}

# One PASS/FAIL line of a check made outside KUnit and the lab's dom0; a
# failure shows the end of its log.
xbb_verdict() {
	local name=$1 rc=$2 log=${3:-}
	if [ "$rc" = 0 ]; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		[ ! -s "$log" ] || tail -n 30 "$log" | sed 's/^/    /'
	fi
}

# Copies the work tree (tracked and untracked, not ignored), or commit
# $2, into $1 as a git work tree of one commit: what a clone gives.
xbb_copy_tree() {
	local dst=$1 rev=${2:-}
	mkdir -p "$dst"
	if [ -n "$rev" ]; then
		git -C "$XBB_TOP" archive "$rev" | tar -x -C "$dst"
	else
		(cd "$XBB_TOP" && git ls-files -co --exclude-standard -z |
			xargs -0 tar -c --no-recursion) | tar -x -C "$dst"
	fi
	(cd "$dst" && git init -q && git add -A &&
	 git -c user.name=xbb -c user.email=xbb@localhost commit -qm tree)
}

# Runs a shell command in a chroot with a clean environment.
xbb_in_chroot() {
	chroot "$1" /usr/bin/env -i HOME=/root TERM=dumb LC_ALL=C.UTF-8 \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		XBB_CACHE=/var/cache/xen-blkback-async /bin/bash -c "$2"
}

# The mirror may serve a frozen snapshot of a moving suite (sid's Release
# then says it expired): a build chroot still wants its packages.
xbb_chroot_apt_conf() {
	printf 'Acquire::Check-Valid-Until "false";\n' > "$1/etc/apt/apt.conf.d/99xbb-snapshot"
}

# Installs packages in a chroot, apt retried as the mirror needs:
#   xbb_chroot_install ROOT LOG [apt-get install arguments...]
# INITRD=No: no chroot here boots the initramfs a kernel package would
# otherwise build (a minute each). On failure, shows the log's end.
xbb_chroot_install() {
	local root=$1 log=$2 try
	shift 2
	for try in 1 2 3; do
		xbb_in_chroot "$root" "export INITRD=No; apt-get -q update &&
			apt-get -y -q --no-install-recommends install $* &&
			apt-get clean" > "$log" 2>&1 && return 0
		[ $try = 3 ] || sleep $((try * 10))
	done
	tail -n 20 "$log" | sed 's/^/    /'
	return 1
}

# What a chroot needs of the running system to install packages and build.
xbb_chroot_mount() {
	local root=$1
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --make-rslave "$root/dev"
	mount -t sysfs sysfs "$root/sys"
	mount -t tmpfs tmpfs "$root/tmp"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

# Processes chrooted into, or working inside, ROOT: a maintainer script's
# daemon outlives dpkg and keeps the root's filesystem busy.
xbb_chroot_pids() {
	local root=$1 p r c
	for p in /proc/[0-9]*; do
		r=$(readlink "$p/root" 2>/dev/null) || continue
		c=$(readlink "$p/cwd" 2>/dev/null) || c=
		case "$r/|$c/" in
		"$root/"*|*"|$root/"*) echo "${p#/proc/}" ;;
		esac
	done
}

# Ends what runs in ROOT (TERM, then KILL after 5 s), naming it on stderr.
xbb_chroot_kill() {
	local root=$1 pids p
	pids=$(xbb_chroot_pids "$root")
	[ -n "$pids" ] || return 0
	for p in $pids; do
		echo "  $root: ending pid $p ($(cat "/proc/$p/comm" 2>/dev/null))" >&2
	done
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(xbb_chroot_pids "$root")
		[ -n "$pids" ] || return 0
		sleep 0.5
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null || true
	sleep 0.5
}

# Undoes xbb_chroot_mount and any mount made below the root since; a
# mount of the root itself (an overlay) stays.
xbb_chroot_umount() {
	local root=$1 m
	xbb_chroot_kill "$root"
	for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

# Unmounts the filesystem at DIR (an overlay root), retrying while
# something lets go of it; says who holds it if it never does.
xbb_umount_root() {
	local dir=$1
	xbb_chroot_umount "$dir"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		mountpoint -q "$dir" || return 0
		umount "$dir" 2>/dev/null && return 0
		sleep 1
	done
	echo "  $dir stays busy:" >&2
	fuser -vm "$dir" >&2 2>&1 || true
	return 1
}

# Copies module $4 and what it depends on, uncompressed, from the module tree
# under root $2 (kernel release $3) to $1/lib/modules, appending each to
# $1/lib/modules/order in load order.
xbb_module_with_deps() {
	local dst=$1 root=$2 krel=$3 mod=$4 ko
	mkdir -p "$dst/lib/modules"
	for ko in $(modprobe -d "$root" -S "$krel" --show-depends "$mod" |
			awk '$1 == "insmod" { print $2 }'); do
		case $ko in
		*.xz) xz -dc "$ko" > "$dst/lib/modules/$(basename "${ko%.xz}")" ;;
		*.zst) zstd -qdc "$ko" > "$dst/lib/modules/$(basename "${ko%.zst}")" ;;
		*) cp "$ko" "$dst/lib/modules/" ;;
		esac
		ko=$(basename "$ko")
		ko=${ko%.xz}
		ko=${ko%.zst}
		echo "${ko%.ko}" >> "$dst/lib/modules/order"
	done
}

# dom0's first initramfs, for the kernel whose modules are under root $1
# (release $2), as $3: virtio and ext4, then scripts/lab/stage1-init mounts
# the root image and hands over. Small, because Xen copies multiboot modules
# slowly under TCG.
xbb_stage1() {
	local root=$1 krel=$2 out=$3 d m
	d=$(mktemp -d)
	mkdir -p "$d"/{bin,dev,proc,sys,newroot}
	cp /bin/busybox "$d/bin/busybox"
	for m in virtio_pci virtio_blk ext4; do
		xbb_module_with_deps "$d" "$root" "$krel" "$m"
	done
	install -m 0755 "$XBB_TOP/scripts/lab/stage1-init" "$d/init"
	(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
	rm -rf "$d"
}
