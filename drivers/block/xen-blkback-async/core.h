/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pure core of xen-blkback-async: ring ABI translation and request
 * validation.
 *
 * Everything declared here works on private copies of guest data and on
 * plain limits; it makes no hypervisor, xenbus or block-layer call, so it
 * builds and runs under KUnit on UML. Only xen/interface/ headers may be
 * included from here and from the .c files that implement it.
 */
#ifndef XBB_CORE_H
#define XBB_CORE_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/types.h>
#include <xen/interface/io/blkif.h>

/*
 * get_unaligned()/put_unaligned(): <asm/unaligned.h> became
 * <linux/unaligned.h> in 6.12. The Makefile probes for the header rather
 * than guess at which stable or distribution kernel carries the move (and
 * sparse before 0.6.5 has no __has_include).
 */
#ifdef XBB_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

struct page;

/* Xen's page size, fixed by the ABI whatever the dom0 kernel's PAGE_SIZE. */
#define XBB_XEN_PAGE_SIZE	4096U
#define XBB_SECTOR_SHIFT	9
#define XBB_SECTORS_PER_PAGE	(XBB_XEN_PAGE_SIZE >> XBB_SECTOR_SHIFT)

/* Segment descriptors one indirect page holds. */
#define XBB_SEGS_PER_INDIRECT_PAGE \
	(XBB_XEN_PAGE_SIZE / sizeof(struct blkif_request_segment))

/* The largest indirect request the protocol can describe. */
#define XBB_MAX_INDIRECT_SEGS \
	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * XBB_SEGS_PER_INDIRECT_PAGE)

/**
 * enum xbb_abi - layout of the shared ring, as negotiated with the frontend
 * @XBB_ABI_NATIVE: the layout of struct blkif_request on this kernel's
 *	architecture ("native" or absent on non-x86)
 * @XBB_ABI_X86_32: "x86_32-abi": 64-bit fields only 4-byte aligned
 * @XBB_ABI_X86_64: "x86_64-abi"
 */
enum xbb_abi {
	XBB_ABI_NATIVE,
	XBB_ABI_X86_32,
	XBB_ABI_X86_64,
};

/*
 * The x86_32 and x86_64 request layouts, for a backend whose native layout
 * differs from its guest's. The u64 fields of the 32-bit ABI are 4-byte
 * aligned; a typedef is the one place GCC lets "aligned" lower alignment.
 */
typedef u64 __aligned(4) xbb_u64_x86_32;

struct xbb_x86_32_request_rw {
	u8 nr_segments;
	blkif_vdev_t handle;
	xbb_u64_x86_32 id;
	xbb_u64_x86_32 sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct xbb_x86_32_request_discard {
	u8 flag;
	blkif_vdev_t pad1;
	xbb_u64_x86_32 id;
	xbb_u64_x86_32 sector_number;
	xbb_u64_x86_32 nr_sectors;
} __packed;

struct xbb_x86_32_request_other {
	u8 pad1;
	blkif_vdev_t pad2;
	xbb_u64_x86_32 id;
} __packed;

struct xbb_x86_32_request_indirect {
	u8 indirect_op;
	u16 nr_segments;
	xbb_u64_x86_32 id;
	xbb_u64_x86_32 sector_number;
	blkif_vdev_t handle;
	u16 pad1;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 pad2;	/* the frontend rounds the request to 64 bytes */
} __packed;

struct xbb_x86_32_request {
	u8 operation;
	union {
		struct xbb_x86_32_request_rw rw;
		struct xbb_x86_32_request_discard discard;
		struct xbb_x86_32_request_other other;
		struct xbb_x86_32_request_indirect indirect;
	} u;
} __packed;

struct xbb_x86_32_response {
	xbb_u64_x86_32 id;
	u8 operation;
	s16 status;
};

struct xbb_x86_64_request_rw {
	u8 nr_segments;
	blkif_vdev_t handle;
	u32 pad1;
	u64 id;
	u64 sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct xbb_x86_64_request_discard {
	u8 flag;
	blkif_vdev_t pad1;
	u32 pad2;
	u64 id;
	u64 sector_number;
	u64 nr_sectors;
} __packed;

struct xbb_x86_64_request_other {
	u8 pad1;
	blkif_vdev_t pad2;
	u32 pad3;
	u64 id;
} __packed;

struct xbb_x86_64_request_indirect {
	u8 indirect_op;
	u16 nr_segments;
	u32 pad1;
	u64 id;
	u64 sector_number;
	blkif_vdev_t handle;
	u16 pad2;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 pad3;	/* the frontend rounds the request to 64 bytes */
} __packed;

struct xbb_x86_64_request {
	u8 operation;
	union {
		struct xbb_x86_64_request_rw rw;
		struct xbb_x86_64_request_discard discard;
		struct xbb_x86_64_request_other other;
		struct xbb_x86_64_request_indirect indirect;
	} u;
} __packed;

struct xbb_x86_64_response {
	u64 id;
	u8 operation;
	s16 status;
};

DEFINE_RING_TYPES(xbb_x86_32, struct xbb_x86_32_request,
		  struct xbb_x86_32_response);
DEFINE_RING_TYPES(xbb_x86_64, struct xbb_x86_64_request,
		  struct xbb_x86_64_response);

/**
 * struct xbb_back_ring - the backend's view of one shared ring, any ABI
 * @abi: which member of @u is live; fixed at attach time
 * @u: the ring.h back ring of that ABI. The index fields (rsp_prod_pvt,
 *	req_cons, nr_ents, sring) sit at the same offsets in every member,
 *	which abi.c checks at build time, so index arithmetic uses
 *	@u.native whatever @abi is; only slot access looks at @abi.
 */
struct xbb_back_ring {
	enum xbb_abi abi;
	union {
		struct blkif_back_ring native;
		struct xbb_x86_32_back_ring x86_32;
		struct xbb_x86_64_back_ring x86_64;
	} u;
};

/**
 * struct xbb_wire_req - one ring slot, copied out of shared memory once
 * @id: the guest's cookie, echoed in the response
 * @sector_number: first 512-byte sector (read/write/indirect/discard)
 * @nr_sectors: length in 512-byte sectors (discard only)
 * @nr_segments: segment count (rw: 0..255 as written; indirect: 0..65535)
 * @operation: BLKIF_OP_* as written
 * @indirect_op: the operation an indirect request carries
 * @discard_flag: BLKIF_DISCARD_* flags as written
 * @seg: direct segments (read, write, flush, barrier)
 * @indirect_grefs: grants of the pages holding the segments (indirect)
 *
 * ABI-neutral and unvalidated: every field is what the guest wrote, widened.
 * Fields that do not belong to @operation are zero.
 */
struct xbb_wire_req {
	u64 id;
	u64 sector_number;
	u64 nr_sectors;
	u16 nr_segments;
	u8 operation;
	u8 indirect_op;
	u8 discard_flag;
	union {
		struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
		grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	};
};

/**
 * struct xbb_vbd_limits - what a request is checked against
 * @nr_sectors: size of the disk in 512-byte sectors
 * @logical_block_size: in bytes; requests must be aligned to it
 * @max_indirect_segs: the advertised feature-max-indirect-segments,
 *	0 when indirect descriptors are not advertised
 * @readonly: the disk was attached read-only ("mode" = "r")
 * @flush: feature-flush-cache is advertised
 * @barrier: feature-barrier is advertised
 * @discard: feature-discard is advertised
 * @discard_secure: discard-secure is advertised
 *
 * A snapshot taken by the caller; the parser never changes it.
 */
struct xbb_vbd_limits {
	u64 nr_sectors;
	unsigned int logical_block_size;
	unsigned int max_indirect_segs;
	bool readonly;
	bool flush;
	bool barrier;
	bool discard;
	bool discard_secure;
};

/**
 * enum xbb_req_kind - what the block layer will be asked to do
 * @XBB_REQ_READ: read into the segments
 * @XBB_REQ_WRITE: write from the segments
 * @XBB_REQ_FLUSH: flush the device cache, then write the segments (if any)
 *	with FUA; BLKIF_OP_FLUSH_DISKCACHE
 * @XBB_REQ_BARRIER: the same, for BLKIF_OP_WRITE_BARRIER, whose ordering
 *	a flush before and FUA after provide on a modern block layer
 * @XBB_REQ_DISCARD: discard a range
 * @XBB_REQ_SECURE_DISCARD: discard a range so that no copy survives
 */
enum xbb_req_kind {
	XBB_REQ_READ,
	XBB_REQ_WRITE,
	XBB_REQ_FLUSH,
	XBB_REQ_BARRIER,
	XBB_REQ_DISCARD,
	XBB_REQ_SECURE_DISCARD,
};

/**
 * enum xbb_req_class - how requests are counted: the in-tree driver's
 *	rd_/wr_/f_/ds_ statistics
 * @XBB_CLASS_READ: reads
 * @XBB_CLASS_WRITE: writes
 * @XBB_CLASS_FLUSH: flushes and barriers, with or without data
 * @XBB_CLASS_DISCARD: discards and secure discards
 * @XBB_NR_CLASSES: number of values
 */
enum xbb_req_class {
	XBB_CLASS_READ,
	XBB_CLASS_WRITE,
	XBB_CLASS_FLUSH,
	XBB_CLASS_DISCARD,
	XBB_NR_CLASSES
};

/*
 * Latency histogram buckets: bucket i holds [2^i, 2^(i+1)) microseconds,
 * bucket 0 also what took under a microsecond, the last one everything
 * from 2^23 us (about 8.4 s) up.
 */
#define XBB_LAT_BUCKETS 24

/**
 * enum xbb_io_error - what the block layer said when it failed a request,
 *	by the errno blk_status_to_errno() gives each status
 * @XBB_IOERR_IO: BLK_STS_IOERR (-EIO), and any errno not listed here
 * @XBB_IOERR_NO_SPACE: BLK_STS_NOSPC (-ENOSPC): a thin pool or a file
 *	system under the device is full
 * @XBB_IOERR_TIMEOUT: BLK_STS_TIMEOUT (-ETIMEDOUT)
 * @XBB_IOERR_NOT_SUPPORTED: BLK_STS_NOTSUPP (-EOPNOTSUPP)
 * @XBB_IOERR_TRANSPORT: BLK_STS_TRANSPORT (-ENOLINK), BLK_STS_NEXUS
 *	(-EBADE): the path to the device
 * @XBB_IOERR_TARGET: BLK_STS_TARGET (-EREMOTEIO)
 * @XBB_IOERR_MEDIUM: BLK_STS_MEDIUM (-ENODATA)
 * @XBB_IOERR_PROTECTION: BLK_STS_PROTECTION (-EILSEQ): integrity data
 * @XBB_IOERR_RESOURCE: BLK_STS_RESOURCE, BLK_STS_DEV_RESOURCE,
 *	BLK_STS_AGAIN (-ENOMEM, -EBUSY, -EAGAIN)
 * @XBB_IOERR_OFFLINE: BLK_STS_OFFLINE (-ENODEV)
 * @XBB_NR_IOERRS: number of values
 */
enum xbb_io_error {
	XBB_IOERR_IO,
	XBB_IOERR_NO_SPACE,
	XBB_IOERR_TIMEOUT,
	XBB_IOERR_NOT_SUPPORTED,
	XBB_IOERR_TRANSPORT,
	XBB_IOERR_TARGET,
	XBB_IOERR_MEDIUM,
	XBB_IOERR_PROTECTION,
	XBB_IOERR_RESOURCE,
	XBB_IOERR_OFFLINE,
	XBB_NR_IOERRS
};

/**
 * enum xbb_reject - why a request was refused, one value per check
 * @XBB_REJECT_NONE: accepted
 * @XBB_REJECT_UNKNOWN_OP: operation this backend does not know
 * @XBB_REJECT_NOT_ADVERTISED: operation whose feature was not advertised
 * @XBB_REJECT_DISCARD_FLAG: discard flag bits this backend does not know
 * @XBB_REJECT_INDIRECT_OP: indirect request carrying other than read/write
 * @XBB_REJECT_READONLY: write-class operation on a read-only disk
 * @XBB_REJECT_NR_SEGS: segment count out of range for the operation
 * @XBB_REJECT_SEG_BOUNDS: segment sectors outside the page or reversed
 * @XBB_REJECT_SEG_ALIGN: segment not aligned to the logical block size
 * @XBB_REJECT_SECTOR_WRAP: start plus length wraps around 2^64
 * @XBB_REJECT_BEYOND_DISK: range ends past the end of the disk
 * @XBB_REJECT_SECTOR_ALIGN: start or length not aligned to the logical
 *	block size
 * @XBB_REJECT_DISCARD_EMPTY: discard of zero sectors
 * @XBB_REJECT_COUNT: number of values
 */
enum xbb_reject {
	XBB_REJECT_NONE,
	XBB_REJECT_UNKNOWN_OP,
	XBB_REJECT_NOT_ADVERTISED,
	XBB_REJECT_DISCARD_FLAG,
	XBB_REJECT_INDIRECT_OP,
	XBB_REJECT_READONLY,
	XBB_REJECT_NR_SEGS,
	XBB_REJECT_SEG_BOUNDS,
	XBB_REJECT_SEG_ALIGN,
	XBB_REJECT_SECTOR_WRAP,
	XBB_REJECT_BEYOND_DISK,
	XBB_REJECT_SECTOR_ALIGN,
	XBB_REJECT_DISCARD_EMPTY,
	XBB_REJECT_COUNT
};

/**
 * struct xbb_seg - one segment, copied from the ring or an indirect page
 * @gref: grant of the guest page
 * @first_sect: first 512-byte sector within the page
 * @last_sect: last 512-byte sector within the page (inclusive)
 *
 * After xbb_req_check_segments() has accepted a request,
 * first_sect <= last_sect < XBB_SECTORS_PER_PAGE holds for every segment.
 */
struct xbb_seg {
	grant_ref_t gref;
	u8 first_sect;
	u8 last_sect;
};

/**
 * struct xbb_req - a request as the backend will carry it out
 * @id: the guest's cookie, echoed in the response
 * @sector: first 512-byte sector
 * @nr_sectors: total length in 512-byte sectors (0 for a bare flush)
 * @kind: what to do
 * @operation: BLKIF_OP_* to echo in the response; for an indirect request
 *	that is the operation it carries, which is what the frontend checks
 * @reject: why xbb_req_parse() or xbb_req_check_segments() refused it
 * @nr_segs: number of valid entries in @segs
 * @nr_indirect_pages: pages to map to read the segments, 0 when direct
 * @indirect_grefs: grants of those pages
 * @max_segs: capacity of @segs, set by whoever owns the storage
 * @segs: segment storage, owned by the caller
 *
 * Filled only from a struct xbb_wire_req and from private copies of
 * indirect pages: nothing in here points into guest-writable memory.
 */
struct xbb_req {
	u64 id;
	u64 sector;
	u64 nr_sectors;
	enum xbb_req_kind kind;
	u8 operation;
	enum xbb_reject reject;
	u16 nr_segs;
	u8 nr_indirect_pages;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u16 max_segs;
	struct xbb_seg *segs;
};

/**
 * struct xbb_fe_params - what the frontend wrote in xenstore at connect
 * @nr_queues: "multi-queue-num-queues", 1 when absent
 * @ring_page_order: "ring-page-order", 0 when absent
 * @protocol: "protocol", NULL when absent
 * @persistent: "feature-persistent" is 1
 *
 * The glue reads the keys; the parsing and the decision are pure.
 */
struct xbb_fe_params {
	unsigned int nr_queues;
	unsigned int ring_page_order;
	const char *protocol;
	bool persistent;
};

/**
 * struct xbb_be_offer - what the backend advertised
 * @max_queues: "multi-queue-max-queues"
 * @max_ring_page_order: "max-ring-page-order"
 * @persistent: "feature-persistent"
 */
struct xbb_be_offer {
	unsigned int max_queues;
	unsigned int max_ring_page_order;
	bool persistent;
};

/**
 * struct xbb_negotiated - the terms a connection runs on
 * @nr_queues: rings to map
 * @ring_page_order: log2 of the pages per ring
 * @abi: ring layout
 * @persistent: both ends keep grants mapped
 */
struct xbb_negotiated {
	unsigned int nr_queues;
	unsigned int ring_page_order;
	enum xbb_abi abi;
	bool persistent;
};

/**
 * struct xbb_pgrant - a grant kept mapped across requests
 * @node: in the cache's tree, keyed by @gref
 * @lru: in the cache's list of idle grants, least recently used first
 * @gref: the frontend's grant reference
 * @handle: the mapping's handle, for the unmap
 * @page: the dom0 page the grant is mapped at
 * @last_used: jiffies when last released
 * @active: in use by a request (then not on @lru)
 */
struct xbb_pgrant {
	struct rb_node node;
	struct list_head lru;
	grant_ref_t gref;
	grant_handle_t handle;
	struct page *page;
	unsigned long last_used;
	bool active;
};

/**
 * struct xbb_pgrant_cache - one ring's persistent grants
 * @tree: every grant, by gref
 * @lru: the idle ones, least recently used first
 * @nr: entries in @tree
 *
 * Owned by one context (the ring's worker): no lock.
 */
struct xbb_pgrant_cache {
	struct rb_root tree;
	struct list_head lru;
	unsigned int nr;
};

/* pgrant.c */
void xbb_pgrant_cache_init(struct xbb_pgrant_cache *cache);
struct xbb_pgrant *xbb_pgrant_get(struct xbb_pgrant_cache *cache,
				  grant_ref_t gref);
bool xbb_pgrant_add(struct xbb_pgrant_cache *cache, struct xbb_pgrant *pg);
void xbb_pgrant_put(struct xbb_pgrant_cache *cache, struct xbb_pgrant *pg,
		    unsigned long now);
struct xbb_pgrant *xbb_pgrant_evict(struct xbb_pgrant_cache *cache,
				    unsigned int cap, unsigned long idle,
				    unsigned long now, bool all);

/* negotiate.c */
int xbb_negotiate(const struct xbb_fe_params *fe,
		  const struct xbb_be_offer *offer, struct xbb_negotiated *out,
		  const char **why);
int xbb_parse_physical_device(const char *str, unsigned int *major,
			      unsigned int *minor);
int xbb_ring_ref_key(char *buf, size_t len, unsigned int ring_page_order,
		     unsigned int idx);
int xbb_parse_fe_uint(const char *str, unsigned int *val);

/* abi.c */
int xbb_abi_from_protocol(const char *protocol, enum xbb_abi *abi);
const char *xbb_abi_name(enum xbb_abi abi);
size_t xbb_abi_slot_size(enum xbb_abi abi);
void xbb_back_ring_attach(struct xbb_back_ring *ring, enum xbb_abi abi,
			  void *sring, size_t size);
unsigned int xbb_back_ring_size(const struct xbb_back_ring *ring);
int xbb_back_ring_fetch_prod(const struct xbb_back_ring *ring, RING_IDX *prod);
bool xbb_back_ring_slot_free(const struct xbb_back_ring *ring, RING_IDX cons);
void xbb_back_ring_copy_req(const struct xbb_back_ring *ring, RING_IDX idx,
			    struct xbb_wire_req *wire);
bool xbb_back_ring_take_req(struct xbb_back_ring *ring, RING_IDX prod,
			    struct xbb_wire_req *wire);
void xbb_back_ring_put_rsp(struct xbb_back_ring *ring, u64 id, u8 operation,
			   s16 status);
bool xbb_back_ring_push_rsps(struct xbb_back_ring *ring);
bool xbb_back_ring_final_check(struct xbb_back_ring *ring);

/* request.c */
int xbb_req_parse(const struct xbb_wire_req *wire,
		  const struct xbb_vbd_limits *lim, struct xbb_req *req);
void xbb_req_copy_indirect_page(struct xbb_req *req, unsigned int page,
				const struct blkif_request_segment *src);
int xbb_req_check_segments(struct xbb_req *req,
			   const struct xbb_vbd_limits *lim);
unsigned int xbb_req_indirect_pages(unsigned int nr_segs);
const char *xbb_reject_name(enum xbb_reject reject);
s16 xbb_status_from_errno(int err);
unsigned int xbb_range_chunk_sectors(unsigned int max_sectors,
				     unsigned int lbs_sectors,
				     unsigned int gran_sectors);
bool xbb_req_is_write(const struct xbb_req *req);
enum xbb_req_class xbb_req_class(enum xbb_req_kind kind);
const char *xbb_class_name(enum xbb_req_class class);
unsigned int xbb_latency_bucket(u64 us);
const char *xbb_reject_key(enum xbb_reject reject);
enum xbb_io_error xbb_io_error_of(int err);
const char *xbb_io_error_key(enum xbb_io_error ioerr);

#endif /* XBB_CORE_H */
