/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-blkback-async: the glue's internal header.
 *
 * Object model, outermost first:
 *
 *   struct xbb_backend   one per xenbus "vbd" device; owns the xenbus
 *                        state, the watch and the block device
 *   struct xbb_ring      one per queue; owns the mapped shared ring, the
 *                        event channel, the worker thread, the request
 *                        slots, the persistent grants and the page pool
 *   struct xbb_slot      one per ring entry; a request from parse to
 *                        response
 *
 * Threading rule that keeps the data path lock-free: everything a ring owns
 * is touched only by that ring's worker thread, except the done list (bio
 * end_io pushes, the worker pops) and the statistics (worker writes, sysfs
 * reads).
 */
#ifndef XBB_COMMON_H
#define XBB_COMMON_H

#include <linux/blk_types.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "core.h"
#include "compat.h"

struct bio;
struct cgroup_subsys_state;
struct dentry;

/* Module parameters; main.c documents each. */
extern unsigned int xbb_max_queues;
extern unsigned int xbb_max_ring_page_order;
extern unsigned int xbb_max_indirect_segs;
extern unsigned int xbb_max_persistent_grants;
extern unsigned int xbb_persistent_grant_unused_seconds;
extern unsigned int xbb_max_buffer_pages;
extern unsigned int xbb_stuck_request_seconds;
extern bool xbb_feature_persistent;
extern bool xbb_log_stats;
extern unsigned int xbb_buffer_squeeze_duration_ms;
extern unsigned int xbb_max_orphaned_rings;

/* Teardown's work items, and orphaned rings' (main.c). */
extern struct workqueue_struct *xbb_wq;

/* How long teardown waits for a backend's in-flight requests. */
#define XBB_DRAIN_TIMEOUT	(30 * HZ)

#define XBB_MAX_RING_PAGES	BIT(XENBUS_MAX_RING_GRANT_ORDER)

/**
 * struct xbb_stats - per-ring counters, monotonic
 * @oo_req: times the ring ran out of free request slots
 * @rd_req: read requests
 * @wr_req: write requests
 * @f_req: flush and barrier requests
 * @ds_req: discard requests
 * @rd_sect: sectors read
 * @wr_sect: sectors written
 * @rejected: requests refused by validation or failed before submission
 * @io_errors: requests the block layer failed
 * @spurious_events: events that brought no new request
 * @stuck: requests the stuck-request warning named (stuck_request_seconds)
 * @pgrant_hits: segments served by a persistent grant already mapped
 * @pgrant_misses: segments of persistent-grant connections that had to be
 *	mapped (first use, or the cache was full)
 * @rejected_by: @rejected by reason, indexed by enum xbb_reject
 * @io_errors_by: @io_errors by kind, indexed by enum xbb_io_error
 * @latency: answered requests (those counted in rd_req, wr_req, f_req or
 *	ds_req) by class and by time from consume to answer, in the buckets
 *	of xbb_latency_bucket()
 *
 * Written by the ring's worker only, except @latency, which whoever
 * answers writes under the ring's rsp_lock (WRITE_ONCE, either way); sysfs
 * sums them over the rings with READ_ONCE.
 */
struct xbb_stats {
	u64 oo_req;
	u64 rd_req;
	u64 wr_req;
	u64 f_req;
	u64 ds_req;
	u64 rd_sect;
	u64 wr_sect;
	u64 rejected;
	u64 io_errors;
	u64 spurious_events;
	u64 stuck;
	u64 pgrant_hits;
	u64 pgrant_misses;
	u64 rejected_by[XBB_REJECT_COUNT];
	u64 io_errors_by[XBB_NR_IOERRS];
	u64 latency[XBB_NR_CLASSES][XBB_LAT_BUCKETS];
};

/* Bumps a counter only its one writer changes; sysfs reads it meanwhile. */
static inline void xbb_stat_inc(u64 *counter, u64 by)
{
	WRITE_ONCE(*counter, *counter + by);
}

/**
 * struct xbb_seg_map - how one segment of a request is mapped
 * @page: the dom0 page holding the guest's data
 * @handle: grant handle when mapped for this request only,
 *	XBB_INVALID_HANDLE when not mapped or when @pgrant holds it
 * @pgrant: the persistent grant used, or NULL
 */
struct xbb_seg_map {
	struct page *page;
	grant_handle_t handle;
	struct xbb_pgrant *pgrant;
};

#define XBB_INVALID_HANDLE	((grant_handle_t)~0U)

struct xbb_ring;

/**
 * struct xbb_vbd - the disk a backend's rings serve (vbd.c)
 * @ref: held by the xenbus device and by each orphaned ring; the last one
 *	closes the disk and frees the backend
 * @bdev: the opened backing device, NULL until then and when @file is
 *	served instead
 * @file: the image file served (file.c), NULL for a block device
 * @name: the block device's name or the file's path, for messages;
 *	@bdev, @file and @name are set once, under the control plane's
 *	state_lock, before any ring exists, and stay until the last reference
 * @lock: protects @lim and the three notes below
 * @lim: what requests are validated against
 * @withdrawn_flush: the device refused a flush; not yet published
 * @withdrawn_barrier: the device refused a barrier; not yet published
 * @resized: the device changed size; not yet published
 * @changed: the control plane's work that publishes the notes
 * @release: the control plane's; frees the backend
 * @blkcg: the io controller's group the disk's bios are charged to, or
 *	NULL for the worker threads' own (the root); RCU, one reference
 * @cgroup_lock: serialises changes of @blkcg and @cgroup_path
 * @cgroup_path: the path the admin named for @blkcg, or NULL
 *
 * What the data plane gets from the control plane, so that it never calls
 * back into it.
 */
struct xbb_vbd {
	struct kref ref;
	struct block_device *bdev;
	struct file *file;
	char *name;
	spinlock_t lock;		/* see @lock above; any context */
	struct xbb_vbd_limits lim;
	bool withdrawn_flush;
	bool withdrawn_barrier;
	bool resized;
	struct work_struct *changed;
	void (*release)(struct xbb_vbd *vbd);
	struct cgroup_subsys_state __rcu *blkcg;
	struct mutex cgroup_lock;	/* see @cgroup_lock above */
	char *cgroup_path;
};

/**
 * struct xbb_vbd_changes - what xbb_vbd_take_changes() reports
 * @withdrawn_flush: stop advertising feature-flush-cache
 * @withdrawn_barrier: stop advertising feature-barrier
 * @resized: publish @lim.nr_sectors
 * @lim: the limits when the notes were taken
 */
struct xbb_vbd_changes {
	bool withdrawn_flush;
	bool withdrawn_barrier;
	bool resized;
	struct xbb_vbd_limits lim;
};

/**
 * struct xbb_file_io - a request's I/O on an image file (file.c)
 * @iocb: the read or write
 * @work: its fsync or hole punch, on xbb_wq
 * @slot: the request
 * @bvec: the request's segments, as the iocb's iterator walks them
 * @bytes: what the read or write must transfer
 * @write_after_sync: a flush or barrier with data, in its first fsync
 */
struct xbb_file_io {
	struct kiocb iocb;
	struct work_struct work;
	struct xbb_slot *slot;
	struct bio_vec *bvec;
	size_t bytes;
	bool write_after_sync;
};

/**
 * struct xbb_slot - one request, from parse to response
 * @ring: the ring it belongs to
 * @req: the validated private copy of the request
 * @maps: per-segment mapping state, @req.max_segs entries
 * @fio: its file I/O when the disk is a file, else NULL
 * @free_node: on the ring's free list while unused
 * @done_node: on the ring's done list once finished
 * @bios: outstanding bios, plus one while submission is in progress
 * @error: first error seen (0, or -errno); set once with cmpxchg
 * @needs_worker: the slot holds what only the worker may release
 *	(grants mapped for this request alone, a barrier); otherwise a
 *	successful completion answers the frontend straight from end_io
 * @started: when the worker took the request, once it counts in the
 *	statistics; 0 once answered (the answer clears it under rsp_lock)
 *	and for a refused request
 * @stuck_warned: the stuck-request warning named it (worker only)
 *
 * Owner: the ring's worker from consume to submission; then the block
 * layer; then either the worker again (done list) or, on the fast path,
 * the completing context until it puts the slot on the freed list.
 */
struct xbb_slot {
	struct xbb_ring *ring;
	struct xbb_req req;
	struct xbb_seg_map *maps;
	struct xbb_file_io *fio;
	struct list_head free_node;
	struct llist_node done_node;
	atomic_t bios;
	int error;
	bool needs_worker;
	ktime_t started;
	bool stuck_warned;
};

/* struct xbb_ring flags (bit numbers). */
enum {
	XBB_RING_EVENT,		/* the frontend notified us; EOI owed */
	XBB_RING_STOP,		/* teardown: consume nothing more, exit */
	XBB_RING_WORKER_GONE,	/* the worker is past its last ring access */
	/* Set by the first of the worker's exit and teardown giving up
	 * on it; the second one knows the first is done (see ring.c).
	 */
	XBB_RING_HANDOFF,
};

/**
 * struct xbb_ring - one queue of a vbd
 * @be: the backend (its fields; the ring calls nothing of xenbus.c)
 * @vbd: the disk served, @be's
 * @id: queue index
 * @ring: the core's view of the mapped shared ring
 * @sring: the mapped ring pages (xenbus_unmap_ring_vfree() frees them)
 * @irq: the lateeoi event-channel irq
 * @has_worker: the worker thread was started (it exits on its own)
 * @worker_exited: completed by the worker's exit unless teardown gave up
 * @worker_stuck: teardown gave up waiting for the worker
 * @quiesced: the worker is gone and the event channel unbound
 * @wq: where the worker sleeps
 * @flags: XBB_RING_* bits
 * @consumed_since_eoi: requests consumed since the last EOI (worker only)
 * @worker: the worker's task, set by the worker itself
 * @consuming: the worker is consuming; answers it makes itself on the
 *	fast path are published when it is done (worker only: no other
 *	context's answer looks at it)
 * @rsp_lock: serialises response producers (the worker and end_io's
 *	fast path): the response slots, rsp_prod_pvt and the push; taken
 *	with interrupts off, never held across anything that sleeps
 * @done: finished slots for the worker to answer, pushed from bio end_io
 *	and by the worker itself
 * @freed: slots end_io already answered, for the worker to take back
 * @stalled: the worker waits for a slot; end_io must wake it
 * @draining: teardown: end_io leaves every answer to the done list
 * @slots: @nr_slots request slots
 * @nr_slots: RING_SIZE of the shared ring
 * @free: unused slots (worker only)
 * @inflight: slots off @free (worker only)
 * @halted: the frontend broke the ring protocol; nothing more is consumed
 * @barrier_wait: a barrier waiting for earlier requests to finish
 * @barrier_busy: a submitted barrier; nothing is consumed until it ends
 * @orphaned: teardown gave up waiting; completions free the ring
 * @orphan_work: finishes an orphaned ring's completions (on xbb_wq)
 * @retiring_node: on the global list of stopped rings, until freed
 * @pgrants: persistent grants (worker only)
 * @pages: pool of ballooned pages to map grants at
 * @map_ops: scratch for batched map/unmap hypercalls (worker only)
 * @unmap_ops: see @map_ops
 * @op_pages: pages of the operations in @map_ops / @unmap_ops
 * @nr_ops: entries in each of @map_ops, @unmap_ops and @op_pages
 * @indirect_buf: pages the grant copy of indirect descriptors lands in
 *	(worker only)
 * @nr_indirect_buf: pages in @indirect_buf; 0 without indirect requests
 * @indirect_copy: scratch for that copy's batch (worker only)
 * @stats: counters
 * @warn_rs: rate limit of this ring's guest-triggered messages
 * @last_housekeeping: jiffies of the last persistent-grant purge
 * @squeeze_seq: the backend's @squeeze_seq last acted on (worker only)
 * @name: "xbba.<domid>.<devid>-<queue>", the worker's name
 */
struct xbb_ring {
	struct xbb_backend *be;
	struct xbb_vbd *vbd;
	unsigned int id;
	struct xbb_back_ring ring;
	void *sring;
	int irq;
	bool has_worker;
	struct completion worker_exited;
	bool worker_stuck;
	bool quiesced;
	wait_queue_head_t wq;
	unsigned long flags;
	unsigned int consumed_since_eoi;
	struct task_struct *worker;
	bool consuming;
	spinlock_t rsp_lock;		/* see @rsp_lock above */
	struct llist_head done;
	struct llist_head freed;
	bool stalled;
	bool draining;
	struct xbb_slot *slots;
	unsigned int nr_slots;
	struct list_head free;
	unsigned int inflight;
	bool halted;
	struct xbb_slot *barrier_wait;
	struct xbb_slot *barrier_busy;
	bool orphaned;
	struct work_struct orphan_work;
	struct list_head retiring_node;
	struct xbb_pgrant_cache pgrants;
	struct gnttab_page_cache pages;
	struct gnttab_map_grant_ref *map_ops;
	struct gnttab_unmap_grant_ref *unmap_ops;
	struct page **op_pages;
	unsigned int nr_ops;
	struct page *indirect_buf[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	unsigned int nr_indirect_buf;
	struct gnttab_copy indirect_copy[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct xbb_stats stats;
	struct ratelimit_state warn_rs;
	unsigned long last_housekeeping;
	unsigned int squeeze_seq;
	char name[32];
};

/**
 * struct xbb_backend - one vbd: a block device served to one frontend
 * @dev: the xenbus device ("backend/vbd/<domid>/<devid>")
 * @vbd: the disk: its limits, the backing device or file and the
 *	reference count
 * @domid: the frontend's domain
 * @devid: the virtual device number (handle)
 * @watch: on "physical-device"
 * @file_watch: on "physical-file" (an image file, file.c)
 * @watch_registered: @watch and @file_watch are registered
 * @major: major of the backing device, 0 until hotplug wrote it
 * @minor: minor of the backing device
 * @bdev_handle: what compat.h needs to close @vbd.bdev
 * @offer: what was advertised at probe; connect holds the frontend to it
 * @readonly: attached with mode "r"
 * @cdrom: device-type is "cdrom"
 * @rings: @nr_rings rings once connected
 * @nr_rings: number of queues negotiated
 * @stopping: @nr_stopping rings of a closed connection, stopped, for
 *	@state_work to drain; entries go NULL as it frees or orphans them
 * @nr_stopping: see @stopping; nonzero while a teardown is in progress
 * @report: the state to report once the teardown is done;
 *	XenbusStateUnknown for none
 * @want_connect: the frontend is Initialised or Connected; connect as soon
 *	as no request of an earlier connection to the device is in flight
 * @connect_deferred: a connect waits for orphans (said once, in xenstore)
 * @removed: xbb_remove() ran; xenstore and the xenbus state are not ours
 *	any more
 * @state_work: finishes what the xenbus callbacks start: drains
 *	@stopping, reports @report, connects (on xbb_wq)
 * @ring_page_order: negotiated ring size (log2 pages)
 * @abi: negotiated ring layout
 * @persistent: persistent grants in use
 * @connected: rings are up
 * @state_lock: serialises connect/disconnect, the xenbus callbacks and
 *	@state_work's bookkeeping (never held while it waits for I/O); protects
 *	the fields from @rings to @removed
 * @feature_work: writes withdrawn features and resizes to xenstore
 * @squeeze_until: jiffies until which spare pages are given back at once
 *	(memory pressure, see buffer_squeeze_duration_ms)
 * @squeeze_seq: bumped by each memory-pressure notice; the rings act on
 *	a new value at once
 * @debugfs: this vbd's debugfs file, or NULL / an error pointer
 * @stats_work: periodic log_stats output
 * @logged: the counters last printed by log_stats
 * @retired: counters of rings already torn down
 */
struct xbb_backend {
	struct xenbus_device *dev;
	struct xbb_vbd vbd;
	domid_t domid;
	unsigned int devid;
	struct xenbus_watch watch;
	struct xenbus_watch file_watch;
	bool watch_registered;
	unsigned int major;
	unsigned int minor;
	struct xbb_bdev_handle bdev_handle;
	struct xbb_be_offer offer;
	bool readonly;
	bool cdrom;
	struct xbb_ring **rings;
	unsigned int nr_rings;
	struct xbb_ring **stopping;
	unsigned int nr_stopping;
	enum xenbus_state report;
	bool want_connect;
	bool connect_deferred;
	bool removed;
	struct delayed_work state_work;
	unsigned int ring_page_order;
	enum xbb_abi abi;
	bool persistent;
	bool connected;
	struct mutex state_lock;	/* xenbus callbacks, rings; process */
	struct work_struct feature_work;
	unsigned long squeeze_until;
	unsigned int squeeze_seq;
	struct dentry *debugfs;
	struct delayed_work stats_work;
	struct xbb_stats logged;
	struct xbb_stats retired;
};

/* xenbus.c */
int xbb_xenbus_register(void);
void xbb_xenbus_unregister(void);

/* vbd.c */
void xbb_vbd_init(struct xbb_vbd *vbd, struct work_struct *changed,
		  void (*release)(struct xbb_vbd *vbd));
void xbb_vbd_get(struct xbb_vbd *vbd);
void xbb_vbd_put(struct xbb_vbd *vbd);
void xbb_vbd_limits(struct xbb_vbd *vbd, struct xbb_vbd_limits *lim);
void xbb_vbd_withdraw(struct xbb_vbd *vbd, enum xbb_req_kind kind);
void xbb_vbd_check_size(struct xbb_vbd *vbd);
void xbb_vbd_take_changes(struct xbb_vbd *vbd, struct xbb_vbd_changes *changes);
int xbb_vbd_set_cgroup(struct xbb_vbd *vbd, const char *path);
ssize_t xbb_vbd_cgroup_show(struct xbb_vbd *vbd, char *buf);
void xbb_vbd_charge(struct xbb_vbd *vbd, struct bio *bio);
const void *xbb_vbd_backing(struct xbb_vbd *vbd);
void xbb_vbd_charge_thread(struct xbb_vbd *vbd);
void xbb_vbd_uncharge_thread(void);

/* file.c */
int xbb_file_open(struct xbb_vbd *vbd, const char *path, bool write,
		  bool discard);
unsigned int xbb_file_granularity(struct xbb_vbd *vbd);
u64 xbb_file_size_sectors(struct xbb_vbd *vbd);
int xbb_file_writeback(struct xbb_vbd *vbd);
int xbb_file_alloc(struct xbb_ring *ring, unsigned int max_segs);
void xbb_file_free(struct xbb_ring *ring);
int xbb_file_submit(struct xbb_slot *slot);

/* ring.c */
struct xbb_ring *xbb_ring_alloc(struct xbb_backend *be, unsigned int id);
int xbb_ring_connect(struct xbb_ring *ring, grant_ref_t *grefs,
		     unsigned int nr_grefs, evtchn_port_t evtchn);
void xbb_ring_stop(struct xbb_ring *ring);
bool xbb_ring_drain(struct xbb_ring *ring, unsigned long deadline);
bool xbb_ring_may_orphan(struct xbb_ring *ring);
void xbb_ring_orphan(struct xbb_ring *ring);
void xbb_ring_free(struct xbb_ring *ring);
unsigned int xbb_retiring_count(const void *backing, bool orphans_only);
void xbb_slot_done(struct xbb_slot *slot, int err);
void xbb_ring_reclaim(struct xbb_ring *ring);

/* grant.c */
int xbb_grant_map(struct xbb_ring *ring, struct xbb_slot *slot);
void xbb_grant_unmap_batch(struct xbb_ring *ring, struct xbb_slot **slots,
			   unsigned int nr);
int xbb_grant_read_indirect(struct xbb_ring *ring, struct xbb_slot *slot,
			    const struct xbb_vbd_limits *lim);
void xbb_pgrants_purge(struct xbb_ring *ring, bool all);

/* io.c */
void xbb_io_submit(struct xbb_slot *slot);

/* sysfs.c */
extern const struct attribute_group *xbb_backend_groups[];
void xbb_stats_add(struct xbb_stats *to, const struct xbb_stats *from);
void xbb_stats_sum(struct xbb_backend *be, struct xbb_stats *sum);
void xbb_sysfs_init(void);
void xbb_debugfs_add(struct xbb_backend *be);
void xbb_debugfs_remove(struct xbb_backend *be);
void xbb_debugfs_init(void);
void xbb_debugfs_exit(void);

#endif /* XBB_COMMON_H */
