// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control plane: the xenbus "vbd" backend driver, its state machine
 * with the frontend, and what it reads from and writes to xenstore.
 *
 * Locking: be->state_lock serialises the xenbus callbacks (probe, the
 * physical-device and physical-file watches, frontend state changes,
 * remove), the state work's bookkeeping and sysfs readers of the rings.
 * It is taken in process context only, never from the data path, and
 * never held while waiting for I/O. The disk's limits have a lock of their own (vbd.c): the ring
 * workers copy them per request and may change them.
 *
 * The callbacks run in xenbus's single watch thread, which every xenstore
 * watch in dom0 shares, so they only start things: a disconnect stops the
 * rings and returns; the state work waits for them (bounded, see ring.c),
 * then reports the state the frontend asked for and connects again if it
 * wants that. A connect waits while requests of an earlier connection to
 * the same backing device are in flight (orphans), so that an old write
 * can never land after a newer one.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <xen/xenbus.h>

#include "common.h"

/* The last reference to the backend's disk is gone (vbd.c). */
static void xbb_backend_release(struct xbb_vbd *vbd)
{
	struct xbb_backend *be = container_of(vbd, struct xbb_backend, vbd);

	/* A stopping ring's worker may have queued these late. */
	cancel_work_sync(&be->feature_work);
	cancel_delayed_work_sync(&be->stats_work);
	if (be->vbd.bdev)
		xbb_bdev_close(&be->bdev_handle);
	kfree(be);
}

/* Writes one key in the backend's directory; xenstore errors are fatal. */
static int xbb_write(struct xbb_backend *be, struct xenbus_transaction xbt,
		     const char *node, const char *fmt, unsigned long long val)
{
	int err = xenbus_printf(xbt, be->dev->nodename, node, fmt, val);

	if (err)
		xenbus_dev_fatal(be->dev, err, "writing %s/%s",
				 be->dev->nodename, node);
	return err;
}

/* Resizes and withdrawn features reach xenstore from here. */
static void xbb_feature_work(struct work_struct *work)
{
	struct xbb_backend *be = container_of(work, struct xbb_backend,
					      feature_work);
	struct xenbus_device *dev = be->dev;
	struct xbb_vbd_changes changes;

	/* After remove() the xenstore directory is not ours to write. */
	mutex_lock(&be->state_lock);
	if (be->removed)
		goto out_unlock;
	xbb_vbd_take_changes(&be->vbd, &changes);

	if (changes.withdrawn_flush) {
		dev_warn(&dev->dev, "dom%u/%u: device refused a flush: no longer advertising feature-flush-cache\n",
			 be->domid, be->devid);
		xenbus_printf(XBT_NIL, dev->nodename, "feature-flush-cache", "0");
	}
	if (changes.withdrawn_barrier) {
		dev_warn(&dev->dev, "dom%u/%u: device refused a barrier: no longer advertising feature-barrier\n",
			 be->domid, be->devid);
		xenbus_printf(XBT_NIL, dev->nodename, "feature-barrier", "0");
	}
	if (changes.resized) {
		struct xenbus_transaction xbt;
		int err;

		dev_info(&dev->dev, "dom%u/%u: backing device resized to %llu sectors\n",
			 be->domid, be->devid, changes.lim.nr_sectors);
again:
		if (xenbus_transaction_start(&xbt))
			goto out_unlock;
		err = xenbus_printf(xbt, dev->nodename, "sectors", "%llu",
				    changes.lim.nr_sectors);
		/* Rewriting "state" makes the frontend re-read "sectors". */
		if (!err)
			err = xenbus_printf(xbt, dev->nodename, "state", "%d",
					    dev->state);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			goto out_unlock;
		}
		if (xenbus_transaction_end(xbt, 0) == -EAGAIN)
			goto again;
	}
out_unlock:
	mutex_unlock(&be->state_lock);
}

static void xbb_stats_work(struct work_struct *work)
{
	struct xbb_backend *be = container_of(to_delayed_work(work),
					      struct xbb_backend, stats_work);
	struct xbb_stats *now, *was = &be->logged;

	/* Too large for the stack with the latency histograms. */
	now = kmalloc(sizeof(*now), GFP_KERNEL);
	if (!now)
		goto again;
	/*
	 * Disconnect cancels this work with state_lock held: never wait for
	 * the lock here, try again in a while instead.
	 */
	if (!mutex_trylock(&be->state_lock))
		goto free_now;
	xbb_stats_sum(be, now);
	mutex_unlock(&be->state_lock);
	pr_info("dom%u/%u: oo %llu rd %llu wr %llu f %llu ds %llu rd_sect %llu wr_sect %llu (last 10s)\n",
		be->domid, be->devid, now->oo_req - was->oo_req,
		now->rd_req - was->rd_req, now->wr_req - was->wr_req,
		now->f_req - was->f_req, now->ds_req - was->ds_req,
		now->rd_sect - was->rd_sect, now->wr_sect - was->wr_sect);
	*was = *now;
free_now:
	kfree(now);
again:
	if (READ_ONCE(xbb_log_stats))
		schedule_delayed_work(&be->stats_work, 10 * HZ);
}

/*
 * What the frontend needs before it sets up its rings (at InitWait). The
 * offer is fixed here, so that connect holds the frontend to exactly what
 * it was offered even if the parameters change in between.
 */
static int xbb_advertise_transport(struct xbb_backend *be)
{
	struct xenbus_transaction xbt = XBT_NIL;
	unsigned int queues = READ_ONCE(xbb_max_queues);

	be->offer.max_queues = clamp(queues ?: num_online_cpus(), 1U,
				     num_online_cpus());
	be->offer.max_ring_page_order = xbb_max_ring_page_order;
	be->offer.persistent = READ_ONCE(xbb_feature_persistent);
	return xbb_write(be, xbt, "feature-max-indirect-segments", "%llu",
			 be->vbd.lim.max_indirect_segs) ?:
	       xbb_write(be, xbt, "multi-queue-max-queues", "%llu",
			 be->offer.max_queues) ?:
	       xbb_write(be, xbt, "max-ring-page-order", "%llu",
			 be->offer.max_ring_page_order) ?:
	       xbb_write(be, xbt, "feature-persistent", "%llu",
			 be->offer.persistent);
}

/* What the frontend reads once we are Connected. */
static int xbb_advertise_device(struct xbb_backend *be,
				struct xenbus_transaction xbt)
{
	struct block_device *bdev = be->vbd.bdev;
	const struct xbb_vbd_limits *lim = &be->vbd.lim;
	unsigned long long info = (be->readonly ? VDISK_READONLY : 0) |
				  (be->cdrom ? VDISK_CDROM : 0);
	unsigned int physical, granularity, alignment;
	int err;

	if (bdev) {
		if (!bdev_is_partition(bdev) &&
		    bdev->bd_disk->flags & GENHD_FL_REMOVABLE)
			info |= VDISK_REMOVABLE;
		physical = bdev_physical_block_size(bdev);
		granularity = bdev_discard_granularity(bdev);
		alignment = bdev_discard_alignment(bdev);
	} else {
		/* A file: writes of whole file blocks need no read first. */
		physical = max(xbb_file_granularity(&be->vbd),
			       lim->logical_block_size);
		granularity = physical;
		alignment = 0;
	}
	err = xbb_write(be, xbt, "sectors", "%llu", lim->nr_sectors) ?:
	      xbb_write(be, xbt, "info", "%llu", info) ?:
	      xbb_write(be, xbt, "sector-size", "%llu",
			lim->logical_block_size) ?:
	      xbb_write(be, xbt, "physical-sector-size", "%llu", physical) ?:
	      xbb_write(be, xbt, "feature-flush-cache", "%llu", lim->flush) ?:
	      xbb_write(be, xbt, "feature-barrier", "%llu", lim->barrier);
	if (err || !lim->discard)
		return err ?: xbb_write(be, xbt, "feature-discard", "%llu", 0);
	return xbb_write(be, xbt, "discard-granularity", "%llu",
			 max(granularity, lim->logical_block_size)) ?:
	       xbb_write(be, xbt, "discard-alignment", "%llu", alignment) ?:
	       xbb_write(be, xbt, "discard-secure", "%llu",
			 lim->discard_secure) ?:
	       xbb_write(be, xbt, "feature-discard", "%llu", 1);
}

/*
 * Opens the backing device or, with @file_path, the image file the hotplug
 * script named, and sets the limits.
 */
static int xbb_backend_open(struct xbb_backend *be, const char *file_path)
{
	struct xenbus_device *dev = be->dev;
	struct block_device *bdev;
	char *mode, *type;
	bool discard;
	int err;

	mode = xenbus_read(XBT_NIL, dev->nodename, "mode", NULL);
	if (IS_ERR(mode))
		return PTR_ERR(mode);
	be->readonly = !strchr(mode, 'w');
	kfree(mode);
	type = xenbus_read(XBT_NIL, dev->nodename, "device-type", NULL);
	be->cdrom = !IS_ERR(type) && !strcmp(type, "cdrom");
	if (!IS_ERR(type))
		kfree(type);

	discard = xenbus_read_unsigned(dev->nodename, "discard-enable", 1);
	if (file_path)
		return xbb_file_open(&be->vbd, file_path, !be->readonly,
				     discard);

	err = xbb_bdev_open(MKDEV(be->major, be->minor), !be->readonly,
			    &be->bdev_handle);
	if (err)
		return err;
	bdev = be->bdev_handle.bdev;
	be->vbd.name = kasprintf(GFP_KERNEL, "%pg", bdev);
	if (!be->vbd.name) {
		xbb_bdev_close(&be->bdev_handle);
		return -ENOMEM;
	}
	be->vbd.bdev = bdev;
	discard = discard && bdev_max_discard_sectors(bdev);
	spin_lock(&be->vbd.lock);
	be->vbd.lim.nr_sectors = bdev_nr_sectors(bdev);
	be->vbd.lim.logical_block_size = bdev_logical_block_size(bdev);
	be->vbd.lim.readonly = be->readonly;
	be->vbd.lim.flush = bdev_write_cache(bdev);
	be->vbd.lim.barrier = be->vbd.lim.flush;
	be->vbd.lim.discard = discard;
	be->vbd.lim.discard_secure = discard && bdev_max_secure_erase_sectors(bdev);
	spin_unlock(&be->vbd.lock);
	return 0;
}

/* xbb_read_fe_uint()'s default for a key the frontend must write. */
#define XBB_FE_REQUIRED	UINT_MAX

/*
 * A number under the frontend's directory @dir: @def when the key is
 * absent, and the frontend told (xenbus_dev_fatal()) when it is not a plain
 * decimal number (see xbb_parse_fe_uint()).
 */
static int xbb_read_fe_uint(struct xbb_backend *be, const char *dir,
			    const char *key, unsigned int def,
			    unsigned int *val)
{
	char *str;
	int err;

	str = xenbus_read(XBT_NIL, dir, key, NULL);
	if (IS_ERR(str)) {
		err = PTR_ERR(str);
		if (err == -ENOENT && def != XBB_FE_REQUIRED) {
			*val = def;
			return 0;
		}
		xenbus_dev_fatal(be->dev, err, "reading %s/%s", dir, key);
		return err;
	}
	err = xbb_parse_fe_uint(str, val);
	if (err)
		xenbus_dev_fatal(be->dev, err, "%s/%s is \"%.16s\", not a number",
				 dir, key, str);
	kfree(str);
	return err;
}

static int xbb_read_frontend(struct xbb_backend *be,
			     struct xbb_fe_params *fe)
{
	const char *dir = be->dev->otherend;
	unsigned int persistent;
	char *protocol;
	int err;

	err = xbb_read_fe_uint(be, dir, "multi-queue-num-queues", 1,
			       &fe->nr_queues) ?:
	      xbb_read_fe_uint(be, dir, "ring-page-order", 0,
			       &fe->ring_page_order) ?:
	      xbb_read_fe_uint(be, dir, "feature-persistent", 0, &persistent);
	if (err)
		return err;
	fe->persistent = persistent;
	protocol = xenbus_read(XBT_NIL, dir, "protocol", NULL);
	fe->protocol = IS_ERR(protocol) ? NULL : protocol;
	return 0;
}

/* Reads one queue's ring grants and event channel, maps and starts it. */
static int xbb_connect_ring(struct xbb_backend *be, struct xbb_ring *ring)
{
	struct xenbus_device *dev = be->dev;
	unsigned int i, nr = 1U << be->ring_page_order;
	grant_ref_t grefs[XBB_MAX_RING_PAGES];
	unsigned int evtchn;
	char *dir;
	int err;

	if (be->nr_rings == 1)
		dir = kstrdup(dev->otherend, GFP_KERNEL);
	else
		dir = kasprintf(GFP_KERNEL, "%s/queue-%u", dev->otherend,
				ring->id);
	if (!dir)
		return -ENOMEM;
	err = xbb_read_fe_uint(be, dir, "event-channel", XBB_FE_REQUIRED,
			       &evtchn);
	for (i = 0; i < nr && !err; i++) {
		char key[16];

		xbb_ring_ref_key(key, sizeof(key), be->ring_page_order, i);
		err = xbb_read_fe_uint(be, dir, key, XBB_FE_REQUIRED,
				       &grefs[i]);
	}
	if (err)
		goto out_free_dir;
	err = xbb_ring_connect(ring, grefs, nr, evtchn);
	if (err)
		xenbus_dev_fatal(dev, err, "mapping ring %u (%u pages, event channel %u)",
				 ring->id, nr, evtchn);
out_free_dir:
	kfree(dir);
	return err;
}

/* Reports a state unless remove() took the device from us. */
static void xbb_report(struct xbb_backend *be, enum xenbus_state state)
{
	if (state != XenbusStateUnknown && !be->removed)
		xenbus_switch_state(be->dev, state);
}

/*
 * Queues the state work after @delay jiffies (0: now, even if it was due
 * later). While queued it holds the backend, the xenbus device and the
 * module: it may run after remove() has returned.
 */
static void xbb_schedule(struct xbb_backend *be, unsigned long delay)
{
	bool pending;

	xbb_vbd_get(&be->vbd);
	get_device(&be->dev->dev);
	__module_get(THIS_MODULE);
	if (delay)
		pending = !queue_delayed_work(xbb_wq, &be->state_work, delay);
	else
		pending = mod_delayed_work(xbb_wq, &be->state_work, 0);
	if (pending) {
		put_device(&be->dev->dev);
		xbb_vbd_put(&be->vbd);
		module_put(THIS_MODULE);
	}
}

/*
 * Stops consuming on every ring at once and leaves the waiting to the state
 * work, which then reports @report (XenbusStateUnknown: nothing). With
 * nothing to wait for, reports it at once.
 */
static void xbb_disconnect(struct xbb_backend *be, enum xenbus_state report)
{
	unsigned int i;

	lockdep_assert_held(&be->state_lock);
	if (be->rings) {
		cancel_delayed_work_sync(&be->stats_work);
		for (i = 0; i < be->nr_rings; i++)
			if (be->rings[i])
				xbb_ring_stop(be->rings[i]);
		/* Connect waits for a teardown: never two at once. */
		WARN_ON_ONCE(be->stopping);
		be->stopping = be->rings;
		be->nr_stopping = be->nr_rings;
		be->rings = NULL;
		be->nr_rings = 0;
		if (be->connected)
			dev_info(&be->dev->dev, "dom%u/%u: disconnected\n",
				 be->domid, be->devid);
		be->connected = false;
	}
	if (!be->stopping) {
		xbb_report(be, report);
		return;
	}
	if (report != XenbusStateUnknown)
		be->report = report;
	xbb_schedule(be, 0);
}

/*
 * Waits for the stopped rings, all of them against one deadline, then
 * frees each, or orphans it. Runs in the state work, without state_lock
 * (the rings in be->stopping are this work's alone; sysfs still reads
 * them under the lock until they are taken off).
 */
static void xbb_drain_stopping(struct xbb_backend *be)
{
	unsigned long deadline = jiffies + XBB_DRAIN_TIMEOUT;
	unsigned int i, nr;

	mutex_lock(&be->state_lock);
	nr = be->nr_stopping;
	mutex_unlock(&be->state_lock);
	for (i = 0; i < nr; i++) {
		struct xbb_ring *ring = be->stopping[i];
		bool drained;

		if (!ring)
			continue;
		while (!(drained = xbb_ring_drain(ring, deadline)) &&
		       !xbb_ring_may_orphan(ring)) {
			dev_warn_ratelimited(&be->dev->dev, "dom%u/%u q%u: max_orphaned_rings (%u) reached: waiting for the device\n",
					     be->domid, be->devid, ring->id,
					     READ_ONCE(xbb_max_orphaned_rings));
			deadline = jiffies + XBB_DRAIN_TIMEOUT;
		}
		mutex_lock(&be->state_lock);
		xbb_stats_add(&be->retired, &ring->stats);
		be->stopping[i] = NULL;
		mutex_unlock(&be->state_lock);
		if (drained)
			xbb_ring_free(ring);
		else
			xbb_ring_orphan(ring);
	}
}

static void xbb_connect(struct xbb_backend *be);

/* Whether every stopped ring has been freed or orphaned. */
static bool xbb_stopping_done(struct xbb_backend *be)
{
	unsigned int i;

	lockdep_assert_held(&be->state_lock);
	for (i = 0; i < be->nr_stopping; i++)
		if (be->stopping[i])
			return false;
	return true;
}

/*
 * The state work: what a xenbus callback started and must not wait for
 * in xenbus's watch thread.
 */
static void xbb_state_work(struct work_struct *work)
{
	struct xbb_backend *be = container_of(to_delayed_work(work),
					      struct xbb_backend, state_work);
	struct xenbus_device *dev = be->dev;

	xbb_drain_stopping(be);
	mutex_lock(&be->state_lock);
	/* A teardown started while this ran is the requeued run's. */
	if (be->stopping && xbb_stopping_done(be)) {
		kfree(be->stopping);
		be->stopping = NULL;
		be->nr_stopping = 0;
		xbb_report(be, be->report);
		be->report = XenbusStateUnknown;
	}
	xbb_connect(be);
	mutex_unlock(&be->state_lock);
	/* The references xbb_schedule() took; the module's goes last. */
	put_device(&dev->dev);
	xbb_vbd_put(&be->vbd);
	module_put(THIS_MODULE);
}

static int xbb_negotiate_rings(struct xbb_backend *be)
{
	struct xbb_negotiated neg;
	struct xbb_fe_params fe;
	const char *why = NULL;
	int err;

	err = xbb_read_frontend(be, &fe);
	if (err)
		return err;
	err = xbb_negotiate(&fe, &be->offer, &neg, &why);
	if (err) {
		xenbus_dev_fatal(be->dev, err, "%s (queues %u, ring-page-order %u, protocol %s)",
				 why, fe.nr_queues, fe.ring_page_order,
				 fe.protocol ?: "(absent)");
		kfree(fe.protocol);
		return err;
	}
	kfree(fe.protocol);
	be->nr_rings = neg.nr_queues;
	be->ring_page_order = neg.ring_page_order;
	be->abi = neg.abi;
	be->persistent = neg.persistent;
	return 0;
}

static int xbb_publish(struct xbb_backend *be)
{
	struct xenbus_transaction xbt;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(be->dev, err, "starting transaction");
		return err;
	}
	err = xbb_advertise_device(be, xbt);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		xenbus_dev_fatal(be->dev, err, "ending transaction");
	return err;
}

/* Maps the frontend's rings and goes Connected; needs the device open. */
static void xbb_connect(struct xbb_backend *be)
{
	struct xenbus_device *dev = be->dev;
	unsigned int i, retiring;
	int err;

	lockdep_assert_held(&be->state_lock);
	if (!xbb_vbd_backing(&be->vbd) || !be->want_connect || be->removed ||
	    dev->state == XenbusStateConnected)
		return;
	/* A teardown in progress connects when it is done. */
	if (be->stopping)
		return;
	retiring = xbb_retiring_count(xbb_vbd_backing(&be->vbd), false);
	if (retiring) {
		if (!be->connect_deferred)
			xenbus_dev_error(dev, -EBUSY,
					 "%u queue(s) of an earlier connection to %s still have I/O in flight: connecting once it has finished",
					 retiring, be->vbd.name);
		be->connect_deferred = true;
		xbb_schedule(be, HZ);
		return;
	}
	if (be->connect_deferred)
		dev_info(&dev->dev, "dom%u/%u: the earlier connection's I/O has finished: connecting\n",
			 be->domid, be->devid);
	be->connect_deferred = false;
	err = xbb_negotiate_rings(be);
	if (err)
		goto out_refuse;
	/*
	 * The guest's bios bypass dom0's page cache: write back what dom0
	 * wrote through it (an image just copied in, say) so the guest reads
	 * it, and drop what the guest is about to make stale.
	 */
	if (be->vbd.file) {
		err = xbb_file_writeback(&be->vbd);
	} else {
		err = sync_blockdev(be->vbd.bdev);
		if (!err)
			invalidate_inode_pages2(xbb_bdev_mapping(be->vbd.bdev));
	}
	if (err) {
		xenbus_dev_fatal(dev, err, "writing back dom0's cached data");
		goto out_refuse;
	}
	be->rings = kcalloc(be->nr_rings, sizeof(*be->rings), GFP_KERNEL);
	if (!be->rings) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating %u rings",
				 be->nr_rings);
		be->nr_rings = 0;
		goto out_refuse;
	}
	for (i = 0; i < be->nr_rings; i++) {
		be->rings[i] = xbb_ring_alloc(be, i);
		err = be->rings[i] ? xbb_connect_ring(be, be->rings[i]) :
				     -ENOMEM;
		if (err)
			goto out_disconnect;
	}
	err = xbb_publish(be);
	if (err)
		goto out_disconnect;
	err = xenbus_switch_state(dev, XenbusStateConnected);
	if (err)
		goto out_disconnect;
	be->connected = true;
	dev_info(&dev->dev, "dom%u/%u: connected to %s: %u queue(s), ring order %u, protocol %s, persistent grants %s, indirect segments %u, flush %s, discard %s\n",
		 be->domid, be->devid, be->vbd.name, be->nr_rings,
		 be->ring_page_order,
		 xbb_abi_name(be->abi), be->persistent ? "on" : "off",
		 be->vbd.lim.max_indirect_segs, be->vbd.lim.flush ? "on" : "off",
		 be->vbd.lim.discard ? (be->vbd.lim.discard_secure ? "secure" : "on") :
		 "off");
	if (READ_ONCE(xbb_log_stats))
		schedule_delayed_work(&be->stats_work, 10 * HZ);
	return;

out_disconnect:
	xbb_disconnect(be, XenbusStateUnknown);
out_refuse:
	/* xenbus_dev_fatal() said why; the frontend must start over. */
	be->want_connect = false;
}

/*
 * The hotplug script named the disk: a block device (@file_path NULL,
 * @major:@minor) or an image file. Opens it, once, and connects if the
 * frontend already waits.
 */
static void xbb_backing_named(struct xbb_backend *be, unsigned int major,
			      unsigned int minor, const char *file_path)
{
	struct xenbus_device *dev = be->dev;
	int err;

	mutex_lock(&be->state_lock);
	if (xbb_vbd_backing(&be->vbd)) {
		/* The same name written again is no change. */
		if (file_path ? !be->vbd.file || strcmp(file_path, be->vbd.name) :
				be->vbd.file || major != be->major ||
				minor != be->minor)
			xenbus_dev_error(dev, -EBUSY,
					 "changing the disk from %s to %s is not supported",
					 be->vbd.name,
					 file_path ?: "another device");
		goto out_unlock;
	}
	be->major = major;
	be->minor = minor;
	err = xbb_backend_open(be, file_path);
	if (err) {
		if (file_path)
			xenbus_dev_fatal(dev, err,
					 "opening image file %s for direct I/O (it must be a regular file, named by its absolute path, on a file system that supports O_DIRECT: else serve it through a loop device)",
					 file_path);
		else
			xenbus_dev_fatal(dev, err, "opening backing device %x:%x",
					 major, minor);
		goto out_unlock;
	}
	/* The frontend may already be waiting for us. */
	switch (xbb_otherend_state(dev)) {
	case XenbusStateInitialised:
	case XenbusStateConnected:
		be->want_connect = true;
		xbb_connect(be);
		break;
	default:
		break;
	}
out_unlock:
	mutex_unlock(&be->state_lock);
}

/* The hotplug script wrote (or rewrote) "physical-device". */
static void xbb_physical_device_changed(struct xenbus_watch *watch,
					const char *path, const char *token)
{
	struct xbb_backend *be = container_of(watch, struct xbb_backend,
					      watch);
	struct xenbus_device *dev = be->dev;
	unsigned int major, minor;
	char *str;
	int err;

	str = xenbus_read(XBT_NIL, dev->nodename, "physical-device", NULL);
	if (IS_ERR(str))
		return;		/* not written yet */
	err = xbb_parse_physical_device(str, &major, &minor);
	if (err) {
		xenbus_dev_fatal(dev, err, "physical-device \"%s\" is not major:minor in hex",
				 str);
		kfree(str);
		return;
	}
	kfree(str);
	xbb_backing_named(be, major, minor, NULL);
}

/*
 * The hotplug script (block-direct) wrote "physical-file": an image file
 * to serve with direct I/O instead of a block device.
 */
static void xbb_physical_file_changed(struct xenbus_watch *watch,
				      const char *path, const char *token)
{
	struct xbb_backend *be = container_of(watch, struct xbb_backend,
					      file_watch);
	char *str;

	str = xenbus_read(XBT_NIL, be->dev->nodename, "physical-file", NULL);
	if (IS_ERR(str))
		return;		/* not written yet */
	xbb_backing_named(be, 0, 0, str);
	kfree(str);
}

static void xbb_frontend_changed(struct xenbus_device *dev,
				 enum xenbus_state frontend_state)
{
	struct xbb_backend *be = dev_get_drvdata(&dev->dev);
	bool unregister = false;

	mutex_lock(&be->state_lock);
	switch (frontend_state) {
	case XenbusStateInitialising:
		/* A frontend coming back after Closed: offer again. */
		if (be->stopping && be->report == XenbusStateClosed)
			be->report = XenbusStateInitWait;
		else if (dev->state == XenbusStateClosed)
			xenbus_switch_state(dev, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		be->want_connect = true;
		xbb_connect(be);
		break;
	case XenbusStateClosing:
		be->want_connect = false;
		xbb_disconnect(be, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		be->want_connect = false;
		xbb_disconnect(be, XenbusStateClosed);
		/*
		 * Offline: the device goes. With rings still draining, the
		 * state work reports Closed later and the toolstack, which
		 * waits for that, removes the device; unregistering it from
		 * the work could race with that removal.
		 */
		unregister = !be->stopping && !xenbus_dev_is_online(dev);
		break;
	case XenbusStateUnknown:
		be->want_connect = false;
		xbb_disconnect(be, XenbusStateUnknown);
		unregister = true;
		break;
	default:
		/* InitWait, Reconfiguring, Reconfigured: nothing to do. */
		break;
	}
	mutex_unlock(&be->state_lock);
	/* remove() takes state_lock: unregister without it. */
	if (unregister)
		device_unregister(&dev->dev);
}

static unsigned int xbb_parse_devid(const char *nodename)
{
	const char *last = strrchr(nodename, '/');
	unsigned int devid = 0;

	if (last && kstrtouint(last + 1, 10, &devid))
		devid = 0;
	return devid;
}

static int xbb_probe(struct xenbus_device *dev,
		     const struct xenbus_device_id *id)
{
	struct xbb_backend *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating backend structure");
		return -ENOMEM;
	}
	be->dev = dev;
	be->domid = dev->otherend_id;
	be->devid = xbb_parse_devid(dev->nodename);
	mutex_init(&be->state_lock);
	INIT_WORK(&be->feature_work, xbb_feature_work);
	xbb_vbd_init(&be->vbd, &be->feature_work, xbb_backend_release);
	INIT_DELAYED_WORK(&be->stats_work, xbb_stats_work);
	INIT_DELAYED_WORK(&be->state_work, xbb_state_work);
	be->report = XenbusStateUnknown;
	be->vbd.lim.max_indirect_segs = xbb_max_indirect_segs;
	dev_set_drvdata(&dev->dev, be);

	err = xbb_advertise_transport(be);
	if (err)
		goto out_put;
	err = xenbus_watch_pathfmt(dev, &be->watch, NULL,
				   xbb_physical_device_changed,
				   "%s/%s", dev->nodename, "physical-device");
	if (err)
		goto out_put;
	err = xenbus_watch_pathfmt(dev, &be->file_watch, NULL,
				   xbb_physical_file_changed,
				   "%s/%s", dev->nodename, "physical-file");
	if (err)
		goto out_unwatch_device;
	be->watch_registered = true;
	err = xenbus_switch_state(dev, XenbusStateInitWait);
	if (err)
		goto out_unwatch;
	xbb_debugfs_add(be);
	return 0;

out_unwatch:
	unregister_xenbus_watch(&be->file_watch);
	kfree(be->file_watch.node);
out_unwatch_device:
	unregister_xenbus_watch(&be->watch);
	kfree(be->watch.node);
out_put:
	dev_set_drvdata(&dev->dev, NULL);
	xbb_vbd_put(&be->vbd);
	return err;
}

static void xbb_remove(struct xenbus_device *dev)
{
	struct xbb_backend *be = dev_get_drvdata(&dev->dev);

	xbb_debugfs_remove(be);
	if (be->watch_registered) {
		unregister_xenbus_watch(&be->file_watch);
		kfree(be->file_watch.node);
		unregister_xenbus_watch(&be->watch);
		kfree(be->watch.node);
		be->watch_registered = false;
	}
	/*
	 * Does not wait for the rings: the state work holds what it needs,
	 * and xenbus moves on to the next watch at once.
	 */
	mutex_lock(&be->state_lock);
	be->removed = true;
	be->want_connect = false;
	xbb_disconnect(be, XenbusStateUnknown);
	mutex_unlock(&be->state_lock);
	cancel_work_sync(&be->feature_work);
	dev_set_drvdata(&dev->dev, NULL);
	xbb_vbd_put(&be->vbd);
}

/* Memory is tight: give spare pages and idle grants back for a while. */
static void xbb_reclaim_memory(struct xenbus_device *dev)
{
	struct xbb_backend *be = dev_get_drvdata(&dev->dev);
	unsigned int i;

	if (!be)
		return;
	WRITE_ONCE(be->squeeze_until, jiffies +
		   msecs_to_jiffies(READ_ONCE(xbb_buffer_squeeze_duration_ms)));
	WRITE_ONCE(be->squeeze_seq, be->squeeze_seq + 1);
	/*
	 * Called under memory pressure, where waiting for the lock is no
	 * good: if it is taken, the workers see the notice within a second.
	 */
	if (!mutex_trylock(&be->state_lock))
		return;
	for (i = 0; i < be->nr_rings; i++)
		if (be->rings[i])
			wake_up(&be->rings[i]->wq);
	mutex_unlock(&be->state_lock);
}

static const struct xenbus_device_id xbb_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver xbb_driver = {
	/* Named "vbd", like the in-tree driver: only one can be registered. */
	.ids = xbb_ids,
	.probe = xbb_probe,
	.remove = xbb_remove,
	.otherend_changed = xbb_frontend_changed,
	.allow_rebind = true,
	.reclaim_memory = xbb_reclaim_memory,
	.driver = {
		.dev_groups = xbb_backend_groups,
	},
};

/**
 * xbb_xenbus_register() - register the "vbd" backend driver
 *
 * Context: module init.
 * Return: 0, -EBUSY when another driver (the in-tree xen-blkback) owns
 * "vbd", or another -errno.
 */
int xbb_xenbus_register(void)
{
	return xenbus_register_backend(&xbb_driver);
}

/**
 * xbb_xenbus_unregister() - unregister the driver; removes every vbd
 *
 * Context: module exit.
 */
void xbb_xenbus_unregister(void)
{
	xenbus_unregister_driver(&xbb_driver);
}
