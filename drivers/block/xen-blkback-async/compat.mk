# SPDX-License-Identifier: GPL-2.0-only
#
# Compile-time probes of kernel APIs whose release of change is not certain
# (stable and distribution kernels backport): read the kernel's own headers,
# as wireguard-linux-compat does, instead of guessing a version number.
#   <linux/unaligned.h> replaced <asm/unaligned.h> (6.12).
#   xenbus_read_driver_state() takes the xenbus_device first (7.x).
ifneq ($(wildcard $(srctree)/include/linux/unaligned.h),)
ccflags-y += -DXBB_HAVE_LINUX_UNALIGNED_H
endif
xbb_probe_xenbus_state := $(shell grep -slE \
	'xenbus_read_driver_state.(const )?struct xenbus_device' \
	$(srctree)/include/xen/xenbus.h)
ifneq ($(xbb_probe_xenbus_state),)
ccflags-y += -DXBB_HAVE_XENBUS_READ_STATE_DEV
endif
