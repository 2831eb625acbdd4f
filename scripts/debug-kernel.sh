#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The debug dom0 kernel for make check-debug: Debian's linux-source-6.1 of
# the pinned release, built with Debian's own config plus the kernel's
# checkers, trimmed to the modules a lab dom0 loads. Cached in
#   $XBB_CACHE/linux-debug-$KVER/      the build tree (our module builds
#                                      against it: KDIR)
#   $XBB_CACHE/linux-debug-$KVER/mods/ modules_install, stripped
# and rebuilt only when the config recipe (configure(), the module list)
# or the source tarball changes.
#
# What is on, and why:
#   PROVE_LOCKING (lockdep, PROVE_RCU)  lock order and context, RCU use
#   DEBUG_ATOMIC_SLEEP                   sleeping in atomic context
#   DEBUG_KMEMLEAK                       leaks; scanned on demand by the lab
#   KFENCE (interval set on the command line) and SLUB debugging
#   (slub_debug=FZPU on the command line)
#                                        out-of-bounds and use-after-free
#   DEBUG_OBJECTS (work, timers, RCU heads), DEBUG_LIST
#                                        freed-while-queued, list corruption
# KASAN is not among them: 6.1's x86 KASAN needs kasan_early_init() from
# x86_64_start_kernel() and a CR3 switch to early_top_pgt in kasan_init(),
# and a Xen PV dom0 enters through xen_start_kernel() and cannot load its
# own CR3; Linux has no KASAN for Xen PV.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_require build

xbb_load_kernel_env
OUT=$XBB_CACHE/linux-debug-$KVER
# A source tree of its own: KUnit splices our driver into the shared one.
SRC=$XBB_CACHE/linux-debug-$KVER.src
TARBALL=/usr/src/linux-source-6.1.tar.xz
LOCALVERSION=-xbbdebug

# The modules a lab dom0 loads (lsmod's first column), for localmodconfig.
# Everything else Debian builds as a module is left out: it cuts the build
# from hours to about half an hour on two cores.
MODULES="virtio virtio_ring virtio_pci virtio_pci_legacy_dev
	virtio_pci_modern_dev virtio_blk ext4 jbd2 mbcache crc16 crc32c_generic
	xen_evtchn xen_gntdev xen_gntalloc xenfs xen_privcmd xen_blkback
	brd loop dm_mod dm_flakey dm_delay null_blk"

# What the build depends on: the config recipe and the tarball.
stamp() {
	{ declare -f configure; echo "$MODULES $LOCALVERSION"; stat -c '%s-%Y' "$TARBALL"; } |
		sha256sum | cut -c1-16
}

unpack() {
	[ -r "$TARBALL" ] || xbb_die "no $TARBALL: run 'make deps'"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	tar -xJf "$TARBALL" -C "$SRC" --strip-components=1
}

configure() {
	local cfg=$OUT/.config lsmod=$OUT/lab.lsmod m
	cp "$XBB_HEADERS/.config" "$cfg"
	{
		echo "Module Size Used"
		for m in $MODULES; do echo "$m 0 0"; done
	} > "$lsmod"
	make -s -C "$SRC" O="$OUT" LSMOD="$lsmod" localmodconfig \
		</dev/null > "$OUT/config.log" 2>&1
	"$SRC/scripts/config" --file "$cfg" \
		--set-str LOCALVERSION "$LOCALVERSION" \
		-d LOCALVERSION_AUTO \
		-d MODULE_SIG_ALL -d MODULE_SIG_FORCE \
		--set-str MODULE_SIG_KEY certs/signing_key.pem \
		--set-str SYSTEM_TRUSTED_KEYS "" \
		--set-str SYSTEM_REVOCATION_KEYS "" \
		-d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_BTF \
		-e DEBUG_INFO_NONE \
		-e DEBUG_KERNEL -e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP \
		-e DEBUG_KMEMLEAK -d DEBUG_KMEMLEAK_DEFAULT_OFF \
		-d DEBUG_KMEMLEAK_AUTO_SCAN --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 16000 \
		-e KFENCE -e SLUB_DEBUG \
		-e DEBUG_OBJECTS -e DEBUG_OBJECTS_WORK -e DEBUG_OBJECTS_TIMERS \
		-e DEBUG_OBJECTS_RCU_HEAD -e DEBUG_LIST \
		-d KASAN
	make -s -C "$SRC" O="$OUT" olddefconfig >> "$OUT/config.log" 2>&1
	# olddefconfig must not have dropped a checker (a missing dependency).
	for m in PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK KFENCE \
			DEBUG_OBJECTS_WORK DEBUG_LIST XEN_PV_DOM0 BLK_DEV_DM; do
		grep -q "^CONFIG_$m=[ym]" "$cfg" ||
			xbb_die "debug kernel config lost CONFIG_$m"
	done
}

main() {
	local t0 want
	xbb_lock debug-kernel
	want=$(stamp)
	if [ "$(cat "$OUT/.xbb-stamp" 2>/dev/null)" = "$want" ] &&
	   [ -f "$OUT/arch/x86/boot/bzImage" ]; then
		xbb_log "debug kernel up to date: $OUT"
		return 0
	fi
	t0=$(date +%s)
	rm -rf "$OUT"
	mkdir -p "$OUT"
	xbb_log "debug kernel: unpacking $TARBALL"
	unpack
	xbb_log "debug kernel: configuring (Debian's config, lab modules, checkers)"
	configure
	xbb_log "debug kernel: building in $OUT (about half an hour on two cores)"
	make -C "$SRC" O="$OUT" -j"$(nproc)" bzImage modules \
		> "$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; xbb_die "debug kernel build failed"; }
	make -s -C "$SRC" O="$OUT" INSTALL_MOD_PATH="$OUT/mods" \
		INSTALL_MOD_STRIP=1 modules_install > "$OUT/install.log" 2>&1
	make -s -C "$SRC" O="$OUT" kernelrelease > "$OUT/kernelrelease"
	echo "$want" > "$OUT/.xbb-stamp"
	xbb_log "debug kernel $(cat "$OUT/kernelrelease") built in $(( $(date +%s) - t0 )) s"
}

main "$@"
