// SPDX-License-Identifier: GPL-2.0-only
/*
 * One ring: mapping, the event channel, and the worker that consumes
 * requests and produces responses.
 */

/**
 * DOC: Theory of operation
 *
 * Each ring has one worker thread, and the worker is the only context that
 * touches the ring's bookkeeping: it consumes requests, maps grants,
 * submits bios, and later unmaps and answers. Bios complete in interrupt
 * context; their end_io counts down the request's outstanding bios, and the
 * last one ends the request in one of two ways:
 *
 * - a request that succeeded and holds no grant mapped for it alone is
 *   answered right there, under rsp_lock, and its slot goes on the lock-free
 *   freed list for the worker to take back (the fast path: no wake-up);
 * - anything else (errors, refusals, grants to unmap, barriers) goes on the
 *   lock-free done list and wakes the worker, which unmaps a batch, answers
 *   it and publishes the answers with at most one notification.
 *
 * The event channel is a lateeoi one: the interrupt handler only wakes the
 * worker, and the worker sends the EOI once it has consumed what the event
 * announced, flagging events that announced nothing as spurious, so a
 * frontend that floods events is throttled by Xen, not served by dom0.
 *
 * Teardown runs in a work item, never in xenbus's watch thread. It first
 * stops every ring of the backend (each worker stops consuming and exits on
 * its own), then waits for the workers and for in-flight requests, all
 * rings against one deadline, XBB_DRAIN_TIMEOUT. A backing device that does
 * not complete them cannot hold dom0 hostage: past the deadline the ring is
 * orphaned, i.e. left to free itself from a work item once the last bio has
 * completed, and the backend carries on. A worker asleep in submit_bio()
 * (the device holds all its tags) cannot be stopped either: the ring is
 * orphaned with the worker still inside, and the worker hands the ring to
 * the orphan work when it returns.
 *
 * An orphan holds a reference on the module, the backend (which keeps the
 * backing device open) and the xenbus device. From its stop to its free,
 * a ring sits on a global list, and no connection to the same backing
 * device is made while one is there: a late write cannot land after a
 * newer one, and no new connection consumes requests an old ring owns.
 * At most max_orphaned_rings exist; past that, teardown keeps waiting
 * instead (in its work item).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/page.h>

#include "common.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * Rings stopped and not yet freed, orphans included, over all backends:
 * what xbb_retiring_count() looks at.
 */
static LIST_HEAD(xbb_retiring);
static DEFINE_SPINLOCK(xbb_retiring_lock);	/* protects xbb_retiring */
/* Answers written per unmap batch. */
#define XBB_REAP_BATCH		32

/*
 * Guest-triggerable, so rate-limited, per ring: one noisy guest must not
 * hide another's messages. Names the domain, device and queue.
 */
static __printf(2, 3) void xbb_ring_warn(struct xbb_ring *ring,
					 const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&ring->warn_rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("dom%u/%u q%u: %pV", ring->be->domid, ring->be->devid,
		ring->id, &vaf);
	va_end(args);
}

static irqreturn_t xbb_ring_interrupt(int irq, void *dev_id)
{
	struct xbb_ring *ring = dev_id;

	set_bit(XBB_RING_EVENT, &ring->flags);
	wake_up(&ring->wq);
	return IRQ_HANDLED;
}

/*
 * Counts an answered request in its latency histogram, once; the caller
 * holds rsp_lock, which orders the histogram's writers.
 */
static void xbb_ring_time(struct xbb_ring *ring, struct xbb_slot *slot,
			  ktime_t now)
{
	ktime_t started = slot->started;
	u64 *count;

	if (!started)
		return;
	WRITE_ONCE(slot->started, 0);
	count = &ring->stats.latency[xbb_req_class(slot->req.kind)]
		[xbb_latency_bucket(max_t(s64, ktime_us_delta(now, started), 0))];
	WRITE_ONCE(*count, *count + 1);
}

/*
 * The fast path: a request that succeeded and holds no mapping of its own
 * is answered right here, without a trip through the worker. The slot goes
 * on the freed list; the worker takes it back (and releases its persistent
 * grants) before it next needs one.
 */
static void xbb_slot_answer(struct xbb_ring *ring, struct xbb_slot *slot)
{
	ktime_t now = ktime_get();
	unsigned long flags;
	bool notify = false;

	trace_xbb_req_done(ring, &slot->req, BLKIF_RSP_OKAY, true);
	spin_lock_irqsave(&ring->rsp_lock, flags);
	xbb_ring_time(ring, slot, now);
	xbb_back_ring_put_rsp(&ring->ring, slot->req.id, slot->req.operation,
			      BLKIF_RSP_OKAY);
	/*
	 * A device that completes inside submit_bio() (brd, a bio-based
	 * stack) answers in the worker while it consumes: the worker
	 * publishes the lot once it is done (xbb_ring_publish()), with one
	 * notification instead of one an answer.
	 */
	if (!(ring->consuming && in_task() && current == ring->worker))
		notify = xbb_back_ring_push_rsps(&ring->ring);
	spin_unlock_irqrestore(&ring->rsp_lock, flags);
	if (notify)
		notify_remote_via_irq(ring->irq);
	llist_add(&slot->done_node, &ring->freed);
	/* Pairs with the barriers where the worker sets these. */
	if (READ_ONCE(ring->stalled) || READ_ONCE(ring->barrier_wait))
		wake_up(&ring->wq);
}

/**
 * xbb_slot_done() - drop one reference on a request; the last one ends it
 * @slot: the request
 * @err: 0, or the -errno this part of the request ended with
 *
 * The one completion funnel: bio end_io, submission and refusals all end
 * here. The last reference answers the frontend at once when nothing but
 * the answer is left to do, and otherwise hands the request to the ring's
 * worker through the done list.
 *
 * Context: any, including hard interrupt.
 */
void xbb_slot_done(struct xbb_slot *slot, int err)
{
	struct xbb_ring *ring = slot->ring;

	if (err)
		cmpxchg(&slot->error, 0, err);
	if (!atomic_dec_and_test(&slot->bios))
		return;
	/*
	 * The ring may be freed as soon as the worker sees this slot; RCU
	 * keeps it alive until this function is done with it. Teardown
	 * waits for these sections before it unbinds the event channel.
	 */
	rcu_read_lock();
	if (!slot->error && !slot->needs_worker && !READ_ONCE(ring->draining)) {
		xbb_slot_answer(ring, slot);
	} else {
		llist_add(&slot->done_node, &ring->done);
		if (READ_ONCE(ring->orphaned))
			queue_work(xbb_wq, &ring->orphan_work);
		else
			wake_up(&ring->wq);
	}
	rcu_read_unlock();
}

static void xbb_ring_account(struct xbb_ring *ring, const struct xbb_req *req)
{
	struct xbb_stats *st = &ring->stats;

	switch (req->kind) {
	case XBB_REQ_READ:
		xbb_stat_inc(&st->rd_req, 1);
		xbb_stat_inc(&st->rd_sect, req->nr_sectors);
		break;
	case XBB_REQ_WRITE:
		xbb_stat_inc(&st->wr_req, 1);
		xbb_stat_inc(&st->wr_sect, req->nr_sectors);
		break;
	case XBB_REQ_FLUSH:
	case XBB_REQ_BARRIER:
		xbb_stat_inc(&st->f_req, 1);
		xbb_stat_inc(&st->wr_sect, req->nr_sectors);
		break;
	case XBB_REQ_DISCARD:
	case XBB_REQ_SECURE_DISCARD:
		xbb_stat_inc(&st->ds_req, 1);
		break;
	}
}

/* Returns a slot to the free list. */
static void xbb_ring_free_slot(struct xbb_ring *ring, struct xbb_slot *slot)
{
	if (slot == ring->barrier_busy)
		ring->barrier_busy = NULL;
	list_add(&slot->free_node, &ring->free);
	ring->inflight--;
}

static void xbb_ring_reclaim_batch(struct xbb_ring *ring,
				   struct xbb_slot **batch, unsigned int nr)
{
	unsigned int i;

	xbb_grant_unmap_batch(ring, batch, nr);
	for (i = 0; i < nr; i++)
		xbb_ring_free_slot(ring, batch[i]);
}

/* Hands the slots of @list to @fn, XBB_REAP_BATCH at a time, in order. */
static void xbb_ring_batches(struct xbb_ring *ring, struct llist_node *list,
			     void (*fn)(struct xbb_ring *ring,
					struct xbb_slot **batch,
					unsigned int nr))
{
	struct xbb_slot *batch[XBB_REAP_BATCH];
	struct xbb_slot *slot, *next;
	unsigned int nr = 0;

	llist_for_each_entry_safe(slot, next, list, done_node) {
		batch[nr++] = slot;
		if (nr == XBB_REAP_BATCH) {
			fn(ring, batch, nr);
			nr = 0;
		}
	}
	if (nr)
		fn(ring, batch, nr);
}

/**
 * xbb_ring_reclaim() - take back the slots end_io answered
 * @ring: the ring
 *
 * Releases their persistent grants and returns them to the free list.
 *
 * Context: the ring's owner.
 */
void xbb_ring_reclaim(struct xbb_ring *ring)
{
	xbb_ring_batches(ring, llist_del_all(&ring->freed),
			 xbb_ring_reclaim_batch);
}

/* What a failed request costs besides its answer: a line, a counter. */
static void xbb_ring_note_error(struct xbb_ring *ring, struct xbb_slot *slot)
{
	struct xbb_req *req = &slot->req;
	int err = slot->error;

	if (!err || req->reject != XBB_REJECT_NONE)
		return;
	xbb_stat_inc(&ring->stats.io_errors, 1);
	xbb_stat_inc(&ring->stats.io_errors_by[xbb_io_error_of(err)], 1);
	xbb_ring_warn(ring, "op %u sector %llu: I/O error %d\n",
		      req->operation, req->sector, err);
	/* The device cannot flush: stop advertising it. */
	if (err == -EOPNOTSUPP && !ring->orphaned &&
	    (req->kind == XBB_REQ_FLUSH || req->kind == XBB_REQ_BARRIER))
		xbb_vbd_withdraw(ring->vbd, req->kind);
}

/* Unmaps, answers and frees a batch of finished requests. */
static void xbb_ring_finish(struct xbb_ring *ring, struct xbb_slot **batch,
			    unsigned int nr)
{
	unsigned long flags;
	unsigned int i;
	ktime_t now;

	xbb_grant_unmap_batch(ring, batch, nr);
	for (i = 0; i < nr; i++) {
		xbb_ring_note_error(ring, batch[i]);
		trace_xbb_req_done(ring, &batch[i]->req,
				   xbb_status_from_errno(batch[i]->error), false);
	}
	now = ktime_get();
	spin_lock_irqsave(&ring->rsp_lock, flags);
	for (i = 0; i < nr; i++) {
		xbb_ring_time(ring, batch[i], now);
		xbb_back_ring_put_rsp(&ring->ring, batch[i]->req.id,
				      batch[i]->req.operation,
				      xbb_status_from_errno(batch[i]->error));
	}
	spin_unlock_irqrestore(&ring->rsp_lock, flags);
	for (i = 0; i < nr; i++)
		xbb_ring_free_slot(ring, batch[i]);
}

/* Starts a barrier once everything consumed before it has finished. */
static void xbb_ring_release_barrier(struct xbb_ring *ring)
{
	struct xbb_slot *slot = ring->barrier_wait;

	if (!slot)
		return;
	xbb_ring_reclaim(ring);
	if (ring->inflight > 1)
		return;
	WRITE_ONCE(ring->barrier_wait, NULL);
	ring->barrier_busy = slot;
	xbb_io_submit(slot);
}

/*
 * Answers every finished request, in completion order, and notifies the
 * frontend once for the lot.
 */
static void xbb_ring_reap(struct xbb_ring *ring)
{
	struct llist_node *list;
	unsigned long flags;
	bool notify;

	xbb_ring_reclaim(ring);
	list = llist_del_all(&ring->done);
	if (!list)
		goto out;
	xbb_ring_batches(ring, llist_reverse_order(list), xbb_ring_finish);
	spin_lock_irqsave(&ring->rsp_lock, flags);
	notify = xbb_back_ring_push_rsps(&ring->ring);
	spin_unlock_irqrestore(&ring->rsp_lock, flags);
	if (notify && ring->irq >= 0)
		notify_remote_via_irq(ring->irq);
out:
	xbb_ring_release_barrier(ring);
}

static void xbb_ring_reject(struct xbb_ring *ring, struct xbb_slot *slot,
			    int err)
{
	xbb_stat_inc(&ring->stats.rejected, 1);
	if (slot->req.reject < XBB_REJECT_COUNT)
		xbb_stat_inc(&ring->stats.rejected_by[slot->req.reject], 1);
	xbb_ring_warn(ring, "refused request id %llu op %u: %s (%d)\n",
		      slot->req.id, slot->req.operation,
		      slot->req.reject != XBB_REJECT_NONE ?
		      xbb_reject_name(slot->req.reject) : "indirect pages unreadable",
		      err);
	xbb_slot_done(slot, err);
}

/* Validates a copied request and sets it going, or refuses it. */
static void xbb_ring_dispatch(struct xbb_ring *ring, struct xbb_slot *slot,
			      const struct xbb_wire_req *wire)
{
	struct xbb_vbd_limits lim;
	int err;

	xbb_vbd_limits(ring->vbd, &lim);
	slot->error = 0;
	slot->needs_worker = false;
	slot->started = 0;
	slot->stuck_warned = false;
	atomic_set(&slot->bios, 1);
	err = xbb_req_parse(wire, &lim, &slot->req);
	if (!err && slot->req.nr_indirect_pages)
		err = xbb_grant_read_indirect(ring, slot, &lim);
	if (err) {
		xbb_ring_reject(ring, slot, err);
		return;
	}
	xbb_ring_account(ring, &slot->req);
	/* From here on the request counts: its answer is timed. */
	slot->started = ktime_get();
	trace_xbb_req_start(ring, &slot->req);
	if (slot->req.kind == XBB_REQ_BARRIER) {
		/* Everything before the barrier ends first; see release. */
		slot->needs_worker = true;
		WRITE_ONCE(ring->barrier_wait, slot);
		/* Pairs with xbb_slot_answer(): it wakes us for the rest. */
		smp_mb();
		xbb_ring_release_barrier(ring);
		return;
	}
	xbb_io_submit(slot);
}

/*
 * A free slot, taking back what end_io answered if need be. With none, the
 * ring is marked stalled so that the next fast-path answer wakes us.
 */
static struct xbb_slot *xbb_ring_get_slot(struct xbb_ring *ring)
{
	struct xbb_slot *slot;

	slot = list_first_entry_or_null(&ring->free, struct xbb_slot,
					free_node);
	if (slot) {
		/* Answers stop waking us once we are not short of slots. */
		if (ring->stalled)
			WRITE_ONCE(ring->stalled, false);
		return slot;
	}
	WRITE_ONCE(ring->stalled, true);
	/* Pairs with xbb_slot_answer(): a slot freed now is seen below. */
	smp_mb();
	xbb_ring_reclaim(ring);
	slot = list_first_entry_or_null(&ring->free, struct xbb_slot,
					free_node);
	if (slot)
		WRITE_ONCE(ring->stalled, false);
	return slot;
}

/*
 * A halted ring also stops listening: the worker sends no EOI for the
 * event being handled or any later one, so the lateeoi channel stays
 * masked and a frontend that keeps notifying costs dom0 nothing until the
 * next connect binds a new one.
 */
static void xbb_ring_halt(struct xbb_ring *ring)
{
	ring->halted = true;
	xbb_ring_warn(ring, "frontend's producer index runs more than a ring ahead; ring halted, event channel masked until the next connect\n");
}

static bool xbb_ring_stopping(struct xbb_ring *ring)
{
	return test_bit(XBB_RING_STOP, &ring->flags);
}

/* Publishes the answers consume left unpublished; notifies once. */
static void xbb_ring_publish(struct xbb_ring *ring)
{
	unsigned long flags;
	bool notify;

	spin_lock_irqsave(&ring->rsp_lock, flags);
	ring->consuming = false;
	notify = xbb_back_ring_push_rsps(&ring->ring);
	spin_unlock_irqrestore(&ring->rsp_lock, flags);
	if (notify)
		notify_remote_via_irq(ring->irq);
}

/*
 * Consumes requests while there are free slots, no barrier holds the ring
 * and teardown has not stopped it. Returns how many were consumed.
 */
static unsigned int xbb_ring_consume(struct xbb_ring *ring)
{
	struct xbb_wire_req wire;
	struct blk_plug plug;
	unsigned int nr = 0;
	RING_IDX prod;

	if (ring->halted)
		return 0;
	ring->consuming = true;
	blk_start_plug(&plug);
	do {
		if (xbb_back_ring_fetch_prod(&ring->ring, &prod)) {
			xbb_ring_halt(ring);
			break;
		}
		while (!ring->barrier_wait && !ring->barrier_busy &&
		       !xbb_ring_stopping(ring)) {
			struct xbb_slot *slot;

			slot = xbb_ring_get_slot(ring);
			if (!slot) {
				if (ring->ring.u.native.req_cons != prod)
					xbb_stat_inc(&ring->stats.oo_req, 1);
				goto out;
			}
			if (!xbb_back_ring_take_req(&ring->ring, prod, &wire))
				break;
			list_del(&slot->free_node);
			ring->inflight++;
			xbb_ring_dispatch(ring, slot, &wire);
			nr++;
			/* A full ring of small requests is a long loop. */
			cond_resched();
		}
		if (ring->barrier_wait || ring->barrier_busy ||
		    xbb_ring_stopping(ring))
			break;
	} while (xbb_back_ring_final_check(&ring->ring));
out:
	blk_finish_plug(&plug);
	xbb_ring_publish(ring);
	return nr;
}

/* A memory-pressure notice this ring has not acted on yet. */
static bool xbb_ring_squeeze_pending(struct xbb_ring *ring)
{
	return READ_ONCE(ring->be->squeeze_seq) != ring->squeeze_seq;
}

/*
 * Names, once each, the requests the backing device has held longer than
 * stuck_request_seconds, so that an admin hears of a stuck disk before the
 * guest's users do. A slot is reused only by this thread, so the request
 * read here stays put; one answered meanwhile is at worst named late.
 * (A worker blocked in submit_bio() scans nothing until it is free: the
 * block layer's own hung-task warning covers that case.)
 */
static void xbb_ring_warn_stuck(struct xbb_ring *ring)
{
	unsigned int secs = READ_ONCE(xbb_stuck_request_seconds);
	ktime_t now;
	unsigned int i;

	if (!secs || !ring->inflight)
		return;
	now = ktime_get();
	for (i = 0; i < ring->nr_slots; i++) {
		struct xbb_slot *slot = &ring->slots[i];
		ktime_t started = READ_ONCE(slot->started);
		s64 waited;

		if (!started || slot->stuck_warned)
			continue;
		waited = ktime_ms_delta(now, started);
		if (waited < (s64)secs * MSEC_PER_SEC)
			continue;
		slot->stuck_warned = true;
		xbb_stat_inc(&ring->stats.stuck, 1);
		pr_warn_ratelimited("dom%u/%u q%u: %s of %llu sectors at sector %llu (request id %llu) not answered by %s after %lld s\n",
				    ring->be->domid, ring->be->devid, ring->id,
				    xbb_class_name(xbb_req_class(slot->req.kind)),
				    slot->req.nr_sectors, slot->req.sector,
				    slot->req.id, ring->vbd->name,
				    waited / MSEC_PER_SEC);
	}
}

/*
 * Once a second, and at once on a memory-pressure notice (whose window is
 * far shorter than a second): size changes, idle persistent grants, spare
 * pages, stuck requests.
 */
static void xbb_ring_housekeeping(struct xbb_ring *ring)
{
	struct xbb_backend *be = ring->be;
	bool squeeze = xbb_ring_squeeze_pending(ring);

	if (!squeeze && time_before(jiffies, ring->last_housekeeping + HZ))
		return;
	ring->squeeze_seq = READ_ONCE(be->squeeze_seq);
	ring->last_housekeeping = jiffies;
	squeeze = squeeze || time_before(jiffies, READ_ONCE(be->squeeze_until));
	xbb_pgrants_purge(ring, squeeze);
	gnttab_page_cache_shrink(&ring->pages,
				 squeeze ? 0 : READ_ONCE(xbb_max_buffer_pages));
	if (ring->id == 0)
		xbb_vbd_check_size(ring->vbd);
	xbb_ring_warn_stuck(ring);
}

static bool xbb_ring_has_work(struct xbb_ring *ring)
{
	return test_bit(XBB_RING_EVENT, &ring->flags) ||
	       !llist_empty(&ring->done) || !llist_empty(&ring->freed) ||
	       xbb_ring_squeeze_pending(ring);
}

/*
 * The worker's last touch of the ring. Teardown either still waits for it
 * (and takes the ring over) or gave up and orphaned the ring, in which case
 * the orphan work takes over from here. Whoever frees the ring waits for
 * this RCU section first.
 */
static void xbb_ring_worker_exit(struct xbb_ring *ring)
{
	rcu_read_lock();
	set_bit(XBB_RING_WORKER_GONE, &ring->flags);
	if (test_and_set_bit(XBB_RING_HANDOFF, &ring->flags))
		queue_work(xbb_wq, &ring->orphan_work);
	else
		complete(&ring->worker_exited);
	rcu_read_unlock();
}

static int xbb_ring_thread(void *arg)
{
	struct xbb_ring *ring = arg;

	ring->worker = current;
	while (!xbb_ring_stopping(ring)) {
		bool event;

		wait_event_interruptible_timeout(ring->wq,
						 xbb_ring_has_work(ring) ||
						 xbb_ring_stopping(ring), HZ);
		event = test_and_clear_bit(XBB_RING_EVENT, &ring->flags);
		xbb_ring_reap(ring);
		ring->consumed_since_eoi += xbb_ring_consume(ring);
		if (event && !ring->halted) {
			/*
			 * Spurious only if nothing arrived since the last EOI:
			 * requests a completion pass picked up early still
			 * count for the event that announced them.
			 */
			bool spurious = !ring->consumed_since_eoi;

			if (spurious)
				xbb_stat_inc(&ring->stats.spurious_events, 1);
			ring->consumed_since_eoi = 0;
			/* EOI only now that the event's requests are taken. */
			xen_irq_lateeoi(ring->irq,
					spurious ? XEN_EOI_FLAG_SPURIOUS : 0);
		}
		xbb_ring_housekeeping(ring);
		cond_resched();
	}
	xbb_ring_worker_exit(ring);
	/* The module reference xbb_ring_connect() took for this thread. */
	module_put_and_kthread_exit(0);
}

static void xbb_ring_free_slots(struct xbb_ring *ring)
{
	if (ring->slots) {
		xbb_file_free(ring);
		kvfree(ring->slots[0].req.segs);
		kvfree(ring->slots[0].maps);
	}
	kvfree(ring->slots);
	ring->slots = NULL;
	kfree(ring->map_ops);
	kfree(ring->unmap_ops);
	kfree(ring->op_pages);
	while (ring->nr_indirect_buf)
		__free_page(ring->indirect_buf[--ring->nr_indirect_buf]);
	ring->map_ops = NULL;
	ring->unmap_ops = NULL;
	ring->op_pages = NULL;
}

static int xbb_ring_alloc_slots(struct xbb_ring *ring, unsigned int max_segs)
{
	struct xbb_seg_map *maps;
	unsigned int i, nr_pages;
	struct xbb_seg *segs;

	ring->slots = kvcalloc(ring->nr_slots, sizeof(*ring->slots),
			       GFP_KERNEL);
	if (!ring->slots)
		return -ENOMEM;
	/* Slot 0 owns the arrays every slot has its share of. */
	segs = kvcalloc(ring->nr_slots * max_segs, sizeof(*segs), GFP_KERNEL);
	maps = kvcalloc(ring->nr_slots * max_segs, sizeof(*maps), GFP_KERNEL);
	ring->slots[0].req.segs = segs;
	ring->slots[0].maps = maps;
	ring->nr_ops = max_segs;
	ring->map_ops = kcalloc(max_segs, sizeof(*ring->map_ops), GFP_KERNEL);
	ring->unmap_ops = kcalloc(max_segs, sizeof(*ring->unmap_ops),
				  GFP_KERNEL);
	ring->op_pages = kcalloc(max_segs, sizeof(*ring->op_pages),
				 GFP_KERNEL);
	if (!segs || !maps || !ring->map_ops || !ring->unmap_ops ||
	    !ring->op_pages)
		return -ENOMEM;
	/* A direct request's segments never reach an indirect page. */
	nr_pages = max_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ?
		   xbb_req_indirect_pages(max_segs) : 0;
	while (ring->nr_indirect_buf < nr_pages) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			return -ENOMEM;
		ring->indirect_buf[ring->nr_indirect_buf++] = page;
	}
	for (i = 0; i < ring->nr_slots; i++) {
		struct xbb_slot *slot = &ring->slots[i];

		slot->ring = ring;
		slot->req.segs = segs + i * max_segs;
		slot->req.max_segs = max_segs;
		slot->maps = maps + i * max_segs;
		list_add_tail(&slot->free_node, &ring->free);
	}
	return ring->vbd->file ? xbb_file_alloc(ring, max_segs) : 0;
}

/* Frees what connect set up; the ring must have nothing in flight. */
static void xbb_ring_release(struct xbb_ring *ring)
{
	xbb_pgrants_purge(ring, true);
	gnttab_page_cache_shrink(&ring->pages, 0);
	xbb_ring_free_slots(ring);
	if (ring->sring)
		xenbus_unmap_ring_vfree(ring->be->dev, ring->sring);
	ring->sring = NULL;
}

/*
 * With the worker gone, makes teardown's context the ring's owner: every
 * answer goes through the done list from now on, and the event channel
 * goes away once no completion can still be using it.
 */
static void xbb_ring_quiesce(struct xbb_ring *ring)
{
	if (ring->quiesced)
		return;
	ring->quiesced = true;
	WRITE_ONCE(ring->draining, true);
	/* Waits out fast-path answers (and the worker's exit section). */
	synchronize_rcu();
	if (ring->irq >= 0)
		unbind_from_irqhandler(ring->irq, ring);
	ring->irq = -1;
	if (ring->barrier_wait) {
		xbb_slot_done(ring->barrier_wait, -EIO);
		ring->barrier_wait = NULL;
	}
	xbb_ring_reap(ring);
}

/* Takes a freed ring off the retiring list. */
static void xbb_ring_retired(struct xbb_ring *ring)
{
	spin_lock(&xbb_retiring_lock);
	list_del_init(&ring->retiring_node);
	spin_unlock(&xbb_retiring_lock);
}

/* Finishes an orphaned ring's requests; the last one frees the ring. */
static void xbb_ring_orphan_work(struct work_struct *work)
{
	struct xbb_ring *ring = container_of(work, struct xbb_ring,
					     orphan_work);
	struct xbb_backend *be = ring->be;

	/* A worker still in submission requeues us when it exits. */
	if (!test_bit(XBB_RING_WORKER_GONE, &ring->flags))
		return;
	xbb_ring_quiesce(ring);
	xbb_ring_reap(ring);
	if (ring->inflight)
		return;
	pr_info("dom%u/%u q%u: last orphaned request finished\n",
		be->domid, be->devid, ring->id);
	xbb_ring_release(ring);
	xbb_ring_retired(ring);
	/*
	 * The last completion may still be inside xbb_slot_done(), about to
	 * queue this work again: wait it out, then drop that requeue.
	 */
	synchronize_rcu();
	cancel_work(&ring->orphan_work);
	kfree(ring);
	put_device(&be->dev->dev);
	xbb_vbd_put(&be->vbd);
	/*
	 * This work runs on xbb_wq, which module exit destroys (and so waits
	 * for) before the module's text goes: returning from here is safe.
	 */
	module_put(THIS_MODULE);
}

/**
 * xbb_retiring_count() - rings of closed connections not yet freed
 * @backing: count only those on this disk (xbb_vbd_backing()); NULL
 *	counts all
 * @orphans_only: count only orphaned ones
 *
 * Context: any.
 * Return: how many rings still have, or may have, requests of a closed
 * connection in flight.
 */
unsigned int xbb_retiring_count(const void *backing, bool orphans_only)
{
	struct xbb_ring *ring;
	unsigned int nr = 0;

	spin_lock(&xbb_retiring_lock);
	list_for_each_entry(ring, &xbb_retiring, retiring_node)
		nr += (!backing || xbb_vbd_backing(ring->vbd) == backing) &&
		      (!orphans_only || READ_ONCE(ring->orphaned));
	spin_unlock(&xbb_retiring_lock);
	return nr;
}

/**
 * xbb_ring_alloc() - allocate an unconnected ring
 * @be: the backend
 * @id: the queue index
 *
 * Context: process.
 * Return: the ring, or NULL.
 */
struct xbb_ring *xbb_ring_alloc(struct xbb_backend *be, unsigned int id)
{
	struct xbb_ring *ring = kzalloc(sizeof(*ring), GFP_KERNEL);

	if (!ring)
		return NULL;
	ring->be = be;
	ring->vbd = &be->vbd;
	ring->id = id;
	ring->irq = -1;
	init_waitqueue_head(&ring->wq);
	init_completion(&ring->worker_exited);
	ratelimit_state_init(&ring->warn_rs, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	init_llist_head(&ring->done);
	init_llist_head(&ring->freed);
	spin_lock_init(&ring->rsp_lock);
	INIT_LIST_HEAD(&ring->free);
	INIT_LIST_HEAD(&ring->retiring_node);
	INIT_WORK(&ring->orphan_work, xbb_ring_orphan_work);
	xbb_pgrant_cache_init(&ring->pgrants);
	gnttab_page_cache_init(&ring->pages);
	snprintf(ring->name, sizeof(ring->name), "xbba.%u.%u-%u",
		 be->domid, be->devid, id);
	return ring;
}

/**
 * xbb_ring_connect() - map a frontend's ring and start serving it
 * @ring: a ring from xbb_ring_alloc()
 * @grefs: grants of the ring pages
 * @nr_grefs: number of pages
 * @evtchn: the frontend's event channel
 *
 * On failure the ring is left for xbb_ring_stop() and xbb_ring_drain()
 * to undo.
 *
 * Context: process; the backend's state_lock held.
 * Return: 0 or -errno.
 */
int xbb_ring_connect(struct xbb_ring *ring, grant_ref_t *grefs,
		     unsigned int nr_grefs, evtchn_port_t evtchn)
{
	struct xbb_backend *be = ring->be;
	struct task_struct *task;
	int err;

	err = xenbus_map_ring_valloc(be->dev, grefs, nr_grefs, &ring->sring);
	if (err)
		return err;
	xbb_back_ring_attach(&ring->ring, be->abi, ring->sring,
			     nr_grefs * XEN_PAGE_SIZE);
	ring->nr_slots = xbb_back_ring_size(&ring->ring);
	err = xbb_ring_alloc_slots(ring, ring->vbd->lim.max_indirect_segs);
	if (err)
		return err;

	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(be->dev, evtchn,
							    xbb_ring_interrupt,
							    0, ring->name,
							    ring);
	if (err < 0)
		return err;
	ring->irq = err;

	/* The worker's code is ours: it may outlive the device's removal. */
	__module_get(THIS_MODULE);
	task = kthread_run(xbb_ring_thread, ring, "%s", ring->name);
	if (IS_ERR(task)) {
		module_put(THIS_MODULE);
		return PTR_ERR(task);
	}
	ring->has_worker = true;
	return 0;
}

/**
 * xbb_ring_stop() - stop consuming requests
 * @ring: the ring
 *
 * Does not wait: the worker exits once it sees the request (at the latest
 * when the block layer lets it out of submit_bio()).
 *
 * Context: any.
 */
void xbb_ring_stop(struct xbb_ring *ring)
{
	set_bit(XBB_RING_STOP, &ring->flags);
	wake_up(&ring->wq);
	spin_lock(&xbb_retiring_lock);
	list_add_tail(&ring->retiring_node, &xbb_retiring);
	spin_unlock(&xbb_retiring_lock);
}

/**
 * xbb_ring_drain() - wait for a stopped ring's worker and requests
 * @ring: a ring xbb_ring_stop() was called on
 * @deadline: jiffies after which to give up
 *
 * On success the caller owns an idle ring for xbb_ring_free(); otherwise
 * it passes the ring to xbb_ring_orphan(), or calls this again later.
 *
 * Context: process, not the xenbus watch thread (this sleeps until
 * @deadline); one caller at a time.
 * Return: true when the worker has exited and nothing is in flight.
 */
bool xbb_ring_drain(struct xbb_ring *ring, unsigned long deadline)
{
	if (ring->has_worker && !ring->quiesced) {
		long left = max_t(long, (long)(deadline - jiffies), 0);

		if (!wait_for_completion_timeout(&ring->worker_exited, left) &&
		    !test_and_set_bit(XBB_RING_HANDOFF, &ring->flags)) {
			/*
			 * Still in submission. Taking HANDOFF means the
			 * worker's exit queues the orphan work from now on;
			 * it is never undone, so the ring must be orphaned.
			 */
			ring->worker_stuck = true;
			return false;
		}
	}
	xbb_ring_quiesce(ring);
	while (ring->inflight && time_before(jiffies, deadline)) {
		wait_event_timeout(ring->wq, !llist_empty(&ring->done), HZ);
		xbb_ring_reap(ring);
	}
	return !ring->inflight;
}

/**
 * xbb_ring_may_orphan() - whether another ring may be orphaned now
 * @ring: the ring xbb_ring_drain() gave up on
 *
 * A ring whose worker is stuck in submission must be orphaned; others
 * only while fewer than max_orphaned_rings are.
 *
 * Context: any.
 * Return: true if xbb_ring_orphan() may be called.
 */
bool xbb_ring_may_orphan(struct xbb_ring *ring)
{
	return ring->worker_stuck ||
	       xbb_retiring_count(NULL, true) < READ_ONCE(xbb_max_orphaned_rings);
}

/**
 * xbb_ring_orphan() - leave a ring to finish its requests on its own
 * @ring: a ring xbb_ring_drain() gave up on; not to be used afterwards
 *
 * Context: process.
 */
void xbb_ring_orphan(struct xbb_ring *ring)
{
	struct xbb_backend *be = ring->be;

	pr_err("dom%u/%u q%u: %u requests still in flight after %us%s; leaving them to finish on their own (no new connection to %s until they do)\n",
	       be->domid, be->devid, ring->id, ring->inflight,
	       XBB_DRAIN_TIMEOUT / HZ,
	       ring->worker_stuck ? ", worker blocked submitting" : "",
	       ring->vbd->name);
	/* What the orphan work and the late completions use. */
	__module_get(THIS_MODULE);
	xbb_vbd_get(ring->vbd);
	get_device(&be->dev->dev);
	WRITE_ONCE(ring->orphaned, true);
	/* Pairs with xbb_slot_done(): no completion goes unseen. */
	smp_mb();
	queue_work(xbb_wq, &ring->orphan_work);
}

/**
 * xbb_ring_free() - free a drained ring
 * @ring: a ring xbb_ring_drain() succeeded on, or one never connected
 *
 * Context: process.
 */
void xbb_ring_free(struct xbb_ring *ring)
{
	xbb_ring_release(ring);
	xbb_ring_retired(ring);
	synchronize_rcu();
	kfree(ring);
}
