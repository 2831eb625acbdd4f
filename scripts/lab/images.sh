#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Builds the lab's cached images from Debian packages only, for one flavour
# (LAB_DIST): bookworm = Xen 4.17 + the pinned Debian 6.1 kernel; trixie =
# Xen 4.20 + Debian 13's 6.12 kernel. In $LAB ($XBB_CACHE/lab/$LAB_DIST):
#   $LAB/rootfs/        dom0 root (debootstrap minbase + Xen + the kernel, its
#                       headers and DKMS, as an admin's dom0 has them); the
#                       lab installs the project's package into a copy of it
#                       and packs that as the run's root image
#   $LAB/xen            gunzipped hypervisor from the rootfs (QEMU's
#                       multiboot loader)
#   $LAB/vmlinuz        the dom0 (and guest) kernel
#   $LAB/stage1.cpio.gz dom0's first initramfs: virtio + ext4, switch_root
#   $LAB/guest-base/    the guest initramfs tree, without its init script
# Rebuilt when an input changes (package lists, this script, the kernel).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
xbb_load_kernel_env

LAB_DIST=${LAB_DIST:-bookworm}
LAB=${XBB_LAB:-$XBB_CACHE/lab/$LAB_DIST}
ROOT=$LAB/rootfs

# The dom0 (and guest) kernel: bookworm's is pinned to the release the host
# builds against; trixie's is the suite's newest.
case $LAB_DIST in
bookworm)
	XEN=4.17
	KPKGS=("linux-image-$KABI-amd64=$KVER" "linux-headers-$KABI-amd64=$KVER") ;;
trixie)
	XEN=4.20
	KPKGS=(linux-image-amd64 linux-headers-amd64) ;;
*) xbb_die "LAB_DIST: bookworm or trixie, not '$LAB_DIST'" ;;
esac

DOM0_PKGS=(
	"${KPKGS[@]}" "xen-hypervisor-$XEN-amd64" "xen-utils-$XEN" xenstore-utils
	xen-utils-common qemu-system-xen fio busybox-static kmod procps
	util-linux iproute2 coreutils e2fsprogs xfsprogs dmsetup dkms udev linux-perf
)

# Bump when build_rootfs() changes what it makes.
ROOTFS_REV=3

# The rootfs is remade when its package list changes, and every two weeks
# for a suite that moves (the newest trixie kernel).
rootfs_stamp() {
	echo "$ROOTFS_REV $LAB_DIST ${DOM0_PKGS[*]}" | sha256sum | cut -c1-16
}

rootfs_stale() {
	[ "$(cat "$LAB/rootfs.stamp" 2>/dev/null)" != "$(rootfs_stamp)" ] ||
		[ -n "$(find "$LAB/rootfs.stamp" -mtime +14)" ]
}

# Everything else is cheap to remake: stage 1 and the guest base.
images_stamp() {
	{ cat "$0" "$XBB_TOP"/scripts/lab/stage1-init
	  declare -f xbb_stage1 xbb_module_with_deps; } | sha256sum | cut -c1-16
}

build_rootfs() {
	local base
	base=$(xbb_suite_base "$LAB_DIST")
	xbb_log "dom0 root: $LAB_DIST, Xen $XEN"
	rm -rf --one-file-system "$ROOT"
	mkdir -p "$ROOT"
	tar -xf "$base" -C "$ROOT"
	xbb_chroot_apt_conf "$ROOT"
	xbb_log "installing dom0 packages"
	xbb_chroot_install "$ROOT" "$LAB/chroot-apt.log" "${DOM0_PKGS[@]}" ||
		xbb_die "chroot apt failed"
	# Smaller image, faster mke2fs: nothing here reads docs or boots initrd.
	rm -rf "$ROOT"/boot/initrd.img-* "$ROOT"/usr/share/doc/* \
		"$ROOT"/usr/share/locale/* "$ROOT"/usr/share/man/* "$ROOT"/var/lib/apt/lists/*
	kernel_release
	depmod -b "$ROOT" "$KREL"
	mkdir -p "$ROOT/job"
}

# The dom0 kernel's release, from the one kernel the rootfs has.
kernel_release() {
	KREL=$(ls "$ROOT/lib/modules" | sort -V | tail -n 1)
	[ -n "$KREL" ] || xbb_die "no kernel in $ROOT"
}

# Copies a binary and the shared libraries it loads from the dom0 root.
copy_with_libs() {
	local dst=$1 bin=$2 lib
	mkdir -p "$dst$(dirname "$bin")"
	cp -L "$ROOT$bin" "$dst$bin"
	for lib in $(chroot "$ROOT" ldd "$bin" 2>/dev/null |
			awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'); do
		mkdir -p "$dst$(dirname "$lib")"
		cp -Ln "$ROOT$lib" "$dst$lib"
	done
}

build_stage1() {
	xbb_stage1 "$ROOT" "$KREL" "$LAB/stage1.cpio.gz"
}

build_guest_base() {
	local d=$LAB/guest-base b
	rm -rf "$d"
	mkdir -p "$d"/{bin,dev,proc,sys,tmp,lib/modules}
	cp /bin/busybox "$d/bin/busybox"
	for b in /usr/bin/fio /usr/bin/dd /usr/sbin/blkdiscard /usr/sbin/blockdev; do
		copy_with_libs "$d" "$b"
	done
	# The hostile frontend's way to share pages and signal from user space.
	for b in xen-blkfront xen-gntalloc xen-evtchn; do
		xbb_module_with_deps "$d" "$ROOT" "$KREL" "$b"
	done
	# An HVM guest's emulated IDE disk, for the bench's comparison.
	for b in ata_piix sd_mod; do
		xbb_module_with_deps "$d/emul" "$ROOT" "$KREL" "$b"
	done
}

main() {
	local want_images
	mkdir -p "$LAB"
	xbb_lock "lab-images-$LAB_DIST"
	if rootfs_stale; then
		rm -f "$LAB/rootfs.stamp" "$LAB/stamp"
		build_rootfs
		rootfs_stamp > "$LAB/rootfs.stamp"
	fi
	kernel_release
	want_images=$(cat "$LAB/rootfs.stamp")-$(images_stamp)
	if [ "$(cat "$LAB/stamp" 2>/dev/null)" = "$want_images" ] && [ -f "$LAB/xen" ]; then
		xbb_log "lab images ($LAB_DIST) up to date"
		return 0
	fi
	gunzip -c "$(ls "$ROOT"/boot/xen-"$XEN"*-amd64.gz | head -n 1)" > "$LAB/xen"
	cp "$ROOT/boot/vmlinuz-$KREL" "$LAB/vmlinuz"
	echo "KREL=$KREL" > "$LAB/kernel.env"
	build_stage1
	build_guest_base
	echo "$want_images" > "$LAB/stamp"
	xbb_log "lab images ($LAB_DIST, $KREL) built in $LAB"
}

main "$@"; exit $?
