// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frontend's mechanics: shared pages, the event channel, the connect
 * and close handshakes, and the ring itself. Nothing here checks what the
 * backend should do; cases.c does. The ring is polled, not waited on with
 * events: a case then sees exactly what the backend wrote and when, and
 * the event channel stays a thing the cases may abuse.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hostile.h"
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

/* The shared ring's header: four indices, then padding to 64 bytes. */
#define SRING_REQ_PROD	0
#define SRING_REQ_EVENT	4
#define SRING_RSP_PROD	8
#define SRING_RSP_EVENT	12
#define SRING_HDR	64

/* Where the control I/O writes: far from anything a case touches. */
#define CONTROL_SECTOR	(200ull * 2048)

/* The two data pages control_io() uses; cases use the others. */
#define CONTROL_PAGE_W	(DATA_PAGES - 1)
#define CONTROL_PAGE_R	(DATA_PAGES - 2)

const struct abi abi_x86_64 = {
	.protocol = "x86_64-abi", .slot = 112,
	.rw_id = 8, .rw_sector = 16, .rw_seg = 24,
	.ind_id = 8, .ind_sector = 16, .ind_handle = 24, .ind_grefs = 28,
	.disc_id = 8, .disc_sector = 16, .disc_nr = 24,
	.rsp_size = 16,
};

/* u64 fields are 4-byte aligned in the 32-bit layout. */
const struct abi abi_x86_32 = {
	.protocol = "x86_32-abi", .slot = 108,
	.rw_id = 4, .rw_sector = 12, .rw_seg = 20,
	.ind_id = 4, .ind_sector = 12, .ind_handle = 20, .ind_grefs = 24,
	.disc_id = 4, .disc_sector = 12, .disc_nr = 20,
	.rsp_size = 12,
};

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000l };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void hlog(const char *fmt, ...)
{
	va_list ap;

	fputs("XBB-LOG hostile: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void put8(uint8_t *p, size_t off, uint8_t v) { p[off] = v; }
void put16(uint8_t *p, size_t off, uint16_t v) { memcpy(p + off, &v, 2); }
void put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
void put64(uint8_t *p, size_t off, uint64_t v) { memcpy(p + off, &v, 8); }

static uint32_t get32(const volatile uint8_t *p, size_t off)
{
	return *(const volatile uint32_t *)(p + off);
}

static void set32(volatile uint8_t *p, size_t off, uint32_t v)
{
	*(volatile uint32_t *)(p + off) = v;
}

int share_alloc(struct front *f, struct share *s, uint32_t count,
		bool writable)
{
	size_t sz = sizeof(struct ioctl_gntalloc_alloc_gref) +
		    count * sizeof(uint32_t);
	struct ioctl_gntalloc_alloc_gref *a = calloc(1, sz);
	struct ioctl_gntalloc_dealloc_gref d;
	uint32_t i;

	if (!a || count > 16)
		goto out_free;
	a->domid = f->bedomid;
	a->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
	a->count = count;
	if (ioctl(f->gfd, IOCTL_GNTALLOC_ALLOC_GREF, a)) {
		hlog("gntalloc of %u pages: %s", count, strerror(errno));
		goto out_free;
	}
	s->va = mmap(NULL, count * PAGE_SZ, PROT_READ | PROT_WRITE, MAP_SHARED,
		     f->gfd, a->index);
	/* From here the grants live exactly as long as the mapping. */
	d.index = a->index;
	d.count = count;
	ioctl(f->gfd, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
	if (s->va == MAP_FAILED) {
		s->va = NULL;
		goto out_free;
	}
	s->count = count;
	s->index = a->index;
	for (i = 0; i < count; i++)
		s->grefs[i] = a->gref_ids[i];
	free(a);
	return 0;

out_free:
	free(a);
	return -1;
}

void share_free(struct front *f, struct share *s)
{
	(void)f;
	if (s->va)
		munmap(s->va, s->count * PAGE_SZ);
	s->va = NULL;
}

/* DATA_PAGES writable pages, in runs of 16 (gntalloc's per-call cap here). */
int share_data(struct front *f)
{
	struct share *runs = f->data;
	unsigned int r, i;

	for (r = 0; r < ARRAY_SIZE(f->data); r++) {
		if (share_alloc(f, &runs[r], 16, true))
			return -1;
		for (i = 0; i < 16; i++) {
			f->data_gref[r * 16 + i] = runs[r].grefs[i];
			f->page[r * 16 + i] = (uint8_t *)runs[r].va + i * PAGE_SZ;
		}
	}
	return 0;
}

int front_init(struct front *f, unsigned int devid)
{
	char path[160], *v;

	memset(f, 0, sizeof(*f));
	f->devid = devid;
	if (xs_open(&f->xs))
		return -1;
	f->domid = xs_read_ll(&f->xs, "domid", -1);
	snprintf(f->fe, sizeof(f->fe), "/local/domain/%u/device/vbd/%u",
		 f->domid, devid);
	snprintf(path, sizeof(path), "%s/backend", f->fe);
	v = xs_read(&f->xs, 0, path);
	if (!v)
		return -1;
	snprintf(f->be, sizeof(f->be), "%s", v);
	free(v);
	snprintf(path, sizeof(path), "%s/backend-id", f->fe);
	f->bedomid = xs_read_ll(&f->xs, path, 0);
	f->gfd = open("/dev/xen/gntalloc", O_RDWR);
	f->efd = open("/dev/xen/evtchn", O_RDWR);
	if (f->gfd < 0 || f->efd < 0)
		return -1;
	return share_data(f);
}

int front_be_state(struct front *f)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/state", f->be);
	return xs_read_ll(&f->xs, path, -1);
}

/* Waits for the backend's state to be @want; returns the last one seen. */
int front_wait_be(struct front *f, unsigned int want, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	int st;

	for (;;) {
		st = front_be_state(f);
		if (st == (int)want || now_ms() > end)
			return st;
		sleep_ms(20);
	}
}

int front_set_state(struct front *f, unsigned int state)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/state", f->fe);
	return xs_writef(&f->xs, 0, path, "%u", state);
}

static unsigned int ring_size(const struct abi *a, unsigned int order)
{
	unsigned int n = (PAGE_SZ << order) - SRING_HDR;
	unsigned int size = 1;

	n /= a->slot;
	while (size * 2 <= n)
		size *= 2;
	return size;
}

static int queue_open(struct front *f, struct queue *q, const struct conn *c)
{
	struct ioctl_evtchn_bind_unbound_port bind = {
		.remote_domain = f->bedomid,
	};
	volatile uint8_t *h;
	int port;

	if (share_alloc(f, &q->ring, 1u << c->order, true))
		return -1;
	h = q->ring.va;
	set32(h, SRING_REQ_PROD, c->start_idx);
	set32(h, SRING_RSP_PROD, c->start_idx);
	set32(h, SRING_REQ_EVENT, c->start_idx + 1);
	set32(h, SRING_RSP_EVENT, c->start_idx + 1);
	q->size = ring_size(f->abi, c->order);
	q->req_prod_pvt = c->start_idx;
	q->rsp_cons = c->start_idx;
	port = ioctl(f->efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);
	if (port < 0) {
		share_free(f, &q->ring);
		return -1;
	}
	q->port = port;
	/* Unmasked: the backend's notifications land (and are ignored). */
	if (write(f->efd, &q->port, sizeof(q->port)) < 0)
		hlog("unmask port %u: %s", q->port, strerror(errno));
	return 0;
}

static void queue_close(struct front *f, struct queue *q)
{
	struct ioctl_evtchn_unbind u = { .port = q->port };

	if (q->port)
		ioctl(f->efd, IOCTL_EVTCHN_UNBIND, &u);
	q->port = 0;
	share_free(f, &q->ring);
}

/* The ring keys of one queue, under @dir. */
static int write_queue_keys(struct front *f, uint32_t tx, const char *dir,
			    struct queue *q, unsigned int order)
{
	char path[200];
	unsigned int i;

	for (i = 0; i < (1u << order); i++) {
		if (order)
			snprintf(path, sizeof(path), "%s/ring-ref%u", dir, i);
		else
			snprintf(path, sizeof(path), "%s/ring-ref", dir);
		if (xs_writef(&f->xs, tx, path, "%u", q->ring.grefs[i]))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/event-channel", dir);
	return xs_writef(&f->xs, tx, path, "%u", q->port);
}

static int write_keys(struct front *f, const struct conn *c, uint32_t tx)
{
	char path[200], dir[160];
	unsigned int i;

	if (c->order) {
		snprintf(path, sizeof(path), "%s/ring-page-order", f->fe);
		if (xs_writef(&f->xs, tx, path, "%u", c->order))
			return -1;
	}
	if (f->nr_queues > 1) {
		snprintf(path, sizeof(path), "%s/multi-queue-num-queues", f->fe);
		if (xs_writef(&f->xs, tx, path, "%u", f->nr_queues))
			return -1;
	}
	for (i = 0; i < f->nr_queues; i++) {
		if (f->nr_queues > 1)
			snprintf(dir, sizeof(dir), "%s/queue-%u", f->fe, i);
		else
			snprintf(dir, sizeof(dir), "%s", f->fe);
		if (write_queue_keys(f, tx, dir, &f->q[i], c->order))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/protocol", f->fe);
	if (!c->protocol) {
		if (xs_write(&f->xs, tx, path, f->abi->protocol))
			return -1;
	} else if (strcmp(c->protocol, "-")) {
		if (xs_write(&f->xs, tx, path, c->protocol))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/feature-persistent", f->fe);
	return xs_writef(&f->xs, tx, path, "%u", c->persistent);
}

static void read_disk(struct front *f)
{
	char path[200];

#define BE_LL(key, def) \
	(snprintf(path, sizeof(path), "%s/" key, f->be), \
	 xs_read_ll(&f->xs, path, def))
	f->sectors = BE_LL("sectors", 0);
	f->sector_size = BE_LL("sector-size", 512);
	f->flush = BE_LL("feature-flush-cache", 0);
	f->barrier = BE_LL("feature-barrier", 0);
	f->discard = BE_LL("feature-discard", 0);
	f->discard_secure = BE_LL("discard-secure", 0);
	f->max_indirect = BE_LL("feature-max-indirect-segments", 0);
	f->persistent = BE_LL("feature-persistent", 0) && f->c.persistent;
#undef BE_LL
	snprintf(path, sizeof(path), "%s/mode", f->be);
	{
		char *m = xs_read(&f->xs, 0, path);

		f->readonly = m && m[0] == 'r';
		free(m);
	}
}

int front_connect(struct front *f, const struct conn *cin)
{
	struct conn c = *cin;
	unsigned int i, want = c.skip_initialised ? XS_CONNECTED : XS_INITIALISED;
	char path[200];
	uint32_t tx;
	int st;

	if (!c.abi)
		c.abi = &abi_x86_64;
	if (!c.queues)
		c.queues = 1;
	f->c = c;
	f->abi = c.abi;
	st = front_wait_be(f, XS_INITWAIT, 40000);
	if (st != XS_INITWAIT) {
		hlog("backend not at InitWait before connect (state %d)", st);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/max-ring-page-order", f->be);
	f->max_order = xs_read_ll(&f->xs, path, 0);
	snprintf(path, sizeof(path), "%s/multi-queue-max-queues", f->be);
	f->max_queues = xs_read_ll(&f->xs, path, 1);
	f->nr_queues = c.queues;
	f->q = calloc(c.queues, sizeof(*f->q));
	if (!f->q)
		return 0;
	for (i = 0; i < c.queues; i++)
		if (queue_open(f, &f->q[i], &c))
			return 0;
again:
	if (xs_tx_start(&f->xs, &tx))
		return 0;
	if (write_keys(f, &c, tx)) {
		xs_tx_end(&f->xs, tx, false);
		return 0;
	}
	if (c.state_in_tx) {
		snprintf(path, sizeof(path), "%s/state", f->fe);
		xs_writef(&f->xs, tx, path, "%u", want);
	}
	if (xs_tx_end(&f->xs, tx, true)) {
		if (errno == EAGAIN)
			goto again;
		return 0;
	}
	if (c.tamper)
		c.tamper(f, c.tamper_arg);
	if (!c.state_in_tx)
		front_set_state(f, want);
	{
		long long end = now_ms() + 40000;

		do {
			st = front_be_state(f);
			if (st == XS_CONNECTED || st == XS_CLOSING ||
			    st == XS_CLOSED)
				break;
			sleep_ms(20);
		} while (now_ms() < end);
	}
	if (st != XS_CONNECTED)
		return st == XS_CLOSING || st == XS_CLOSED ? O_FATAL : 0;
	read_disk(f);
	front_set_state(f, XS_CONNECTED);
	f->connected = true;
	return O_CONN;
}

/* Every key a connect may have written, so that none outlives it. */
static void remove_keys(struct front *f)
{
	static const char * const keys[] = {
		"ring-ref", "event-channel", "ring-page-order",
		"multi-queue-num-queues", "protocol", "feature-persistent",
		"num-ring-pages",
	};
	char path[200];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->fe, keys[i]);
		xs_rm(&f->xs, 0, path);
	}
	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "%s/ring-ref%u", f->fe, i);
		xs_rm(&f->xs, 0, path);
	}
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "%s/queue-%u", f->fe, i);
		xs_rm(&f->xs, 0, path);
	}
}

void front_drop(struct front *f)
{
	unsigned int i;

	for (i = 0; i < f->nr_queues && f->q; i++)
		queue_close(f, &f->q[i]);
	free(f->q);
	f->q = NULL;
	f->nr_queues = 0;
	f->connected = false;
	remove_keys(f);
}

void front_fini(struct front *f)
{
	unsigned int r;

	front_drop(f);
	for (r = 0; r < ARRAY_SIZE(f->data); r++)
		share_free(f, &f->data[r]);
	close(f->gfd);
	close(f->efd);
	close(f->xs.fd);
	f->gfd = -1;
	f->efd = -1;
	f->xs.fd = -1;
}

int front_reset(struct front *f)
{
	int st;

	front_set_state(f, XS_CLOSING);
	st = front_be_state(f);
	if (st != XS_CLOSED)
		st = front_wait_be(f, XS_CLOSING, 45000);
	front_set_state(f, XS_CLOSED);
	st = front_wait_be(f, XS_CLOSED, 45000);
	front_drop(f);
	if (st != XS_CLOSED) {
		hlog("backend did not close (state %d)", st);
		return -1;
	}
	front_set_state(f, XS_INITIALISING);
	st = front_wait_be(f, XS_INITWAIT, 45000);
	if (st != XS_INITWAIT) {
		hlog("backend did not offer again after Closed (state %d)", st);
		return -1;
	}
	return 0;
}

void front_notify(struct front *f, struct queue *q)
{
	struct ioctl_evtchn_notify n = { .port = q->port };

	ioctl(f->efd, IOCTL_EVTCHN_NOTIFY, &n);
}

static uint8_t *ring_slot(struct front *f, struct queue *q, uint32_t idx)
{
	return (uint8_t *)q->ring.va + SRING_HDR +
	       (idx & (q->size - 1)) * f->abi->slot;
}

void ring_push(struct front *f, struct queue *q, const uint8_t *slot)
{
	uint32_t idx = q->req_prod_pvt++;

	memcpy(ring_slot(f, q, idx), slot, f->abi->slot);
	memcpy(q->pushed[idx & (q->size - 1)], slot, f->abi->slot);
}

void ring_publish(struct front *f, struct queue *q, bool notify)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	set32(q->ring.va, SRING_REQ_PROD, q->req_prod_pvt);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (notify)
		front_notify(f, q);
}

/*
 * A response's padding: the backend wrote id, operation and status; every
 * other byte of the response must be what we left there or zero, never
 * something of dom0's.
 */
static bool rsp_leaks(struct front *f, const uint8_t *r, const uint8_t *was)
{
	size_t i;

	for (i = 0; i < f->abi->rsp_size; i++) {
		if (i < 9 || i == 10 || i == 11)
			continue;
		if (r[i] && r[i] != was[i])
			return true;
	}
	return false;
}

int ring_wait(struct front *f, struct queue *q, int timeout_ms,
	      struct rsp *rsp)
{
	volatile uint8_t *h = q->ring.va;
	long long end = now_ms() + timeout_ms;
	unsigned int spins = 0;
	const uint8_t *r;

	while (get32(h, SRING_RSP_PROD) == q->rsp_cons) {
		if (now_ms() > end)
			return -1;
		if (++spins < 1000)
			sched_yield();
		else
			usleep(500);
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	r = ring_slot(f, q, q->rsp_cons);
	memcpy(&rsp->id, r, 8);
	rsp->op = r[8];
	memcpy(&rsp->status, r + 10, 2);
	rsp->leak = rsp_leaks(f, r, q->pushed[q->rsp_cons & (q->size - 1)]);
	q->rsp_cons++;
	set32(h, SRING_RSP_EVENT, q->rsp_cons + 1);
	return 0;
}

void slot_rw(const struct abi *a, uint8_t *s, uint8_t op, uint8_t nseg,
	     uint64_t id, uint64_t sector)
{
	put8(s, 0, op);
	put8(s, 1, nseg);
	put16(s, 2, 0);
	put64(s, a->rw_id, id);
	put64(s, a->rw_sector, sector);
}

/* One segment descriptor (gref, first, last, padding), in a slot or a page. */
static void put_seg(uint8_t *p, size_t off, uint32_t gref, uint8_t first,
		    uint8_t last)
{
	put32(p, off, gref);
	put8(p, off + 4, first);
	put8(p, off + 5, last);
	put16(p, off + 6, 0);
}

void slot_seg(const struct abi *a, uint8_t *s, unsigned int i, uint32_t gref,
	      uint8_t first, uint8_t last)
{
	put_seg(s, a->rw_seg + i * 8, gref, first, last);
}

void ind_seg(uint8_t *page, unsigned int i, uint32_t gref, uint8_t first,
	     uint8_t last)
{
	put_seg(page, i * 8, gref, first, last);
}

void slot_indirect(const struct abi *a, uint8_t *s, uint8_t op,
		   uint16_t nseg, uint64_t id, uint64_t sector)
{
	put8(s, 0, OP_INDIRECT);
	put8(s, 1, op);
	put16(s, 2, nseg);
	put64(s, a->ind_id, id);
	put64(s, a->ind_sector, sector);
	put16(s, a->ind_handle, 0);
}

void slot_ind_gref(const struct abi *a, uint8_t *s, unsigned int i,
		   uint32_t gref)
{
	put32(s, a->ind_grefs + i * 4, gref);
}

void slot_discard(const struct abi *a, uint8_t *s, uint8_t flag, uint64_t id,
		  uint64_t sector, uint64_t nr)
{
	put8(s, 0, OP_DISCARD);
	put8(s, 1, flag);
	put16(s, 2, 0);
	put64(s, a->disc_id, id);
	put64(s, a->disc_sector, sector);
	put64(s, a->disc_nr, nr);
}

static uint64_t slot_id(const struct abi *a, const uint8_t *s)
{
	uint64_t id;

	/* The id sits at the same place in every request kind. */
	memcpy(&id, s + a->rw_id, 8);
	return id;
}

/*
 * The operation a response must carry: the request's, except that an
 * indirect request's answer may carry its inner READ or WRITE, as Linux
 * backends answer it (Linux frontends switch on it and know no INDIRECT).
 */
static bool op_echoed(uint8_t got, const uint8_t *slot)
{
	return got == slot[0] || (slot[0] == OP_INDIRECT && got == slot[1]);
}

static int outcome_of(const struct rsp *r, uint64_t id, const uint8_t *slot,
		      char *detail, size_t len)
{
	uint8_t op = slot[0];

	if (r->id != id || !op_echoed(r->op, slot) || r->leak) {
		snprintf(detail, len, "bad-answer id=%#llx/%#llx op=%u/%u leak=%d",
			 (unsigned long long)r->id, (unsigned long long)id,
			 r->op, op, r->leak);
		return O_BAD;
	}
	switch (r->status) {
	case RSP_OKAY: return O_OK;
	case RSP_ERROR: return O_ERR;
	case RSP_EOPNOTSUPP: return O_EOP;
	}
	snprintf(detail, len, "status=%d", r->status);
	return O_BAD;
}

int one_request(struct front *f, struct queue *q, const uint8_t *slot,
		int timeout_ms, char *detail, size_t len)
{
	struct rsp r;

	ring_push(f, q, slot);
	ring_publish(f, q, true);
	if (ring_wait(f, q, timeout_ms, &r))
		return O_HALT;
	return outcome_of(&r, slot_id(f->abi, slot), slot, detail, len);
}

bool control_io(struct front *f, struct queue *q, unsigned int tag)
{
	uint64_t sector = CONTROL_SECTOR + (tag % 256) * SECTORS_PER_PAGE;
	uint8_t s[112];
	char d[128];
	unsigned int i;

	if (!f->connected)
		return false;
	for (i = 0; i < PAGE_SZ; i += 8)
		snprintf((char *)f->page[CONTROL_PAGE_W] + i, 9, "%07x", tag ^ i);
	memset(f->page[CONTROL_PAGE_R], 0, PAGE_SZ);
	memset(s, 0xa5, sizeof(s));
	slot_rw(f->abi, s, OP_WRITE, 1, 0xc0de000000000000ull | tag, sector);
	slot_seg(f->abi, s, 0, f->data_gref[CONTROL_PAGE_W], 0, 7);
	if (one_request(f, q, s, 20000, d, sizeof(d)) != O_OK)
		return false;
	memset(s, 0x5a, sizeof(s));
	slot_rw(f->abi, s, OP_READ, 1, 0xc0de100000000000ull | tag, sector);
	slot_seg(f->abi, s, 0, f->data_gref[CONTROL_PAGE_R], 0, 7);
	if (one_request(f, q, s, 20000, d, sizeof(d)) != O_OK)
		return false;
	return !memcmp(f->page[CONTROL_PAGE_W], f->page[CONTROL_PAGE_R],
		       PAGE_SZ);
}

bool dom0_sync(struct front *f, const char *what, int timeout_ms)
{
	char path[96], *v;
	long long end = now_ms() + timeout_ms;
	bool ok = false;

	snprintf(path, sizeof(path), "/local/domain/%u/data/xbb-ack", f->domid);
	printf("XBB-MARK hostile-%s\n", what);
	fflush(stdout);
	while (now_ms() < end && !ok) {
		v = xs_read(&f->xs, 0, path);
		ok = v && !strcmp(v, what);
		free(v);
		if (!ok)
			sleep_ms(100);
	}
	if (!ok)
		hlog("no ack from dom0 for %s", what);
	return ok;
}
