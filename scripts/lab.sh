#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Xen lab: Xen + a Debian dom0 + PV guests inside QEMU, built from Debian
# packages, in two flavours (LAB_DIST): bookworm (Xen 4.17, Linux 6.1) and
# trixie (Xen 4.20, Linux 6.12). Our module reaches dom0 the way it reaches
# an admin's: the xen-blkback-async-dkms package (make deb) is installed into
# the dom0 root, DKMS builds it for dom0's kernel, and the first guest's
# disk must be served by it with no modprobe (udev, the alias, the
# blacklist). dom0 serves each guest a phy: disk through the backend under
# test; the guest runs integrity checks and fio; dom0 checks the device
# afterwards. Prints "PASS lab-<dist>/..." / "FAIL ..." lines and a table.
#
#   scripts/lab.sh            the demo (make lab)
#   scripts/lab.sh --check    integrity run, short fio (make check)
#   scripts/lab.sh --bench    full comparison, repeated (make bench)
#   scripts/lab.sh --faults   device faults, ours and in-tree (make lab-faults)
#   scripts/lab.sh --debug    ours under a debug dom0: lockdep, kmemleak,
#                             KFENCE, SLUB debugging (make check-debug)
#   scripts/lab.sh --hostile  the hostile frontend's whole catalogue, ours
#                             and in-tree (make hostile)
#
# Environment: LAB_DIST (bookworm|trixie), BACKENDS (ours blkback qdisk
# native emul, each optionally @pv|@pvh|@hvm), GUEST_TYPE (pv|pvh|hvm, the
# default type), DEVICES (brd loop dm null file-ext4 file-xfs: the last
# two raw image files ours serves itself), REPEAT (rounds, each in
# another order), RUNTIME (s per fio job), PERF_CPU (1: dom0's CPU time
# around each fio job; make bench), PERSISTENT (1 0: each backend with
# persistent grants offered, then not, as ours-np), SCALE (guest counts of
# the scaling run, e.g. 1 2 4), PROFILE (1: grant hypercalls,
# notifications, context switches... counted per fio job), GUEST_VCPUS, GUEST_CPUS (the pCPUs the
# guests run on), OURS_PARAMS (module parameters),
# FAULTS (backends to run the fault cases for), FAULT_CASES (which; see
# dom0-run.sh fault_*), HOSTILE (backends the hostile frontend attacks),
# HOSTILE_CASES (all, subset, or case ids; see tests/hostile/main.c),
# HOSTILE_LEAKWAIT (s the guest waits before looking for grants dom0 still
# maps), HOSTILE_VBDS (disks D4 attaches at once), HOSTILE_RING (the ring
# cases again on ABI:ORDER:QUEUES, e.g. 32:2:2; make hostile), XBB_LAB_ACCEL
# (tcg|kvm), XBB_LAB_TCG_THREAD (multi|single), XBB_LAB_PIN (1: dom0 has
# one vCPU, pinned to CPU 0), XBB_LAB_TIMEOUT (s for the whole boot).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_load_kernel_env

MODE=demo
case ${1:-} in
--check) MODE=check ;;
--bench) MODE=bench ;;
--faults) MODE=faults ;;
--debug) MODE=debug ;;
--hostile) MODE=hostile ;;
"") ;;
*) xbb_die "usage: $0 [--check|--bench|--faults|--debug|--hostile]" ;;
esac

export LAB_DIST=${LAB_DIST:-bookworm}
LAB=${XBB_LAB:-$XBB_CACHE/lab/$LAB_DIST}
RUN=$XBB_CACHE/lab-run/$LAB_DIST
PREFIX=lab-$LAB_DIST
# The guests' type: pv (the default), pvh or hvm (qemu-xen as the device
# model, PV drivers unless the backend is "emul"). One guest's type may be
# given in BACKENDS as BACKEND@TYPE (ours@hvm). PVH and HVM need Xen to
# have hardware-assisted paging: QEMU's TCG gives AMD SVM with nested paging.
GUEST_TYPE=${GUEST_TYPE:-pv}
case $GUEST_TYPE in
pv) ;;
pvh|hvm) PREFIX=$PREFIX-$GUEST_TYPE ;;
*) xbb_die "GUEST_TYPE=$GUEST_TYPE: pv, pvh or hvm" ;;
esac
# The debug dom0 is built from the pinned 6.1 source (scripts/debug-kernel.sh)
# and boots the bookworm lab in place of Debian's kernel; guests keep it.
DBG=$XBB_CACHE/linux-debug-$KVER
if [ "$MODE" = debug ]; then
	[ "$LAB_DIST" = bookworm ] || xbb_die "the debug dom0 is 6.1: LAB_DIST=bookworm"
	RUN=$XBB_CACHE/lab-run/debug
	PREFIX=lab-debug
fi

defaults() {
	local ours=ours
	case $MODE in
	demo)
		: "${BACKENDS:=$ours blkback native}" "${DEVICES:=brd}"
		: "${REPEAT:=1}" "${RUNTIME:=5}" "${GUEST_MODE:=check}" ;;
	check)
		: "${BACKENDS:=$ours blkback}" "${DEVICES:=brd loop dm file-ext4 file-xfs}"
		: "${REPEAT:=1}" "${RUNTIME:=2}" "${GUEST_MODE:=check}"
		SELFTEST=${SELFTEST-blkback}
		# Ours only here; make lab-faults and make hostile run the
		# in-tree one too.
		FAULTS=${FAULTS-ours} HOSTILE=${HOSTILE-ours}
		: "${HOSTILE_CASES:=subset}" ;;
	debug)
		# Ours only: the integrity set, the lifecycle, every fault case
		# and the hostile subset, each a path the checkers should see.
		: "${BACKENDS:=$ours}" "${DEVICES:=brd loop dm file-ext4 file-xfs}"
		: "${REPEAT:=1}" "${RUNTIME:=2}" "${GUEST_MODE:=check}"
		FAULTS=${FAULTS-ours} HOSTILE=${HOSTILE-ours}
		: "${HOSTILE_CASES:=subset}" ;;
	faults)
		# Only the device-fault cases, for ours and the in-tree driver.
		BACKENDS=${BACKENDS-} DEVICES=${DEVICES-brd}
		: "${REPEAT:=1}" "${RUNTIME:=2}" "${GUEST_MODE:=check}"
		FAULTS=${FAULTS-ours blkback} ;;
	hostile)
		# Only the hostile frontend: every case, both drivers.
		BACKENDS=${BACKENDS-} DEVICES=${DEVICES-brd}
		: "${REPEAT:=1}" "${RUNTIME:=2}" "${GUEST_MODE:=check}"
		HOSTILE=${HOSTILE-ours blkback} FAULTS=${FAULTS-}
		: "${HOSTILE_CASES:=all}" "${HOSTILE_LEAKWAIT:=65}"
		: "${HOSTILE_RING=32:2:2}" ;;
	bench)
		# PV guests, brd and null_blk, persistent grants offered and
		# not, then 1, 2 and 4 guests at once; make bench-guests adds
		# HVM and PVH ones (BACKEND@TYPE) in a boot of their own.
		: "${BACKENDS:=$ours blkback native}" "${DEVICES:=brd null}"
		: "${REPEAT:=5}" "${RUNTIME:=6}" "${GUEST_MODE:=bench}"
		: "${PERF_CPU=1}" "${PERSISTENT=1 0}" "${SCALE=1 2 4}"
		# dom0 (one vCPU) on CPU 0, the guests on CPU 1: with the
		# vCPUs of both sharing the two cores, one round's ratio
		# swung by up to 4x and no difference could be resolved.
		: "${XBB_LAB_PIN:=1}" "${GUEST_VCPUS:=1}" "${GUEST_CPUS:=1}" ;;
	esac
	BACKENDS=$(echo "$BACKENDS" | tr ',' ' ')
	local b base type
	for b in $BACKENDS; do
		base=${b%%@*} type=$GUEST_TYPE
		[ "$b" = "$base" ] || type=${b#*@}
		case $base in ours|blkback|qdisk|native|emul) ;;
		*) xbb_die "BACKENDS: '$b': ours, blkback, qdisk, native or emul" ;;
		esac
		case $type in pv|pvh|hvm) ;;
		*) xbb_die "BACKENDS: '$b': a guest type is pv, pvh or hvm" ;;
		esac
		[ "$base" != emul ] || [ "$type" = hvm ] ||
			xbb_die "BACKENDS: the emulated disk is an HVM guest's: emul@hvm"
		[ "$type" = pv ] || [ "$base" = native ] || HAP=1
		[ "$type" != hvm ] || [ "$base" = native ] || HVM_BACKENDS=$((${HVM_BACKENDS:-0} + 1))
	done
	# PVH and HVM guests need Xen to have hardware-assisted paging: QEMU's
	# TCG gives it AMD SVM with nested paging. Under it, such a guest
	# whose vCPUs share a pCPU with dom0's mostly dies (on 2026-11-26,
	# 7 of 8: triple faults, or oopses at interrupt entry from user mode
	# with a bad GS base right after SWAPGS, through either backend and
	# with TCG single-threaded too); with dom0 on CPU 0 alone and the
	# guests on CPU 1, none of 18 did. PV-only runs stay as they were.
	if [ -n "${HAP:-}" ]; then
		: "${XBB_LAB_PIN:=1}" "${GUEST_VCPUS:=1}" "${GUEST_CPUS:=1}"
	fi
	# dom0's CPU time around each fio job (XBB-DOM0CPU): make bench.
	: "${PERF_CPU:=}" "${PERSISTENT:=1}" "${SCALE:=}"
	# PROFILE=1 (with PERF_CPU): events per fio job (XBB-PROF lines).
	: "${PROFILE:=}"
	DEVICES=$(echo "$DEVICES" | tr ',' ' ')
	: "${SELFTEST:=}" "${OURS_PARAMS:=}" "${GUEST_VCPUS:=2}" "${DEV_MB:=256}"
	# make check runs the teardown cases and the stuck-request warning;
	# make lab-faults the data ones too.
	# destroy_loop: DESTROY_LOOPS rounds of boot, reattach, destroy (~20 s
	# each).
	local cases="stuck destroy_suspended reconnect_suspended destroy_blocked_submit destroy_loop"
	local loops=3
	case $MODE in faults|debug)
		cases="error_range error_all flakey delay save_restore migrate $cases"
		loops=$([ "$MODE" = faults ] && echo 100 || echo 10) ;;
	esac
	: "${FAULTS:=}" "${FAULT_CASES:=$cases}" "${DESTROY_LOOPS:=$loops}"
	# Two guests, one capped by io.max through its vbd's cgroup: ours,
	# in make check and the debug run.
	case $MODE:" $BACKENDS " in check:*" ours "*|debug:*" ours "*)
		: "${CGROUP=1}" ;;
	*) : "${CGROUP=}" ;;
	esac
	# The guest's check for grants dom0 still maps takes a minute: only
	# make hostile waits for it (the domain's release is checked always).
	: "${HOSTILE:=}" "${HOSTILE_CASES:=subset}" "${HOSTILE_LEAKWAIT:=0}"
	: "${HOSTILE_VBDS:=64}" "${HOSTILE_RING:=}"
	# The lifecycle guest, the reload variants and the resize guest
	# (LIFECYCLE= leaves them out of a quick debug run).
	: "${LIFECYCLE=$(case $MODE in check|debug) echo 1 ;; esac)}"
}

pick_accel() {
	if [ -n "${XBB_LAB_ACCEL:-}" ]; then
		echo "$XBB_LAB_ACCEL"
	elif [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		# Xen needs real VMX/SVM from the host's KVM; a software KVM
		# without them cannot run it.
		echo kvm
	else
		echo tcg
	fi
}

make_job() {
	local job=$RUN/job g=$RUN/guest
	rm -rf "$job" "$g"
	mkdir -p "$job" "$g"
	cp -a "$LAB/guest-base/." "$g/"
	install -m 0755 "$XBB_TOP/scripts/lab/guest-init" "$g/init"
	install -m 0644 "$XBB_TOP/scripts/lab/fio-perf.sh" "$g/fio-perf.sh"
	# Static: the guest's initramfs has no libc.
	gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$g/bin/hostile" \
		"$XBB_TOP"/tests/hostile/*.c || return 1
	(cd "$g" && find . | cpio -o -H newc --quiet | zstd -q -3) > "$job/guest.cpio.zst"
	install -m 0755 "$XBB_TOP/scripts/lab/dom0-run.sh" "$job/dom0-run.sh"
	install -m 0644 "$XBB_TOP/scripts/lab/fio-perf.sh" "$job/fio-perf.sh"
	cat > "$job/plan" <<PLAN
BACKENDS="$BACKENDS"
DEVICES="$DEVICES"
REPEAT=$REPEAT
RUNTIME=$RUNTIME
MODE=$GUEST_MODE
SELFTEST="$SELFTEST"
OURS_PARAMS="$OURS_PARAMS"
GUEST_VCPUS=$GUEST_VCPUS
GUEST_CPUS="${GUEST_CPUS:-}"
GUEST_TYPE=$GUEST_TYPE
PERF_CPU=$PERF_CPU
PERSISTENT="$PERSISTENT"
SCALE="$SCALE"
PROFILE=$PROFILE
GUEST_TIMEOUT=$GUEST_TIMEOUT
DEV_MB=$DEV_MB
LIFECYCLE=$LIFECYCLE
DEBUG_DOM0=$([ "$MODE" = debug ] && echo 1)
FAULTS="$FAULTS"
FAULT_CASES="$FAULT_CASES"
CGROUP=$CGROUP
DESTROY_LOOPS=$DESTROY_LOOPS
HOSTILE="$HOSTILE"
HOSTILE_CASES="$HOSTILE_CASES"
HOSTILE_LEAKWAIT=$HOSTILE_LEAKWAIT
HOSTILE_VBDS=$HOSTILE_VBDS
HOSTILE_RING="$HOSTILE_RING"
PLAN
	rm -f "$RUN/job.img"
	mke2fs -q -t ext4 -d "$job" "$RUN/job.img" 128M
}

boot() {
	# RDRAND seeds every kernel's crng before its second CPU starts: the
	# crng_is_ready static key is then patched while nothing else runs
	# (see wait_crng in guest-init for the oops it avoids).
	local accel=$1 budget=$2 cpu=qemu64,+rdrand acc="tcg,thread=${XBB_LAB_TCG_THREAD:-multi}" rc=0
	[ "$accel" = kvm ] && { cpu=host; acc=kvm; }
	# Only when a guest is not PV (see defaults).
	[ -z "${HAP:-}" ] || cpu=$cpu,+svm,+npt
	local xen_vcpus="dom0_max_vcpus=2" mem=4096
	# The scaling run's four guests besides dom0's 2.5 GiB.
	[ -z "$SCALE" ] || mem=6144
	[ -z "${XBB_LAB_PIN:-}" ] || xen_vcpus="dom0_max_vcpus=1 dom0_vcpus_pin"
	: > "$RUN/serial.log"
	# Progress on the terminal while the lab runs.
	# Not holding the lab lock (fd 9): a killed run must not leave it taken.
	tail -n +1 -F "$RUN/serial.log" 2>/dev/null 9>&- |
		grep --line-buffered -E '^XBB-(LOG|RESULT|EXIT)|Panic|panic' 9>&- &
	local tailer=$!
	timeout --foreground -k 10 "$((budget + 120))" \
	qemu-system-x86_64 -machine pc -accel "$acc" -cpu "$cpu" -m "$mem" -smp 2 \
		-kernel "$LAB/xen" \
		-append "dom0_mem=2560M,max:2560M $xen_vcpus console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot bootscrub=false" \
		-initrd "$DOM0_KERNEL console=hvc0 earlyprintk=xen xbb.budget=$budget $DOM0_ARGS,$DOM0_STAGE1" \
		-drive "file=$RUN/root.img,if=virtio,format=raw,snapshot=on" \
		-drive "file=$RUN/job.img,if=virtio,format=raw" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-display none -monitor none -nic none -no-reboot \
		-serial "file:$RUN/serial.log" </dev/null || rc=$?
	sleep 1
	kill "$tailer" 2>/dev/null || true
	wait "$tailer" 2>/dev/null || true
	return "$rc"
}

pkg_verdict() { xbb_verdict "$PREFIX/package/$1" "$2" "$RUN/pkg.log"; }

# The run's dom0 root: the cached rootfs with our package installed as an
# admin installs it (dpkg -i; DKMS builds for the installed kernel), packed
# as root.img. Then, in the same copy, the package is removed again and
# must leave nothing behind. The cached rootfs stays untouched (overlay).
dom0_root() {
	local deb=$1 o=$RUN/ovl rc=0 ko
	# A run killed half-way leaves its mounts; take them down first.
	while mountpoint -q "$o/merged"; do
		xbb_umount_root "$o/merged" || return 1
	done
	rm -rf --one-file-system "$o"
	mkdir -p "$o"/{upper,work,merged}
	mount -t overlay overlay \
		-o "lowerdir=$LAB/rootfs,upperdir=$o/upper,workdir=$o/work" "$o/merged"
	xbb_chroot_mount "$o/merged"
	cp "$deb" "$o/merged/tmp/"
	xbb_in_chroot "$o/merged" "dpkg -i /tmp/$(basename "$deb")" > "$RUN/pkg.log" 2>&1 || rc=$?
	pkg_verdict dpkg-install $rc
	ko=$(ls "$o"/merged/lib/modules/"$KREL"/updates/dkms/xen-blkback-async.ko* 2>/dev/null || true)
	rc=0
	[ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$KREL " || rc=1
	pkg_verdict "dkms-built-for-$KREL" $rc
	rc=0
	xbb_in_chroot "$o/merged" "modprobe -S $KREL -c | grep -qx 'blacklist xen_blkback' &&
		modprobe -S $KREL -bR xen-backend:vbd | grep -qx xen_blkback_async" > "$RUN/pkg.log" 2>&1 || rc=1
	pkg_verdict alias-resolves-to-ours $rc
	[ "$MODE" != debug ] || debug_modules "$o/merged"
	# The lab's own init, and a block hotplug script that fits libxl's time
	# limit under TCG (the stock one forks ~100 times): three xenstore writes.
	install -m 0755 "$XBB_TOP/scripts/lab/dom0-init" "$o/merged/sbin/xbb-init"
	install -m 0755 "$XBB_TOP/scripts/lab/block-hotplug" "$o/merged/etc/xen/scripts/block"
	xbb_chroot_umount "$o/merged"
	rm -f "$RUN/root.img"
	mke2fs -q -t ext4 -d "$o/merged" -L xbb-dom0 "$RUN/root.img" \
		"$(( $(du -sm "$o/merged" | cut -f1) + 512 ))M" || { xbb_umount_root "$o/merged"; return 1; }
	# dpkg -r must take all of it away: the module, DKMS's tree, the source
	# and the blacklist (not a conffile, so no purge is needed).
	xbb_chroot_mount "$o/merged"
	rc=0
	xbb_in_chroot "$o/merged" "dpkg -r xen-blkback-async-dkms &&
		! ls /lib/modules/*/updates/dkms/xen-blkback-async.ko* 2>/dev/null &&
		! ls -d /var/lib/dkms/xen-blkback-async /usr/src/xen-blkback-async-* 2>/dev/null &&
		! modprobe -S $KREL -c | grep -q 'blacklist xen_blkback' &&
		modprobe -S $KREL -bR xen-backend:vbd | grep -qx xen_blkback" > "$RUN/pkg.log" 2>&1 || rc=$?
	pkg_verdict dpkg-remove-clean $rc
	xbb_umount_root "$o/merged" || return 1
	rm -rf --one-file-system "$o"
}

# The debug dom0: the kernel (built once, cached), our module built
# against it, and a stage 1 with its virtio and ext4 modules. KFENCE
# samples an allocation every 10 ms, SLUB checks and poisons every object.
debug_dom0() {
	local tree=$RUN/debug-module
	"$XBB_TOP/scripts/debug-kernel.sh" || return 1
	DKREL=$(cat "$DBG/kernelrelease")
	rm -rf "$tree"
	xbb_copy_tree "$tree"
	make -C "$tree" KDIR="$DBG" modules > "$RUN/debug-module.log" 2>&1 ||
		{ tail -n 20 "$RUN/debug-module.log"; echo "FAIL $PREFIX/build-for-$DKREL"; return 1; }
	echo "PASS $PREFIX/build-for-$DKREL"
	xbb_stage1 "$DBG/mods" "$DKREL" "$RUN/stage1.cpio.gz"
	DOM0_KERNEL=$DBG/arch/x86/boot/bzImage DOM0_STAGE1=$RUN/stage1.cpio.gz
	DOM0_ARGS="slub_debug=FZPU kfence.sample_interval=10"
}

# The debug kernel's modules, and ours built against it, in the dom0 root
# $1 beside Debian's kernel (which the guests boot).
debug_modules() {
	local root=$1 dst=$1/lib/modules/$DKREL/updates
	cp -a "$DBG/mods/lib/modules/$DKREL" "$root/lib/modules/"
	mkdir -p "$dst"
	install -m 0644 "$RUN/debug-module/drivers/block/xen-blkback-async/xen-blkback-async.ko" "$dst/"
	depmod -b "$root" "$DKREL"
}

main() {
	local t0 t1 t2 accel rc=0 budget
	xbb_require lab deb
	xbb_lock lab
	defaults
	# A guest takes about a minute under TCG; these are ceilings.
	GUEST_TIMEOUT=$((300 + 8 * RUNTIME))
	# Lockdep, SLUB poisoning and kmemleak slow dom0 down about twice.
	[ "$MODE" != debug ] || GUEST_TIMEOUT=$((GUEST_TIMEOUT * 2))
	local guests
	guests=$(( $(echo "$BACKENDS" | wc -w) * $(echo "$DEVICES" | wc -w) * REPEAT *
		$(echo "$PERSISTENT" | wc -w) + 1 ))
	# The scaling run: its guests boot together, about two guests' time.
	guests=$((guests + 2 * REPEAT * $(echo "$SCALE" | wc -w) * 2))
	[ -z "$LIFECYCLE" ] || guests=$((guests + 6))
	# Each backend's fault cases: a dozen guests and up to six minutes of
	# waiting for held I/O, and the destroy loop's rounds.
	# The hostile catalogue: about eight minutes a backend, the subset two,
	# and D4's disks, attached and detached one by one.
	# The ring cases again on another ring: a quarter of an hour more.
	local ring_s=0
	[ -z "$HOSTILE_RING" ] || ring_s=900
	# An HVM guest boots about three minutes longer (dom0-run.sh).
	guests=$((guests + ${HVM_BACKENDS:-0} * $(echo "$DEVICES" | wc -w) * REPEAT))
	budget=$(( 240 + guests * GUEST_TIMEOUT / 2 +
		$(echo "$FAULTS" | wc -w) * (1200 + 40 * DESTROY_LOOPS) +
		$(echo "$HOSTILE" | wc -w) * (1500 + 10 * HOSTILE_VBDS + ring_s) ))
	budget=${XBB_LAB_TIMEOUT:-$budget}
	mkdir -p "$RUN"
	t0=$(date +%s)

	"$XBB_TOP/scripts/lab/images.sh"
	# shellcheck source=/dev/null
	. "$LAB/kernel.env"
	deb=$("$XBB_TOP/scripts/deb.sh") || xbb_die "make deb failed"
	DOM0_KERNEL=$LAB/vmlinuz DOM0_STAGE1=$LAB/stage1.cpio.gz DOM0_ARGS=
	[ "$MODE" != debug ] || debug_dom0 || return 1
	dom0_root "$deb" || { echo "FAIL $PREFIX/package/dom0-root"; return 1; }
	make_job || { echo "FAIL $PREFIX/job"; return 1; }
	t1=$(date +%s)
	accel=$(pick_accel)
	xbb_log "lab: mode=$MODE accel=$accel guests=$GUEST_TYPE backends='$BACKENDS' devices='$DEVICES'" \
		"repeat=$REPEAT runtime=${RUNTIME}s budget=${budget}s"
	boot "$accel" "$budget" || rc=$?
	t2=$(date +%s)
	xbb_log "lab: set-up $((t1 - t0))s, boot+run $((t2 - t1))s, qemu exit $rc"
	# Debian's interpreter: its python3-matplotlib draws the bench plot.
	/usr/bin/python3 "$XBB_TOP/scripts/lab/report.py" "$RUN/serial.log" "$rc" "$SELFTEST" "$PREFIX"
}

main "$@"; exit $?
