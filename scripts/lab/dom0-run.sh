#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in the lab's dom0 from the job disk: starts the toolstack, sets up
# the backing devices, and for each backend x device boots a guest that runs
# the workloads. Emits result lines on the console:
#   XBB-RESULT backend=B dev=D test=T pass|fail|skip [k=v ...]
#   XBB-FIO backend=B dev=D job=J iops=... (from the guest)
#   XBB-CPU backend=B dev=D cpu_ms=N
# and ends with dom0's dmesg between XBB-DMESG-BEGIN/END.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/xen-4.17/bin
. /job/plan
J=/job
MiB=1048576
status=0

say() { echo "XBB-LOG $(date +%T) $*"; }
# The negative control (inject=...) is expected to fail: not our status.
result() {
	echo "XBB-RESULT $*"
	case $1 in *inject=*) return ;; esac
	[ "$3" != fail ] || status=1
}

start_toolstack() {
	if [ -x /usr/sbin/oxenstored ]; then
		oxenstored --pid-file=/run/xenstored.pid >/var/log/xenstored.log 2>&1
	else
		xenstored --pid-file=/run/xenstored.pid >/var/log/xenstored.log 2>&1
	fi
	i=0
	until xenstore-exists / 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { say "xenstored did not start"; return 1; }
		sleep 0.2
	done
	xen-init-dom0 >/var/log/xen-init-dom0.log 2>&1 || return 1
	xenconsoled --log=guest --log-dir=/var/log/xen/console
	say "toolstack up"
}

# name -> device path, created once per boot.
setup_devices() {
	mb=$DEV_MB
	modprobe brd rd_nr=3 rd_size=$((mb * 1024)) || return 1
	# ram1 backs the read-only disk: fill it so dom0 can tell it is unchanged.
	dd if=/dev/urandom of=/dev/ram1 bs=1M count=4 2>/dev/null
	RO_SHA=$(dd if=/dev/ram1 bs=1M count=4 2>/dev/null | sha256sum | cut -d' ' -f1)
	modprobe loop
	truncate -s "${mb}M" /tmp/loop.img
	LOOPDEV=$(losetup -f --show /tmp/loop.img) || return 1
	modprobe dm-mod
	echo "0 $((mb * 2048)) linear /dev/ram2 0" | dmsetup create xbb-linear || return 1
	# No udev here: make the /dev/mapper node ourselves.
	dmsetup mknodes xbb-linear
	case " $DEVICES " in *" null "*)
		modprobe null_blk nr_devices=1 gb=4 bs=512 queue_mode=2 || return 1 ;;
	esac
}

dev_path() {
	case $1 in
	brd) echo /dev/ram0 ;;
	loop) echo "$LOOPDEV" ;;
	dm) echo /dev/mapper/xbb-linear ;;
	null) echo /dev/nullb0 ;;
	esac
}

# Only one kernel backend may own "vbd"; load the one asked for.
select_backend() {
	case $1 in
	ours)
		rmmod xen-blkback 2>/dev/null
		printf 'blacklist xen-blkback\ninstall xen-blkback /bin/false\n' \
			> /etc/modprobe.d/xbb-lab.conf
		lsmod | grep -q '^xen_blkback_async' ||
			insmod $J/xen-blkback-async.ko $OURS_PARAMS || return 1
		;;
	blkback)
		rm -f /etc/modprobe.d/xbb-lab.conf
		rmmod xen-blkback-async 2>/dev/null
		modprobe xen-blkback || return 1
		;;
	esac
	return 0
}

# Backend threads' CPU time, summed over the guest's life: sampled every
# second because the threads exit at disconnect.
cpu_sampler() {
	pat=$1
	: > /tmp/cpu.$$
	while :; do
		for s in /proc/[0-9]*/stat; do
			{ read -r line < "$s"; } 2>/dev/null || continue
			comm=${line#*(}; comm=${comm%%)*}
			case $comm in $pat) ;; *) continue ;; esac
			set -- ${line##*) }
			echo "${s%/stat} $(( ${12} + ${13} ))"
		done > /tmp/cpu.now.$$
		cat /tmp/cpu.now.$$ >> /tmp/cpu.$$
		sleep 1
	done
}

cpu_total_ms() {
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	sort -k1,1 -k2,2n /tmp/cpu.$$ 2>/dev/null |
		awk -v hz="$hz" '{ last[$1] = $2 } END { for (p in last) t += last[p]; printf "%d\n", t * 1000 / hz }'
}

disk_spec() {
	backend=$1 path=$2 vdev=$3 access=$4
	case $backend in
	qdisk) echo "'format=raw, vdev=$vdev, access=$access, backendtype=qdisk, target=$path'" ;;
	*) echo "'phy:$path,$vdev,$access'" ;;
	esac
}

run_guest() {
	backend=$1 dev=$2 inject=$3
	name=g-$backend-$dev${inject:+-$inject}
	tag="backend=$backend dev=$dev${inject:+ inject=$inject}"
	path=$(dev_path "$dev")
	cat > /tmp/$name.cfg <<CFG
name = "$name"
type = "pv"
kernel = "/boot/vmlinuz-$KREL"
ramdisk = "$J/guest.cpio.zst"
memory = 512
vcpus = $GUEST_VCPUS
extra = "console=hvc0 rdinit=/init quiet xbb.mode=$MODE xbb.runtime=$RUNTIME xbb.inject=$inject"
disk = [ $(disk_spec "$backend" "$path" xvda w), $(disk_spec "$backend" /dev/ram1 xvdb r) ]
on_poweroff = "destroy"
on_crash = "destroy"
CFG
	case $backend in
	ours) pat='xbb*' ;;
	blkback) pat='blkback*' ;;
	qdisk) pat='qemu-system-*' ;;
	esac
	cpu_sampler "$pat" & sampler=$!
	say "guest $name: create"
	t0=$(date +%s)
	if ! timeout 120 xl create -q /tmp/$name.cfg > /tmp/$name.create.log 2>&1; then
		kill $sampler
		cat /tmp/$name.create.log
		result "$tag" test=create fail
		timeout 30 xl destroy "$name" 2>/dev/null
		return
	fi
	while xl domid "$name" >/dev/null 2>&1; do
		if [ $(( $(date +%s) - t0 )) -gt "$GUEST_TIMEOUT" ]; then
			result "$tag" test=guest-timeout fail seconds="$GUEST_TIMEOUT"
			timeout 60 xl destroy "$name" || say "xl destroy hung"
			break
		fi
		sleep 2
	done
	kill $sampler 2>/dev/null
	echo "XBB-CPU $tag cpu_ms=$(cpu_total_ms)"
	say "guest $name: gone after $(( $(date +%s) - t0 ))s"
	log=/var/log/xen/console/guest-$name.log
	[ -f "$log" ] || { result "$tag" test=console fail; return; }
	tr -d '\r' < "$log" > /tmp/$name.console
	grep -q XBB-GUEST-DONE /tmp/$name.console || {
		tail -n 40 /tmp/$name.console
		result "$tag" test=guest-completed fail
	}
	sed -n 's/^XBB-RESULT \([^ ]*\) \(.*\)/\1 \2/p' /tmp/$name.console |
	while read -r t v rest; do
		echo "XBB-RESULT $tag test=$t $v $rest"
	done
	grep -E '^XBB-(FIO|INFO) ' /tmp/$name.console | sed "s/^\(XBB-[A-Z]*\) /\1 $tag /"
	[ -n "$inject" ] || ! grep -q 'XBB-RESULT [^ ]* fail' /tmp/$name.console ||
		status=1
	verify_in_dom0 "$tag" "$path"
}

# After the guest: what it wrote must be on the device, as dom0 reads it.
verify_in_dom0() {
	tag=$1 path=$2
	[ "$MODE" = check ] || return 0
	want=$(sed -n 's/^XBB-EXPECT dev-sha256-32m=//p' /tmp/$name.console)
	got=$(dd if="$path" bs=1M count=32 iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		result "$tag" test=dom0-readback pass
	else
		result "$tag" test=dom0-readback fail want="$want" got="$got"
	fi
	ro=$(dd if=/dev/ram1 bs=1M count=4 2>/dev/null | sha256sum | cut -d' ' -f1)
	if [ "$ro" = "$RO_SHA" ]; then
		result "$tag" test=dom0-readonly-unchanged pass
	else
		result "$tag" test=dom0-readonly-unchanged fail
	fi
}

# The same fio jobs, in dom0 on the device itself: the limit.
run_native() {
	dev=$1
	path=$(dev_path "$dev")
	tag="backend=native dev=$dev"
	for job in "randread-4k-qd1 --rw=randread --bs=4k --iodepth=1" \
		   "randread-4k-qd32 --rw=randread --bs=4k --iodepth=32" \
		   "randwrite-4k-qd32 --rw=randwrite --bs=4k --iodepth=32" \
		   "seqread-1m-qd8 --rw=read --bs=1m --iodepth=8" \
		   "seqwrite-1m-qd8 --rw=write --bs=1m --iodepth=8"; do
		set -- $job
		n=$1
		shift
		fio --name="$n" --filename="$path" --direct=1 --ioengine=libaio \
			--time_based --runtime="$RUNTIME" --offset=$((96 * MiB)) \
			--size=$((128 * MiB)) --output-format=terse --terse-version=3 "$@" \
			2>/dev/null | tail -n 1 | awk -F';' -v n="$n" -v tag="$tag" '{
			if ($8 + 0 > 0) { iops = $8; bw = $7; lat = $40; lo = 18 }
			else { iops = $49; bw = $48; lat = $81; lo = 59 }
			p99 = 0
			for (i = lo; i < lo + 20; i++)
				if ($i ~ /^99\.000000%=/) { split($i, a, "="); p99 = a[2] }
			printf "XBB-FIO %s %s iops=%d bw_kib=%d lat_mean_us=%.1f lat_p99_us=%d ios=%d\n",
				tag, n, iops, bw, lat, p99, iops * ($9 + $50) / 1000
		}'
	done
}

main() {
	KREL=$(uname -r)
	start_toolstack || { say "toolstack failed"; return 1; }
	setup_devices || { say "device setup failed"; return 1; }
	round=0
	while [ $round -lt "$REPEAT" ]; do
		round=$((round + 1))
		for dev in $DEVICES; do
			for backend in $BACKENDS; do
				echo "XBB-ROUND $round"
				case $backend in
				native) run_native "$dev"; continue ;;
				esac
				if ! select_backend "$backend"; then
					result "backend=$backend dev=$dev" test=load fail
					continue
				fi
				run_guest "$backend" "$dev" ""
			done
		done
	done
	if [ -n "$SELFTEST" ]; then
		select_backend "$SELFTEST"
		run_guest "$SELFTEST" brd corrupt
	fi
	rmmod xen-blkback-async 2>/dev/null
	return $status
}

main
rc=$?
echo "XBB-DMESG-BEGIN"
dmesg
echo "XBB-DMESG-END"
exit $rc
