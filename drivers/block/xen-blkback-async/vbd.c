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

#include <linux/bio.h>
#include <linux/blk-cgroup.h>
#include <linux/blkdev.h>
#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
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
	mutex_init(&vbd->cgroup_lock);
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

	/* No bio is built any more: nothing reads @blkcg. */
	xbb_vbd_set_cgroup(vbd, "");
	if (vbd->file)
		fput(vbd->file);
	kfree(vbd->name);
	vbd->release(vbd);
}

/**
 * xbb_vbd_put() - drop a reference
 * @vbd: the disk
 *
 * The last one closes the disk (block device or file) and frees the
 * backend.
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
 * xbb_vbd_backing() - what the disk is, whichever way it is served
 * @vbd: the disk
 *
 * Two backends serving the same block device or the same file (through
 * any of its names) get the same pointer, as long as either has it open.
 *
 * Context: any.
 * Return: the block device, the file's inode, or NULL before either is
 * open.
 */
const void *xbb_vbd_backing(struct xbb_vbd *vbd)
{
	if (vbd->file)
		return file_inode(vbd->file);
	return vbd->bdev;
}

/**
 * xbb_vbd_check_size() - notice an online resize of the backing device
 * @vbd: the disk, open
 *
 * A block device's new size, or an image file's: growing the file grows
 * the disk.
 *
 * Context: a ring's worker.
 */
void xbb_vbd_check_size(struct xbb_vbd *vbd)
{
	u64 sectors = vbd->file ? xbb_file_size_sectors(vbd) :
				  bdev_nr_sectors(vbd->bdev);
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

/*
 * The io controller's group of the cgroup at @path under the cgroup2 root,
 * with a reference: the group itself if io is enabled there, else its
 * nearest ancestor that has it.
 */
static struct cgroup_subsys_state *xbb_vbd_blkcg_get(const char *path)
{
#ifdef CONFIG_BLK_CGROUP
	struct cgroup_subsys_state *css;
	struct cgroup *cgrp;

	cgrp = cgroup_get_from_path(path);
	if (IS_ERR(cgrp))
		return ERR_CAST(cgrp);
	css = cgroup_get_e_css(cgrp, &io_cgrp_subsys);
	cgroup_put(cgrp);
	return css;
#else
	return ERR_PTR(-EOPNOTSUPP);
#endif
}

/**
 * xbb_vbd_set_cgroup() - charge the disk's I/O to a cgroup
 * @vbd: the disk
 * @path: a cgroup v2 group's path from the hierarchy's root ("/xen/dom5"),
 *	or "" for none: the worker threads' own group, the root
 *
 * From the next bio on, each bio the rings build is charged to the group's
 * io controller, so that its io.max, io.weight, io.latency and io.cost
 * apply to this guest's disk and io.stat counts it.
 *
 * Context: process; sleeps (waits for the bios being built to be done
 * with the old group).
 * Return: 0, -ENOENT (no such group), -EOPNOTSUPP (a kernel without the
 * io controller) or -ENOMEM.
 */
int xbb_vbd_set_cgroup(struct xbb_vbd *vbd, const char *path)
{
	struct cgroup_subsys_state *css = NULL, *old;
	char *copy = NULL;

	if (*path) {
		css = xbb_vbd_blkcg_get(path);
		if (IS_ERR(css))
			return PTR_ERR(css);
		copy = kstrdup(path, GFP_KERNEL);
		if (!copy) {
			css_put(css);
			return -ENOMEM;
		}
	}
	mutex_lock(&vbd->cgroup_lock);
	old = rcu_replace_pointer(vbd->blkcg, css,
				  lockdep_is_held(&vbd->cgroup_lock));
	kfree(vbd->cgroup_path);
	vbd->cgroup_path = copy;
	mutex_unlock(&vbd->cgroup_lock);
	if (old) {
		synchronize_rcu();
		css_put(old);
	}
	return 0;
}

/**
 * xbb_vbd_cgroup_show() - the group the disk's I/O is charged to, for sysfs
 * @vbd: the disk
 * @buf: a sysfs page
 *
 * Context: process.
 * Return: the length of "PATH\n", or of "\n" when there is none.
 */
ssize_t xbb_vbd_cgroup_show(struct xbb_vbd *vbd, char *buf)
{
	ssize_t len;

	mutex_lock(&vbd->cgroup_lock);
	len = sysfs_emit(buf, "%s\n", vbd->cgroup_path ?: "");
	mutex_unlock(&vbd->cgroup_lock);
	return len;
}

/**
 * xbb_vbd_charge() - charge a bio to the disk's cgroup, if it has one
 * @vbd: the disk
 * @bio: a bio just allocated for it
 *
 * Without a group the bio stays with the allocating thread's, the root.
 *
 * Context: a ring's worker.
 */
void xbb_vbd_charge(struct xbb_vbd *vbd, struct bio *bio)
{
	struct cgroup_subsys_state *css;

	rcu_read_lock();
	css = rcu_dereference(vbd->blkcg);
	if (css)
		bio_associate_blkg_from_css(bio, css);
	rcu_read_unlock();
}

/**
 * xbb_vbd_charge_thread() - charge what this thread submits to the disk's
 *	cgroup, until xbb_vbd_uncharge_thread()
 * @vbd: the disk
 *
 * For the bios a file system builds for an image file's request, which
 * xbb_vbd_charge() never sees: as loop does for its worker.
 *
 * Context: a kernel thread (the ring's worker, a kworker); any other
 * context is left as it is.
 */
void xbb_vbd_charge_thread(struct xbb_vbd *vbd)
{
	rcu_read_lock();
	kthread_associate_blkcg(rcu_dereference(vbd->blkcg));
	rcu_read_unlock();
}

/**
 * xbb_vbd_uncharge_thread() - undo xbb_vbd_charge_thread()
 *
 * Context: the thread that called it.
 */
void xbb_vbd_uncharge_thread(void)
{
	kthread_associate_blkcg(NULL);
}
