// SPDX-License-Identifier: GPL-2.0-only
/*
 * Image files served straight from the guest's pages. Each read or write
 * is one asynchronous direct-I/O kiocb on the file, built over the mapped
 * grants: no loop device, no dom0 page cache, no userspace process. Its
 * ki_complete ends the request through xbb_slot_done(), as a bio's end_io
 * does on a block device. A flush is an fsync of the file and a discard a
 * hole punched in it; both may sleep for long, so they run on xbb_wq and
 * the ring's worker goes on consuming meanwhile.
 *
 * The file is opened O_DIRECT: a file system that cannot do direct I/O is
 * refused when the disk is attached, not served through the page cache,
 * where a guest's acknowledged write could sit unwritten and dom0's memory
 * would hold every guest's data.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bvec.h>
#include <linux/falloc.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/pagemap.h>
#include <linux/stat.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "common.h"

/* The smallest: a sector, the unit of the blkif protocol. */
#define XBB_FILE_MIN_ALIGN	512U
/* The largest direct-I/O alignment a guest's segments can meet. */
#define XBB_FILE_MAX_ALIGN	XBB_XEN_PAGE_SIZE

/*
 * The file's direct-I/O alignment, in bytes: what offsets and lengths must
 * be multiples of. 0 when the file system says it cannot do direct I/O.
 * File systems that do not report it (before STATX_DIOALIGN, or network
 * ones that take any alignment) get the sector, as loop assumes.
 */
static unsigned int xbb_file_dio_align(struct file *file)
{
	struct kstat stat = {};

	if (vfs_getattr(&file->f_path, &stat, STATX_DIOALIGN,
			AT_STATX_SYNC_AS_STAT) ||
	    !(stat.result_mask & STATX_DIOALIGN))
		return XBB_FILE_MIN_ALIGN;
	if (!stat.dio_offset_align)
		return 0;
	return max3(stat.dio_offset_align, stat.dio_mem_align, XBB_FILE_MIN_ALIGN);
}

/* The disk's size: the file's, in whole logical blocks. */
static u64 xbb_file_sectors(struct file *file, unsigned int block_size)
{
	loff_t size = i_size_read(file_inode(file));

	return round_down(size, block_size) >> XBB_SECTOR_SHIFT;
}

/**
 * xbb_file_open() - open an image file to serve, and set the disk's limits
 * @vbd: the disk, with nothing open yet
 * @path: the file's absolute path, as the hotplug script wrote it
 * @write: the guest may write
 * @discard: the admin lets the guest discard (discard-enable)
 *
 * The sector size the guest sees is the file's direct-I/O alignment; the
 * disk's size is the file's; a flush is always offered (an fsync is never
 * a no-op on a file: it writes its metadata too); a discard is offered
 * where the file system can punch holes.
 *
 * Context: process (the xenbus watch).
 * Return: 0; -EINVAL for a relative path, something not a regular file,
 * or a file system without direct I/O; or what opening the file returned.
 * The caller tells the toolstack.
 */
int xbb_file_open(struct xbb_vbd *vbd, const char *path, bool write,
		  bool discard)
{
	unsigned int align;
	struct file *file;
	int err;

	if (path[0] != '/')
		return -EINVAL;
	file = filp_open(path, (write ? O_RDWR : O_RDONLY) | O_DIRECT |
			 O_LARGEFILE, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = -EINVAL;
	if (!S_ISREG(file_inode(file)->i_mode) || !file->f_op->read_iter ||
	    !file->f_op->write_iter)
		goto out_close;
	align = xbb_file_dio_align(file);
	if (!align || align > XBB_FILE_MAX_ALIGN || !is_power_of_2(align))
		goto out_close;
	err = -ENOMEM;
	vbd->name = kstrdup(path, GFP_KERNEL);
	if (!vbd->name)
		goto out_close;

	spin_lock(&vbd->lock);
	vbd->file = file;
	vbd->lim.nr_sectors = xbb_file_sectors(file, align);
	vbd->lim.logical_block_size = align;
	vbd->lim.readonly = !write;
	vbd->lim.flush = true;
	vbd->lim.barrier = true;
	vbd->lim.discard = discard && write && file->f_op->fallocate;
	vbd->lim.discard_secure = false;
	spin_unlock(&vbd->lock);
	return 0;

out_close:
	fput(file);
	return err;
}

/**
 * xbb_file_granularity() - the unit a discard frees whole: a file block
 * @vbd: the disk, served from a file
 *
 * Context: any.
 * Return: in bytes.
 */
unsigned int xbb_file_granularity(struct xbb_vbd *vbd)
{
	return i_blocksize(file_inode(vbd->file));
}

/**
 * xbb_file_size_sectors() - the disk's size as the file has it now
 * @vbd: the disk, served from a file
 *
 * Growing the file is an online resize (see xbb_vbd_check_size()).
 *
 * Context: any.
 * Return: in 512-byte sectors.
 */
u64 xbb_file_size_sectors(struct xbb_vbd *vbd)
{
	return xbb_file_sectors(vbd->file, vbd->lim.logical_block_size);
}

/**
 * xbb_file_writeback() - make the file's page cache agree with its blocks
 * @vbd: the disk, served from a file
 *
 * The guest's direct I/O bypasses dom0's page cache: what dom0 wrote
 * through it (an image just copied in) must be on the blocks before the
 * guest reads them, and what it cached goes stale as the guest writes.
 *
 * Context: process; waits for the writeback.
 * Return: 0 or the writeback's error.
 */
int xbb_file_writeback(struct xbb_vbd *vbd)
{
	struct address_space *mapping = vbd->file->f_mapping;
	int err = filemap_write_and_wait(mapping);

	/* Only dom0's own readers could see what stays cached: as loop. */
	if (!err)
		invalidate_inode_pages2(mapping);
	return err;
}

static void xbb_file_work(struct work_struct *work);

/**
 * xbb_file_alloc() - a ring's per-request file state
 * @ring: the ring, its slots allocated
 * @max_segs: segments per request, at most
 *
 * Context: process.
 * Return: 0 or -ENOMEM; xbb_file_free() undoes a partial allocation.
 */
int xbb_file_alloc(struct xbb_ring *ring, unsigned int max_segs)
{
	struct xbb_file_io *fios;
	struct bio_vec *bvecs;
	unsigned int i;

	fios = kvcalloc(ring->nr_slots, sizeof(*fios), GFP_KERNEL);
	if (!fios)
		return -ENOMEM;
	ring->slots[0].fio = fios;
	bvecs = kvcalloc(ring->nr_slots * max_segs, sizeof(*bvecs), GFP_KERNEL);
	if (!bvecs)
		return -ENOMEM;
	for (i = 0; i < ring->nr_slots; i++) {
		ring->slots[i].fio = &fios[i];
		fios[i].slot = &ring->slots[i];
		fios[i].bvec = bvecs + i * max_segs;
		INIT_WORK(&fios[i].work, xbb_file_work);
	}
	return 0;
}

/**
 * xbb_file_free() - free what xbb_file_alloc() allocated
 * @ring: the ring, its slots not yet freed, nothing in flight
 *
 * Context: process.
 */
void xbb_file_free(struct xbb_ring *ring)
{
	struct xbb_file_io *fios = ring->slots[0].fio;

	if (!fios)
		return;
	kvfree(fios[0].bvec);
	kvfree(fios);
	ring->slots[0].fio = NULL;
}

static void xbb_file_submit_rw(struct xbb_slot *slot);

/*
 * Data and what reading it back needs (fdatasync): what a disk's cache
 * flush makes durable. For a flush or barrier with data, the first fsync
 * makes the writes answered before it durable and sets the write going;
 * the write's completion fsyncs again, for the write itself.
 */
static void xbb_file_sync(struct xbb_slot *slot)
{
	struct xbb_file_io *fio = slot->fio;
	int err = vfs_fsync(slot->ring->vbd->file, 1);

	if (!err && fio->write_after_sync) {
		fio->write_after_sync = false;
		xbb_file_submit_rw(slot);
	}
	xbb_slot_done(slot, err);
}

/* A discard frees the file's blocks; reading them back gives zeroes. */
static void xbb_file_punch(struct xbb_slot *slot)
{
	const struct xbb_req *req = &slot->req;

	xbb_slot_done(slot, vfs_fallocate(slot->ring->vbd->file,
					  FALLOC_FL_PUNCH_HOLE |
					  FALLOC_FL_KEEP_SIZE,
					  req->sector << XBB_SECTOR_SHIFT,
					  req->nr_sectors << XBB_SECTOR_SHIFT));
}

/*
 * What may sleep for long, off the ring's worker. A write completing
 * synchronously in here queues this same item again for its fsync: a
 * work item may be queued while it runs.
 */
static void xbb_file_work(struct work_struct *work)
{
	struct xbb_file_io *fio = container_of(work, struct xbb_file_io, work);

	if (fio->slot->req.kind == XBB_REQ_DISCARD)
		xbb_file_punch(fio->slot);
	else
		xbb_file_sync(fio->slot);
}

/* Hands the request to xbb_file_work(), holding a reference until done. */
static void xbb_file_queue(struct xbb_slot *slot)
{
	atomic_inc(&slot->bios);
	queue_work(xbb_wq, &slot->fio->work);
}

/* A write that must be durable when answered is fsynced once written. */
static bool xbb_file_sync_after(const struct xbb_req *req)
{
	return req->kind == XBB_REQ_FLUSH || req->kind == XBB_REQ_BARRIER;
}

static void xbb_file_rw_done(struct kiocb *iocb, long ret)
{
	struct xbb_file_io *fio = container_of(iocb, struct xbb_file_io, iocb);
	struct xbb_slot *slot = fio->slot;
	int err = 0;

	if (iocb->ki_flags & IOCB_WRITE)
		kiocb_end_write(iocb);
	/* Short only when the file shrank under the guest. */
	if (ret < 0)
		err = ret;
	else if (ret != fio->bytes)
		err = -EIO;
	if (!err && xbb_file_sync_after(&slot->req))
		xbb_file_queue(slot);
	xbb_slot_done(slot, err);
}

/* Builds the iocb's iterator over the request's mapped segments. */
static void xbb_file_iter(struct xbb_slot *slot, struct iov_iter *iter,
			  unsigned int dir)
{
	const struct xbb_req *req = &slot->req;
	struct xbb_file_io *fio = slot->fio;
	unsigned int i;

	fio->bytes = 0;
	for (i = 0; i < req->nr_segs; i++) {
		const struct xbb_seg *seg = &req->segs[i];
		struct bio_vec *bv = &fio->bvec[i];

		bv->bv_page = slot->maps[i].page;
		bv->bv_offset = seg->first_sect << XBB_SECTOR_SHIFT;
		bv->bv_len = (seg->last_sect - seg->first_sect + 1) <<
			     XBB_SECTOR_SHIFT;
		fio->bytes += bv->bv_len;
	}
	iov_iter_bvec(iter, dir, fio->bvec, req->nr_segs, fio->bytes);
}

/* Reads and writes: one direct-I/O kiocb for the whole request. */
static void xbb_file_submit_rw(struct xbb_slot *slot)
{
	struct file *file = slot->ring->vbd->file;
	struct kiocb *iocb = &slot->fio->iocb;
	bool write = slot->req.kind != XBB_REQ_READ;
	struct iov_iter iter;
	ssize_t ret;

	xbb_file_iter(slot, &iter, write ? ITER_SOURCE : ITER_DEST);
	/* IOCB_DIRECT comes from the file's O_DIRECT, which open checked. */
	init_sync_kiocb(iocb, file);
	iocb->ki_pos = slot->req.sector << XBB_SECTOR_SHIFT;
	/* Set: the file system completes it later, from any context. */
	iocb->ki_complete = xbb_file_rw_done;
	atomic_inc(&slot->bios);
	/* The file system's bios count against the guest's io cgroup. */
	xbb_vbd_charge_thread(slot->ring->vbd);
	if (write) {
		iocb->ki_flags |= IOCB_WRITE;
		/* Holds off a freeze until the write is done. */
		kiocb_start_write(iocb);
		ret = file->f_op->write_iter(iocb, &iter);
	} else {
		ret = file->f_op->read_iter(iocb, &iter);
	}
	xbb_vbd_uncharge_thread();
	if (ret != -EIOCBQUEUED)
		xbb_file_rw_done(iocb, ret);
}

/**
 * xbb_file_submit() - set a validated request going on an image file
 * @slot: the request, its grants mapped for reads and writes
 *
 * Like the bio paths of xbb_io_submit(), takes a reference per operation
 * in flight and leaves the caller's reference to the caller.
 *
 * Context: the ring's worker.
 * Return: 0, or -EOPNOTSUPP for a secure discard (a file has no erase).
 */
int xbb_file_submit(struct xbb_slot *slot)
{
	switch (slot->req.kind) {
	case XBB_REQ_DISCARD:
		xbb_file_queue(slot);
		return 0;
	case XBB_REQ_SECURE_DISCARD:
		return -EOPNOTSUPP;
	default:
		slot->fio->write_after_sync = false;
		if (!slot->req.nr_segs) {
			xbb_file_queue(slot);
		} else if (xbb_file_sync_after(&slot->req)) {
			/* Earlier writes first, as a disk's preflush. */
			slot->fio->write_after_sync = true;
			xbb_file_queue(slot);
		} else {
			xbb_file_submit_rw(slot);
		}
		return 0;
	}
}
