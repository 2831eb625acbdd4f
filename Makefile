# SPDX-License-Identifier: GPL-2.0-only
#
# xen-blkback-async: out-of-tree build and project targets.
#
#   make            build xen-blkback-async.ko against $(KDIR)
#   make check      fresh-machine install, lint, KUnit, kernel matrix and
#                   the lab's integrity run in both flavours; one summary line
#   make lab        boot Xen + dom0 + a guest in QEMU, served by the module
#   make deps       install the Debian packages every target needs
#   make fresh      the install step on a bare Debian 12 (throwaway chroot)
#   make matrix     build (W=1, sparse) on 6.1, 6.12, 7.x, each in its suite
#   make deb        the xen-blkback-async-dkms package, into build/
#   make fuzz       libFuzzer on the pure core, FUZZ_S seconds per target
#   make check-debug the lab's integrity, lifecycle and fault cases under a
#                   debug dom0 (lockdep, kmemleak, KFENCE, SLUB debugging)
#   make hostile    the hostile frontend's whole catalogue, ours and the
#                   in-tree driver (make check runs a subset, ours)
#
# KDIR defaults to the running kernel's build tree, else the Debian 6.1
# headers that 'make deps' pins.

KDIR ?= $(shell scripts/kdir.sh)
MODDIR := drivers/block/xen-blkback-async
MODULE := $(MODDIR)/xen-blkback-async.ko
KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) CONFIG_XEN_BLKBACK_ASYNC=m

.PHONY: all modules deps lint kunit mutation fuzz check check-debug lab lab-faults bench bench-pv bench-guests bench-file \
	clean install fresh matrix deb hostile lab-pvh lab-hvm

all: modules

modules:
	@if [ -z "$(KDIR)" ]; then \
		echo "no kernel build tree found: run 'make deps' or pass KDIR=" >&2; \
		exit 1; \
	fi
	$(MAKE) $(KBUILD_ARGS) modules

install: modules
	$(MAKE) $(KBUILD_ARGS) modules_install
	install -D -m 0644 etc/modprobe.d/xen-blkback-async.conf \
		$(DESTDIR)/etc/modprobe.d/xen-blkback-async.conf

deps:
	scripts/deps.sh

lint: deps
	scripts/lint.sh

kunit: deps
	scripts/kunit.sh

# Each validation check removed in turn must make KUnit fail (~20 s each).
mutation: deps
	scripts/mutate.py

# FUZZ_S=N: seconds per target (default 300).
fuzz: deps
	scripts/fuzz.sh

check: deps
	scripts/check.sh

lab: deps
	scripts/lab.sh

fresh: deps
	scripts/fresh.sh

matrix: deps
	scripts/matrix.sh

deb: deps
	scripts/deb.sh

# The backends compared with PV guests (brd and null_blk, persistent
# grants offered and not, then 1, 2 and 4 guests at once; 5 rotated rounds,
# about 100 minutes; a table and an SVG plot), then the ways an HVM guest
# reaches its disk (emulated, PV drivers on each backend) beside PV and
# dom0's own, in a boot of their own (dom0 and the guests then on a CPU
# each).
bench: bench-pv bench-guests

bench-pv: deps
	scripts/lab.sh --bench

bench-guests: deps
	BACKENDS="$${BACKENDS-ours blkback native ours@hvm blkback@hvm emul@hvm}" \
		RUNTIME=$${RUNTIME-10} scripts/lab.sh --bench

# A raw image file on ext4, four ways: served by ours itself (direct I/O
# kiocbs), through a loop device (buffered, and with loop's direct I/O)
# by both drivers, and by qdisk. 3 rounds, about 50 minutes.
bench-file: deps
	BACKENDS="$${BACKENDS-ours blkback qdisk}" \
		DEVICES="$${DEVICES-file-ext4 floop floop-dio}" \
		PERSISTENT=$${PERSISTENT-1} SCALE=$${SCALE-} REPEAT=$${REPEAT-3} \
		scripts/lab.sh --bench

lab-faults: deps
	scripts/lab.sh --faults

hostile: deps
	scripts/lab.sh --hostile

# PVH guests (Xen with SVM and nested paging under TCG): the integrity set
# through ours and the in-tree driver, on brd.
lab-pvh: deps
	GUEST_TYPE=pvh DEVICES=$${DEVICES-brd} FAULTS=$${FAULTS-} \
		HOSTILE=$${HOSTILE-} LIFECYCLE=$${LIFECYCLE-} scripts/lab.sh --check

# HVM guests (qemu-xen, SeaBIOS, direct kernel boot) with PV drivers: the
# integrity set through ours and the in-tree driver, on brd.
lab-hvm: deps
	GUEST_TYPE=hvm DEVICES=$${DEVICES-brd} FAULTS=$${FAULTS-} \
		HOSTILE=$${HOSTILE-} LIFECYCLE=$${LIFECYCLE-} scripts/lab.sh --check

# Builds the debug dom0 kernel once (~30 min on two cores, cached).
check-debug: deps
	scripts/lab.sh --debug

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) $(KBUILD_ARGS) clean; fi
