// SPDX-License-Identifier: GPL-2.0-only
/*
 * The disk a backend's rings serve, as the data plane sees it: its limits,
 * what the data plane has to tell the control plane about it, and the
 * reference that keeps it open.
 *
 * The data plane never calls into the control plane (xenbus.c). What it
 * needs is handed to it here when the backend is set up: the work item
 * that publishes a change (a feature the device refused, a new size) and
 * the function that frees the backend with the last reference.
 */

#include <linux/blkdev.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "common.h"

/**
 * xbb_vbd_init() - set up a backend's disk
 * @vbd: the disk, zeroed
 * @changed: queued whenever the data plane notes a change to publish
 * @release: frees what embeds @vbd once the last reference is gone
 *
 * Holds one reference, the caller's.
 *
 * Context: process.
 */
void xbb_vbd_init(struct xbb_vbd *vbd, struct work_struct *changed,
		  void (*release)(struct xbb_vbd *vbd))
{
	kref_init(&vbd->ref);
	spin_lock_init(&vbd->lock);
	vbd->changed = changed;
	vbd->release = release;
}

/**
 * xbb_vbd_get() - take a reference that keeps the disk open
 * @vbd: the disk
 *
 * Context: any.
 */
void xbb_vbd_get(struct xbb_vbd *vbd)
{
	kref_get(&vbd->ref);
}

static void xbb_vbd_release(struct kref *ref)
{
	struct xbb_vbd *vbd = container_of(ref, struct xbb_vbd, ref);

	vbd->release(vbd);
}

/**
 * xbb_vbd_put() - drop a reference
 * @vbd: the disk
 *
 * The last one closes the disk and frees the backend.
 *
 * Context: process.
 */
void xbb_vbd_put(struct xbb_vbd *vbd)
{
	kref_put(&vbd->ref, xbb_vbd_release);
}

/**
 * xbb_vbd_limits() - snapshot what requests are validated against
 * @vbd: the disk
 * @lim: where to copy the limits
 *
 * Context: any.
 */
void xbb_vbd_limits(struct xbb_vbd *vbd, struct xbb_vbd_limits *lim)
{
	spin_lock(&vbd->lock);
	*lim = vbd->lim;
	spin_unlock(&vbd->lock);
}

/**
 * xbb_vbd_withdraw() - stop serving flush or barrier
 * @vbd: the disk
 * @kind: XBB_REQ_FLUSH or XBB_REQ_BARRIER, which the device refused
 *
 * Refuses further such requests at once; the control plane stops
 * advertising the feature from its work item.
 *
 * Context: the ring's worker.
 */
void xbb_vbd_withdraw(struct xbb_vbd *vbd, enum xbb_req_kind kind)
{
	spin_lock(&vbd->lock);
	if (kind == XBB_REQ_FLUSH) {
		vbd->withdrawn_flush |= vbd->lim.flush;
		vbd->lim.flush = false;
	} else {
		vbd->withdrawn_barrier |= vbd->lim.barrier;
		vbd->lim.barrier = false;
	}
	spin_unlock(&vbd->lock);
	schedule_work(vbd->changed);
}

/**
 * xbb_vbd_check_size() - notice an online resize of the backing device
 * @vbd: the disk, open
 *
 * Context: a ring's worker.
 */
void xbb_vbd_check_size(struct xbb_vbd *vbd)
{
	u64 sectors = bdev_nr_sectors(vbd->bdev);
	bool changed;

	spin_lock(&vbd->lock);
	changed = sectors != vbd->lim.nr_sectors;
	if (changed) {
		vbd->lim.nr_sectors = sectors;
		vbd->resized = true;
	}
	spin_unlock(&vbd->lock);
	if (changed)
		schedule_work(vbd->changed);
}

/**
 * xbb_vbd_take_changes() - what the data plane noted since the last call
 * @vbd: the disk
 * @changes: the notes, and the limits as they are now
 *
 * Clears the notes: each change is published once.
 *
 * Context: any.
 */
void xbb_vbd_take_changes(struct xbb_vbd *vbd, struct xbb_vbd_changes *changes)
{
	spin_lock(&vbd->lock);
	changes->withdrawn_flush = vbd->withdrawn_flush;
	changes->withdrawn_barrier = vbd->withdrawn_barrier;
	changes->resized = vbd->resized;
	changes->lim = vbd->lim;
	vbd->withdrawn_flush = false;
	vbd->withdrawn_barrier = false;
	vbd->resized = false;
	spin_unlock(&vbd->lock);
}
