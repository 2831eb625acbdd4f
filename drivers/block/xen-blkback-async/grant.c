// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant mapping: batched map and unmap of a request's pages, the
 * persistent-grant cache, and the reading of indirect segment pages.
 *
 * Everything here runs in the ring's worker (or in the context that owns a
 * torn-down ring), so the cache and the scratch arrays need no lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "common.h"

static unsigned long xbb_page_vaddr(struct page *page)
{
	return (unsigned long)pfn_to_kaddr(page_to_pfn(page));
}

/*
 * Unmaps @nr operations queued in ring->unmap_ops and recycles the pages.
 * A page whose unmap failed may still show the guest's frame: it must
 * never back another mapping, so it is withheld (leaked) instead.
 */
static void xbb_grant_unmap_flush(struct xbb_ring *ring, unsigned int nr)
{
	unsigned int i, kept = 0;
	int err;

	if (!nr)
		return;
	err = gnttab_unmap_refs(ring->unmap_ops, NULL, ring->op_pages, nr);
	for (i = 0; i < nr; i++)
		if (!err && ring->unmap_ops[i].status == GNTST_okay)
			ring->op_pages[kept++] = ring->op_pages[i];
	if (kept != nr)
		pr_err_ratelimited("dom%u/%u q%u: unmapping %u of %u grants failed (%d); withholding their pages\n",
				   ring->be->domid, ring->be->devid, ring->id,
				   nr - kept, nr, err);
	gnttab_page_cache_put(&ring->pages, ring->op_pages, kept);
}

/* Queues the unmap of one mapping; flushes when the batch is full. */
static unsigned int xbb_grant_unmap_queue(struct xbb_ring *ring,
					  unsigned int nr, struct page *page,
					  grant_handle_t handle)
{
	gnttab_set_unmap_op(&ring->unmap_ops[nr], xbb_page_vaddr(page),
			    GNTMAP_host_map, handle);
	/* Not GNTST_okay until the hypervisor says so. */
	ring->unmap_ops[nr].status = 1;
	ring->op_pages[nr++] = page;
	if (nr == ring->nr_ops) {
		xbb_grant_unmap_flush(ring, nr);
		nr = 0;
	}
	return nr;
}

/**
 * xbb_pgrants_purge() - unmap idle persistent grants
 * @ring: the ring
 * @all: unmap every idle grant (teardown, memory pressure) rather than
 *	only those over the max_persistent_grants cap or unused for
 *	persistent_grant_unused_seconds
 *
 * Context: the ring's owner.
 */
void xbb_pgrants_purge(struct xbb_ring *ring, bool all)
{
	unsigned long idle = READ_ONCE(xbb_persistent_grant_unused_seconds) * HZ;
	unsigned int cap = READ_ONCE(xbb_max_persistent_grants);
	struct xbb_pgrant *pg;
	unsigned int nr = 0;

	while ((pg = xbb_pgrant_evict(&ring->pgrants, cap, idle, jiffies,
				      all))) {
		nr = xbb_grant_unmap_queue(ring, nr, pg->page, pg->handle);
		kfree(pg);
	}
	xbb_grant_unmap_flush(ring, nr);
}

/* Keeps a freshly mapped segment persistently. */
static void xbb_grant_persist(struct xbb_ring *ring, struct xbb_seg_map *map,
			      grant_ref_t gref)
{
	struct xbb_pgrant *pg = kmalloc(sizeof(*pg), GFP_NOIO | __GFP_NOWARN);

	if (!pg)
		return;
	pg->gref = gref;
	pg->handle = map->handle;
	pg->page = map->page;
	/* Used twice at once: this mapping stays the request's own. */
	if (!xbb_pgrant_add(&ring->pgrants, pg)) {
		kfree(pg);
		return;
	}
	map->pgrant = pg;
	map->handle = XBB_INVALID_HANDLE;
}

/* Reuses a persistent grant for this segment, if there is an idle one. */
static bool xbb_grant_try_persistent(struct xbb_ring *ring,
				     struct xbb_seg_map *map, grant_ref_t gref)
{
	struct xbb_pgrant *pg = xbb_pgrant_get(&ring->pgrants, gref);

	/*
	 * The request that last used it may have been answered from end_io
	 * and not yet taken back: take those back, then look again. They hold
	 * persistent grants only, so this touches no scratch array.
	 */
	if (!pg && !llist_empty(&ring->freed)) {
		xbb_ring_reclaim(ring);
		pg = xbb_pgrant_get(&ring->pgrants, gref);
	}
	if (!pg) {
		xbb_stat_inc(&ring->stats.pgrant_misses, 1);
		return false;
	}
	xbb_stat_inc(&ring->stats.pgrant_hits, 1);
	map->pgrant = pg;
	map->page = pg->page;
	return true;
}

/* Queues the map of one segment; ring->op_pages[nr] gets its page. */
static int xbb_grant_map_queue(struct xbb_ring *ring, unsigned int nr,
			       struct xbb_seg_map *map, grant_ref_t gref,
			       bool readonly)
{
	u32 flags = GNTMAP_host_map;

	if (gnttab_page_cache_get(&ring->pages, &map->page))
		return -ENOMEM;
	if (readonly)
		flags |= GNTMAP_readonly;
	gnttab_set_map_op(&ring->map_ops[nr], xbb_page_vaddr(map->page), flags,
			  gref, ring->be->domid);
	ring->op_pages[nr] = map->page;
	return 0;
}

/*
 * Takes the results of a map batch: handles for the mapped, the first error
 * for the rest. A failed mapping has no handle and is never unmapped. Each
 * op's own status decides, even when the batch call failed: an op it did
 * map must be unmapped later, or its page would be reused while mapped.
 */
static int xbb_grant_map_harvest(struct xbb_ring *ring, struct xbb_slot *slot,
				 unsigned int nr, int batch_err,
				 bool persist)
{
	unsigned int i, op = 0;
	int err = batch_err;

	for (i = 0; i < slot->req.nr_segs && op < nr; i++) {
		struct xbb_seg_map *map = &slot->maps[i];
		struct gnttab_map_grant_ref *mop;

		if (map->pgrant || !map->page)
			continue;
		mop = &ring->map_ops[op++];
		if (mop->status != GNTST_okay) {
			map->handle = XBB_INVALID_HANDLE;
			if (!err)
				err = -EIO;
			continue;
		}
		map->handle = mop->handle;
		if (persist &&
		    ring->pgrants.nr < READ_ONCE(xbb_max_persistent_grants))
			xbb_grant_persist(ring, map, slot->req.segs[i].gref);
		/* A mapping for this request alone: the worker unmaps it. */
		if (!map->pgrant)
			slot->needs_worker = true;
	}
	return err;
}

/**
 * xbb_grant_map() - map every segment of a request
 * @ring: the ring
 * @slot: a validated request with segments
 *
 * Persistent grants already mapped are reused; the others are mapped in
 * one hypercall batch, and kept if the frontend does persistent grants and
 * the cache has room. Pages dom0 only reads from (writes to disk) are
 * mapped read-only, unless they are to be kept: a persistent grant may
 * serve a read later.
 *
 * On failure, whatever was mapped stays recorded in @slot->maps for the
 * completion to unmap.
 *
 * Context: the ring's worker.
 * Return: 0, -ENOMEM, or -EIO when the hypervisor refused a grant.
 */
int xbb_grant_map(struct xbb_ring *ring, struct xbb_slot *slot)
{
	bool persist = ring->be->persistent;
	bool to_disk = xbb_req_is_write(&slot->req);
	unsigned int i, nr = 0;
	int err = 0;

	for (i = 0; i < slot->req.nr_segs; i++) {
		struct xbb_seg_map *map = &slot->maps[i];
		grant_ref_t gref = slot->req.segs[i].gref;

		if (persist && xbb_grant_try_persistent(ring, map, gref))
			continue;
		err = xbb_grant_map_queue(ring, nr, map, gref,
					  to_disk && !persist);
		if (err)
			break;
		nr++;
	}
	if (nr) {
		int batch = gnttab_map_refs(ring->map_ops, NULL,
					    ring->op_pages, nr);

		batch = xbb_grant_map_harvest(ring, slot, nr, batch, persist);
		if (!err)
			err = batch;
	}
	return err;
}

/**
 * xbb_grant_unmap_batch() - release the mappings of finished requests
 * @ring: the ring
 * @slots: the requests
 * @nr: how many
 *
 * Persistent grants go back to the cache; the others are unmapped in as
 * few hypercalls as the scratch array allows. Leaves every mapping record
 * clean for the slot's next use.
 *
 * Context: the ring's owner.
 */
void xbb_grant_unmap_batch(struct xbb_ring *ring, struct xbb_slot **slots,
			   unsigned int nr)
{
	unsigned int s, i, queued = 0;

	for (s = 0; s < nr; s++) {
		struct xbb_slot *slot = slots[s];

		for (i = 0; i < slot->req.nr_segs; i++) {
			struct xbb_seg_map *map = &slot->maps[i];

			if (map->pgrant) {
				xbb_pgrant_put(&ring->pgrants, map->pgrant,
					       jiffies);
			} else if (map->page &&
				   map->handle != XBB_INVALID_HANDLE) {
				queued = xbb_grant_unmap_queue(ring, queued,
							       map->page,
							       map->handle);
			} else if (map->page) {
				gnttab_page_cache_put(&ring->pages,
						      &map->page, 1);
			}
			map->pgrant = NULL;
			map->page = NULL;
			map->handle = XBB_INVALID_HANDLE;
		}
	}
	xbb_grant_unmap_flush(ring, queued);
}

/*
 * Reads one indirect page through a persistent grant: the grant already
 * kept, or kept from now on if the cache has room. Returns false when the
 * page must be copied instead.
 */
static bool xbb_grant_indirect_persistent(struct xbb_ring *ring,
					  struct xbb_req *req,
					  unsigned int page)
{
	grant_ref_t gref = req->indirect_grefs[page];
	struct xbb_seg_map map = { .handle = XBB_INVALID_HANDLE };
	int err;

	if (!xbb_grant_try_persistent(ring, &map, gref)) {
		if (ring->pgrants.nr >= READ_ONCE(xbb_max_persistent_grants))
			return false;
		if (xbb_grant_map_queue(ring, 0, &map, gref, false))
			return false;
		err = gnttab_map_refs(ring->map_ops, NULL, ring->op_pages, 1);
		if (err || ring->map_ops[0].status != GNTST_okay) {
			/* Not mapped: nothing to unmap, the page is free. */
			gnttab_page_cache_put(&ring->pages, &map.page, 1);
			return false;
		}
		map.handle = ring->map_ops[0].handle;
		xbb_grant_persist(ring, &map, gref);
		if (!map.pgrant) {
			xbb_grant_unmap_flush(ring,
					      xbb_grant_unmap_queue(ring, 0,
								    map.page,
								    map.handle));
			return false;
		}
	}
	xbb_req_copy_indirect_page(req, page, page_address(map.page));
	xbb_pgrant_put(&ring->pgrants, map.pgrant, jiffies);
	return true;
}

/* Queues the grant copy of the descriptors one indirect page holds. */
static void xbb_grant_indirect_copy_queue(struct xbb_ring *ring,
					  const struct xbb_req *req,
					  unsigned int page, unsigned int nr)
{
	unsigned int segs = min_t(unsigned int,
				  req->nr_segs - page * XBB_SEGS_PER_INDIRECT_PAGE,
				  XBB_SEGS_PER_INDIRECT_PAGE);
	struct gnttab_copy *op = &ring->indirect_copy[nr];

	op->source.u.ref = req->indirect_grefs[page];
	op->source.domid = ring->be->domid;
	op->source.offset = 0;
	op->dest.u.gmfn = xen_page_to_gfn(ring->indirect_buf[page]);
	op->dest.domid = DOMID_SELF;
	op->dest.offset = 0;
	op->len = segs * sizeof(struct blkif_request_segment);
	op->flags = GNTCOPY_source_gref;
	op->status = GNTST_general_error;
}

/**
 * xbb_grant_read_indirect() - copy an indirect request's segments
 * @ring: the ring
 * @slot: an indirect request accepted by xbb_req_parse()
 * @lim: the limits it was parsed against
 *
 * Each descriptor is read once, into the request's private copy, which is
 * then validated. With persistent grants the indirect pages are read
 * through them (kept mapped, as the frontend reuses them): no hypercall
 * once they are. Otherwise, or when the cache is full, one grant-copy
 * hypercall brings every page's descriptors into the ring's buffer: no
 * mapping, so nothing to unmap and no TLB flush.
 *
 * Context: the ring's worker.
 * Return: 0, or -errno (validation failures set @slot->req.reject).
 */
int xbb_grant_read_indirect(struct xbb_ring *ring, struct xbb_slot *slot,
			    const struct xbb_vbd_limits *lim)
{
	struct xbb_req *req = &slot->req;
	unsigned int i, nr = 0;
	u8 copied[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];

	/* Parsing checked the count against what connect sized the buffer. */
	if (WARN_ON_ONCE(req->nr_indirect_pages > ring->nr_indirect_buf))
		return -EIO;
	for (i = 0; i < req->nr_indirect_pages; i++) {
		if (ring->be->persistent &&
		    xbb_grant_indirect_persistent(ring, req, i))
			continue;
		xbb_grant_indirect_copy_queue(ring, req, i, nr);
		copied[nr++] = i;
	}
	if (nr) {
		gnttab_batch_copy(ring->indirect_copy, nr);
		for (i = 0; i < nr; i++)
			if (ring->indirect_copy[i].status != GNTST_okay)
				return -EIO;
		for (i = 0; i < nr; i++) {
			void *buf = page_address(ring->indirect_buf[copied[i]]);

			xbb_req_copy_indirect_page(req, copied[i], buf);
		}
	}
	return xbb_req_check_segments(req, lim);
}
