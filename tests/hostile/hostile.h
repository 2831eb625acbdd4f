/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A hostile blkif frontend in a guest's user space: shares pages through
 * /dev/xen/gntalloc, signals through /dev/xen/evtchn and speaks the
 * xenstore wire protocol on /dev/xen/xenbus, so it needs no Xen library and
 * can write anything a malicious guest kernel could write on a ring.
 *
 * Everything here is written from the public interface descriptions
 * (xen/include/public/io/{blkif,ring,xs_wire}.h and the Linux UAPI headers
 * for gntalloc and evtchn), not from any frontend's code.
 */
#ifndef XBB_HOSTILE_H
#define XBB_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the Linux UAPI xen/evtchn.h expects from Xen's own headers. */
typedef uint16_t domid_t;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define PAGE_SZ			4096u
#define SECTORS_PER_PAGE	8u
#define MAX_RING_ORDER		4u
#define MAX_QUEUES		4u
#define MAX_RING_SIZE		512u
#define DATA_PAGES		64u
#define SEGS_DIRECT		11u
#define SEGS_PER_IND_PAGE	512u

/* blkif operations. */
enum {
	OP_READ = 0, OP_WRITE = 1, OP_BARRIER = 2, OP_FLUSH = 3,
	OP_RESERVED_1 = 4, OP_DISCARD = 5, OP_INDIRECT = 6,
};

/* Response statuses. */
#define RSP_OKAY	0
#define RSP_ERROR	(-1)
#define RSP_EOPNOTSUPP	(-2)

/* xenbus states. */
enum {
	XS_UNKNOWN = 0, XS_INITIALISING, XS_INITWAIT, XS_INITIALISED,
	XS_CONNECTED, XS_CLOSING, XS_CLOSED,
};

/* What a case can observe; an expectation is a set of these. */
enum outcome {
	O_OK = 1 << 0,		/* BLKIF_RSP_OKAY */
	O_ERR = 1 << 1,		/* BLKIF_RSP_ERROR */
	O_EOP = 1 << 2,		/* BLKIF_RSP_EOPNOTSUPP */
	O_HALT = 1 << 3,	/* the ring stopped answering */
	O_FATAL = 1 << 4,	/* the backend refused the connection */
	O_CONN = 1 << 5,	/* the backend connected */
	O_BAD = 1 << 6,		/* an answer that must never come */
};

struct front;

/* Byte offsets in a ring slot for one ABI (protocol layouts). */
struct abi {
	const char *protocol;
	size_t slot;
	size_t rw_id, rw_sector, rw_seg;
	size_t ind_id, ind_sector, ind_handle, ind_grefs;
	size_t disc_id, disc_sector, disc_nr;
	size_t rsp_size;
};

extern const struct abi abi_x86_64, abi_x86_32;

/* xenstore over /dev/xen/xenbus. */
struct xs {
	int fd;
	uint32_t req_id;
};

int xs_open(struct xs *xs);
/* A malloc()ed, NUL-terminated value, or NULL (errno set). */
char *xs_read(struct xs *xs, uint32_t tx, const char *path);
int xs_write(struct xs *xs, uint32_t tx, const char *path, const char *val);
int xs_writef(struct xs *xs, uint32_t tx, const char *path,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int xs_rm(struct xs *xs, uint32_t tx, const char *path);
int xs_tx_start(struct xs *xs, uint32_t *tx);
int xs_tx_end(struct xs *xs, uint32_t tx, bool commit);
/* The value as an integer, or @def when absent or not a number. */
long long xs_read_ll(struct xs *xs, const char *path, long long def);

/* One shared page run from gntalloc. */
struct share {
	void *va;
	uint32_t count;
	uint64_t index;
	uint32_t grefs[16];
};

/* One queue: its ring pages, event channel, and our indices. */
struct queue {
	struct share ring;
	unsigned int port;
	unsigned int size;		/* RING_SIZE */
	uint32_t req_prod_pvt;
	uint32_t rsp_cons;
	/* What we wrote in each slot, for the response padding check. */
	uint8_t pushed[MAX_RING_SIZE][112];
};

/* How a case wants to connect (zero: one page, one queue, x86_64). */
struct conn {
	const struct abi *abi;
	const char *protocol;		/* written instead of abi's; "-": none */
	unsigned int order;
	unsigned int queues;
	bool persistent;
	bool state_in_tx;		/* Initialised inside the transaction */
	bool skip_initialised;		/* straight to Connected (Mini-OS) */
	uint32_t start_idx;		/* initial ring indices */
	/* Rewrites keys after they are written, before the state switch. */
	void (*tamper)(struct front *f, void *arg);
	void *tamper_arg;
};

struct front {
	struct xs xs;
	int gfd, efd;
	unsigned int domid, bedomid, devid;
	char fe[96], be[128];
	/* The backend's offer. */
	unsigned int max_order, max_queues, max_indirect;
	/* Read at Connected. */
	unsigned long long sectors;
	unsigned int sector_size;
	bool flush, barrier, discard, discard_secure, readonly, persistent;
	/* This connection. */
	struct conn c;
	const struct abi *abi;
	unsigned int nr_queues;
	struct queue *q;
	bool connected;
	/* Pages for data and indirect descriptors, granted once. */
	struct share data[DATA_PAGES / 16];
	uint32_t data_gref[DATA_PAGES];
	uint8_t *page[DATA_PAGES];
};

/* front.c */
int front_init(struct front *f, unsigned int devid);
int share_alloc(struct front *f, struct share *s, uint32_t count, bool writable);
void share_free(struct front *f, struct share *s);
int share_data(struct front *f);
int front_wait_be(struct front *f, unsigned int want, int timeout_ms);
int front_be_state(struct front *f);
int front_set_state(struct front *f, unsigned int state);
/* Returns O_CONN, O_FATAL or 0 (timed out). */
int front_connect(struct front *f, const struct conn *c);
/* Closed and back at InitWait, ready for the next connect. */
int front_reset(struct front *f);
/* Forgets the connection (rings, port, keys) without a handshake. */
void front_drop(struct front *f);
/* front_drop(), then the data pages and every file go too. */
void front_fini(struct front *f);
void front_notify(struct front *f, struct queue *q);
void ring_push(struct front *f, struct queue *q, const uint8_t *slot);
void ring_publish(struct front *f, struct queue *q, bool notify);

struct rsp {
	uint64_t id;
	uint8_t op;
	int16_t status;
	bool leak;			/* a padding byte neither 0 nor ours */
};

/* Waits for the next response; 0, or -1 on timeout. */
int ring_wait(struct front *f, struct queue *q, int timeout_ms,
	      struct rsp *rsp);

/* Slot builders: zero the slot first (fill is what padding holds). */
void slot_rw(const struct abi *a, uint8_t *s, uint8_t op, uint8_t nseg,
	     uint64_t id, uint64_t sector);
void slot_seg(const struct abi *a, uint8_t *s, unsigned int i, uint32_t gref,
	      uint8_t first, uint8_t last);
/* Segment @i of an indirect page (the same 8-byte layout in every ABI). */
void ind_seg(uint8_t *page, unsigned int i, uint32_t gref, uint8_t first,
	     uint8_t last);
void slot_indirect(const struct abi *a, uint8_t *s, uint8_t op,
		   uint16_t nseg, uint64_t id, uint64_t sector);
void slot_ind_gref(const struct abi *a, uint8_t *s, unsigned int i,
		   uint32_t gref);
void slot_discard(const struct abi *a, uint8_t *s, uint8_t flag, uint64_t id,
		  uint64_t sector, uint64_t nr);
void put8(uint8_t *p, size_t off, uint8_t v);
void put16(uint8_t *p, size_t off, uint16_t v);
void put32(uint8_t *p, size_t off, uint32_t v);
void put64(uint8_t *p, size_t off, uint64_t v);

/* One request, its answer: an O_* value (O_HALT when none comes). */
int one_request(struct front *f, struct queue *q, const uint8_t *slot,
		int timeout_ms, char *detail, size_t len);
/* A tagged write read back on @q: true when it round-trips. */
bool control_io(struct front *f, struct queue *q, unsigned int tag);

/* dom0 handshake: prints a mark, waits for dom0's ack in xenstore. */
bool dom0_sync(struct front *f, const char *what, int timeout_ms);

long long now_ms(void);
void sleep_ms(int ms);
void hlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cases.c */
struct hcase;

/* What one case saw; the runner may widen nothing, the case may narrow. */
struct res {
	int got;			/* one O_* value, 0: nothing usable */
	unsigned int expect;		/* from the case, or set by it */
	bool reset;			/* start the next case from scratch */
	char detail[200];
};

struct hcase {
	const char *id;
	const char *what;
	unsigned int expect;
	void (*run)(struct front *f, const struct hcase *c, struct res *r);
	long arg;
	bool subset;			/* in make check's short list */
	bool fresh;			/* connects itself, from InitWait */
};

extern const struct hcase hcases[];
extern const size_t nr_hcases;

/*
 * The connection the ring cases run on (main.c: one page, one queue,
 * x86_64, unless --ring asks for another), and the queue they use on it:
 * the last one, so that a multi-queue ring is attacked beyond queue 0.
 */
extern struct conn ring_conn;
struct queue *ring_queue(struct front *f);
/* "" or, with --ring, "@x86_32.o2.q2": appended to result and mark names. */
extern char ring_tag[32];

#endif
