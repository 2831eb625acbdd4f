#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Builds the lab's cached images from Debian packages only:
#   $LAB/rootfs/        dom0 root (debootstrap minbase bookworm + Xen tools +
#                       the pinned Debian 6.1 kernel), packed as root.img
#   $LAB/root.img       ext4 image of it (mke2fs -d: no loop mount needed)
#   $LAB/xen            gunzipped hypervisor (QEMU's multiboot loader)
#   $LAB/vmlinuz        the dom0 (and guest) kernel
#   $LAB/stage1.cpio.gz dom0's first initramfs: virtio + ext4, switch_root
#   $LAB/guest-base/    the guest initramfs tree, without its init script
# Rebuilt when an input changes (package lists, this script, the kernel).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
xbb_load_kernel_env

LAB=${XBB_LAB:-$XBB_CACHE/lab}
ROOT=$LAB/rootfs
KREL=$KABI-amd64

DOM0_PKGS=(
	"linux-image-$KREL=$KVER" xen-utils-4.17 xenstore-utils xen-utils-common
	qemu-system-xen fio busybox-static kmod procps util-linux iproute2
	coreutils e2fsprogs dmsetup
)

# The host's Debian mirrors, as apt is configured here (never hard-coded).
mirror_for() {
	apt-cache policy 2>/dev/null |
		awk -v s="$1/main" '$3 == s && $4 == "amd64" { print $2; exit }'
}

# Bump when build_rootfs() changes what it makes.
ROOTFS_REV=2

rootfs_stamp() {
	{
		echo "$ROOTFS_REV $KVER ${DOM0_PKGS[*]}"
		dpkg-query -W -f='${Version}\n' xen-hypervisor-4.17-amd64
	} | sha256sum | cut -c1-16
}

# Everything else is cheap to remake: stage 1, guest base, the root image.
images_stamp() {
	cat "$0" "$XBB_TOP"/scripts/lab/{stage1-init,dom0-init,block-hotplug} |
		sha256sum | cut -c1-16
}

build_rootfs() {
	local main sec
	main=$(mirror_for bookworm)
	sec=$(mirror_for bookworm-security)
	[ -n "$main" ] || xbb_die "no bookworm mirror in apt's configuration"
	xbb_log "debootstrap dom0 root"
	rm -rf "$ROOT"
	debootstrap --variant=minbase bookworm "$ROOT" "$main" >"$LAB/debootstrap.log" 2>&1 ||
		{ tail -n 30 "$LAB/debootstrap.log"; xbb_die "debootstrap failed"; }
	{
		echo "deb $main bookworm main"
		echo "deb $main bookworm-updates main"
		[ -z "$sec" ] || echo "deb $sec bookworm-security main"
	} > "$ROOT/etc/apt/sources.list"
	# No daemon may start inside the chroot.
	printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
	chmod +x "$ROOT/usr/sbin/policy-rc.d"
	xbb_log "installing dom0 packages"
	local try ok=
	for try in 1 2 3; do
		if chroot "$ROOT" /bin/sh -c "DEBIAN_FRONTEND=noninteractive apt-get -q update &&
			DEBIAN_FRONTEND=noninteractive apt-get -y -q --no-install-recommends install ${DOM0_PKGS[*]}" \
			>"$LAB/chroot-apt.log" 2>&1; then
			ok=1
			break
		fi
		sleep $((try * 5))
	done
	[ -n "$ok" ] || { tail -n 30 "$LAB/chroot-apt.log"; xbb_die "chroot apt failed"; }
	chroot "$ROOT" apt-get clean
	# Smaller image, faster mke2fs: nothing here reads docs or boots initrd.
	rm -rf "$ROOT"/boot/initrd.img-* "$ROOT"/usr/share/doc/* \
		"$ROOT"/usr/share/locale/* "$ROOT"/usr/share/man/* "$ROOT"/var/lib/apt/lists/*
	depmod -b "$ROOT" "$KREL"
	rm -f "$ROOT/usr/sbin/policy-rc.d"
	[ "$(chroot "$ROOT" dpkg-query -W -f='${Version}' xen-utils-4.17)" = \
	  "$(dpkg-query -W -f='${Version}' xen-hypervisor-4.17-amd64)" ] ||
		xbb_die "dom0 xen-utils-4.17 does not match the host's hypervisor"
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

module_with_deps() {
	local dst=$1 mod=$2 ko
	for ko in $(modprobe -d "$ROOT" -S "$KREL" --show-depends "$mod" |
			awk '$1 == "insmod" { print $2 }'); do
		mkdir -p "$dst/lib/modules"
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

build_stage1() {
	local d=$LAB/stage1
	rm -rf "$d"
	mkdir -p "$d"/{bin,dev,proc,sys,newroot}
	cp /bin/busybox "$d/bin/busybox"
	for m in virtio_pci virtio_blk ext4; do
		module_with_deps "$d" "$m"
	done
	cp "$XBB_TOP/scripts/lab/stage1-init" "$d/init"
	chmod +x "$d/init"
	(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) > "$LAB/stage1.cpio.gz"
}

build_guest_base() {
	local d=$LAB/guest-base b
	rm -rf "$d"
	mkdir -p "$d"/{bin,dev,proc,sys,tmp,lib/modules}
	cp /bin/busybox "$d/bin/busybox"
	for b in /usr/bin/fio /usr/bin/dd /usr/sbin/blkdiscard /usr/sbin/blockdev; do
		copy_with_libs "$d" "$b"
	done
	module_with_deps "$d" xen-blkfront
}

build_root_img() {
	local size
	cp "$XBB_TOP/scripts/lab/dom0-init" "$ROOT/sbin/xbb-init"
	chmod +x "$ROOT/sbin/xbb-init"
	mkdir -p "$ROOT/job"
	# The stock block hotplug script forks ~100 times: over libxl's limit
	# under TCG. The lab's does the three xenstore writes a phy: attach needs.
	cp "$XBB_TOP/scripts/lab/block-hotplug" "$ROOT/etc/xen/scripts/block"
	chmod +x "$ROOT/etc/xen/scripts/block"
	size=$(( $(du -sm "$ROOT" | cut -f1) + 512 ))
	rm -f "$LAB/root.img"
	mke2fs -q -t ext4 -d "$ROOT" -L xbb-dom0 "$LAB/root.img" "${size}M"
}

main() {
	local want_root want_images
	mkdir -p "$LAB"
	want_root=$(rootfs_stamp)
	want_images=$want_root-$(images_stamp)
	if [ "$(cat "$LAB/stamp" 2>/dev/null)" = "$want_images" ] && [ -f "$LAB/root.img" ]; then
		xbb_log "lab images up to date"
		return 0
	fi
	rm -f "$LAB/stamp"
	if [ "$(cat "$LAB/rootfs.stamp" 2>/dev/null)" != "$want_root" ]; then
		rm -f "$LAB/rootfs.stamp"
		build_rootfs
		echo "$want_root" > "$LAB/rootfs.stamp"
	fi
	gunzip -c /boot/xen-4.17-amd64.gz > "$LAB/xen"
	cp "$ROOT/boot/vmlinuz-$KREL" "$LAB/vmlinuz"
	build_stage1
	build_guest_base
	build_root_img
	echo "$want_images" > "$LAB/stamp"
	xbb_log "lab images built in $LAB"
}

main "$@"; exit $?
