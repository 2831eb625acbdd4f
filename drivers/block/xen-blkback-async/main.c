// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback-async: module parameters and entry points.
 *
 * Parameter names and meanings follow the in-tree xen-blkback, so that
 * admins' modprobe.d lines carry over; Documentation/ lists them all.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "common.h"

unsigned int xbb_max_queues;
module_param_named(max_queues, xbb_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Most queues (rings) offered to a frontend; 0 (default) or more than the online CPUs = online CPUs. Read at each device's probe.");

unsigned int xbb_max_ring_page_order = XENBUS_MAX_RING_GRANT_ORDER;
module_param_named(max_ring_page_order, xbb_max_ring_page_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest ring offered, log2 of pages (0-4, default 4)");

unsigned int xbb_max_indirect_segs = 256;
module_param_named(max_indirect_segments, xbb_max_indirect_segs, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Most segments per indirect request offered (11-4096, default 256)");

unsigned int xbb_max_persistent_grants = 1056;
module_param_named(max_persistent_grants, xbb_max_persistent_grants, uint,
		   0644);
MODULE_PARM_DESC(max_persistent_grants,
		 "Most grants kept mapped per ring (default 1056); idle ones over it are unmapped within a second");

unsigned int xbb_persistent_grant_unused_seconds = 60;
module_param_named(persistent_grant_unused_seconds,
		   xbb_persistent_grant_unused_seconds, uint, 0644);
MODULE_PARM_DESC(persistent_grant_unused_seconds,
		 "Seconds a persistent grant may stay unused before it is unmapped (default 60)");

unsigned int xbb_max_buffer_pages = 1024;
module_param_named(max_buffer_pages, xbb_max_buffer_pages, uint, 0644);
MODULE_PARM_DESC(max_buffer_pages,
		 "Spare pages kept per ring for mapping grants (default 1024)");

unsigned int xbb_stuck_request_seconds = 30;
module_param_named(stuck_request_seconds, xbb_stuck_request_seconds, uint,
		   0644);
MODULE_PARM_DESC(stuck_request_seconds,
		 "Warn once about each request the backing device has not answered after this many seconds (default 30, 0: never)");

bool xbb_feature_persistent = true;
module_param_named(feature_persistent, xbb_feature_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent,
		 "Offer persistent grants (default Y). Read at each device's probe.");

bool xbb_log_stats;
module_param_named(log_stats, xbb_log_stats, bool, 0644);
MODULE_PARM_DESC(log_stats,
		 "Log each vbd's request counts every 10 s (default N); the sysfs counters are not reset");

unsigned int xbb_buffer_squeeze_duration_ms = 10;
module_param_named(buffer_squeeze_duration_ms, xbb_buffer_squeeze_duration_ms,
		   uint, 0644);
MODULE_PARM_DESC(buffer_squeeze_duration_ms,
		 "After a memory-pressure notice, ms during which spare pages and idle grants are released (default 10)");

unsigned int xbb_max_orphaned_rings = 64;
module_param_named(max_orphaned_rings, xbb_max_orphaned_rings, uint, 0644);
MODULE_PARM_DESC(max_orphaned_rings,
		 "Most rings, over all devices, left to finish I/O the backing device did not complete within 30 s of a disconnect (default 64); past it, teardown keeps waiting");

static int xbb_orphaned_rings_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", xbb_retiring_count(NULL, true));
}

static const struct kernel_param_ops xbb_orphaned_rings_ops = {
	.get = xbb_orphaned_rings_get,
};
module_param_cb(orphaned_rings, &xbb_orphaned_rings_ops, NULL, 0444);
MODULE_PARM_DESC(orphaned_rings,
		 "Read-only: rings, over all devices, still finishing I/O of a closed connection");

struct workqueue_struct *xbb_wq;

/* Refuses values the rest of the driver could not honour. */
static int xbb_check_params(void)
{
	if (xbb_max_ring_page_order > XENBUS_MAX_RING_GRANT_ORDER) {
		pr_err("max_ring_page_order %u: at most %u\n",
		       xbb_max_ring_page_order, XENBUS_MAX_RING_GRANT_ORDER);
		return -EINVAL;
	}
	if (xbb_max_indirect_segs < BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	    xbb_max_indirect_segs > XBB_MAX_INDIRECT_SEGS) {
		pr_err("max_indirect_segments %u: must be %u to %lu\n",
		       xbb_max_indirect_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST,
		       XBB_MAX_INDIRECT_SEGS);
		return -EINVAL;
	}
	return 0;
}

static int __init xbb_init(void)
{
	int err;

	/* Serving guests' disks only makes sense in dom0 or a driver domain. */
	if (!xen_domain())
		return -ENODEV;
	err = xbb_check_params();
	if (err)
		return err;
	/* Teardown waits here, not in xenbus's watch thread. */
	xbb_wq = alloc_workqueue("xbb", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!xbb_wq)
		return -ENOMEM;
	xbb_sysfs_init();
	xbb_debugfs_init();
	err = xbb_xenbus_register();
	if (err == -EBUSY)
		pr_err("another driver (the in-tree xen-blkback?) already serves \"vbd\": unload it, and blacklist it (see Documentation/admin-guide/xen-blkback-async.rst)\n");
	else if (err)
		pr_err("registering the vbd backend failed: %d\n", err);
	if (err)
		goto out_destroy_wq;
	return 0;

out_destroy_wq:
	xbb_debugfs_exit();
	destroy_workqueue(xbb_wq);
	return err;
}
module_init(xbb_init);

static void __exit xbb_exit(void)
{
	xbb_xenbus_unregister();
	xbb_debugfs_exit();
	/*
	 * Every queued work holds a module reference, so none is pending
	 * here; this waits for the last one to return from its module_put().
	 */
	destroy_workqueue(xbb_wq);
}
module_exit(xbb_exit);

MODULE_DESCRIPTION("Xen block-device backend with asynchronous bio submission");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vbd");
