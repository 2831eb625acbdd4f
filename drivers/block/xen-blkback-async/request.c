// SPDX-License-Identifier: GPL-2.0-only
/*
 * Request validation: turns the private copy of one ring slot into a
 * struct xbb_req the data path may act on without further checks.
 *
 * Pure core: no hypervisor or block-layer calls (see core.h).
 */

/**
 * DOC: Validation order
 *
 * A request is refused at the first check it fails, in this order:
 * operation known, its feature advertised, read-only disk, segment count,
 * then (after indirect pages are copied) each segment's sectors, then the
 * range on the disk. Refusals of an unknown or unadvertised operation answer
 * BLKIF_RSP_EOPNOTSUPP; every other refusal answers BLKIF_RSP_ERROR. None of
 * them is an error of the ring: the frontend gets its answer and the ring
 * keeps running.
 */

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/string.h>

#include "core.h"

static const char * const xbb_reject_names[XBB_REJECT_COUNT] = {
	[XBB_REJECT_NONE]		= "accepted",
	[XBB_REJECT_UNKNOWN_OP]		= "unknown operation",
	[XBB_REJECT_NOT_ADVERTISED]	= "operation not advertised",
	[XBB_REJECT_DISCARD_FLAG]	= "unknown discard flags",
	[XBB_REJECT_INDIRECT_OP]	= "indirect operation not read/write",
	[XBB_REJECT_READONLY]		= "write to read-only disk",
	[XBB_REJECT_NR_SEGS]		= "bad segment count",
	[XBB_REJECT_SEG_BOUNDS]		= "segment sectors outside page",
	[XBB_REJECT_SEG_ALIGN]		= "segment not block aligned",
	[XBB_REJECT_SECTOR_WRAP]	= "sector range wraps",
	[XBB_REJECT_BEYOND_DISK]	= "sector range beyond disk",
	[XBB_REJECT_SECTOR_ALIGN]	= "sector range not block aligned",
	[XBB_REJECT_DISCARD_EMPTY]	= "empty discard",
};

/* The same reasons as file names (rejected/<key> in sysfs). */
static const char * const xbb_reject_keys[XBB_REJECT_COUNT] = {
	[XBB_REJECT_UNKNOWN_OP]		= "unknown_op",
	[XBB_REJECT_NOT_ADVERTISED]	= "not_advertised",
	[XBB_REJECT_DISCARD_FLAG]	= "discard_flags",
	[XBB_REJECT_INDIRECT_OP]	= "indirect_op",
	[XBB_REJECT_READONLY]		= "read_only",
	[XBB_REJECT_NR_SEGS]		= "nr_segments",
	[XBB_REJECT_SEG_BOUNDS]		= "segment_bounds",
	[XBB_REJECT_SEG_ALIGN]		= "segment_align",
	[XBB_REJECT_SECTOR_WRAP]	= "sector_wrap",
	[XBB_REJECT_BEYOND_DISK]	= "beyond_disk",
	[XBB_REJECT_SECTOR_ALIGN]	= "sector_align",
	[XBB_REJECT_DISCARD_EMPTY]	= "discard_empty",
};

/**
 * xbb_reject_key() - the reason as a file name
 * @reject: the reason
 *
 * Context: any.
 * Return: a static string of lower-case letters and underscores, or NULL
 * for XBB_REJECT_NONE (no reason) and a value out of range.
 */
const char *xbb_reject_key(enum xbb_reject reject)
{
	if (reject == XBB_REJECT_NONE || reject >= XBB_REJECT_COUNT)
		return NULL;
	return xbb_reject_keys[reject];
}

/**
 * xbb_reject_name() - a short text for logs
 * @reject: the reason
 *
 * Context: any.
 * Return: a static string.
 */
const char *xbb_reject_name(enum xbb_reject reject)
{
	if (reject >= XBB_REJECT_COUNT)
		return "?";
	return xbb_reject_names[reject];
}

/* Records why @req is refused; the errno selects the response status. */
static int xbb_req_reject(struct xbb_req *req, enum xbb_reject reject)
{
	req->reject = reject;
	switch (reject) {
	case XBB_REJECT_UNKNOWN_OP:
	case XBB_REJECT_NOT_ADVERTISED:
	case XBB_REJECT_DISCARD_FLAG:
		return -EOPNOTSUPP;
	case XBB_REJECT_READONLY:
		return -EROFS;
	default:
		return -EINVAL;
	}
}

/**
 * xbb_range_chunk_sectors() - the largest discard or erase bio to build
 * @max_sectors: the device's limit for one such bio
 * @lbs_sectors: its logical block size, in sectors
 * @gran_sectors: its discard granularity, in sectors (0: none)
 *
 * The device's limit need not be a multiple of its block size or of its
 * granularity; a chunk cut at an odd sector makes every following chunk
 * start unaligned. Rounds down to the larger of the two, if it fits.
 *
 * Context: any.
 * Return: sectors per chunk, 0 when the device takes none at all.
 */
unsigned int xbb_range_chunk_sectors(unsigned int max_sectors,
				     unsigned int lbs_sectors,
				     unsigned int gran_sectors)
{
	unsigned int unit = max3(lbs_sectors, gran_sectors, 1U);

	if (max_sectors < unit)
		return max_sectors;
	return rounddown(max_sectors, unit);
}

/**
 * xbb_status_from_errno() - the one map from a result to a response status
 * @err: 0 or a negative errno, from validation or from the block layer
 *
 * Context: any.
 * Return: BLKIF_RSP_OKAY, BLKIF_RSP_EOPNOTSUPP or BLKIF_RSP_ERROR.
 */
s16 xbb_status_from_errno(int err)
{
	if (!err)
		return BLKIF_RSP_OKAY;
	if (err == -EOPNOTSUPP)
		return BLKIF_RSP_EOPNOTSUPP;
	return BLKIF_RSP_ERROR;
}

/**
 * xbb_req_is_write() - does the request change the disk?
 * @req: a request whose kind is set
 *
 * Flushes count: on a read-only disk there is nothing to make durable, and
 * refusing them keeps "read-only" meaning "no write-class operation".
 *
 * Context: any.
 * Return: true for write, flush, barrier and both discards.
 */
bool xbb_req_is_write(const struct xbb_req *req)
{
	return req->kind != XBB_REQ_READ;
}

/**
 * xbb_req_indirect_pages() - pages an indirect request's segments occupy
 * @nr_segs: segment count
 *
 * Context: any.
 * Return: the number of indirect pages.
 */
unsigned int xbb_req_indirect_pages(unsigned int nr_segs)
{
	return DIV_ROUND_UP(nr_segs, XBB_SEGS_PER_INDIRECT_PAGE);
}

/* 512-byte sectors per logical block: 1 for a 512-byte disk. */
static unsigned int xbb_sectors_per_block(const struct xbb_vbd_limits *lim)
{
	return max(lim->logical_block_size >> XBB_SECTOR_SHIFT, 1U);
}

static int xbb_req_kind_indirect(const struct xbb_wire_req *wire,
				 const struct xbb_vbd_limits *lim,
				 struct xbb_req *req)
{
	if (!lim->max_indirect_segs)
		return xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);
	switch (wire->indirect_op) {
	case BLKIF_OP_READ:
		req->kind = XBB_REQ_READ;
		break;
	case BLKIF_OP_WRITE:
		req->kind = XBB_REQ_WRITE;
		break;
	default:
		return xbb_req_reject(req, XBB_REJECT_INDIRECT_OP);
	}
	req->operation = wire->indirect_op;
	return 0;
}

static int xbb_req_kind_discard(const struct xbb_wire_req *wire,
				const struct xbb_vbd_limits *lim,
				struct xbb_req *req)
{
	if (!lim->discard)
		return xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);
	if (wire->discard_flag & ~BLKIF_DISCARD_SECURE)
		return xbb_req_reject(req, XBB_REJECT_DISCARD_FLAG);
	/* blkif.h: the secure flag is ignored unless discard-secure is set. */
	if ((wire->discard_flag & BLKIF_DISCARD_SECURE) && lim->discard_secure)
		req->kind = XBB_REQ_SECURE_DISCARD;
	else
		req->kind = XBB_REQ_DISCARD;
	return 0;
}

/* Sets req->kind and req->operation, or refuses the operation. */
static int xbb_req_parse_kind(const struct xbb_wire_req *wire,
			      const struct xbb_vbd_limits *lim,
			      struct xbb_req *req)
{
	switch (wire->operation) {
	case BLKIF_OP_READ:
		req->kind = XBB_REQ_READ;
		return 0;
	case BLKIF_OP_WRITE:
		req->kind = XBB_REQ_WRITE;
		return 0;
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (!lim->flush)
			return xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);
		req->kind = XBB_REQ_FLUSH;
		return 0;
	case BLKIF_OP_WRITE_BARRIER:
		if (!lim->barrier)
			return xbb_req_reject(req, XBB_REJECT_NOT_ADVERTISED);
		req->kind = XBB_REQ_BARRIER;
		return 0;
	case BLKIF_OP_DISCARD:
		return xbb_req_kind_discard(wire, lim, req);
	case BLKIF_OP_INDIRECT:
		return xbb_req_kind_indirect(wire, lim, req);
	default:
		return xbb_req_reject(req, XBB_REJECT_UNKNOWN_OP);
	}
}

/* Checks [sector, sector + nr) against the disk and its block size. */
static int xbb_req_check_range(struct xbb_req *req,
			       const struct xbb_vbd_limits *lim)
{
	unsigned int spb = xbb_sectors_per_block(lim);

	if (req->sector > U64_MAX - req->nr_sectors)
		return xbb_req_reject(req, XBB_REJECT_SECTOR_WRAP);
	if (req->sector + req->nr_sectors > lim->nr_sectors)
		return xbb_req_reject(req, XBB_REJECT_BEYOND_DISK);
	if ((req->sector | req->nr_sectors) & (spb - 1))
		return xbb_req_reject(req, XBB_REJECT_SECTOR_ALIGN);
	return 0;
}

/**
 * xbb_req_check_segments() - validate the segments and the range they cover
 * @req: a request from xbb_req_parse() whose segments are all copied
 * @lim: the disk's limits
 *
 * Sets @req->nr_sectors from the segments. A request without segments (a
 * bare flush or barrier) carries no range and passes.
 *
 * Context: any.
 * Return: 0, or -EINVAL with @req->reject saying which check failed.
 */
int xbb_req_check_segments(struct xbb_req *req,
			   const struct xbb_vbd_limits *lim)
{
	unsigned int spb = xbb_sectors_per_block(lim);
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < req->nr_segs; i++) {
		const struct xbb_seg *seg = &req->segs[i];

		if (seg->last_sect >= XBB_SECTORS_PER_PAGE ||
		    seg->first_sect > seg->last_sect)
			return xbb_req_reject(req, XBB_REJECT_SEG_BOUNDS);
		if ((seg->first_sect | (seg->last_sect + 1)) & (spb - 1))
			return xbb_req_reject(req, XBB_REJECT_SEG_ALIGN);
		total += seg->last_sect - seg->first_sect + 1;
	}
	req->nr_sectors = total;
	if (!req->nr_segs)
		return 0;
	return xbb_req_check_range(req, lim);
}

static void xbb_seg_copy(struct xbb_seg *dst,
			 const struct blkif_request_segment *src)
{
	dst->gref = src->gref;
	dst->first_sect = src->first_sect;
	dst->last_sect = src->last_sect;
}

static int xbb_req_parse_direct(const struct xbb_wire_req *wire,
				const struct xbb_vbd_limits *lim,
				struct xbb_req *req)
{
	unsigned int nr = wire->nr_segments;
	bool flushes = req->kind == XBB_REQ_FLUSH ||
		       req->kind == XBB_REQ_BARRIER;
	unsigned int i;

	/* Only a flush (or barrier) may come without data. */
	if (nr > BLKIF_MAX_SEGMENTS_PER_REQUEST || nr > req->max_segs ||
	    (!nr && !flushes))
		return xbb_req_reject(req, XBB_REJECT_NR_SEGS);
	for (i = 0; i < nr; i++)
		xbb_seg_copy(&req->segs[i], &wire->seg[i]);
	req->nr_segs = nr;
	return xbb_req_check_segments(req, lim);
}

static int xbb_req_parse_indirect(const struct xbb_wire_req *wire,
				  const struct xbb_vbd_limits *lim,
				  struct xbb_req *req)
{
	unsigned int max = min3(lim->max_indirect_segs,
				(unsigned int)XBB_MAX_INDIRECT_SEGS,
				(unsigned int)req->max_segs);
	unsigned int nr = wire->nr_segments;
	unsigned int pages;

	if (!nr || nr > max)
		return xbb_req_reject(req, XBB_REJECT_NR_SEGS);
	pages = xbb_req_indirect_pages(nr);
	memcpy(req->indirect_grefs, wire->indirect_grefs,
	       pages * sizeof(req->indirect_grefs[0]));
	req->nr_indirect_pages = pages;
	req->nr_segs = nr;
	return 0;
}

static int xbb_req_parse_discard(const struct xbb_wire_req *wire,
				 const struct xbb_vbd_limits *lim,
				 struct xbb_req *req)
{
	if (!wire->nr_sectors)
		return xbb_req_reject(req, XBB_REJECT_DISCARD_EMPTY);
	req->nr_sectors = wire->nr_sectors;
	return xbb_req_check_range(req, lim);
}

/**
 * xbb_req_parse() - validate a copied slot into a request
 * @wire: the private copy of the slot
 * @lim: the disk's limits
 * @req: the request to fill; @req->segs and @req->max_segs must be set
 *
 * For a direct request, on success @req is complete. For an indirect one,
 * @req->nr_indirect_pages says how many pages the caller must map and hand,
 * one by one, to xbb_req_copy_indirect_page() before calling
 * xbb_req_check_segments().
 *
 * @req->id and @req->operation are set even on failure, so that the refusal
 * can be answered.
 *
 * Context: any.
 * Return: 0; -EOPNOTSUPP for an operation not served; -EROFS for a write to
 * a read-only disk; -EINVAL for a malformed request. @req->reject tells
 * which check failed.
 */
int xbb_req_parse(const struct xbb_wire_req *wire,
		  const struct xbb_vbd_limits *lim, struct xbb_req *req)
{
	int err;

	req->id = wire->id;
	req->operation = wire->operation;
	req->sector = wire->sector_number;
	req->nr_sectors = 0;
	req->nr_segs = 0;
	req->nr_indirect_pages = 0;
	req->reject = XBB_REJECT_NONE;

	err = xbb_req_parse_kind(wire, lim, req);
	if (err)
		return err;
	if (lim->readonly && xbb_req_is_write(req))
		return xbb_req_reject(req, XBB_REJECT_READONLY);

	switch (wire->operation) {
	case BLKIF_OP_DISCARD:
		return xbb_req_parse_discard(wire, lim, req);
	case BLKIF_OP_INDIRECT:
		return xbb_req_parse_indirect(wire, lim, req);
	default:
		return xbb_req_parse_direct(wire, lim, req);
	}
}

/**
 * xbb_req_copy_indirect_page() - copy the segments of one indirect page
 * @req: an indirect request accepted by xbb_req_parse()
 * @page: index of the page, below @req->nr_indirect_pages
 * @src: the mapped page
 *
 * Each descriptor is read once; the page may be unmapped right after.
 *
 * Context: any.
 */
void xbb_req_copy_indirect_page(struct xbb_req *req, unsigned int page,
				const struct blkif_request_segment *src)
{
	unsigned int first = page * XBB_SEGS_PER_INDIRECT_PAGE;
	unsigned int i, nr;

	if (first >= req->nr_segs)
		return;
	nr = min_t(unsigned int, req->nr_segs - first,
		   XBB_SEGS_PER_INDIRECT_PAGE);
	for (i = 0; i < nr; i++) {
		struct blkif_request_segment seg = READ_ONCE(src[i]);

		xbb_seg_copy(&req->segs[first + i], &seg);
	}
}

/**
 * xbb_req_class() - which statistics a request counts in
 * @kind: the validated request's kind
 *
 * Context: any.
 * Return: the class; a kind out of range counts as a read (none is).
 */
enum xbb_req_class xbb_req_class(enum xbb_req_kind kind)
{
	switch (kind) {
	case XBB_REQ_WRITE:
		return XBB_CLASS_WRITE;
	case XBB_REQ_FLUSH:
	case XBB_REQ_BARRIER:
		return XBB_CLASS_FLUSH;
	case XBB_REQ_DISCARD:
	case XBB_REQ_SECURE_DISCARD:
		return XBB_CLASS_DISCARD;
	default:
		return XBB_CLASS_READ;
	}
}

static const char * const xbb_class_names[XBB_NR_CLASSES] = {
	[XBB_CLASS_READ]	= "read",
	[XBB_CLASS_WRITE]	= "write",
	[XBB_CLASS_FLUSH]	= "flush",
	[XBB_CLASS_DISCARD]	= "discard",
};

/**
 * xbb_class_name() - a request class in words, for logs
 * @class: the class
 *
 * Context: any.
 * Return: a static string; "?" for a value out of range.
 */
const char *xbb_class_name(enum xbb_req_class class)
{
	if (class >= XBB_NR_CLASSES)
		return "?";
	return xbb_class_names[class];
}

/**
 * xbb_latency_bucket() - the histogram bucket of a latency
 * @us: the latency in microseconds
 *
 * Bucket i counts [2^i, 2^(i+1)) us; bucket 0 also counts [0, 1) us, and
 * the last bucket has no upper bound (see XBB_LAT_BUCKETS).
 *
 * Context: any.
 * Return: 0 to XBB_LAT_BUCKETS - 1.
 */
unsigned int xbb_latency_bucket(u64 us)
{
	unsigned int bucket = 0;

	while (us >= 2 && bucket < XBB_LAT_BUCKETS - 1) {
		us >>= 1;
		bucket++;
	}
	return bucket;
}

/**
 * xbb_io_error_of() - which kind of failure an I/O error is
 * @err: the negative errno the block layer failed a request with
 *
 * Context: any.
 * Return: its kind; XBB_IOERR_IO for an errno no status maps to.
 */
enum xbb_io_error xbb_io_error_of(int err)
{
	switch (err) {
	case -ENOSPC:
		return XBB_IOERR_NO_SPACE;
	case -ETIMEDOUT:
		return XBB_IOERR_TIMEOUT;
	case -EOPNOTSUPP:
		return XBB_IOERR_NOT_SUPPORTED;
	case -ENOLINK:
	case -EBADE:
		return XBB_IOERR_TRANSPORT;
	case -EREMOTEIO:
		return XBB_IOERR_TARGET;
	case -ENODATA:
		return XBB_IOERR_MEDIUM;
	case -EILSEQ:
		return XBB_IOERR_PROTECTION;
	case -ENOMEM:
	case -EBUSY:
	case -EAGAIN:
		return XBB_IOERR_RESOURCE;
	case -ENODEV:
		return XBB_IOERR_OFFLINE;
	default:
		return XBB_IOERR_IO;
	}
}

/* The kinds as file names (io_errors/<key> in sysfs). */
static const char * const xbb_io_error_keys[XBB_NR_IOERRS] = {
	[XBB_IOERR_IO]			= "io",
	[XBB_IOERR_NO_SPACE]		= "no_space",
	[XBB_IOERR_TIMEOUT]		= "timeout",
	[XBB_IOERR_NOT_SUPPORTED]	= "not_supported",
	[XBB_IOERR_TRANSPORT]		= "transport",
	[XBB_IOERR_TARGET]		= "target",
	[XBB_IOERR_MEDIUM]		= "medium",
	[XBB_IOERR_PROTECTION]		= "protection",
	[XBB_IOERR_RESOURCE]		= "resource",
	[XBB_IOERR_OFFLINE]		= "offline",
};

/**
 * xbb_io_error_key() - a kind of I/O error as a file name
 * @ioerr: the kind
 *
 * Context: any.
 * Return: a static string of lower-case letters and underscores, or NULL
 * for a value out of range.
 */
const char *xbb_io_error_key(enum xbb_io_error ioerr)
{
	if (ioerr >= XBB_NR_IOERRS)
		return NULL;
	return xbb_io_error_keys[ioerr];
}
