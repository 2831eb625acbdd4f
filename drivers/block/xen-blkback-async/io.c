// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bios: built straight from the mapped guest pages, submitted without
 * waiting, completed through xbb_slot_done(). An image file's requests
 * take file.c's way from here.
 */

#include <linux/bio.h>
#include <linux/blkdev.h>

#include "common.h"

static void xbb_io_end(struct bio *bio)
{
	struct xbb_slot *slot = bio->bi_private;
	int err = blk_status_to_errno(bio->bi_status);

	bio_put(bio);
	xbb_slot_done(slot, err);
}

static struct bio *xbb_io_bio_alloc(struct xbb_slot *slot,
				    unsigned short nr_vecs, blk_opf_t opf,
				    sector_t sector)
{
	struct bio *bio;

	/* GFP_NOIO from the default bio set waits, it does not fail. */
	bio = bio_alloc(slot->ring->vbd->bdev, nr_vecs, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	bio->bi_private = slot;
	bio->bi_end_io = xbb_io_end;
	xbb_vbd_charge(slot->ring->vbd, bio);
	return bio;
}

/* Each bio holds a reference on the request until its end_io. */
static void xbb_io_submit_bio(struct xbb_slot *slot, struct bio *bio)
{
	atomic_inc(&slot->bios);
	submit_bio(bio);
}

static blk_opf_t xbb_io_opf(enum xbb_req_kind kind)
{
	switch (kind) {
	case XBB_REQ_READ:
		return REQ_OP_READ;
	case XBB_REQ_FLUSH:
	case XBB_REQ_BARRIER:
		/* Durable once answered; earlier writes flushed first. */
		return REQ_OP_WRITE | REQ_PREFLUSH | REQ_FUA;
	default:
		return REQ_OP_WRITE;
	}
}

/* Reads and writes: one bio per run of segments that fits one bio. */
static void xbb_io_submit_segs(struct xbb_slot *slot)
{
	const struct xbb_req *req = &slot->req;
	blk_opf_t opf = xbb_io_opf(req->kind);
	sector_t sector = req->sector;
	struct bio *bio = NULL;
	unsigned int i;

	for (i = 0; i < req->nr_segs; i++) {
		const struct xbb_seg *seg = &req->segs[i];
		unsigned int off = seg->first_sect << XBB_SECTOR_SHIFT;
		unsigned int len = (seg->last_sect - seg->first_sect + 1) <<
				   XBB_SECTOR_SHIFT;

		if (!bio || bio_add_page(bio, slot->maps[i].page, len, off) != len) {
			if (bio) {
				xbb_io_submit_bio(slot, bio);
				/* Only the first bio needs to flush first. */
				opf &= ~REQ_PREFLUSH;
			}
			bio = xbb_io_bio_alloc(slot,
					       bio_max_segs(req->nr_segs - i),
					       opf, sector);
			if (bio_add_page(bio, slot->maps[i].page, len, off) != len) {
				/* A fresh bio takes one page: never. */
				atomic_inc(&slot->bios);
				bio_io_error(bio);
				return;
			}
		}
		sector += len >> XBB_SECTOR_SHIFT;
	}
	xbb_io_submit_bio(slot, bio);
}

/* A flush or barrier without data. */
static void xbb_io_submit_flush(struct xbb_slot *slot)
{
	struct bio *bio = xbb_io_bio_alloc(slot, 0,
					   REQ_OP_WRITE | REQ_PREFLUSH, 0);

	xbb_io_submit_bio(slot, bio);
}

/* Discard and secure erase, in bios the device takes, none waited on. */
static int xbb_io_submit_range(struct xbb_slot *slot)
{
	const struct xbb_req *req = &slot->req;
	struct block_device *bdev = slot->ring->vbd->bdev;
	bool secure = req->kind == XBB_REQ_SECURE_DISCARD;
	blk_opf_t opf = secure ? REQ_OP_SECURE_ERASE : REQ_OP_DISCARD;
	unsigned int max = secure ? bdev_max_secure_erase_sectors(bdev) :
				    bdev_max_discard_sectors(bdev);
	sector_t sector = req->sector;
	u64 left = req->nr_sectors;

	max = xbb_range_chunk_sectors(min(max, UINT_MAX >> XBB_SECTOR_SHIFT),
				      bdev_logical_block_size(bdev) >>
				      XBB_SECTOR_SHIFT,
				      secure ? 0 : bdev_discard_granularity(bdev) >>
				      XBB_SECTOR_SHIFT);
	if (!max)
		return -EOPNOTSUPP;
	while (left) {
		unsigned int chunk = min_t(u64, left, max);
		struct bio *bio = xbb_io_bio_alloc(slot, 0, opf, sector);

		bio->bi_iter.bi_size = chunk << XBB_SECTOR_SHIFT;
		xbb_io_submit_bio(slot, bio);
		sector += chunk;
		left -= chunk;
	}
	return 0;
}

/**
 * xbb_io_submit() - set a validated request going
 * @slot: the request, holding the one reference dispatch gave it
 *
 * Maps the guest's pages, builds the bios (or, for an image file, the
 * kiocb: file.c) and submits them inside the caller's plug. Drops the
 * dispatch reference, so the request completes when its last bio does, or
 * here if nothing could be submitted.
 *
 * Context: the ring's worker.
 */
void xbb_io_submit(struct xbb_slot *slot)
{
	int err = 0;

	if (slot->ring->vbd->file) {
		if (slot->req.nr_segs)
			err = xbb_grant_map(slot->ring, slot);
		if (!err)
			err = xbb_file_submit(slot);
		xbb_slot_done(slot, err);
		return;
	}
	switch (slot->req.kind) {
	case XBB_REQ_DISCARD:
	case XBB_REQ_SECURE_DISCARD:
		err = xbb_io_submit_range(slot);
		break;
	default:
		if (!slot->req.nr_segs) {
			xbb_io_submit_flush(slot);
			break;
		}
		err = xbb_grant_map(slot->ring, slot);
		if (!err)
			xbb_io_submit_segs(slot);
		break;
	}
	xbb_slot_done(slot, err);
}
