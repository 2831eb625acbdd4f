// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs attributes of each vbd, under its xen-backend device
 * (/sys/bus/xen-backend/devices/vbd-<domid>-<devid>/).
 */

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "common.h"

/**
 * xbb_stats_add() - add one set of counters to another
 * @to: the running total
 * @from: counters a ring worker may be updating
 *
 * Context: any.
 */
void xbb_stats_add(struct xbb_stats *to, const struct xbb_stats *from)
{
	unsigned int c, i;

	to->oo_req += READ_ONCE(from->oo_req);
	to->rd_req += READ_ONCE(from->rd_req);
	to->wr_req += READ_ONCE(from->wr_req);
	to->f_req += READ_ONCE(from->f_req);
	to->ds_req += READ_ONCE(from->ds_req);
	to->rd_sect += READ_ONCE(from->rd_sect);
	to->wr_sect += READ_ONCE(from->wr_sect);
	to->rejected += READ_ONCE(from->rejected);
	to->io_errors += READ_ONCE(from->io_errors);
	to->spurious_events += READ_ONCE(from->spurious_events);
	to->stuck += READ_ONCE(from->stuck);
	to->pgrant_hits += READ_ONCE(from->pgrant_hits);
	to->pgrant_misses += READ_ONCE(from->pgrant_misses);
	for (i = 0; i < XBB_REJECT_COUNT; i++)
		to->rejected_by[i] += READ_ONCE(from->rejected_by[i]);
	for (i = 0; i < XBB_NR_IOERRS; i++)
		to->io_errors_by[i] += READ_ONCE(from->io_errors_by[i]);
	for (c = 0; c < XBB_NR_CLASSES; c++)
		for (i = 0; i < XBB_LAT_BUCKETS; i++)
			to->latency[c][i] += READ_ONCE(from->latency[c][i]);
}

/**
 * xbb_stats_sum() - add up the counters of every ring of a backend
 * @be: the backend
 * @sum: where to store the totals
 *
 * Rings torn down earlier count through @be->retired, so the totals are
 * monotonic across reconnects.
 *
 * Context: process; @be->state_lock held (the rings must not go away).
 */
void xbb_stats_sum(struct xbb_backend *be, struct xbb_stats *sum)
{
	unsigned int i;

	lockdep_assert_held(&be->state_lock);
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < be->nr_rings; i++)
		if (be->rings[i])
			xbb_stats_add(sum, &be->rings[i]->stats);
	/* Rings being torn down still count until they retire. */
	for (i = 0; i < be->nr_stopping; i++)
		if (be->stopping[i])
			xbb_stats_add(sum, &be->stopping[i]->stats);
	xbb_stats_add(sum, &be->retired);
}

static struct xbb_backend *xbb_dev_backend(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/**
 * struct xbb_stat_attr - a statistics file: one u64 of struct xbb_stats
 * @attr: the sysfs attribute
 * @offset: where its counter sits in struct xbb_stats
 */
struct xbb_stat_attr {
	struct device_attribute attr;
	size_t offset;
};

/*
 * The backend's counters, summed; kfree() them. (The histograms make them
 * too large for the stack of a sysfs read.)
 */
static struct xbb_stats *xbb_dev_stats(struct device *dev)
{
	struct xbb_backend *be = xbb_dev_backend(dev);
	struct xbb_stats *sum = kmalloc(sizeof(*sum), GFP_KERNEL);

	if (!sum)
		return NULL;
	mutex_lock(&be->state_lock);
	xbb_stats_sum(be, sum);
	mutex_unlock(&be->state_lock);
	return sum;
}

static ssize_t xbb_stat_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct xbb_stat_attr *sa = container_of(attr, struct xbb_stat_attr,
						attr);
	struct xbb_stats *sum = xbb_dev_stats(dev);
	ssize_t len;

	if (!sum)
		return -ENOMEM;
	len = sysfs_emit(buf, "%llu\n", *(u64 *)((char *)sum + sa->offset));
	kfree(sum);
	return len;
}

static struct xbb_stat_attr xbb_stat_attrs[] = {
	{ __ATTR(oo_req, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, oo_req) },
	{ __ATTR(rd_req, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, rd_req) },
	{ __ATTR(wr_req, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, wr_req) },
	{ __ATTR(f_req, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, f_req) },
	{ __ATTR(ds_req, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, ds_req) },
	{ __ATTR(rd_sect, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, rd_sect) },
	{ __ATTR(wr_sect, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, wr_sect) },
	{ __ATTR(rejected, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, rejected) },
	{ __ATTR(io_errors, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, io_errors) },
	{ __ATTR(spurious_events, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, spurious_events) },
	{ __ATTR(stuck_requests, 0444, xbb_stat_show, NULL),
	  offsetof(struct xbb_stats, stuck) },
};

/*
 * Requests taken and not yet answered, as the block layer's inflight file:
 * reads, then everything else.
 */
static ssize_t inflight_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct xbb_stats *sum = xbb_dev_stats(dev);
	u64 answered[XBB_NR_CLASSES] = {};
	unsigned int c, i;
	ssize_t len;

	if (!sum)
		return -ENOMEM;
	for (c = 0; c < XBB_NR_CLASSES; c++)
		for (i = 0; i < XBB_LAT_BUCKETS; i++)
			answered[c] += sum->latency[c][i];
	/* Taken is read before answered is, ring by ring: never below. */
	len = sysfs_emit(buf, "%llu %llu\n", sum->rd_req - answered[XBB_CLASS_READ],
			 sum->wr_req + sum->f_req + sum->ds_req -
			 answered[XBB_CLASS_WRITE] - answered[XBB_CLASS_FLUSH] -
			 answered[XBB_CLASS_DISCARD]);
	kfree(sum);
	return len;
}
static DEVICE_ATTR_RO(inflight);

/* One latency histogram: XBB_LAT_BUCKETS counts on one line. */
static ssize_t xbb_latency_show(struct device *dev, char *buf,
				enum xbb_req_class class)
{
	struct xbb_stats *sum = xbb_dev_stats(dev);
	unsigned int i;
	ssize_t len = 0;

	if (!sum)
		return -ENOMEM;
	for (i = 0; i < XBB_LAT_BUCKETS; i++)
		len += sysfs_emit_at(buf, len, "%llu%c", sum->latency[class][i],
				     i + 1 < XBB_LAT_BUCKETS ? ' ' : '\n');
	kfree(sum);
	return len;
}

static ssize_t rd_latency_hist_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return xbb_latency_show(dev, buf, XBB_CLASS_READ);
}
static DEVICE_ATTR_RO(rd_latency_hist);

static ssize_t wr_latency_hist_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return xbb_latency_show(dev, buf, XBB_CLASS_WRITE);
}
static DEVICE_ATTR_RO(wr_latency_hist);

static ssize_t f_latency_hist_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return xbb_latency_show(dev, buf, XBB_CLASS_FLUSH);
}
static DEVICE_ATTR_RO(f_latency_hist);

static ssize_t ds_latency_hist_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return xbb_latency_show(dev, buf, XBB_CLASS_DISCARD);
}
static DEVICE_ATTR_RO(ds_latency_hist);

static struct attribute *xbb_stats_attrs[] = {
	&xbb_stat_attrs[0].attr.attr,
	&xbb_stat_attrs[1].attr.attr,
	&xbb_stat_attrs[2].attr.attr,
	&xbb_stat_attrs[3].attr.attr,
	&xbb_stat_attrs[4].attr.attr,
	&xbb_stat_attrs[5].attr.attr,
	&xbb_stat_attrs[6].attr.attr,
	&xbb_stat_attrs[7].attr.attr,
	&xbb_stat_attrs[8].attr.attr,
	&xbb_stat_attrs[9].attr.attr,
	&xbb_stat_attrs[10].attr.attr,
	&dev_attr_inflight.attr,
	&dev_attr_rd_latency_hist.attr,
	&dev_attr_wr_latency_hist.attr,
	&dev_attr_f_latency_hist.attr,
	&dev_attr_ds_latency_hist.attr,
	NULL
};

static const struct attribute_group xbb_stats_group = {
	.name = "statistics",
	.attrs = xbb_stats_attrs,
};

/*
 * rejected/<reason>: the refusals counted in statistics/rejected, one file
 * per reason, named by the core (xbb_reject_key()); "indirect_unreadable"
 * counts requests that passed validation but whose indirect pages could
 * not be read. Filled in by xbb_sysfs_init().
 */
static struct xbb_stat_attr xbb_reject_attrs[XBB_REJECT_COUNT];
static struct attribute *xbb_rejected_attrs[XBB_REJECT_COUNT + 1];

static const struct attribute_group xbb_rejected_group = {
	.name = "rejected",
	.attrs = xbb_rejected_attrs,
};

/*
 * io_errors/<kind>: statistics/io_errors by what the block layer said
 * (xbb_io_error_key()). Filled in by xbb_sysfs_init().
 */
static struct xbb_stat_attr xbb_io_error_attrs[XBB_NR_IOERRS];
static struct attribute *xbb_io_errors_attrs[XBB_NR_IOERRS + 1];

static const struct attribute_group xbb_io_errors_group = {
	.name = "io_errors",
	.attrs = xbb_io_errors_attrs,
};

/* One read-only counter file: @name, showing the u64 at @offset. */
static struct attribute *xbb_stat_attr_init(struct xbb_stat_attr *sa,
					    const char *name, size_t offset)
{
	sa->attr.attr.name = name;
	sa->attr.attr.mode = 0444;
	sa->attr.show = xbb_stat_show;
	sa->offset = offset;
	return &sa->attr.attr;
}

/**
 * xbb_sysfs_init() - name the rejected/ and io_errors/ files after the
 *	core's reasons and kinds
 *
 * Context: module init, before any backend device is probed.
 */
void xbb_sysfs_init(void)
{
	size_t base = offsetof(struct xbb_stats, rejected_by);
	unsigned int i;

	for (i = 0; i < XBB_REJECT_COUNT; i++) {
		const char *key = xbb_reject_key(i);

		if (!key)
			key = "indirect_unreadable";
		xbb_rejected_attrs[i] =
			xbb_stat_attr_init(&xbb_reject_attrs[i], key,
					   base + i * sizeof(u64));
	}
	base = offsetof(struct xbb_stats, io_errors_by);
	for (i = 0; i < XBB_NR_IOERRS; i++)
		xbb_io_errors_attrs[i] =
			xbb_stat_attr_init(&xbb_io_error_attrs[i],
					   xbb_io_error_key(i),
					   base + i * sizeof(u64));
}

static ssize_t physical_device_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct xbb_backend *be = xbb_dev_backend(dev);

	return sysfs_emit(buf, "%x:%x\n", be->major, be->minor);
}
static DEVICE_ATTR_RO(physical_device);

/* The image file served, when it is one (file.c); else an empty line. */
static ssize_t physical_file_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct xbb_backend *be = xbb_dev_backend(dev);
	ssize_t len;

	mutex_lock(&be->state_lock);
	len = sysfs_emit(buf, "%s\n", be->vbd.file ? be->vbd.name : "");
	mutex_unlock(&be->state_lock);
	return len;
}
static DEVICE_ATTR_RO(physical_file);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct xbb_backend *be = xbb_dev_backend(dev);

	return sysfs_emit(buf, "%s\n", be->readonly ? "r" : "w");
}
static DEVICE_ATTR_RO(mode);

/* Rings of closed connections to the same device still finishing I/O. */
static ssize_t orphaned_rings_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct xbb_backend *be = xbb_dev_backend(dev);
	const void *backing;
	unsigned int nr = 0;

	mutex_lock(&be->state_lock);
	backing = xbb_vbd_backing(&be->vbd);
	if (backing)
		nr = xbb_retiring_count(backing, true);
	mutex_unlock(&be->state_lock);
	return sysfs_emit(buf, "%u\n", nr);
}
static DEVICE_ATTR_RO(orphaned_rings);

/*
 * The cgroup v2 group this vbd's I/O is charged to, by its path from the
 * hierarchy's root; empty for none. Takes effect from the next bio.
 */
static ssize_t cgroup_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return xbb_vbd_cgroup_show(&xbb_dev_backend(dev)->vbd, buf);
}

static ssize_t cgroup_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	char *path = kstrndup(buf, count, GFP_KERNEL);
	int err;

	if (!path)
		return -ENOMEM;
	err = xbb_vbd_set_cgroup(&xbb_dev_backend(dev)->vbd, strim(path));
	kfree(path);
	return err ?: count;
}
static DEVICE_ATTR_RW(cgroup);

static struct attribute *xbb_vbd_attrs[] = {
	&dev_attr_physical_device.attr,
	&dev_attr_physical_file.attr,
	&dev_attr_mode.attr,
	&dev_attr_orphaned_rings.attr,
	&dev_attr_cgroup.attr,
	NULL
};

static const struct attribute_group xbb_vbd_group = {
	.attrs = xbb_vbd_attrs,
};

/* Negotiated values: what this connection runs on; empty when down. */
static ssize_t xbb_negotiated_show(struct device *dev, char *buf,
				   unsigned int which)
{
	struct xbb_backend *be = xbb_dev_backend(dev);
	ssize_t len = 0;

	mutex_lock(&be->state_lock);
	if (be->connected) {
		switch (which) {
		case 0:
			len = sysfs_emit(buf, "%u\n", be->nr_rings);
			break;
		case 1:
			len = sysfs_emit(buf, "%u\n", be->ring_page_order);
			break;
		case 2:
			len = sysfs_emit(buf, "%u\n", be->vbd.lim.max_indirect_segs);
			break;
		case 3:
			len = sysfs_emit(buf, "%d\n", be->persistent);
			break;
		default:
			len = sysfs_emit(buf, "%s\n", xbb_abi_name(be->abi));
			break;
		}
	}
	mutex_unlock(&be->state_lock);
	return len;
}

static ssize_t queues_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return xbb_negotiated_show(dev, buf, 0);
}
static DEVICE_ATTR_RO(queues);

static ssize_t ring_page_order_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return xbb_negotiated_show(dev, buf, 1);
}
static DEVICE_ATTR_RO(ring_page_order);

static ssize_t max_indirect_segments_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	return xbb_negotiated_show(dev, buf, 2);
}
static DEVICE_ATTR_RO(max_indirect_segments);

static ssize_t persistent_grants_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return xbb_negotiated_show(dev, buf, 3);
}
static DEVICE_ATTR_RO(persistent_grants);

static ssize_t protocol_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return xbb_negotiated_show(dev, buf, 4);
}
static DEVICE_ATTR_RO(protocol);

static struct attribute *xbb_negotiated_attrs[] = {
	&dev_attr_queues.attr,
	&dev_attr_ring_page_order.attr,
	&dev_attr_max_indirect_segments.attr,
	&dev_attr_persistent_grants.attr,
	&dev_attr_protocol.attr,
	NULL
};

static const struct attribute_group xbb_negotiated_group = {
	.name = "negotiated",
	.attrs = xbb_negotiated_attrs,
};

const struct attribute_group *xbb_backend_groups[] = {
	&xbb_vbd_group,
	&xbb_stats_group,
	&xbb_negotiated_group,
	&xbb_rejected_group,
	&xbb_io_errors_group,
	NULL
};
