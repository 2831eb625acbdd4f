# SPDX-License-Identifier: GPL-2.0-only
# The lab's fio performance jobs, sourced by the guest's init (busybox sh)
# and by dom0's runner (the "native" baseline), so both run and report the
# very same jobs. Needs RUNTIME (s per job).

# fio_perf TAG FILE NAME ARGS...: one timed job on FILE, one line
#   XBB-FIO [TAG ]NAME iops=N bw_kib=N lat_mean_us=N lat_p99_us=N ios=N
# from fio's terse v3 output: read iops $8, bw $7 (KiB/s), lat mean $40 (us),
# clat percentiles $18..$37; write: $49, $48, $81, $59..$78.
fio_perf() {
	# Prefixed names: sh has no locals and the callers use tag and name.
	fp_tag=$1 fp_file=$2 fp_name=$3
	shift 3
	fio --name="$fp_name" --filename="$fp_file" --direct=1 --ioengine=libaio \
		--time_based --runtime="$RUNTIME" --offset=$((96 * 1048576)) \
		--size=$((128 * 1048576)) --output-format=terse --terse-version=3 \
		"$@" 2>/dev/null | tail -n 1 |
	awk -F';' -v n="$fp_name" -v tag="${fp_tag:+$fp_tag }" '{
		if ($8 + 0 > 0) { iops = $8; bw = $7; lat = $40; lo = 18 }
		else { iops = $49; bw = $48; lat = $81; lo = 59 }
		p99 = 0
		for (i = lo; i < lo + 20; i++)
			if ($i ~ /^99\.000000%=/) { split($i, a, "="); p99 = a[2] }
		printf "XBB-FIO %s%s iops=%d bw_kib=%d lat_mean_us=%.1f lat_p99_us=%d ios=%d\n",
			tag, n, iops, bw, lat, p99, iops * ($9 + $50) / 1000
	}'
}

# dom0's CPU time is measured around each job (XBB-DOM0CPU lines) when
# the caller defines these two: perf_begin NAME before the job starts and
# perf_end NAME after it has ended. The window "idle" comes first, as long
# as a job and with no I/O: what dom0 spends anyway, to take off.
perf_begin() { :; }
perf_end() { :; }

# perf_job TAG FILE NAME ARGS...: one job, inside its CPU window.
perf_job() {
	perf_begin "$3"
	fio_perf "$@"
	perf_end "$3"
}

# perf_jobs TAG FILE: the five jobs of the comparison table.
perf_jobs() {
	if [ -n "${PERF_CPU:-}" ]; then
		perf_begin idle
		sleep "$RUNTIME"
		perf_end idle
	fi
	perf_job "$1" "$2" randread-4k-qd1 --rw=randread --bs=4k --iodepth=1
	perf_job "$1" "$2" randread-4k-qd32 --rw=randread --bs=4k --iodepth=32
	perf_job "$1" "$2" randwrite-4k-qd32 --rw=randwrite --bs=4k --iodepth=32
	perf_job "$1" "$2" seqread-1m-qd8 --rw=read --bs=1m --iodepth=8
	perf_job "$1" "$2" seqwrite-1m-qd8 --rw=write --bs=1m --iodepth=8
}
