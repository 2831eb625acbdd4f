// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback-async: module entry points.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <xen/xen.h>

#include "core.h"

static int __init xbb_init(void)
{
	/* Serving guests' disks only makes sense in dom0 or a driver domain. */
	if (!xen_domain())
		return -ENODEV;
	return 0;
}
module_init(xbb_init);

static void __exit xbb_exit(void)
{
}
module_exit(xbb_exit);

MODULE_DESCRIPTION("Xen block-device backend with asynchronous bio submission");
MODULE_LICENSE("GPL");
