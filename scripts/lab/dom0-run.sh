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
PATH="/usr/sbin:/usr/bin:/sbin:/bin:$(ls -d /usr/lib/xen-[0-9]*/bin | tail -n 1)"
export PATH
. /job/plan
. /job/fio-perf.sh
J=/job
status=0
# The whole catalogue, a guest's life; the grant-leak wait on top.
# D4's disks (make hostile; the subset does not run D4).
: "${HOSTILE_VBDS:=64}"
HOSTILE_TIMEOUT=$((1500 + ${HOSTILE_LEAKWAIT:-0} + 10 * HOSTILE_VBDS))
HOSTILE_ARGS=

say() { echo "XBB-LOG $(date +%T) $*"; }
# The negative control (inject=...) is expected to fail: not our status.
# Nor are the in-tree driver's fault cases (FAULT_REF set): a reference.
result() {
	echo "XBB-RESULT $*${FAULT_REF:+ ref=1}"
	case $1 in *inject=*) return ;; esac
	[ -n "$FAULT_REF" ] || [ "$3" != fail ] || status=1
}

# What report.py calls a dirty dmesg. The debug dom0's checkers report as
# BUG: (KFENCE, sleeping in atomic), WARNING: (lockdep, ODEBUG) or with a
# Call Trace; kmemleak's own line is added.
BAD_DMESG='BUG:|Oops|WARNING:|KASAN|general protection|hung_task|blocked for more than|Call Trace|suspected memory leak'

# A verdict on dmesg so far, then a clean slate: the in-tree driver's fault
# cases may leave hung-task reports that are not ours.
dmesg_verdict() {
	bad=$(dmesg | grep -cE "$BAD_DMESG")
	if [ "$bad" = 0 ]; then
		result "$1" test=dom0-dmesg-clean pass
	else
		dmesg | grep -E "$BAD_DMESG" | head -n 20 | sed 's/^/XBB-LOG dmesg: /'
		result "$1" test=dom0-dmesg-clean fail lines="$bad"
	fi
	dmesg -C
}

# The debug dom0 (make check-debug): kmemleak forgets what boot allocated,
# so that what it reports at the end was allocated during the run.
debug_begin() {
	[ -n "$DEBUG_DOM0" ] || return 0
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo clear > /sys/kernel/debug/kmemleak
	else
		result "backend=ours dev=dom0" test=kmemleak-on fail
	fi
	say "debug dom0 $(uname -r): $(grep -s debug_locks /proc/lockdep_stats)," \
		"kfence every $(cat /sys/module/kfence/parameters/sample_interval) ms"
}

# After the last guest and the module unload: every object allocated since
# debug_begin that nothing points to any more. kmemleak reports an object
# only once it has stayed unreferenced over two scans.
debug_end() {
	[ -n "$DEBUG_DOM0" ] || return 0
	# Lockdep switches itself off after its first report, or when it runs
	# out of table space: then it saw only part of the run.
	if grep -q 'debug_locks: *1' /proc/lockdep_stats; then
		result "backend=ours dev=dom0" test=lockdep-on-to-the-end pass
	else
		result "backend=ours dev=dom0" test=lockdep-on-to-the-end fail
	fi
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	if [ "$leaks" = 0 ]; then
		result "backend=ours dev=dom0" test=kmemleak-none pass
	else
		head -n 120 /sys/kernel/debug/kmemleak | sed 's/^/XBB-LOG kmemleak: /'
		result "backend=ours dev=dom0" test=kmemleak-none fail leaks="$leaks"
	fi
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
		[ $i -lt 100 ] || { say "xenstored did not start"; ls -l /dev/xen /proc/xen | sed 's/^/XBB-LOG /'; return 1; }
		sleep 0.2
	done
	xen-init-dom0 >/var/log/xen-init-dom0.log 2>&1 || return 1
	xenconsoled --log=guest --log-dir=/var/log/xen/console
	say "toolstack up"
}

# name -> device path, created once per boot.
setup_devices() {
	mb=$DEV_MB
	# ram3 is the hostile guest's xvdd, which it takes away for good;
	# ram4 to ram7 hold the file systems of the file-backed disks.
	modprobe brd rd_nr=8 rd_size=$((mb * 1024)) || return 1
	# ram1 backs the read-only disk: fill it so dom0 can tell it is unchanged.
	dd if=/dev/urandom of=/dev/ram1 bs=1M count=4 2>/dev/null
	RO_SHA=$(dd if=/dev/ram1 bs=1M count=4 2>/dev/null | sha256sum | cut -d' ' -f1)
	modprobe loop
	truncate -s "${mb}M" /tmp/loop.img
	LOOPDEV=$(losetup -f --show /tmp/loop.img) || return 1
	# 4 KiB logical blocks: the hostile guest's xvdc (B9).
	truncate -s "${mb}M" /tmp/loop4k.img
	LOOP4K=$(losetup -b 4096 -f --show /tmp/loop4k.img) || return 1
	modprobe dm-mod
	echo "0 $((mb * 2048)) linear /dev/ram2 0" | dmsetup create xbb-linear || return 1
	# No udev here: make the /dev/mapper node ourselves.
	dmsetup mknodes xbb-linear
	setup_fs ext4 /dev/ram4 /dev/ram5 && setup_fs xfs /dev/ram6 /dev/ram7 ||
		return 1
	case " $DEVICES " in *" floop"*)
		FLOOP=$(losetup -f --show /mnt/xbb-ext4/disk.img) &&
		FLOOP_DIO=$(losetup --direct-io=on -f --show /mnt/xbb-ext4/disk.img) ||
			return 1 ;;
	esac
	# null_blk stores nothing: what a request costs is the backend's. Its
	# completions come from a timer (irqmode=2), in interrupt context as
	# a real disk's do, 10 us after submission; brd's come inside
	# submit_bio(), in the backend's own thread. One device per guest of
	# the scaling run.
	case " $DEVICES ${SCALE:+scale} " in *" null "*|*" scale "*)
		modprobe null_blk nr_devices=4 gb=4 bs=512 queue_mode=2 \
			irqmode=2 completion_nsec=10000 || return 1 ;;
	esac
}

dev_path() {
	case $1 in
	brd) echo /dev/ram0 ;;
	loop) echo "$LOOPDEV" ;;
	dm) echo /dev/mapper/xbb-linear ;;
	null) echo /dev/nullb0 ;;
	dm-error-range|dm-error-all|dm-flakey|dm-delay) echo /dev/mapper/xbb-fault ;;
	hostile) echo /dev/ram0 ;;
	brd-save-restore|brd-migrate) echo /dev/ram0 ;;
	# Raw image files, served by ours with direct I/O (block-direct).
	file-ext4) echo /mnt/xbb-ext4/disk.img ;;
	file-xfs) echo /mnt/xbb-xfs/disk.img ;;
	file-resize) echo /mnt/xbb-ext4/resize.img ;;
	# file-ext4's image through a loop device: buffered (as xl's file:
	# and losetup's default), and with loop's own direct I/O.
	floop) echo "$FLOOP" ;;
	floop-dio) echo "$FLOOP_DIO" ;;
	esac
}

# A file system of type $1 at /mnt/xbb-$1, on two ramdisks ($2 and $3)
# joined by dm-linear (mkfs.xfs refuses less than 300 MiB; a loop device
# over a tmpfs file would claim WRITE_ZEROES and log each one refused),
# with a sparse image file of DEV_MB in it, and one for the resize guest.
setup_fs() {
	sf_sz=$((DEV_MB * 2048))
	mkdir -p /mnt/xbb-$1 &&
	printf '0 %s linear %s 0\n%s %s linear %s 0\n' \
		"$sf_sz" "$2" "$sf_sz" "$sf_sz" "$3" | dmsetup create xbb-fs-$1 &&
	dmsetup mknodes xbb-fs-$1 &&
	mkfs."$1" -q /dev/mapper/xbb-fs-$1 > /tmp/mkfs-$1.log 2>&1 &&
	mount -t "$1" /dev/mapper/xbb-fs-$1 /mnt/xbb-$1 &&
	truncate -s "${DEV_MB}M" /mnt/xbb-$1/disk.img || {
		say "setting up $1 for the file-backed disks failed:" \
			"$(tail -n 3 /tmp/mkfs-$1.log)"
		return 1
	}
	[ "$1" != ext4 ] || truncate -s "${DEV_MB}M" /mnt/xbb-$1/resize.img
}

# Only one kernel backend may own "vbd"; load the one asked for. Ours comes
# from the installed package (DKMS), which also blacklists the in-tree
# driver for alias loading; asking for that one by name still works.
# The first "ours" guest of a boot loads nothing: udev must load our module
# from the xen-backend:vbd alias when the guest's disk appears.
# $2 (0 or 1, default 1): offer persistent grants. Both drivers read
# feature_persistent at each device's probe, so it is set in place.
AUTOLOAD_PENDING=1
select_backend() {
	sb_persist=${2:-1}
	case $1 in
	ours)
		rmmod xen-blkback 2>/dev/null
		if [ -n "$AUTOLOAD_PENDING" ] && [ -z "$OURS_PARAMS" ] &&
		   [ "$sb_persist" = 1 ] &&
		   [ ! -d /sys/module/xen_blkback_async ]; then
			G_AUTOLOAD=1
			return 0
		fi
		lsmod | grep -q '^xen_blkback_async' ||
			modprobe xen-blkback-async $OURS_PARAMS || return 1
		sb_param=/sys/module/xen_blkback_async/parameters/feature_persistent
		;;
	blkback)
		rmmod xen-blkback-async 2>/dev/null
		modprobe xen-blkback || return 1
		sb_param=/sys/module/xen_blkback/parameters/feature_persistent
		;;
	*) return 0 ;;
	esac
	[ "$sb_persist" = 1 ] && sb_val=Y || sb_val=N
	[ ! -w "$sb_param" ] || echo "$sb_val" > "$sb_param"
}

# After the first "ours" guest's create: udev loaded ours, not the in-tree.
autoload_verdict() {
	AUTOLOAD_PENDING='' G_AUTOLOAD=''
	if wait_for '[ -d /sys/module/xen_blkback_async ]' 30 &&
	   [ ! -d /sys/module/xen_blkback ]; then
		result "backend=ours dev=$1" test=autoload-by-alias pass
	else
		result "backend=ours dev=$1" test=autoload-by-alias fail \
			loaded="$(lsmod | awk '/^xen_blkback/ { print $1 }' | tr '\n' ,)"
	fi
}

# "/proc/PID JIFFIES" (utime + stime) for each thread whose name matches
# the glob $1 or the glob $2.
thread_jiffies() {
	p1=$1 p2=${2:-$1}
	for s in /proc/[0-9]*/stat; do
		{ read -r line < "$s"; } 2>/dev/null || continue
		comm=${line#*(}; comm=${comm%%)*}
		# shellcheck disable=SC2254 # globs, on purpose
		case $comm in $p1|$p2) ;; *) continue ;; esac
		set -- ${line##*) }
		echo "${s%/stat} $(( ${12} + ${13} ))"
	done
}

# Backend threads' CPU time, summed over the guest's life: sampled every
# second because the threads exit at disconnect.
# (No fork but sleep's: dom0's CPU per I/O counts what this costs, less
# its share in the idle window.)
cpu_sampler() {
	: > /tmp/cpu.$$
	while :; do
		thread_jiffies "$1" >> /tmp/cpu.$$
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
	*) case $path in
	   /mnt/xbb-*) echo "'vdev=$vdev, access=$access, script=block-direct, target=$path'" ;;
	   *) echo "'phy:$path,$vdev,$access'" ;;
	   esac ;;
	esac
}

# This run's part of a guest's console log: xenconsoled appends to one file
# per guest name, and bench rounds reuse names. LOGOFF is set at create.
# $2: another offset than LOGOFF (the scaling run's guests have one each).
guest_log() {
	tail -c +$((${2:-$LOGOFF} + 1)) "/var/log/xen/console/guest-$1.log" 2>/dev/null
}

# Writes $1 where the guests look for dom0's word (wait_ack in guest-init):
# sector 16384 of the read-only disk they all share; '' clears it.
ack_guests() {
	if [ -n "$1" ]; then
		printf '%s' "$1" |
			dd of=/dev/ram1 bs=512 seek=16384 conv=sync oflag=direct 2>/dev/null
	else
		dd if=/dev/zero of=/dev/ram1 bs=512 seek=16384 count=1 oflag=direct 2>/dev/null
	fi
}

# console_tty NAME: the pty xenconsoled reads guest NAME's console input
# from; a line written to it is as if typed at xl console.
console_tty() {
	xenstore-read "/local/domain/$(xl domid "$1")/console/tty" 2>/dev/null
}

# The backend's counters for a guest's xvda, as "rd_req wr_req rd_sect wr_sect",
# read by one process so that the four are close together.
stats_of() {
	st=/sys/bus/xen-backend/devices/vbd-$1-51712/statistics
	[ -d "$st" ] || return 1
	cat "$st/rd_req" "$st/wr_req" "$st/rd_sect" "$st/wr_sect" | tr '\n' ' '
	echo
}

# Snapshots the counters at the guest's count-begin and count-end marks,
# then tells the guest it may go on (see wait_ack in guest-init).
# Our latency histograms of reads and writes for a guest's xvda, each
# summed: "reads writes" (nothing for a backend without them).
hist_of() {
	st=/sys/bus/xen-backend/devices/vbd-$1-51712/statistics
	[ -r "$st/rd_latency_hist" ] || return 0
	cat "$st/rd_latency_hist" "$st/wr_latency_hist" |
		awk '{ t = 0; for (i = 1; i <= NF; i++) t += $i; printf "%d ", t } END { print "" }'
}

# The read histogram in words, for the log: "16-31us:3 32-63us:40 ...".
hist_words() {
	awk '{ for (i = 1; i <= NF; i++) if ($i > 0)
		printf "%s%d-%dus:%d", (n++ ? " " : ""), (i == 1 ? 0 : 2 ^ (i - 1)), 2 ^ i - 1, $i
		print "" }' "/sys/bus/xen-backend/devices/vbd-$1-51712/statistics/rd_latency_hist"
}

debugfs_mounted() {
	mountpoint -q /sys/kernel/debug ||
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
}

# Ours, at the quiet end of the counted window: the vbd's debugfs file
# says connected, every ring caught up (req_prod = req_cons = rsp_prod)
# and nothing in flight.
debugfs_verdict() {
	tag=$1 domid=$2
	df=/sys/kernel/debug/xen-blkback-async/vbd-$domid-51712
	debugfs_mounted && [ -r "$df" ] ||
		{ result "$tag" test=debugfs-state fail reason=no-file; return; }
	cp "$df" /tmp/debugfs.$domid
	if grep -q "^dom$domid/51712: connected" /tmp/debugfs.$domid &&
	   awk '/^q[0-9]+: req_prod/ { n++; if ($3 != $5 || $5 != $7) bad = 1 }
		/ age [0-9]+ ms/ { bad = 1 }
		END { exit !(n > 0 && !bad) }' /tmp/debugfs.$domid; then
		result "$tag" test=debugfs-state pass
	else
		sed 's/^/XBB-LOG debugfs: /' /tmp/debugfs.$domid
		result "$tag" test=debugfs-state fail
	fi
}

count_sample() {
	for mark in begin end; do
		[ -f /tmp/$1.count-$mark ] && continue
		guest_log "$1" | grep -q "XBB-MARK count-$mark" || continue
		hist_of "$2" > /tmp/$1.hist-$mark
		stats_of "$2" > /tmp/$1.count-$mark
		if [ $mark = end ] && [ -s /tmp/$1.hist-end ]; then
			say "read latency, dom$2 xvda so far: $(hist_words "$2")"
			debugfs_verdict "$tag" "$2"
			physical_file_verdict "$tag" "$2"
		fi
		ack_guests "ack-count-$mark"
		[ $mark = end ] ||
			say "backend threads: $(ps -eo comm= | grep -E 'xvd|xbba|qemu' | sort | uniq -c | tr -s ' \n' ' ')"
	done
}

# Ours names what xvda serves in sysfs: the image file (its path) for the
# file-backed disks, nothing for a block device.
physical_file_verdict() {
	[ "$backend" = ours ] || return 0
	pf_got=$(cat /sys/bus/xen-backend/devices/vbd-$2-51712/physical_file 2>/dev/null)
	case $path in
	/mnt/xbb-*) pf_want=$path ;;
	*) pf_want= ;;
	esac
	if [ "$pf_got" = "$pf_want" ]; then
		result "$1" test=sysfs-physical-file pass
	else
		result "$1" test=sysfs-physical-file fail got="$pf_got" want="$pf_want"
	fi
}

# delta_verdict TAG TEST WANT BEGIN END NAMES: the counters in file END
# less those in file BEGIN, named by the words of NAMES ("n=delta ..."),
# must read WANT.
delta_verdict() {
	dv_got=$(cat "$4" "$5" | awk -v names="$6" '
		NR == 1 { for (i = 1; i <= NF; i++) b[i] = $i }
		NR == 2 { n = split(names, nm, " ")
			  for (i = 1; i <= n; i++)
				printf "%s%s=%d", (i > 1 ? " " : ""), nm[i], $i - b[i] }')
	if [ "$dv_got" = "$3" ]; then
		result "$1" test="$2" pass
	else
		result "$1" test="$2" fail "$dv_got" begin="$(tr ' ' / < "$4")" end="$(tr ' ' / < "$5")"
	fi
}

count_verdict() {
	tag=$1 name=$2
	[ "$backend" != qdisk ] || return 0
	[ -s /tmp/$name.count-begin ] && [ -s /tmp/$name.count-end ] ||
		{ result "$tag" test=sysfs-counters fail reason=not-sampled; return; }
	delta_verdict "$tag" sysfs-counters "rd_req=64 wr_req=32 rd_sect=512 wr_sect=256" \
		/tmp/$name.count-begin /tmp/$name.count-end "rd_req wr_req rd_sect wr_sect"
	# Ours: the same requests, each answered once into its histogram.
	[ -s /tmp/$name.hist-begin ] || return 0
	delta_verdict "$tag" latency-histogram "reads=64 writes=32" \
		/tmp/$name.hist-begin /tmp/$name.hist-end "reads writes"
}

# What the guest's blkfront reports must be what dom0 logged at connect.
negotiated_verdict() {
	tag=$1 name=$2 domid=$3
	line=$(dmesg | grep "dom$domid/51712: connected to " | tail -n 1)
	dq=$(echo "$line" | sed -n 's/.*connected to [^ ]*: \([0-9]*\) queue.*/\1/p')
	dp=$(echo "$line" | sed -n 's/.*persistent grants \([a-z]*\).*/\1/p')
	gq=$(sed -n 's/^XBB-INFO queues=\([0-9]*\) .*/\1/p' /tmp/$name.console)
	gp=$(sed -n 's/^XBB-INFO .* persistent=\([A-Z]*\) .*/\1/p' /tmp/$name.console)
	case $dp in on) dp=Y ;; off) dp=N ;; esac
	if [ -n "$dq" ] && [ "$dq" = "$gq" ] && [ "$dp" = "$gp" ]; then
		result "$tag" test=negotiated-agrees pass queues="$dq" persistent="$dp"
	else
		result "$tag" test=negotiated-agrees fail dom0="$dq/$dp" guest="$gq/$gp"
	fi
}

# The hostile guest's two more disks: xvdc with 4 KiB blocks, and xvdd,
# whose frontend directory it removes.
hostile_disks() {
	[ "$2" = hostile ] || return 0
	echo ", $(disk_spec "$1" "$LOOP4K" xvdc w), $(disk_spec "$1" /dev/ram3 xvdd w)"
}

write_cfg() {
	name=$1 backend=$2 path=$3 mode=$4 inject=$5
	gtype=${G_TYPE:-${GUEST_TYPE:-pv}}
	# The kernel's own messages stay on the console of the newer guest
	# types: the first place to look when one of them dies.
	G_QUIET=quiet
	[ "$gtype" = pv ] || G_QUIET=
	# qemu emulates an HVM guest's first four disks too, and refuses a
	# read-only one: the read-only disk is the fifth there.
	ro=xvdb
	[ "$gtype" != hvm ] || ro=xvde
	cat > /tmp/$name.cfg <<CFG
name = "$name"
type = "$gtype"
kernel = "$GUEST_KERNEL"
ramdisk = "$J/guest.cpio.zst"
memory = ${G_MEM:-512}
vcpus = ${G_VCPUS:-$GUEST_VCPUS}
cpus = "${GUEST_CPUS:-all}"
extra = "console=hvc0 rdinit=/init $G_QUIET xbb.mode=$mode xbb.runtime=$RUNTIME xbb.inject=$inject xbb.blkfront=$G_BLKFRONT xbb.hostile=$HOSTILE_ARGS xbb.leakwait=$HOSTILE_LEAKWAIT xbb.type=$gtype xbb.rodisk=$ro xbb.perfcpu=$PERF_CPU $G_EXTRA"
disk = [ $(disk_spec "$backend" "$path" xvda w), $(disk_spec "$backend" /dev/ram1 $ro "r${G_RO_SCRIPT:+,script=$G_RO_SCRIPT}")$(hostile_disks "$backend" "$mode") ]
on_poweroff = "destroy"
on_crash = "destroy"
on_reboot = "${G_ON_REBOOT:-destroy}"
CFG
	# HVM: qemu-xen as the device model, SeaBIOS loading the kernel given
	# above (direct kernel boot), no display. The console is still hvc0,
	# the PV console xenconsoled logs.
	[ "$gtype" != hvm ] || cat >> /tmp/$name.cfg <<CFG
device_model_version = "qemu-xen"
vga = "none"
vnc = 0
CFG
}

# Create the guest, watch it until it is gone (or past its time limit),
# and leave its console output of this boot in /tmp/NAME.console. Fails
# with the verdict said when the guest could not be created or left no
# console log.
guest_boot() {
	LOGOFF=$(stat -c %s "/var/log/xen/console/guest-$name.log" 2>/dev/null || echo 0)
	rm -f /tmp/$name.count-begin /tmp/$name.count-end /tmp/$name.hist-begin /tmp/$name.hist-end /tmp/$name.grown \
		/tmp/$name.saved /tmp/$name.beside /tmp/$name.mark-*
	# No acknowledgement of an earlier guest's may be left for this one.
	ack_guests ''
	cpu_sampler "$pat" & sampler=$!
	[ -z "$PERF_CPU" ] || perf_watch_start "$name"
	[ -z "$PROFILE" ] || prof_perf_start
	say "guest $name: create"
	t0=$(date +%s)
	if ! timeout 120 xl create -q /tmp/$name.cfg > /tmp/$name.create.log 2>&1; then
		kill $sampler
		[ -z "$PERF_CPU" ] || perf_watch_stop "$name"
		[ -z "$PROFILE" ] || prof_perf_stop
		cat /tmp/$name.create.log
		# An HVM guest's device model says why it did not start.
		tail -n 20 "/var/log/xen/qemu-dm-$name.log" 2>/dev/null | sed 's/^/XBB-LOG qemu-dm: /'
		# A hotplug script that failed or hung says where.
		tail -n 30 /var/log/xen/xen-hotplug.log 2>/dev/null | sed 's/^/XBB-LOG hotplug: /'
		dmesg | tail -n 10 | sed 's/^/XBB-LOG dmesg: /'
		result "$tag" test=create fail
		timeout 30 xl destroy "$name" 2>/dev/null
		return 1
	fi
	domid=$(xl domid "$name")
	[ -z "$G_AUTOLOAD" ] || autoload_verdict "$dev"
	# Seconds counted by the loop, not read from date: one fork less a
	# second (a pass takes at least one, so the limit only stretches).
	waited=0
	while guest_alive; do
		case $mode in check|quick) count_sample "$name" "$domid" ;; esac
		[ "$mode" != resize ] || grow_on_mark "$name" "$path"
		[ "$mode" != flakey ] || heal_on_mark "$name"
		[ "$mode" != saverestore ] || save_restore_on_mark "$name"
		[ "$dev" != dm-delay ] || beside_slow_on_attach "$name" "$backend"
		[ "$mode" != hostile ] || hostile_on_mark "$name" "$domid" "$backend"
		waited=$((waited + 1))
		if [ "$waited" -gt "$limit" ]; then
			result "$tag" test=guest-timeout fail seconds="$limit"
			timeout 60 xl destroy "$name" || say "xl destroy hung"
			break
		fi
		sleep 1
	done
	kill $sampler 2>/dev/null
	[ -z "$PERF_CPU" ] || perf_watch_stop "$name"
	[ -z "$PROFILE" ] || prof_perf_stop
	BOOT_CPU_MS=$(cpu_total_ms)
	say "guest $name: gone after $(( $(date +%s) - t0 ))s"
	# QEMU's own account of a qdisk guest's disks.
	[ "$backend" != qdisk ] || tail -n 20 /var/log/xen/qemu-dm-"$name".log 2>/dev/null |
		sed 's/^/XBB-LOG qemu-dm: /'
	[ -f "/var/log/xen/console/guest-$name.log" ] ||
		{ result "$tag" test=console fail; return 1; }
	guest_log "$name" | tr -d '\r' > /tmp/$name.console
}

# The guest's kernel died (panicked, oopsed) before its init ran: its
# console has a panic and not the init's first line. Prints the panic's
# first line.
guest_died_booting() {
	! grep -q '^XBB-GUEST-INIT' /tmp/$1.console &&
		grep -m1 -E 'Kernel panic|Oops|BUG:' /tmp/$1.console
}

# One guest that runs its workloads and powers off. G_MODE, G_BLKFRONT
# and G_VARIANT (label) may be set by the caller.
run_guest() {
	backend=$1 dev=$2 inject=$3
	mode=${G_MODE:-$MODE}
	limit=$GUEST_TIMEOUT
	[ "$mode" != hostile ] || limit=$HOSTILE_TIMEOUT
	# A guest type asked for this guest alone (G_TYPE) is part of its
	# name and of its results' backend: ours@hvm.
	# So is persistent grants offered or not (G_NP): ours-np.
	label=$backend${G_NP:+-np}${G_TYPE:+@$G_TYPE}
	name=g-$backend${G_NP:+-np}-$dev${G_TYPE:+-$G_TYPE}${G_VARIANT:+-$G_VARIANT}${inject:+-$inject}
	tag="backend=$label dev=$dev${G_VARIANT:+ variant=$G_VARIANT}${inject:+ inject=$inject}"
	path=$(dev_path "$dev")
	# The emulated disk is measured, not checked: the guest runs the fio
	# jobs on it and nothing else.
	[ "$backend" != emul ] || { mode=bench; G_EXTRA="xen_emul_unplug=never xbb.disk=sda"; }
	write_cfg "$name" "$backend" "$path" "$mode" "$inject"
	[ "$backend" != emul ] || G_EXTRA=
	# SeaBIOS reads an HVM guest's kernel and initramfs through qemu's
	# fw_cfg port a page at a time: two and a half minutes under TCG, and
	# the guest runs slower after. (gtype: write_cfg's.)
	[ "$gtype" != hvm ] || limit=$((limit + 360))
	case $backend in
	ours) pat='xbba*' ;;
	blkback) pat='[0-9]*.xvd*' ;;	# in-tree: <domid>.<dev>-<queue>
	qdisk|emul) pat='*qemu-system*' ;;	# Debian's: xen-qemu-system-i386
	esac
	# The lab's self-test of the retry below: this boot finds no init.
	[ -z "$G_BOOT_DIES" ] || sed -i 's|rdinit=/init |rdinit=/no-such-init |' /tmp/$name.cfg
	guest_boot || return
	# The guest's own kernel can die while it boots, before its init
	# runs and before blkfront has sent a request: trixie's 6.12 did, once
	# in a CI run, in an int3 taken while another vCPU patched kernel text
	# (a race between text_poke and Xen PV's trap bounce, which QEMU's TCG
	# widens). No verdict on the backend can come of that boot, so it is
	# booted once more and said so; a second death is a failure.
	if gb_death=$(guest_died_booting "$name"); then
		echo "XBB-RETRY $tag reason=guest-kernel-died-before-init"
		say "guest $name: its kernel died before its init ran: $gb_death"
		say "guest $name: not the backend's verdict; booting it once more"
		sed -i 's|rdinit=/no-such-init |rdinit=/init |' /tmp/$name.cfg
		guest_boot || return
	fi
	echo "XBB-CPU $tag cpu_ms=$BOOT_CPU_MS"
	# QEMU 7.2's qdisk cannot create a read-only disk on a block device at
	# all ("realization of device xen-disk failed: Block node is
	# read-only"): there is no disk to refuse writes, so nothing to test.
	# Only QEMU's own message turns the guest's verdict into a skip.
	if [ "$backend" = qdisk ] &&
	   grep -q 'Block node is read-only' "/var/log/xen/qemu-dm-$name.log" 2>/dev/null; then
		sed -i 's/^XBB-RESULT readonly-refused fail reason=no-xvdb$/XBB-RESULT readonly-refused skip reason=qemu-qdisk-cannot-open-read-only/' \
			/tmp/$name.console
	fi
	grep -q XBB-GUEST-DONE /tmp/$name.console || {
		# Prefixed: its XBB-RESULT lines are reported below, once.
		tail -n 40 /tmp/$name.console | sed 's/^/XBB-LOG console: /'
		# Xen's word on how the guest ended (a crash, a triple fault).
		xl dmesg > /tmp/$name.xl-dmesg 2>/dev/null
		tail -n 20 /tmp/$name.xl-dmesg | sed 's/^/XBB-LOG xl dmesg: /'
		why=
		! grep -q "d${domid}v[0-9]* Triple fault" /tmp/$name.xl-dmesg ||
			why=triple-fault
		result "$tag" test=guest-completed fail ${why:+reason=$why}
	}
	sed -n 's/^XBB-RESULT \([^ ]*\) \(.*\)/\1 \2/p' /tmp/$name.console |
	while read -r t v rest; do
		echo "XBB-RESULT $tag test=$t $v $rest${FAULT_REF:+ ref=1}"
	done
	grep -E '^XBB-(FIO|INFO) ' /tmp/$name.console | sed "s/^\(XBB-[A-Z]*\) /\1 $tag /"
	[ -n "$inject" ] || [ -n "$FAULT_REF" ] ||
		! grep -q 'XBB-RESULT [^ ]* fail' /tmp/$name.console || status=1
	case $mode in check|quick) [ -n "$inject" ] || count_verdict "$tag" "$name" ;; esac
	[ "$backend" != ours ] || [ "$mode" = hostile ] ||
		negotiated_verdict "$tag" "$name" "$domid"
	verify_in_dom0 "$tag" "$path"
}

# dom0's CPU time as Xen accounts it: every vCPU's run time, in ms. It
# counts what dom0 does in interrupt context and in Xen on its behalf (grant
# maps, event channels), which dom0's own /proc/stat partly misses.
dom0_cpu_ms() {
	xl vcpu-list 0 2>/dev/null | awk 'NR > 1 { t += $6 } END { printf "%d\n", t * 1000 }'
}

# dom0's CPU over each of the guest's fio jobs (PERF_CPU): sampled as
# soon as its perf-begin-JOB and perf-end-JOB marks reach its console log
# (tail follows it; no polling, which would cost dom0 more CPU than a
# backend does), reported as
#   XBB-DOM0CPU TAG job=JOB cpu_ms=N ms=WINDOW
# with the job "idle" first: the same window with no I/O, to subtract.
perf_watch_start() {
	rm -f /tmp/$1.perf-fifo
	mkfifo /tmp/$1.perf-fifo
	perf_read < /tmp/$1.perf-fifo &
	PW_READER=$!
	tail -c +$((LOGOFF + 1)) -F "/var/log/xen/console/guest-$1.log" \
		> /tmp/$1.perf-fifo 2>/dev/null &
	PW_TAIL=$!
}

perf_watch_stop() {
	kill "$PW_TAIL" 2>/dev/null
	wait "$PW_READER" 2>/dev/null
	rm -f /tmp/$1.perf-fifo
}

perf_read() {
	pr_cr=$(printf '\r')
	while read -r pr_line; do
		pr_line=${pr_line%"$pr_cr"}
		case $pr_line in
		"XBB-MARK perf-begin-"*)
			[ -z "$PROFILE" ] || prof_begin
			pr_t=$(now_ms) pr_c=$(dom0_cpu_ms) ;;
		"XBB-MARK perf-end-"*)
			pr_c1=$(dom0_cpu_ms)
			echo "XBB-DOM0CPU $tag job=${pr_line#XBB-MARK perf-end-}" \
				"cpu_ms=$((pr_c1 - pr_c)) ms=$(since_ms "$pr_t")"
			[ -z "$PROFILE" ] || prof_end "$tag job=${pr_line#XBB-MARK perf-end-}" ;;
		esac
	done
}

# PROFILE=1: how often dom0 does what costs under Xen, per fio job: grant
# hypercalls, notifications, EOIs, bios, context switches, interrupts,
# counted by kprobe and tracepoint events with a hist trigger each (which
# turns the event on by itself), reported after the CPU sample as
#   XBB-PROF TAG job=JOB event=EVENT hits=N
# The probes cost dom0 CPU themselves: a profiling run is not a bench run.
PROF_T=/sys/kernel/tracing
PROF_FUNCS="gnttab_map_refs gnttab_unmap_refs gnttab_batch_copy notify_remote_via_irq xen_irq_lateeoi submit_bio"
PROF_EVENTS="sched/sched_switch sched/sched_wakeup irq/irq_handler_entry"
prof_setup() {
	mountpoint -q $PROF_T || mount -t tracefs nodev $PROF_T || return 1
	for pf in $PROF_FUNCS; do
		echo "p:xbbprof/$pf $pf" >> $PROF_T/kprobe_events ||
			say "profile: no kprobe on $pf"
	done
}
prof_events() {
	for pf in $PROF_FUNCS; do
		[ ! -d $PROF_T/events/xbbprof/$pf ] || echo xbbprof/$pf
	done
	echo $PROF_EVENTS
}
# Interrupts and wake-ups are also split by whom they are for: the ring's
# (either driver's event channel or worker thread), the timer, IPIs,
# the rest. A timer tick costs the same for both drivers per second, not
# per I/O: it is the ring's share that tells how often the frontend
# notifies and the worker wakes.
prof_key() {
	case $1 in
	irq/irq_handler_entry) echo name ;;
	sched/sched_wakeup) echo comm ;;
	*) echo common_cpu ;;
	esac
}
# Where dom0's CPU goes, too: perf samples every CPU's clock 1000 times
# a second (a PV dom0 has no hardware counters) over the guest's whole
# run, started before the guest and stopped after it, since perf's own
# start and stop take seconds under TCG. Each job's window is noted in
# CLOCK_BOOTTIME (/proc/uptime, read without a fork), and once the guest
# is gone the functions with at least 0.5% of each window's samples come
# out as
#   XBB-PERFSYM TAG job=JOB pct=P sym=SYMBOL
prof_perf_start() {
	rm -f /tmp/prof.data /tmp/prof.windows
	perf record -q -k boottime -e cpu-clock -F 1000 -a -o /tmp/prof.data \
		>/dev/null 2>&1 &
	PROF_PERF=$!
}
prof_perf_stop() {
	kill -INT "$PROF_PERF" 2>/dev/null && wait "$PROF_PERF"
	[ -s /tmp/prof.data ] || { say "profile: no perf samples"; return; }
	[ -s /tmp/prof.windows ] || return 0
	while read -r pp_t0 pp_t1 pp_tag; do
		perf report -i /tmp/prof.data --time "$pp_t0,$pp_t1" --no-children \
			--sort sym --percent-limit 0.5 -q --stdio 2>/dev/null |
			awk -v tag="$pp_tag" '$1 ~ /%$/ {
				pct = $1; sub(/%/, "", pct)
				printf "XBB-PERFSYM %s pct=%s sym=%s\n", tag, pct, $NF
			}'
	done < /tmp/prof.windows
	rm -f /tmp/prof.data /tmp/prof.windows
}
prof_begin() {
	for pe in $(prof_events); do
		echo "hist:keys=$(prof_key "$pe")" > $PROF_T/events/$pe/trigger
	done
	read -r PROF_T0 _ < /proc/uptime
}
prof_end() {
	for pe in $(prof_events); do
		pf_key=$(prof_key "$pe")
		echo "XBB-PROF $1 event=${pe#*/} hits=$(awk '/^ *Hits:/ { print $2 }' $PROF_T/events/$pe/hist)"
		[ "$pf_key" = common_cpu ] ||
			awk -v tag="$1" -v ev="${pe#*/}" '
			/hitcount:/ {
				n = $NF
				k = $0
				sub(/^{ *[a-z_]+: */, "", k)
				sub(/ *} *hitcount:.*$/, "", k)
				if (k ~ /^(xbb|blkif-backend|blkback|[0-9]+\.xvd)/) c = "ring"
				else if (k ~ /^timer/) c = "timer"
				else if (k ~ /^(resched|callfunc|irqwork|spinlock|debug)/) c = "ipi"
				else c = "other"
				sum[c] += n
			}
			END {
				for (c in sum)
					printf "XBB-PROF %s event=%s:%s hits=%d\n", tag, ev, c, sum[c]
			}' $PROF_T/events/$pe/hist
		echo "!hist:keys=$pf_key" > $PROF_T/events/$pe/trigger
	done
	read -r prof_t1 _ < /proc/uptime
	echo "$PROF_T0 $prof_t1 $1" >> /tmp/prof.windows
}

# Whether run_guest's guest still runs, once a second: its xenstore
# directory, which xl removes when the domain goes. (xl itself costs dom0
# a few hundred ms of CPU under TCG, which dom0's CPU figures would carry.)
# A guest saved and restored, or migrated, has the same name and another
# domid.
guest_alive() {
	xenstore-exists "/local/domain/$domid" 2>/dev/null && return 0
	ga_id=$(xl domid "$name" 2>/dev/null) || return 1
	domid=$ga_id
}

# Online resize: grow the loop device's file, or the image file served
# itself, once the guest is ready.
grow_on_mark() {
	[ ! -f /tmp/$1.grown ] || return 0
	guest_log "$1" | grep -q 'XBB-MARK resize-ready' || return 0
	if [ -f "$2" ]; then
		truncate -s +64M "$2"
		say "grew $2 to $(($(stat -c %s "$2") / 512)) sectors"
	else
		truncate -s +64M /tmp/loop.img && losetup -c "$2"
		say "grew $2 to $(blockdev --getsz "$2") sectors"
	fi
	touch /tmp/$1.grown
}

# The flakey guest has written its blocks: make the device healthy (the
# same sectors, linear), then tell the guest to read them back.
heal_on_mark() {
	[ ! -f /tmp/$1.healed ] || return 0
	guest_log "$1" | grep -q 'XBB-MARK flakey-written' || return 0
	echo "0 $((DEV_MB * 2048)) linear /dev/ram2 0" | dmsetup load xbb-fault &&
		dmsetup resume xbb-fault
	ack_guests ack-flakey-written
	touch /tmp/$1.healed
}

# Saves the guest to dom0's /tmp during its verifying writes and restores
# it, or with G_MIGRATE set migrates it to this same host (xl migrate with
# no ssh runs its last argument as the receiving end), synchronously:
# run_guest's loop sees the domain, under its name, again afterwards.
save_restore_on_mark() {
	[ ! -f /tmp/$1.saved ] || return 0
	guest_log "$1" | grep -q 'XBB-MARK sr-running' || return 0
	touch /tmp/$1.saved
	sleep 3
	# (Not t0: that is run_guest's, in seconds, for its timeout.)
	sr_t0=$(now_ms)
	if [ -n "$G_MIGRATE" ]; then
		op=migrate
		timeout 300 xl migrate -s '' "$1" 'xl migrate-receive' > /tmp/$1.sr.log 2>&1
	else
		op=save-restore
		timeout 300 xl save "$1" /tmp/$1.save > /tmp/$1.sr.log 2>&1 &&
			timeout 300 xl restore /tmp/$1.save >> /tmp/$1.sr.log 2>&1
	fi
	if [ $? = 0 ] && xl domid "$1" >/dev/null 2>&1; then
		result "$tag" test=$op pass ms="$(since_ms "$sr_t0")"
	else
		sed 's/^/XBB-LOG /' /tmp/$1.sr.log
		result "$tag" test=$op fail
	fi
	rm -f /tmp/$1.save
}

# Once the slow device's guest is attached and at work: another guest, on
# a healthy device, must come up as fast as ever. Its names are its own
# (run_guest's globals stay the slow guest's).
beside_slow_on_attach() {
	[ ! -f /tmp/$1.beside ] || return 0
	guest_log "$1" | grep -q 'XBB-RESULT attach pass' || return 0
	touch /tmp/$1.beside
	sleep 3
	b=g-beside-slow-$2
	(write_cfg "$b" "$2" /dev/ram0 attach "")
	t1=$(now_ms)
	timeout 120 xl create -q /tmp/$b.cfg > /tmp/$b.create.log 2>&1
	crc=$?
	create_ms=$(since_ms "$t1")
	if [ $crc = 0 ] &&
	   wait_for "grep -q 'XBB-RESULT attach pass' /var/log/xen/console/guest-$b.log" 90; then
		result "$tag" test=other-guest-unaffected pass create_ms="$create_ms" \
			attached_ms="$(since_ms "$t1")"
	else
		sed 's/^/XBB-LOG /' /tmp/$b.create.log
		result "$tag" test=other-guest-unaffected fail create_rc=$crc create_ms="$create_ms"
	fi
	wait_for "! xl domid $b >/dev/null 2>&1" 60 || timeout 60 xl destroy "$b"
}

# Waits up to $3 s for mark $2 in guest $1's console.
wait_mark() {
	i=0
	while ! grep -q "XBB-MARK $2" "/var/log/xen/console/guest-$1.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le "$3" ] || return 1
		sleep 1
	done
}

# Waits up to $2 s for "$1" to succeed.
wait_for() {
	i=0
	until eval "$1"; do
		i=$((i + 1))
		[ $i -le "$2" ] || return 1
		sleep 1
	done
}

be_state() { xenstore-read "/local/domain/0/backend/vbd/$1/$2/state" 2>/dev/null; }

# What dom0's own vbds said about direct I/O in xenstore's error nodes:
# error/backend/vbd/0/<devid>/error (xvdz's devid is in the extended
# numbering, so it is not spelled out).
err_of_dom0() { xenstore-ls -f /local/domain/0/error 2>/dev/null | grep 'direct I/O'; }

# An image file on a file system without direct I/O (ramfs) must be
# refused, with the reason where xl shows it: xenstore's error node. No
# guest needed: dom0 attaches the disk to itself (xvdz).
run_file_refused() {
	tag="backend=ours dev=file-ramfs"
	mkdir -p /mnt/xbb-ramfs
	mount -t ramfs none /mnt/xbb-ramfs && truncate -s 16M /mnt/xbb-ramfs/disk.img ||
		{ result "$tag" test=no-direct-io-refused fail reason=no-ramfs; return; }
	timeout 60 xl block-attach 0 \
		'vdev=xvdz, access=w, script=block-direct, target=/mnt/xbb-ramfs/disk.img' 2>&1 |
		sed 's/^/XBB-LOG block-attach: /'
	wait_for "err_of_dom0 > /dev/null" 30
	why=$(err_of_dom0 | sed 's/^[^=]*= *//; s/^"//; s/"$//')
	say "dom0's xvdz on ramfs: $why"
	case $why in
	*"opening image file /mnt/xbb-ramfs/disk.img for direct I/O"*)
		result "$tag" test=no-direct-io-refused pass ;;
	*) result "$tag" test=no-direct-io-refused fail error="$(echo "$why" | tr ' ' _)" ;;
	esac
	timeout 60 xl block-detach 0 xvdz > /dev/null 2>&1 ||
		say "block-detach of dom0's xvdz failed"
	umount /mnt/xbb-ramfs
}

# Detach and re-attach, reboot, destroy during I/O: dom0 must stay clean.
run_lifecycle() {
	backend=$1
	name=g-life-$backend
	tag="backend=$backend dev=brd"
	G_BLKFRONT=
	G_ON_REBOOT=restart
	write_cfg "$name" "$backend" /dev/ram0 life ""
	G_ON_REBOOT=
	say "lifecycle $name: create"
	if ! timeout 120 xl create -q /tmp/$name.cfg || ! wait_mark "$name" life-boot1 180; then
		# The guest's own account: did it boot, crash, wait for a disk?
		tail -n 30 "/var/log/xen/console/guest-$name.log" 2>/dev/null |
			tr -d '\r' | sed 's/^/XBB-LOG life console: /'
		result "$tag" test=lifecycle-boot fail
		timeout 60 xl destroy "$name" 2>/dev/null
		return
	fi
	domid=$(xl domid "$name")
	sleep 5
	if timeout 60 xl block-detach "$name" xvdb &&
	   wait_for "[ ! -e /sys/bus/xen-backend/devices/vbd-$domid-51728 ]" 30 &&
	   timeout 60 xl block-attach "$name" 'phy:/dev/ram1,xvdb,r' &&
	   wait_for "[ \"\$(be_state $domid 51728)\" = 4 ]" 60; then
		result "$tag" test=block-detach-attach pass
	else
		result "$tag" test=block-detach-attach fail state="$(be_state $domid 51728)"
	fi
	say "lifecycle $name: reboot"
	if timeout 60 xl reboot "$name" && wait_mark "$name" life-boot2 240 &&
	   newid=$(xl domid "$name") && [ "$newid" != "$domid" ] &&
	   wait_for "[ \"\$(be_state $newid 51712)\" = 4 ]" 60; then
		result "$tag" test=guest-reboot pass
	else
		result "$tag" test=guest-reboot fail
		newid=$(xl domid "$name" 2>/dev/null)
	fi
	if wait_mark "$name" life-fio-running 180; then
		sleep 5
		if grep -q 'XBB-RESULT pattern-roundtrip pass' "/var/log/xen/console/guest-$name.log"; then
			result "$tag" test=reboot-roundtrip pass
		else
			result "$tag" test=reboot-roundtrip fail
		fi
	fi
	say "lifecycle $name: destroy during I/O"
	if timeout 90 xl destroy "$name" &&
	   wait_for "! ls -d /sys/bus/xen-backend/devices/vbd-$newid-* >/dev/null 2>&1" 60; then
		result "$tag" test=destroy-during-io pass
	else
		result "$tag" test=destroy-during-io fail
	fi
}

# Milliseconds since the epoch, and since $1.
now_ms() { date +%s%3N; }
since_ms() { echo $(( $(now_ms) - $1 )); }

module_of() {
	case $1 in ours) echo xen_blkback_async ;; *) echo xen_blkback ;; esac
}

# Rings of closed connections still finishing I/O (ours; 0 for the in-tree).
orphans() {
	cat /sys/module/xen_blkback_async/parameters/orphaned_rings 2>/dev/null || echo 0
}

# A guest that keeps 32 writes in flight on $3 (mode hold), up and writing
# for $4 (default 5) seconds.
hold_guest() {
	name=$1 backend=$2 path=$3 settle=${4:-5}
	G_BLKFRONT=
	write_cfg "$name" "$backend" "$path" hold ""
	LOGOFF=$(stat -c %s "/var/log/xen/console/guest-$name.log" 2>/dev/null || echo 0)
	say "fault $name: create on $path"
	if timeout 120 xl create -q /tmp/$name.cfg && wait_mark "$name" hold-running 180; then
		sleep "$settle"
		return 0
	fi
	tail -n 20 "/var/log/xen/console/guest-$name.log" 2>/dev/null | tr -d '\r' |
		sed 's/^/XBB-LOG fault console: /'
	timeout 60 xl destroy "$name" 2>/dev/null
	return 1
}

# The guest on the stuck device is destroyed; at the same time another
# guest, on a healthy device, must come up: xenbus's watch thread, which
# both need, must not wait for the stuck I/O.
destroy_beside_other() {
	tag=$1 victim=$2 backend=$3 test=$4
	other=g-other-$backend
	vid=$(xl domid "$victim")
	# (write_cfg sets $name: the victim has a name of its own here.)
	write_cfg "$other" "$backend" /dev/ram0 attach ""
	LOGOFF=$(stat -c %s "/var/log/xen/console/guest-$other.log" 2>/dev/null || echo 0)
	t0=$(now_ms)
	timeout 120 xl destroy "$victim" > /tmp/$victim.destroy.log 2>&1
	drc=$?
	destroy_ms=$(since_ms "$t0")
	t1=$(now_ms)
	timeout 120 xl create -q /tmp/$other.cfg > /tmp/$other.create.log 2>&1
	crc=$?
	create_ms=$(since_ms "$t1")
	attached=
	wait_for "guest_log $other | grep -q 'XBB-RESULT attach pass'" 90 && attached=1
	wait_for "! xl domid $other >/dev/null 2>&1" 60 || timeout 60 xl destroy "$other"
	# While dom0 still maps its pages for the held I/O, the domain stays
	# listed, nameless, as dying; domain_released checks that it goes.
	dying=
	domain_listed "$vid" && dying=yes
	if [ $drc = 0 ] && [ $crc = 0 ] && [ -n "$attached" ]; then
		result "$tag" test="$test" pass destroy_ms="$destroy_ms" \
			other_create_ms="$create_ms" dying_while_held=${dying:-no}
	else
		result "$tag" test="$test" fail destroy_rc=$drc destroy_ms="$destroy_ms" \
			dying=${dying:-no} other_create_rc=$crc other_create_ms="$create_ms" \
			other_attached=${attached:-no}
		sed 's/^/XBB-LOG /' /tmp/$victim.destroy.log /tmp/$other.create.log
	fi
}

# Finding: rmmod while a destroyed guest's I/O is stuck must be refused
# (the module's code runs when that I/O ends); once it has ended, allowed.
rmmod_while_stuck() {
	tag=$1 backend=$2 vid=$3 mod=$(module_of "$2")
	# Once xenbus has let go of the device and the drain timeout has
	# passed: then nothing of xenbus's holds the module any more.
	wait_for "! ls -d /sys/bus/xen-backend/devices/vbd-$vid-* >/dev/null 2>&1" 90
	sleep 5
	if rmmod "$mod" 2>/dev/null; then
		result "$tag" test=rmmod-refused-while-io-stuck fail
		return 1
	fi
	result "$tag" test=rmmod-refused-while-io-stuck pass
}

domain_listed() {
	xl list 2>/dev/null | awk -v id="$1" '$2 == id { f = 1 } END { exit !f }'
}

# Once the held I/O has ended, the destroyed domain must be gone: dom0 has
# unmapped every grant of it.
domain_released() {
	tag=$1 vid=$2
	if wait_for "! domain_listed $vid" 60; then
		result "$tag" test=domain-released-once-io-ends pass
	else
		result "$tag" test=domain-released-once-io-ends fail \
			"$(xl list 2>/dev/null | awk -v id="$vid" '$2 == id' | tr -s ' ' _)"
	fi
}

# After the device lets go: every orphan finishes and the module unloads.
unload_after_resume() {
	tag=$1 backend=$2 mod=$(module_of "$2")
	t0=$(now_ms)
	wait_for '[ "$(orphans)" = 0 ] && rmmod '"$mod"' 2>/dev/null' 180
	rc=$?
	if [ $rc = 0 ]; then
		result "$tag" test=unloads-once-io-ends pass ms="$(since_ms "$t0")"
	else
		result "$tag" test=unloads-once-io-ends fail orphans="$(orphans)" \
			refs="$(cat /sys/module/$mod/refcnt 2>/dev/null)"
	fi
}

# Loads the backend, boots a hold guest on $4 and suspends the table under
# it (xbb-linear, which $4 is or sits on): the guest's writes are held.
held_guest() {
	tag=$1 name=$2 backend=$3 path=$4
	select_backend "$backend" || { result "$tag" test=load fail; return 1; }
	hold_guest "$name" "$backend" "$path" ||
		{ result "$tag" test=fault-guest-boot fail; return 1; }
	dmsetup suspend --noflush xbb-linear
	sleep 3
	domid=$(xl domid "$name")
}

# A suspended device-mapper table holds the guest's writes longer than the
# drain timeout: destroy the guest beside another one, try rmmod, resume.
fault_destroy_suspended() {
	backend=$1 tag="backend=$1 dev=dm-suspended"
	name=g-hold-$backend
	held_guest "$tag" "$name" "$backend" /dev/mapper/xbb-linear || return
	destroy_beside_other "$tag" "$name" "$backend" destroy-while-io-stuck
	if ! rmmod_while_stuck "$tag" "$backend" "$domid"; then
		# Unloaded under held I/O: what follows is the bug's to show.
		dmsetup resume xbb-linear
		return
	fi
	# Past the drain timeout, ours counts what it left to finish.
	if [ "$backend" = ours ]; then
		wait_for '[ "$(orphans)" -gt 0 ]' 60
		n=$(orphans)
		if [ "$n" -gt 0 ]; then
			result "$tag" test=orphans-counted pass orphaned_rings="$n"
		else
			result "$tag" test=orphans-counted fail orphaned_rings="$n"
		fi
	fi
	dmsetup resume xbb-linear
	domain_released "$tag" "$domid"
	unload_after_resume "$tag" "$backend"
}

# A frontend that goes Closing and then Initialised while its writes are
# held: the backend must not connect beside them (the guest is paused, so
# only dom0's xenstore writes speak for it). Ours connects once they end.
fault_reconnect_suspended() {
	backend=$1 tag="backend=$1 dev=dm-suspended"
	name=g-recon-$backend
	held_guest "$tag" "$name" "$backend" /dev/mapper/xbb-linear || return
	fe=/local/domain/$domid/device/vbd/51712
	xl pause "$name"
	xenstore-write "$fe/state" 5
	t0=$(now_ms)
	wait_for "[ \"\$(be_state $domid 51712)\" -ge 5 ]" 60
	closing_ms=$(since_ms "$t0")
	xenstore-write "$fe/state" 3
	connected=
	for i in $(seq 20); do
		[ "$(be_state "$domid" 51712)" != 4 ] || connected=$i
		sleep 1
	done
	if [ -z "$connected" ]; then
		result "$tag" test=no-reconnect-while-io-stuck pass closing_ms="$closing_ms" \
			error="$(xenstore-read /local/domain/0/error/backend/vbd/$domid/51712/error 2>/dev/null | tr ' ' _ | cut -c1-60)"
	else
		result "$tag" test=no-reconnect-while-io-stuck fail connected_after_s="$connected" \
			closing_ms="$closing_ms"
	fi
	dmsetup resume xbb-linear
	# Ours deferred the connect and makes it now; the in-tree refused.
	if [ "$backend" = ours ]; then
		if wait_for "[ \"\$(be_state $domid 51712)\" = 4 ]" 90; then
			result "$tag" test=reconnect-once-io-ends pass
		else
			result "$tag" test=reconnect-once-io-ends fail state="$(be_state "$domid" 51712)"
		fi
	fi
	timeout 60 xl destroy "$name"
	wait_for "! ls -d /sys/bus/xen-backend/devices/vbd-$domid-* >/dev/null 2>&1" 60
}

# A request-based device with four tags whose requests never complete
# (a direct-I/O loop device over the suspended table): the worker sleeps in
# submit_bio() waiting for a tag, where no stop reaches it, when the guest
# is destroyed. Teardown must not wait for it in xenbus's watch thread.
fault_destroy_blocked_submit() {
	backend=$1 tag="backend=$1 dev=loop-qd4-suspended"
	name=g-tags-$backend
	lo=$(losetup --direct-io=on --show -f /dev/mapper/xbb-linear) &&
		echo 4 > "/sys/block/${lo#/dev/}/queue/nr_requests" ||
		{ result "$tag" test=loop-qd4 fail; return; }
	held_guest "$tag" "$name" "$backend" "$lo" || { losetup -d "$lo"; return; }
	destroy_beside_other "$tag" "$name" "$backend" destroy-while-submit-blocked
	if rmmod_while_stuck "$tag" "$backend" "$domid"; then
		dmsetup resume xbb-linear
		domain_released "$tag" "$domid"
		unload_after_resume "$tag" "$backend"
	else
		dmsetup resume xbb-linear
	fi
	wait_for "losetup -d $lo 2>/dev/null" 60
}

# A device-mapper table "xbb-fault" over ram2 for one guest's xvda.
fault_table_guest() {
	backend=$1 dev=$2 mode=$3 table=$4 extra=$5
	select_backend "$backend" ||
		{ result "backend=$backend dev=$dev" test=load fail; return; }
	dmsetup remove xbb-fault 2>/dev/null
	printf '%b\n' "$table" | dmsetup create xbb-fault &&
		dmsetup mknodes xbb-fault ||
		{ result "backend=$backend dev=$dev" test=dm-table fail; return; }
	rm -f /tmp/g-$backend-$dev.healed
	G_MODE=$mode G_EXTRA=$extra run_guest "$backend" "$dev" ""
	G_MODE='' G_EXTRA=''
	dmsetup remove xbb-fault
}

# EIO exactly in [64, 65) MiB, the rest intact.
fault_error_range() {
	s=$((DEV_MB * 2048)) lo=$((64 * 2048)) hi=$((65 * 2048))
	fault_table_guest "$1" dm-error-range errrange \
		"0 $lo linear /dev/ram2 0\n$lo $((hi - lo)) error\n$hi $((s - hi)) linear /dev/ram2 $hi" \
		"xbb.lo=64 xbb.hi=65"
}

fault_error_all() {
	fault_table_guest "$1" dm-error-all errwhole "0 $((DEV_MB * 2048)) error" ""
}

# Up one second, failing every write the next (6.1 fails only reads
# without a feature word).
fault_flakey() {
	fault_table_guest "$1" dm-flakey flakey \
		"0 $((DEV_MB * 2048)) flakey /dev/ram2 0 1 1 1 error_writes" ""
}

# Every I/O takes 200 ms (dm "delay"): the guest's verifying set passes
# with no error and no timeout, and another guest comes up meanwhile.
fault_delay() {
	fault_table_guest "$1" dm-delay quick "0 $((DEV_MB * 2048)) delay /dev/ram2 0 200" ""
}

# A guest's 32 writes held by a suspended device-mapper table, with
# stuck_request_seconds at 1: each must be named in dmesg (up to the rate
# limit) with the guest, device, queue and sector, statistics/stuck_requests
# must count every one named, and debugfs must list exactly the requests
# statistics/inflight counts, each with its age and as named; none of the
# healthy guests before may have been named. Ours only: the in-tree
# driver has no such warning.
fault_stuck() {
	backend=$1 tag="backend=$1 dev=dm-suspended-stuck"
	[ "$1" = ours ] ||
		{ result "$tag" test=stuck-warning skip reason=ours-only; return; }
	select_backend ours || { result "$tag" test=load fail; return; }
	st_param=/sys/module/xen_blkback_async/parameters/stuck_request_seconds
	st_before=$(dmesg | grep -c ' not answered by ')
	echo 1 > $st_param
	held_guest "$tag" g-stuck-ours ours /dev/mapper/xbb-linear ||
		{ echo 30 > $st_param; dmsetup resume xbb-linear; return; }
	st_re=" dom$domid/51712 q[0-9]*: write of [0-9]* sectors at sector [0-9]* (request id [0-9]*) not answered by dm-[0-9]* after [0-9]* s"
	wait_for "dmesg | grep -q '$st_re'" 10
	st_vbd=/sys/bus/xen-backend/devices/vbd-$domid-51712
	st_count=$(cat $st_vbd/statistics/stuck_requests)
	# shellcheck disable=SC2046 # reads and writes
	st_inflight=$(($(sed 's/ / + /' $st_vbd/statistics/inflight)))
	debugfs_mounted && cat /sys/kernel/debug/xen-blkback-async/vbd-$domid-51712 \
		> /tmp/stuck.debugfs 2>/dev/null
	dmsetup resume xbb-linear
	timeout 60 xl destroy g-stuck-ours
	domain_released "$tag" "$domid"
	echo 30 > $st_param
	st_named=$(dmesg | grep -c "$st_re")
	if [ "$st_before" = 0 ] && [ "$st_named" -ge 1 ] && [ "$st_count" -ge "$st_named" ]; then
		result "$tag" test=stuck-warning pass named="$st_named" stuck_requests="$st_count"
	else
		result "$tag" test=stuck-warning fail before="$st_before" named="$st_named" \
			stuck_requests="$st_count"
	fi
	dmesg | grep "$st_re" | head -n 2 | sed 's/^/XBB-LOG stuck: /'
	st_listed=$(grep -c ' age [0-9]* ms (named stuck)$' /tmp/stuck.debugfs)
	if [ "$st_inflight" -gt 0 ] && [ "$st_listed" = "$st_inflight" ] &&
	   [ "$(grep -c ' age ' /tmp/stuck.debugfs)" = "$st_inflight" ]; then
		result "$tag" test=debugfs-inflight pass listed="$st_listed" inflight="$st_inflight"
	else
		sed 's/^/XBB-LOG debugfs: /' /tmp/stuck.debugfs
		result "$tag" test=debugfs-inflight fail listed="$st_listed" inflight="$st_inflight"
	fi
	head -n 3 /tmp/stuck.debugfs | sed 's/^/XBB-LOG debugfs: /'
}

# xl migrate to this host of a guest with verifying writes running: the
# receiving backend connects while the sending one still has the device.
# A PV guest's live migration tracks dirty pages with shadow paging, which
# Debian builds Xen without (4.17 and 4.20: "Failed to enable logdirty:
# 95"); xl info names the paging modes this Xen has.
fault_migrate() {
	caps=$(xl info | sed -n 's/^virt_caps *: *//p' | tr ' ' ,)
	case ,$caps, in *,shadow,*) ;; *)
		result "backend=$1 dev=brd-migrate" test=migrate skip \
			reason=xen-without-shadow-paging-no-pv-log-dirty virt_caps="$caps"
		return ;;
	esac
	select_backend "$1" ||
		{ result "backend=$1 dev=brd-migrate" test=load fail; return; }
	G_MODE=saverestore G_MIGRATE=1 run_guest "$1" brd-migrate ""
	G_MODE='' G_MIGRATE=''
}

# xl save and xl restore of a guest with verifying writes running.
fault_save_restore() {
	select_backend "$1" ||
		{ result "backend=$1 dev=brd-save-restore" test=load fail; return; }
	# (The guest's initramfs needs its 512 MiB; the image fits dom0's /tmp.)
	G_MODE=saverestore run_guest "$1" brd-save-restore ""
	G_MODE=
}

# Kernel slab memory in KiB, for the destroy loop's before and after.
slab_kib() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

# Backend threads and event-channel irqs in dom0, ours or the in-tree's.
backend_threads() { ps -eo comm= | grep -cE '^(xbba\.|[0-9]+\.xvd)'; }
# /proc/interrupts names of ring event channels: ours, the in-tree driver's.
BACKEND_IRQ_RE='xbba[.]|blkif-backend'
backend_irqs() { grep -cE "$BACKEND_IRQ_RE" /proc/interrupts; }

# A guest under write load, DESTROY_LOOPS times: up, its second disk
# detached and attached again (a disconnect and a connect beside the
# load), destroyed; each time the domain must be released (dom0 holds
# none of its grants) before the next. Then nothing may be left, and the
# module must unload.
fault_destroy_loop() {
	backend=$1 tag="backend=$1 dev=destroy-loop"
	[ "${DESTROY_LOOPS:-0}" -gt 0 ] || return 0
	select_backend "$backend" || { result "$tag" test=load fail; return; }
	slab0=$(slab_kib)
	n=0 bad=
	t0=$(now_ms)
	while [ $n -lt "$DESTROY_LOOPS" ] && [ -z "$bad" ]; do
		n=$((n + 1))
		# (A name per round: wait_mark reads the whole console log.)
		g=g-loop-$backend-$n
		hold_guest "$g" "$backend" /dev/ram0 1 || { bad=boot; break; }
		vid=$(xl domid "$g")
		timeout 60 xl block-detach "$g" xvdb &&
			wait_for "[ ! -e /sys/bus/xen-backend/devices/vbd-$vid-51728 ]" 30 &&
			timeout 60 xl block-attach "$g" 'phy:/dev/ram1,xvdb,r' &&
			wait_for "[ \"\$(be_state $vid 51728)\" = 4 ]" 30 || bad=reattach
		timeout 60 xl destroy "$g" || bad=${bad:-destroy}
		wait_for "! domain_listed $vid" 60 || bad=${bad:-domain-not-released}
	done
	ms=$(since_ms "$t0")
	wait_for '[ "$(backend_threads)" = 0 ] && [ "$(orphans)" = 0 ]' 30
	left="threads=$(backend_threads) irqs=$(backend_irqs) orphans=$(orphans)"
	slab=$(( $(slab_kib) - slab0 ))
	if [ -z "$bad" ] && [ "$left" = "threads=0 irqs=0 orphans=0" ]; then
		result "$tag" test=destroy-under-load-repeated pass rounds=$n \
			ms_per_round=$((ms / n)) slab_kib_delta=$slab
	else
		result "$tag" test=destroy-under-load-repeated fail round=$n \
			what=${bad:-left-behind} $left slab_kib_delta=$slab
	fi
	mod=$(module_of "$backend")
	if wait_for "rmmod $mod 2>/dev/null" 30; then
		# Slab again once the module is gone: what its caches kept
		# after the loop is not left behind.
		result "$tag" test=unloads-after-loop pass \
			slab_kib_delta=$(( $(slab_kib) - slab0 ))
	else
		result "$tag" test=unloads-after-loop fail refs="$(cat /sys/module/$mod/refcnt 2>/dev/null)"
	fi
}

# After a backend's fault cases, or the hostile frontend's guest ($1 says
# whose), nothing of them may be left in dom0: no backend thread, no
# event-channel irq, no orphan, and no guest domain (a domain stays,
# dying, while dom0 still maps any of its grants).
resources_verdict() {
	tag=$1
	wait_for '[ -z "$(xl list 2>/dev/null | tail -n +2 | grep -v "^Domain-0 ")" ]' 60
	threads=$(backend_threads)
	irqs=$(backend_irqs)
	domains=$(xl list 2>/dev/null | tail -n +2 | grep -vc '^Domain-0 ')
	left="threads=$threads irqs=$irqs domains=$domains orphans=$(orphans)"
	if [ "$left" = "threads=0 irqs=0 domains=0 orphans=0" ]; then
		result "$tag" test=resources-back-to-baseline pass
	else
		result "$tag" test=resources-back-to-baseline fail $left
	fi
}

# Ours first; the in-tree driver's results are a reference (ref=1), with
# a dmesg verdict of its own so that its reports are not counted as ours.
run_faults() {
	# Loaded by name here; the alias load has its own test.
	AUTOLOAD_PENDING=''
	case " $FAULTS " in *" ours "*)
		for case in $FAULT_CASES; do
			"fault_$case" ours
		done
		resources_verdict "backend=ours dev=faults" ;;
	esac
	for backend in $FAULTS; do
		[ "$backend" != ours ] || continue
		[ -n "$FAULT_REF" ] || dmesg_verdict "backend=ours dev=faults"
		FAULT_REF=1
		for case in $FAULT_CASES; do
			"fault_$case" "$backend"
		done
		resources_verdict "backend=$backend dev=faults"
		dmesg_verdict "backend=$backend dev=faults"
	done
	FAULT_REF=
}

# ---- The hostile frontend (tests/hostile) -------------------------------

# Busy jiffies of dom0 (every CPU: user, nice, system, irq, softirq; not
# idle, iowait or steal, which is Xen running the guest instead).
dom0_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# CPU jiffies of the backend's ring threads (ours: xbba.*; the in-tree:
# <domid>.xvd*), summed.
backend_cpu() {
	thread_jiffies 'xbba.*' '[0-9]*.xvd*' | awk '{ n += $2 } END { print n + 0 }'
}

# Interrupts taken by backend rings, summed over CPUs.
backend_irq_count() {
	awk -v re="$BACKEND_IRQ_RE" '$0 ~ re { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i }
	     END { print n + 0 }' /proc/interrupts
}

# The hostile guest's marks: it waits (in xenstore) for dom0's answer.
hostile_ack() { xenstore-write "/local/domain/$1/data/xbb-ack" "$2"; }

hostile_on_mark() {
	name=$1 hd=$2 hb=$3
	for m in $(guest_log "$name" | tr -d '\r' | sed -n 's/^XBB-MARK hostile-//p'); do
		[ ! -f "/tmp/$name.mark-$m" ] || continue
		touch "/tmp/$name.mark-$m"
		case $m in
		storm-*-begin)
			echo "$(now_ms) $(dom0_busy) $(backend_irq_count) $(backend_cpu)" > /tmp/$name.storm ;;
		storm-*-end)
			storm_verdict "$name" "${m%-end}" "$hb" ;;
		detach-xvdb)
			# libxl waits 10 s for the backend to close, which it
			# cannot while the frontend ignores Closing; Xen 4.17
			# then removes the device by force, 4.20 ("safe
			# remove") gives up, and the admin's next step is
			# --force. The backend must let go either way.
			t1=$(now_ms)
			timeout 90 xl block-detach "$hd" xvdb > /tmp/$name.detach.log 2>&1
			drc=$? frc=-
			if [ -e "/sys/bus/xen-backend/devices/vbd-$hd-51728" ]; then
				timeout 90 xl block-detach --force "$hd" xvdb >> /tmp/$name.detach.log 2>&1
				frc=$?
			fi
			if wait_for "[ ! -e /sys/bus/xen-backend/devices/vbd-$hd-51728 ]" 30; then
				result "$tag" test=hostile-A19-toolstack-detach pass \
					detach_rc=$drc force_rc=$frc ms="$(since_ms "$t1")"
			else
				sed 's/^/XBB-LOG /' /tmp/$name.detach.log
				result "$tag" test=hostile-A19-toolstack-detach fail \
					detach_rc=$drc force_rc=$frc
			fi ;;
		gone-*)
			gone_verdict "$hd" "$m" ;;
		reprobe-*)
			reprobe_verdict "$hd" "$m" ;;
		attach-many)
			many_attach "$name" "$hd" ;;
		many-connected)
			many_peak ;;
		detach-many)
			many_detach "$name" "$hd" ;;
		detached-many)
			many_detached "$name" "$hd" ;;
		destroy-under-load)
			t1=$(now_ms)
			if timeout 60 xl destroy "$name"; then
				result "$tag" test=hostile-D1-destroy-under-load pass destroy_ms="$(since_ms "$t1")"
			else
				result "$tag" test=hostile-D1-destroy-under-load fail
			fi
			continue ;;
		rmmod-*)
			if rmmod "$(module_of "$hb")" 2>/dev/null; then
				result "$tag" test=hostile-$m-refused fail
				select_backend "$hb"
			else
				result "$tag" test=hostile-$m-refused pass
			fi ;;
		esac
		hostile_ack "$hd" "$m"
	done
}

# "gone-DEVID-CASE": the frontend made its state unreadable or removed it
# (with its directory, or with reads in flight); the backend must remove
# the device by itself, rings and all. (hostile_on_mark's variables are
# global: these use names of their own.)
gone_verdict() {
	gone_id=${2#gone-}
	gone_dev=${gone_id%%-*}
	t1=$(now_ms)
	if wait_for "[ ! -e /sys/bus/xen-backend/devices/vbd-$1-$gone_dev ]" 30; then
		gone_ms=$(since_ms "$t1")
		# xvdd's frontend directory is gone for good: the admin's
		# cleanup, which libxl would otherwise do at the destroy
		# (after waiting 10 s for a backend that is no more).
		gone_rc=-
		if [ "$gone_dev" = 51760 ]; then
			timeout 60 xl block-detach --force "$1" xvdd >/dev/null 2>&1
			gone_rc=$?
		fi
		result "$tag" test=hostile-${gone_id#*-}-device-removed pass ms="$gone_ms" \
			force_detach_rc=$gone_rc
	else
		result "$tag" test=hostile-${gone_id#*-}-device-removed fail \
			backend_state="$(xenstore-read "/local/domain/0/backend/vbd/$1/$gone_dev/state" 2>&1)"
	fi
}

# "reprobe-DEVID-CASE": what the toolstack does on attach, state
# Initialising in the backend's directory, probes the device afresh; it
# must come back and offer itself (InitWait) as if new.
reprobe_verdict() {
	gone_id=${2#reprobe-}
	gone_dev=${gone_id%%-*}
	gone_be=/local/domain/0/backend/vbd/$1/$gone_dev
	xenstore-write "$gone_be/state" 1
	if wait_for "[ -e /sys/bus/xen-backend/devices/vbd-$1-$gone_dev ] &&
		     [ \"\$(xenstore-read $gone_be/state)\" = 2 ]" 30; then
		result "$tag" test=hostile-${gone_id#*-}-probed-again pass
	else
		result "$tag" test=hostile-${gone_id#*-}-probed-again fail \
			backend_state="$(xenstore-read "$gone_be/state" 2>&1)"
	fi
}

# D4's disks: xvde onwards ("xvd" + a base-26 name: xvdz, xvdaa, ...).
xvd_name() {
	printf 'xvd'
	[ "$1" -lt 26 ] || printf "\\$(printf %03o $((96 + $1 / 26)))"
	printf "\\$(printf %03o $((97 + $1 % 26)))\n"
}

# "attach-many": HOSTILE_VBDS disks more, each a dm-linear view of ram2
# (the guest's control I/Os use different sectors on each).
many_attach() {
	t1=$(now_ms) many_i=0 many_fail=0
	: > /tmp/$1.many.log
	while [ $many_i -lt "$HOSTILE_VBDS" ]; do
		if [ ! -e /dev/mapper/xbb-many-$many_i ]; then
			echo "0 $((DEV_MB * 2048)) linear /dev/ram2 0" |
				dmsetup create xbb-many-$many_i &&
				dmsetup mknodes xbb-many-$many_i
		fi
		timeout 60 xl block-attach "$2" \
			"phy:/dev/mapper/xbb-many-$many_i,$(xvd_name $((many_i + 4))),w" \
			>> /tmp/$1.many.log 2>&1 || many_fail=$((many_fail + 1))
		many_i=$((many_i + 1))
	done
	if [ $many_fail = 0 ]; then
		result "$tag" test=hostile-D4-attach pass vbds="$HOSTILE_VBDS" ms="$(since_ms "$t1")"
	else
		sed 's/^/XBB-LOG /' /tmp/$1.many.log | tail -n 20
		result "$tag" test=hostile-D4-attach fail vbds="$HOSTILE_VBDS" failed=$many_fail
	fi
}

# "many-connected": every disk connected, one ring each: the backend's
# threads and irqs grow by one per ring, no more.
many_peak() {
	many_rings=$(( HOSTILE_VBDS + 1 ))
	threads=$(backend_threads) irqs=$(backend_irqs)
	if [ "$threads" -ge "$many_rings" ] && [ "$threads" -le $((many_rings + 3)) ]; then
		result "$tag" test=hostile-D4-linear pass rings_at_least=$many_rings threads="$threads" irqs="$irqs"
	else
		result "$tag" test=hostile-D4-linear fail rings_at_least=$many_rings threads="$threads" irqs="$irqs"
	fi
}

# "detach-many": detached one after another in the background (the guest
# answers each Closing meanwhile); "detached-many": all of them went.
many_detach() {
	MANY_T=$(now_ms)
	(
		many_i=0
		while [ $many_i -lt "$HOSTILE_VBDS" ]; do
			timeout 60 xl block-detach "$2" "$(xvd_name $((many_i + 4)))" ||
				echo "detach $many_i rc=$?"
			many_i=$((many_i + 1))
		done
	) > /tmp/$1.many-detach.log 2>&1 &
	MANY_PID=$!
}

many_detached() {
	wait "$MANY_PID"
	left=$(ls -d /sys/bus/xen-backend/devices/vbd-"$2"-* 2>/dev/null | wc -l)
	if [ ! -s /tmp/$1.many-detach.log ] && [ "$left" -le 4 ]; then
		result "$tag" test=hostile-D4-detach pass vbds="$HOSTILE_VBDS" ms="$(since_ms "$MANY_T")"
	else
		sed 's/^/XBB-LOG /' /tmp/$1.many-detach.log | tail -n 20
		result "$tag" test=hostile-D4-detach fail devices_left="$left"
	fi
}

# dom0's CPU and the rings' interrupts over a notify storm. A halted ring
# of ours must not be listening at all; the figures are reported for both.
storm_verdict() {
	name=$1 what=$2 hb=$3
	# (Not t0: that is run_guest's, for its timeout.)
	read -r st0 b0 i0 c0 < /tmp/$name.storm
	ms=$(since_ms "$st0")
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	busy=$(( ($(dom0_busy) - b0) * 1000 / hz ))
	irqs=$(( $(backend_irq_count) - i0 ))
	ring_ms=$(( ($(backend_cpu) - c0) * 1000 / hz ))
	figures="window_ms=$ms dom0_cpu_ms=$busy ring_threads_cpu_ms=$ring_ms irqs=$irqs irqs_per_s=$((irqs * 1000 / (ms + 1)))"
	# (storm-halted, or storm-halted@x86_32.o2.q2 on another kind of ring)
	if [ "${what%%@*}" = storm-halted ] && [ "$hb" = ours ] && [ "$irqs" -gt 10 ]; then
		result "$tag" test=hostile-$what-quiet fail $figures
	else
		result "$tag" test=hostile-$what-quiet pass $figures
	fi
}

# After the hostile guest: one "ring halted" line per ring it halted, not
# one per request or per event; nothing of it left in dom0.
hostile_verdicts() {
	tag=$1 hb=$2 name=$3 hd=$4
	# Every hostile guest of this backend so far (its ring variant too):
	# dmesg holds the lines of all of them.
	halts=$(cat /tmp/g-$hb-hostile*.console | grep -c 'XBB-RESULT hostile-[^ ]* [a-z]* expect=[^ ]* got=HALT')
	if [ "$hb" = ours ]; then
		lines=$(dmesg | grep -c 'ring halted')
		if [ "$lines" -le "$halts" ] && { [ "$halts" = 0 ] || [ "$lines" -ge 1 ]; }; then
			result "$tag" test=hostile-halt-message-once-per-ring pass lines="$lines" halts="$halts"
		else
			result "$tag" test=hostile-halt-message-once-per-ring fail lines="$lines" halts="$halts"
		fi
	fi
	domain_released "$tag" "$hd"
	wait_for "! ls -d /sys/bus/xen-backend/devices/vbd-$hd-* >/dev/null 2>&1" 30
	resources_verdict "$tag"
}

# The ring cases (B and C on xvda) once more on another kind of ring,
# HOSTILE_RING (ABI:ORDER:QUEUES, e.g. 32:2:2: the x86_32 layout, four
# pages, two queues, the cases on the second queue).
HOSTILE_RING_CASES="B1- B2- B3- B4- B5- B6- B7- B8- B11- B12- B13- B14- B15- B16- B17- B18- B19- B20- B21- B22- B23- B24- C1- C2- C3- C4-"
run_hostile_ring() {
	G_MODE=hostile G_VARIANT=ring
	HOSTILE_ARGS=$(echo "--ring $HOSTILE_RING $HOSTILE_RING_CASES" | tr ' ' ,)
	run_guest "$1" hostile ""
	hostile_verdicts "backend=$1 dev=hostile variant=ring" "$1" "g-$1-hostile-ring" "$domid"
	G_MODE='' G_VARIANT='' HOSTILE_ARGS=$args
}

# The catalogue against ours, then against the in-tree driver as a
# reference (ref=1) with a dmesg verdict of its own.
run_hostile() {
	args=$(case $HOSTILE_CASES in
		all) echo "" ;;
		subset) echo "--subset" ;;
		*) echo "$HOSTILE_CASES" | tr ' ' , ;;
		esac)
	HOSTILE_ARGS=$args
	for hb in $HOSTILE; do
		[ "$hb" = ours ] || FAULT_REF=1
		dmesg -C
		select_backend "$hb" || { result "backend=$hb dev=hostile" test=load fail; continue; }
		G_MODE=hostile
		run_guest "$hb" hostile ""
		G_MODE=
		hostile_verdicts "backend=$hb dev=hostile" "$hb" "g-$hb-hostile" "$domid"
		[ -z "$HOSTILE_RING" ] || run_hostile_ring "$hb"
		if [ "$hb" = ours ]; then
			# Every case must be able to fail: one of each class,
			# each expecting what it must not get (report.py checks
			# that all of them failed).
			G_MODE=hostile
			HOSTILE_ARGS=A3-order-5,A11-wrap,B1-prod-ring+1,B3-op-4,B7-7-7,B15-double-fetch,C4-no-kick
			run_guest ours hostile wrong
			G_MODE='' HOSTILE_ARGS=$args
		fi
		dmesg_verdict "backend=$hb dev=hostile"
	done
	FAULT_REF=
	HOSTILE_ARGS=
}

# After every guest is gone: unload, reload with other parameters, serve.
run_reload_variants() {
	if rmmod xen-blkback-async; then
		result "backend=ours dev=brd" test=rmmod pass
	else
		result "backend=ours dev=brd" test=rmmod fail
		return
	fi
	# With the in-tree driver owning "vbd", ours must refuse, and say why.
	if modprobe xen-blkback; then
		if modprobe xen-blkback-async 2>/dev/null; then
			result "backend=ours dev=brd" test=refuses-beside-in-tree fail
			rmmod xen-blkback-async
		elif dmesg | grep -q 'already serves "vbd"'; then
			result "backend=ours dev=brd" test=refuses-beside-in-tree pass
		else
			result "backend=ours dev=brd" test=refuses-beside-in-tree fail reason=no-message
		fi
		rmmod xen-blkback
	fi
	OURS_PARAMS_SAVED=$OURS_PARAMS
	OURS_PARAMS="feature_persistent=0 max_queues=1 max_ring_page_order=0"
	G_MODE=quick G_VARIANT=nopersist-q1-o0 G_BLKFRONT=
	select_backend ours && run_guest ours brd ""
	rmmod xen-blkback-async
	OURS_PARAMS=$OURS_PARAMS_SAVED
	# A frontend asking for a 4-page ring and 128 indirect segments (more
	# makes blkfront itself run a 512 MiB guest out of memory).
	G_VARIANT=ring4-ind128 G_BLKFRONT=max_ring_page_order=2,max_indirect_segments=128
	select_backend ours && run_guest ours brd ""
	# The backing device grows while the guest runs.
	G_MODE=resize G_VARIANT=online-resize G_BLKFRONT=
	run_guest ours loop ""
	# The image file served directly grows: the guest sees it.
	run_guest ours file-resize ""
	G_MODE='' G_VARIANT='' G_BLKFRONT=''
}

# After the guest: what it wrote must be on the device, as dom0 reads it.
verify_in_dom0() {
	tag=$1 path=$2
	case $mode in check|quick) ;; *) return 0 ;; esac
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

# The same fio jobs, in dom0 on the device itself: the limit. Its dom0
# CPU includes fio's own, which a guest's fio spends in the guest.
run_native() {
	NATIVE_TAG="backend=native dev=$1"
	perf_jobs "$NATIVE_TAG" "$(dev_path "$1")"
}
perf_begin() { PB_T=$(now_ms) PB_C=$(dom0_cpu_ms); }
perf_end() {
	echo "XBB-DOM0CPU $NATIVE_TAG job=$1 cpu_ms=$(($(dom0_cpu_ms) - PB_C)) ms=$(since_ms "$PB_T")"
}

# The round's runs on one device: each entry of BACKENDS once per value
# of PERSISTENT (1 0: offered, not offered), as BACKEND[@TYPE][/np];
# native once. Rotated as a whole, so persistence is no fixed position.
bench_entries() {
	for be_entry in $BACKENDS; do
		for be_p in $PERSISTENT; do
			case $be_entry in native*|emul*|qdisk*)
				[ "$be_p" = 1 ] || continue ;;
			esac
			echo "$be_entry$([ "$be_p" = 1 ] || echo /np)"
		done
	done
}

# One entry of bench_entries on device $2.
run_entry() {
	re_entry=${1%/np} dev=$2
	G_NP=
	[ "$re_entry" = "$1" ] || G_NP=1
	backend=${re_entry%@*} G_TYPE=
	[ "$re_entry" = "$backend" ] || G_TYPE=${re_entry#*@}
	echo "XBB-ROUND $round"
	case $backend in
	native) run_native "$dev"; return ;;
	esac
	# Only ours (and qdisk) serve a file itself; the in-tree driver's
	# way to a file is the loop device, the "loop" rows.
	case $backend:$dev in
	blkback:file-*|qdisk:floop*) return ;;
	esac
	if ! select_backend "$backend" "$([ -n "$G_NP" ] && echo 0 || echo 1)"; then
		result "backend=$1 dev=$dev" test=load fail
		return
	fi
	run_guest "$backend" "$dev" ""
}

# The scaling run's entries: BACKEND:GUESTS for ours and the in-tree
# driver (those of BACKENDS) and each count in SCALE.
scale_entries() {
	for se_be in $BACKENDS; do
		case $se_be in ours|blkback) ;; *) continue ;; esac
		for se_n in $SCALE; do
			echo "$se_be:$se_n"
		done
	done
}

# This run's part of scaling guest $1's console log (its offset in
# /tmp/$1.logoff).
scale_log() {
	guest_log "$1" "$(cat /tmp/$1.logoff)"
}

# Waits up to $2 s for mark $1 in the console of each guest of $SC_NAMES.
marks_all() {
	ma_left=$2
	for ma_name in $SC_NAMES; do
		while ! scale_log "$ma_name" | grep -q "XBB-MARK $1"; do
			[ "$ma_left" -gt 0 ] || return 1
			sleep 1
			ma_left=$((ma_left - 1))
		done
	done
}

# The seed's case: $2 guests at once on one dom0, each its own null_blk
# device and one vCPU, all running 4 KiB random reads at QD32 together
# (released by one write to the read-only disk they share). Reports
#   XBB-SCALE backend=B guests=N cpu_ms=N ms=N idle_cpu_ms=N idle_ms=N
# (dom0's CPU over the job, and over a window as long with the guests up
# and idle, to take off) and each guest's XBB-FIO line with scale=N.
run_scale() {
	sc_be=$1 sc_n=$2
	echo "XBB-ROUND $round"
	select_backend "$sc_be" 1 || { result "backend=$sc_be dev=scale$sc_n" test=load fail; return; }
	SC_NAMES='' sc_i=0 G_MEM=384 G_VCPUS=1
	while [ "$sc_i" -lt "$sc_n" ]; do
		sc_name=g-scale-$sc_be-$sc_n-$sc_i
		SC_NAMES="$SC_NAMES $sc_name"
		stat -c %s "/var/log/xen/console/guest-$sc_name.log" > /tmp/$sc_name.logoff 2>/dev/null ||
			echo 0 > /tmp/$sc_name.logoff
		write_cfg "$sc_name" "$sc_be" /dev/nullb$sc_i scale ""
		timeout 120 xl create -q /tmp/$sc_name.cfg > /tmp/$sc_name.create.log 2>&1 ||
			{ cat /tmp/$sc_name.create.log; result "backend=$sc_be dev=scale$sc_n" test=create fail; }
		sc_i=$((sc_i + 1))
	done
	G_MEM='' G_VCPUS=''
	say "scale: $sc_n guest(s) on $sc_be: created"
	if marks_all scale-ready "$GUEST_TIMEOUT"; then
		sc_t=$(now_ms) sc_c=$(dom0_cpu_ms)
		sleep "$RUNTIME"
		sc_ic=$(($(dom0_cpu_ms) - sc_c)) sc_it=$(since_ms "$sc_t")
		# The job's end as the guests say it, read as it comes (no
		# polling, whose forks dom0's CPU figure would carry): their
		# logs followed into a FIFO, given up on after two minutes.
		rm -f /tmp/scale.fifo
		mkfifo /tmp/scale.fifo
		sc_logs=
		for sc_name in $SC_NAMES; do
			sc_logs="$sc_logs /var/log/xen/console/guest-$sc_name.log"
		done
		# shellcheck disable=SC2086 # a list of files
		tail -q -n 0 -F $sc_logs > /tmp/scale.fifo 2>/dev/null &
		sc_tail=$!
		# (Opening the FIFO also frees a reader still waiting for tail.)
		(sleep $((RUNTIME + 120)); kill $sc_tail 2>/dev/null; : > /tmp/scale.fifo) &
		sc_dog=$!
		exec 3< /tmp/scale.fifo
		# The release: a line on each guest's console (looked up
		# before the window, so that only the writes are in it).
		sc_ttys=
		for sc_name in $SC_NAMES; do
			sc_ttys="$sc_ttys $(console_tty "$sc_name")"
		done
		sc_t=$(now_ms) sc_c=$(dom0_cpu_ms)
		for sc_tty in $sc_ttys; do
			echo scale-go > "$sc_tty"
		done
		sc_done=0
		while [ "$sc_done" -lt "$sc_n" ] && read -r sc_line <&3; do
			case $sc_line in *"XBB-MARK scale-done"*) sc_done=$((sc_done + 1)) ;; esac
		done
		sc_c1=$(dom0_cpu_ms) sc_ms=$(since_ms "$sc_t")
		exec 3<&-
		kill $sc_tail $sc_dog 2>/dev/null
		rm -f /tmp/scale.fifo
		if [ "$sc_done" = "$sc_n" ]; then
			echo "XBB-SCALE backend=$sc_be guests=$sc_n cpu_ms=$((sc_c1 - sc_c))" \
				"ms=$sc_ms idle_cpu_ms=$sc_ic idle_ms=$sc_it"
		else
			result "backend=$sc_be dev=scale$sc_n" test=scale-done fail done="$sc_done"
		fi
	else
		result "backend=$sc_be dev=scale$sc_n" test=scale-ready fail
	fi
	for sc_name in $SC_NAMES; do
		sc_i=0
		while xl domid "$sc_name" >/dev/null 2>&1 && [ "$sc_i" -lt 60 ]; do
			sleep 1
			sc_i=$((sc_i + 1))
		done
		timeout 60 xl destroy "$sc_name" 2>/dev/null
		scale_log "$sc_name" | tr -d '\r' | sed -n "s/^XBB-FIO /XBB-FIO backend=$sc_be dev=null scale=$sc_n guest=${sc_name##*-} /p"
	done
	say "scale: $sc_n guest(s) on $sc_be: gone"
}

# ---- Per-guest I/O control: a vbd's bios charged to a cgroup ------------

CG_ROOT=/sys/fs/cgroup
# The capped guest's io.max, in KiB/s of reads: a fraction of what one
# guest reads here unthrottled (a few MiB/s of 4 KiB reads under TCG).
CG_CAP_KIB=256

# cgroup_rios GROUP DEV: reads io.stat counts for DEV in cgroup GROUP.
cgroup_rios() {
	awk -v d="$2" '$1 == d { for (i = 2; i <= NF; i++)
		if ($i ~ /^rios=/) { sub(/^rios=/, "", $i); n = $i } }
		END { print n + 0 }' $CG_ROOT/$1/io.stat
}

# cgroup_sample WHEN: each group's reads on the shared disk, and the
# reads ours took from the guest charged to it, as /tmp/cg-GUEST.WHEN.
cgroup_sample() {
	for cg in capped free; do
		cg_id=$(xl domid g-cgroup-$cg)
		echo "$(cgroup_rios "$(cgroup_of $cg)" "$CG_DEV")" \
			"$(cat /sys/bus/xen-backend/devices/vbd-$cg_id-51728/statistics/rd_req)" \
			> /tmp/cg-$cg.$1
	done
}

# The group each guest's xvdb is charged to: the capped guest's made by
# the hotplug script the package ships (block-cgroup: /xen/<name>), the
# other's set by hand through the vbd's sysfs file.
cgroup_of() {
	case $1 in
	capped) echo xen/g-cgroup-capped ;;
	free) echo xbb-free ;;
	esac
}

# Two guests read their shared read-only disk (/dev/ram1, xvdb) at once,
# ours charging each one's xvdb to a cgroup of its own: io.max caps the
# first group at CG_CAP_KIB KiB/s of reads on that disk, the second has no
# limit. The capped guest must read at most a quarter more than the cap,
# the other at least twice the cap; and each group's io.stat must count
# exactly the reads ours took from its guest meanwhile (rd_req of its
# xvdb), each 4 KiB read being one bio.
run_cgroup() {
	tag="backend=ours dev=cgroup"
	select_backend ours || { result "$tag" test=load fail; return; }
	{ mountpoint -q $CG_ROOT || mount -t cgroup2 none $CG_ROOT; } &&
		echo +io > $CG_ROOT/cgroup.subtree_control &&
		mkdir -p $CG_ROOT/xbb-free ||
		{ result "$tag" test=cgroup2-io fail; return; }
	CG_DEV=$(cat /sys/block/ram1/dev)
	SC_NAMES='' G_MEM=384 G_VCPUS=1
	for cg in capped free; do
		cg_name=g-cgroup-$cg
		SC_NAMES="$SC_NAMES $cg_name"
		stat -c %s "/var/log/xen/console/guest-$cg_name.log" > /tmp/$cg_name.logoff 2>/dev/null ||
			echo 0 > /tmp/$cg_name.logoff
		[ $cg = free ] || G_RO_SCRIPT=block-cgroup
		# Each its own first disk; neither writes to it.
		write_cfg "$cg_name" ours "$([ $cg = capped ] && echo /dev/ram0 || echo /dev/ram3)" cgroup ""
		G_RO_SCRIPT=
		timeout 120 xl create -q /tmp/$cg_name.cfg > /tmp/$cg_name.create.log 2>&1 ||
			{ cat /tmp/$cg_name.create.log; result "$tag" test=create fail; }
	done
	G_MEM='' G_VCPUS=''
	if marks_all cgroup-ready "$GUEST_TIMEOUT"; then
		cg_id=$(xl domid g-cgroup-free)
		echo /xbb-free > /sys/bus/xen-backend/devices/vbd-$cg_id-51728/cgroup ||
			result "$tag" test=vbd-cgroup-set fail
		for cg in capped free; do
			cg_id=$(xl domid g-cgroup-$cg)
			cg_got=$(cat /sys/bus/xen-backend/devices/vbd-$cg_id-51728/cgroup)
			if [ "$cg_got" = "/$(cgroup_of $cg)" ]; then
				result "$tag" test=vbd-cgroup-$cg pass group="$cg_got"
			else
				result "$tag" test=vbd-cgroup-$cg fail group="$cg_got"
			fi
		done
		echo "$CG_DEV rbps=$((CG_CAP_KIB * 1024))" > "$CG_ROOT/$(cgroup_of capped)/io.max" ||
			result "$tag" test=io-max-set fail
		cgroup_sample begin
		for cg in capped free; do
			echo cgroup-go > "$(console_tty g-cgroup-$cg)"
		done
		if marks_all cgroup-done $((RUNTIME + 120)); then
			cgroup_sample end
			cgroup_verdicts
		else
			result "$tag" test=cgroup-done fail
		fi
	else
		result "$tag" test=cgroup-ready fail
	fi
	for cg_name in $SC_NAMES; do
		cg_tty=$(console_tty "$cg_name") && echo cgroup-bye > "$cg_tty"
		wait_for "! xl domid $cg_name >/dev/null 2>&1" 60 || timeout 60 xl destroy "$cg_name"
	done
	rmdir "$CG_ROOT/$(cgroup_of capped)" "$CG_ROOT/$(cgroup_of free)" 2>/dev/null
	SC_NAMES=''
}

# cgroup_kib GUEST: what the cgroup guest's fio read, in KiB/s.
cgroup_kib() {
	scale_log g-cgroup-$1 | tr -d '\r' |
		sed -n 's/^XBB-FIO cgroup-randread .*bw_kib=\([0-9]*\).*/\1/p' | tail -n 1
}

cgroup_verdicts() {
	for cg in capped free; do
		# shellcheck disable=SC2046 # four numbers
		set -- $(cat /tmp/cg-$cg.begin /tmp/cg-$cg.end)
		if [ $(($3 - $1)) = $(($4 - $2)) ] && [ $(($3 - $1)) -gt 0 ]; then
			result "$tag" test=io-stat-$cg pass rios=$(($3 - $1))
		else
			result "$tag" test=io-stat-$cg fail rios=$(($3 - $1)) rd_req=$(($4 - $2))
		fi
	done
	cg_kib_capped=$(cgroup_kib capped) cg_kib_free=$(cgroup_kib free)
	if [ -n "$cg_kib_capped" ] && [ -n "$cg_kib_free" ] &&
	   [ "$cg_kib_capped" -le $((CG_CAP_KIB * 5 / 4)) ] &&
	   [ "$cg_kib_free" -ge $((CG_CAP_KIB * 2)) ]; then
		result "$tag" test=io-max-one-guest pass capped_kib="$cg_kib_capped" \
			free_kib="$cg_kib_free" cap_kib=$CG_CAP_KIB
	else
		result "$tag" test=io-max-one-guest fail capped_kib="$cg_kib_capped" \
			free_kib="$cg_kib_free" cap_kib=$CG_CAP_KIB
	fi
}

# rotate N WORD...: the words, the first N-1 of them moved to the end, so
# that each round starts with another backend (none always runs first
# after boot, or right after the same one).
rotate() {
	[ $# -gt 1 ] || return 0
	rot_n=$((($1 - 1) % ($# - 1)))
	shift
	while [ "$rot_n" -gt 0 ]; do
		rot_first=$1
		shift
		set -- "$@" "$rot_first"
		rot_n=$((rot_n - 1))
	done
	echo "$@"
}

main() {
	# The guests boot Debian's kernel, also under the debug dom0.
	GUEST_KERNEL=$(ls /boot/vmlinuz-* | sort -V | tail -n 1)
	if ! start_toolstack; then
		say "toolstack failed"
		tail -n 20 /var/log/xenstored.log /var/log/xen-init-dom0.log 2>&1 |
			sed 's/^/XBB-LOG /'
		return 1
	fi
	setup_devices || { say "device setup failed"; return 1; }
	[ -z "$PROFILE" ] || prof_setup || say "profile: no tracefs"

	debug_begin
	round=0
	while [ $round -lt "$REPEAT" ]; do
		round=$((round + 1))
		for dev in $DEVICES; do
			# BACKEND@TYPE: that backend with a guest of that type.
			# shellcheck disable=SC2086 # a list of words
			# shellcheck disable=SC2046 # a list of words
			for entry in $(rotate "$round" $(bench_entries)); do
				run_entry "$entry" "$dev"
			done
		done
		G_TYPE='' G_NP=''
		# shellcheck disable=SC2046 # a list of words
		for entry in $(rotate "$round" $(scale_entries)); do
			run_scale "${entry%:*}" "${entry#*:}"
		done
	done
	if [ -n "$LIFECYCLE" ]; then
		case " $BACKENDS " in *" ours "*)
			select_backend ours && run_lifecycle ours
			select_backend ours && run_file_refused
			run_reload_variants ;;
		esac
	fi
	[ -z "$FAULTS" ] || run_faults
	[ -z "$CGROUP" ] || run_cgroup
	[ -z "$HOSTILE" ] || run_hostile
	if [ -n "$SELFTEST" ]; then
		select_backend "$SELFTEST"
		# Its first boot dies too: the retry of a guest whose
		# kernel died booting is tested with it.
		G_BOOT_DIES=1 G_MODE=quick run_guest "$SELFTEST" brd corrupt
	fi
	rmmod xen-blkback-async 2>/dev/null
	debug_end
	return $status
}

main
rc=$?
echo "XBB-DMESG-BEGIN"
dmesg
echo "XBB-DMESG-END"
exit $rc
