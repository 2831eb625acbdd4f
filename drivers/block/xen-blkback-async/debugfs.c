// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: one file per vbd, /sys/kernel/debug/xen-blkback-async/vbd-D-N,
 * with what sysfs does not show: each ring's indices, the requests in
 * flight with their age, and how well the persistent grants are reused.
 * For people debugging a stuck or slow guest; not an ABI.
 */

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>

#include "common.h"

static struct dentry *xbb_debugfs_root;

/*
 * The ring's indices: the frontend's (read from the shared page, so
 * whatever it wrote there) and ours. The worker moves ours as we read
 * them: a snapshot, not a consistent one.
 */
static void xbb_debugfs_indices(struct seq_file *m, struct xbb_ring *ring)
{
	const struct blkif_back_ring *br = &ring->ring.u.native;

	seq_printf(m, "q%u: req_prod %u req_cons %u rsp_prod %u rsp_prod_pvt %u req_event %u rsp_event %u size %u%s\n",
		   ring->id, READ_ONCE(br->sring->req_prod),
		   READ_ONCE(br->req_cons), READ_ONCE(br->sring->rsp_prod),
		   READ_ONCE(br->rsp_prod_pvt), READ_ONCE(br->sring->req_event),
		   READ_ONCE(br->sring->rsp_event), ring->nr_slots,
		   READ_ONCE(ring->halted) ? " halted" : "");
}

static void xbb_debugfs_grants(struct seq_file *m, struct xbb_ring *ring)
{
	u64 hits = READ_ONCE(ring->stats.pgrant_hits);
	u64 misses = READ_ONCE(ring->stats.pgrant_misses);
	u64 all = hits + misses;

	seq_printf(m, "q%u: persistent grants %u mapped (max %u), segments served by one %llu, mapped for the request %llu",
		   ring->id, READ_ONCE(ring->pgrants.nr),
		   READ_ONCE(xbb_max_persistent_grants), hits, misses);
	if (all)
		seq_printf(m, " (%llu%% reused)", div64_u64(hits * 100, all));
	seq_putc(m, '\n');
}

/*
 * The requests in flight, in slot order, each with its age. Only the
 * worker reuses a slot: one answered while we look shows its last request.
 */
static void xbb_debugfs_inflight(struct seq_file *m, struct xbb_ring *ring)
{
	ktime_t now = ktime_get();
	unsigned int i;

	for (i = 0; i < ring->nr_slots; i++) {
		const struct xbb_slot *slot = &ring->slots[i];
		ktime_t started = READ_ONCE(slot->started);

		if (!started)
			continue;
		seq_printf(m, "q%u: slot %u id %#llx %s sector %llu +%llu age %lld ms%s\n",
			   ring->id, i, slot->req.id,
			   xbb_class_name(xbb_req_class(slot->req.kind)),
			   slot->req.sector, slot->req.nr_sectors,
			   ktime_ms_delta(now, started),
			   slot->stuck_warned ? " (named stuck)" : "");
	}
}

static int xbb_debugfs_show(struct seq_file *m, void *unused)
{
	struct xbb_backend *be = m->private;
	unsigned int i;

	mutex_lock(&be->state_lock);
	seq_printf(m, "dom%u/%u: %s", be->domid, be->devid,
		   be->connected ? "connected" : "not connected");
	if (be->connected)
		seq_printf(m, ", %u queue(s), protocol %s, persistent grants %s",
			   be->nr_rings, xbb_abi_name(be->abi),
			   be->persistent ? "on" : "off");
	seq_printf(m, ", %u queue(s) stopping\n", be->nr_stopping);
	/* The rings stay mapped while connected and the lock is held. */
	for (i = 0; be->connected && i < be->nr_rings; i++) {
		xbb_debugfs_indices(m, be->rings[i]);
		xbb_debugfs_grants(m, be->rings[i]);
		xbb_debugfs_inflight(m, be->rings[i]);
	}
	mutex_unlock(&be->state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xbb_debugfs);

/**
 * xbb_debugfs_add() - create a vbd's debugfs file
 * @be: the backend, which must outlive the file (xbb_debugfs_remove())
 *
 * Without debugfs (or if it fails) there is simply no file.
 *
 * Context: process.
 */
void xbb_debugfs_add(struct xbb_backend *be)
{
	be->debugfs = debugfs_create_file(dev_name(&be->dev->dev), 0400,
					  xbb_debugfs_root, be,
					  &xbb_debugfs_fops);
}

/**
 * xbb_debugfs_remove() - remove a vbd's debugfs file
 * @be: the backend
 *
 * Returns once no reader is left in the file.
 *
 * Context: process.
 */
void xbb_debugfs_remove(struct xbb_backend *be)
{
	debugfs_remove(be->debugfs);
	be->debugfs = NULL;
}

/**
 * xbb_debugfs_init() - create the driver's debugfs directory
 *
 * Context: module init.
 */
void xbb_debugfs_init(void)
{
	xbb_debugfs_root = debugfs_create_dir("xen-blkback-async", NULL);
}

/**
 * xbb_debugfs_exit() - remove the driver's debugfs directory
 *
 * Context: module exit, once every vbd is gone.
 */
void xbb_debugfs_exit(void)
{
	debugfs_remove(xbb_debugfs_root);
}
