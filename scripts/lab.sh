#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Xen lab: Xen 4.17 + Debian 6.1 dom0 + PV guests inside QEMU, built from
# Debian packages. dom0 serves each guest a phy: disk through the backend
# under test; the guest runs integrity checks and fio; dom0 checks the device
# afterwards. Prints "PASS lab/..." / "FAIL lab/..." lines and a table.
#
#   scripts/lab.sh            the demo (make lab)
#   scripts/lab.sh --check    integrity run, short fio (make check)
#   scripts/lab.sh --bench    full comparison, repeated (make bench)
#
# Environment: BACKENDS (ours blkback qdisk native), DEVICES (brd loop dm
# null), REPEAT, RUNTIME (s per fio job), OURS_PARAMS (module parameters),
# XBB_LAB_ACCEL (tcg|kvm), XBB_LAB_TIMEOUT (s for the whole boot).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
xbb_load_kernel_env

MODE=demo
case ${1:-} in
--check) MODE=check ;;
--bench) MODE=bench ;;
"") ;;
*) xbb_die "usage: $0 [--check|--bench]" ;;
esac

LAB=${XBB_LAB:-$XBB_CACHE/lab}
RUN=$XBB_CACHE/lab-run
OURS_KO=$XBB_TOP/drivers/block/xen-blkback-async/xen-blkback-async.ko

# The module serves disks once it registers as the "vbd" backend.
ours_ready() { modinfo -F alias "$OURS_KO" 2>/dev/null | grep -qx 'xen-backend:vbd'; }

defaults() {
	local ours=ours
	if ! ours_ready; then
		ours=
		xbb_log "note: xen-blkback-async does not serve disks yet;" \
			"the lab runs the in-tree xen-blkback as the reference"
	fi
	case $MODE in
	demo)
		: "${BACKENDS:=$ours blkback native}" "${DEVICES:=brd}"
		: "${REPEAT:=1}" "${RUNTIME:=5}" "${GUEST_MODE:=check}" ;;
	check)
		: "${BACKENDS:=$ours blkback}" "${DEVICES:=brd loop dm}"
		: "${REPEAT:=1}" "${RUNTIME:=2}" "${GUEST_MODE:=check}"
		SELFTEST=${SELFTEST-blkback} ;;
	bench)
		: "${BACKENDS:=$ours blkback qdisk native}" "${DEVICES:=brd}"
		: "${REPEAT:=3}" "${RUNTIME:=15}" "${GUEST_MODE:=bench}" ;;
	esac
	BACKENDS=$(echo "$BACKENDS" | tr ',' ' ')
	DEVICES=$(echo "$DEVICES" | tr ',' ' ')
	: "${SELFTEST:=}" "${OURS_PARAMS:=}" "${GUEST_VCPUS:=2}" "${DEV_MB:=256}"
	case " $BACKENDS " in *" ours "*)
		[ -f "$OURS_KO" ] || xbb_die "no $OURS_KO: run make first" ;;
	esac
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
	(cd "$g" && find . | cpio -o -H newc --quiet | zstd -q -3) > "$job/guest.cpio.zst"
	install -m 0755 "$XBB_TOP/scripts/lab/dom0-run.sh" "$job/dom0-run.sh"
	install -m 0644 "$XBB_TOP/scripts/lab/fio-perf.sh" "$job/fio-perf.sh"
	[ ! -f "$OURS_KO" ] || cp "$OURS_KO" "$job/"
	cat > "$job/plan" <<PLAN
BACKENDS="$BACKENDS"
DEVICES="$DEVICES"
REPEAT=$REPEAT
RUNTIME=$RUNTIME
MODE=$GUEST_MODE
SELFTEST="$SELFTEST"
OURS_PARAMS="$OURS_PARAMS"
GUEST_VCPUS=$GUEST_VCPUS
GUEST_TIMEOUT=$GUEST_TIMEOUT
DEV_MB=$DEV_MB
LIFECYCLE=$([ "$MODE" = check ] && echo 1)
PLAN
	rm -f "$RUN/job.img"
	mke2fs -q -t ext4 -d "$job" "$RUN/job.img" 128M
}

boot() {
	local accel=$1 budget=$2 cpu=qemu64 acc="tcg,thread=multi" rc=0
	[ "$accel" = kvm ] && { cpu=host; acc=kvm; }
	: > "$RUN/serial.log"
	# Progress on the terminal while the lab runs.
	tail -n +1 -F "$RUN/serial.log" 2>/dev/null |
		grep --line-buffered -E '^XBB-(LOG|RESULT|EXIT)|Panic|panic' &
	local tailer=$!
	timeout --foreground -k 10 "$((budget + 120))" \
	qemu-system-x86_64 -machine pc -accel "$acc" -cpu "$cpu" -m 4096 -smp 2 \
		-kernel "$LAB/xen" \
		-append "dom0_mem=2560M,max:2560M dom0_max_vcpus=2 console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot bootscrub=false" \
		-initrd "$LAB/vmlinuz console=hvc0 earlyprintk=xen xbb.budget=$budget,$LAB/stage1.cpio.gz" \
		-drive "file=$LAB/root.img,if=virtio,format=raw,snapshot=on" \
		-drive "file=$RUN/job.img,if=virtio,format=raw" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-display none -monitor none -nic none -no-reboot \
		-serial "file:$RUN/serial.log" </dev/null || rc=$?
	sleep 1
	kill "$tailer" 2>/dev/null || true
	wait "$tailer" 2>/dev/null || true
	return "$rc"
}

main() {
	local t0 t1 t2 accel rc=0 budget
	xbb_lock lab
	# Test what the tree says, not a stale build.
	make -s -C "$XBB_TOP" modules >/dev/null || xbb_die "building the module failed"
	defaults
	# A guest takes about a minute under TCG; these are ceilings.
	GUEST_TIMEOUT=$((300 + 8 * RUNTIME))
	local guests
	guests=$(( $(echo "$BACKENDS" | wc -w) * $(echo "$DEVICES" | wc -w) * REPEAT + 1 ))
	# The lifecycle guest, the reload variants and the resize guest.
	[ "$MODE" != check ] || guests=$((guests + 5))
	budget=$(( 240 + guests * GUEST_TIMEOUT / 2 ))
	budget=${XBB_LAB_TIMEOUT:-$budget}
	mkdir -p "$RUN"
	t0=$(date +%s)

	"$XBB_TOP/scripts/lab/images.sh"
	make_job
	t1=$(date +%s)
	accel=$(pick_accel)
	xbb_log "lab: mode=$MODE accel=$accel backends='$BACKENDS' devices='$DEVICES'" \
		"repeat=$REPEAT runtime=${RUNTIME}s budget=${budget}s"
	boot "$accel" "$budget" || rc=$?
	t2=$(date +%s)
	xbb_log "lab: set-up $((t1 - t0))s, boot+run $((t2 - t1))s, qemu exit $rc"
	python3 "$XBB_TOP/scripts/lab/report.py" "$RUN/serial.log" "$rc" "$SELFTEST"
}

main "$@"; exit $?
