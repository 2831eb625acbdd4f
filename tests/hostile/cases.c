// SPDX-License-Identifier: GPL-2.0-only
/*
 * The attack catalogue (../shared/hostile-frontend.md, section 5): each
 * case does one hostile thing and reports what the backend answered. The
 * runner (main.c) compares that with the expectation and proves the ring
 * still works with a control I/O afterwards.
 *
 * Sectors: cases read anywhere below CONTROL_SECTOR and write only in the
 * scratch range at SCRATCH; the control I/O owns the range above.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostile.h"
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#define SCRATCH		(150ull * 2048)
#define QUICK		20000
#define MAY_HALT	3000

/* The guest's other disks (xvdN's devid: 202 << 8 | N << 4). */
#define XVDB		51728
#define XVDC		51744
#define XVDD		51760

/* The default connection the ring cases start from. */
static const struct conn plain;

static void fill(uint8_t *s, uint8_t v)
{
	memset(s, v, 112);
}

static struct queue *q0(struct front *f)
{
	return ring_queue(f);
}

/* A valid one-page read into data page @pg, for controls inside cases. */
static void valid_read(struct front *f, uint8_t *s, uint64_t id,
		       unsigned int pg)
{
	fill(s, 0xa5);
	slot_rw(f->abi, s, OP_READ, 1, id, SCRATCH);
	slot_seg(f->abi, s, 0, f->data_gref[pg], 0, 7);
}

static void note(struct res *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct res *r, const char *fmt, ...)
{
	size_t n = strlen(r->detail);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail + n, sizeof(r->detail) - n, fmt, ap);
	va_end(ap);
}

static int req(struct front *f, const uint8_t *s, int timeout, struct res *r)
{
	char d[128] = "";
	int got = one_request(f, q0(f), s, timeout, d, sizeof(d));

	if (d[0])
		note(r, "%s ", d);
	return got;
}

/* ---- A: connect time ---------------------------------------------- */

/* After a connect that went through, what the ring then does. */
static void connected_control(struct front *f, struct res *r)
{
	if (r->got == O_CONN && !control_io(f, q0(f), 7))
		note(r, "control-on-this-connection=fail ");
	r->reset = true;
}

static void conn_as(struct front *f, const struct conn *c, struct res *r)
{
	r->got = front_connect(f, c);
	connected_control(f, r);
}

static void a1_protocol(struct front *f, const struct hcase *hc, struct res *r)
{
	static const char long_proto[] =
		"x86_64-abi-but-far-too-long-for-any-buffer-a-backend-keeps-for-it-0123456789";
	const char *const p[] = { "x86_16-abi", long_proto, "", "-" };
	struct conn c = plain;

	c.protocol = p[hc->arg];
	/* Absent or empty: the old x86 default, the 32-bit layout. */
	if (hc->arg >= 2)
		c.abi = &abi_x86_32;
	conn_as(f, &c, r);
}

/* Declares one layout, writes the other: parsed as declared, answered. */
static void a2_lying_protocol(struct front *f, const struct hcase *hc,
			      struct res *r)
{
	const struct abi *wrote = hc->arg ? &abi_x86_32 : &abi_x86_64;
	struct conn c = plain;
	uint8_t s[112];
	int i, got;

	c.abi = hc->arg ? &abi_x86_64 : &abi_x86_32;
	r->got = front_connect(f, &c);
	r->reset = true;
	if (r->got != O_CONN)
		return;
	for (i = 0; i < 8; i++) {
		fill(s, 0);
		/*
		 * Writes (the backend only reads guest pages) and unknown
		 * operations. Misread under the declared layout, the 64-bit
		 * slot's id and sector become a 32-bit sector in the scratch
		 * range and a segment on one of our pages; the 32-bit slot's
		 * sector and grant become a 64-bit sector far past the end.
		 */
		slot_rw(wrote, s, i & 1 ? 0xff : OP_WRITE, 1,
			SCRATCH << 32 | i, (uint64_t)f->data_gref[i] << 32);
		if (wrote == &abi_x86_32)
			put64(s, wrote->rw_sector, SCRATCH);
		slot_seg(wrote, s, 0, f->data_gref[i], 0, 7);
		got = req(f, s, QUICK, r);
		if (!(got & (O_OK | O_ERR | O_EOP))) {
			r->got = got;
			return;
		}
	}
	r->got = O_ERR;
	if (!control_io(f, q0(f), 2))
		note(r, "control=fail ");
}

struct tamper_kv {
	const char *key;
	const char *val;
	const char *key2;
	const char *val2;
};

static void tamper_write(struct front *f, void *arg)
{
	const struct tamper_kv *kv = arg;
	char path[200];

	snprintf(path, sizeof(path), "%s/%s", f->fe, kv->key);
	if (kv->val)
		xs_write(&f->xs, 0, path, kv->val);
	else
		xs_rm(&f->xs, 0, path);
	if (!kv->key2)
		return;
	snprintf(path, sizeof(path), "%s/%s", f->fe, kv->key2);
	if (kv->val2)
		xs_write(&f->xs, 0, path, kv->val2);
	else
		xs_rm(&f->xs, 0, path);
}

static void conn_tampered(struct front *f, struct conn c, struct tamper_kv kv,
			  struct res *r)
{
	c.tamper = tamper_write;
	c.tamper_arg = &kv;
	conn_as(f, &c, r);
}

static void a3_order(struct front *f, const struct hcase *hc, struct res *r)
{
	static const char *const v[] = { "5", "31", "4294967295", "-1",
					  "abc", "2junk" };

	note(r, "ring-page-order=%s ", v[hc->arg]);
	conn_tampered(f, plain, (struct tamper_kv){ .key = "ring-page-order", .val = v[hc->arg] },
		      r);
}

/* Order 2 announced, with only the one-page key instead of ring-ref0..3. */
static void a4_tamper_single(struct front *f, void *arg)
{
	char path[200];
	unsigned int i;

	(void)arg;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/ring-ref%u", f->fe, i);
		xs_rm(&f->xs, 0, path);
	}
	snprintf(path, sizeof(path), "%s/ring-ref", f->fe);
	xs_writef(&f->xs, 0, path, "%u", f->q[0].ring.grefs[0]);
}

/* Order 2 announced, a page reference missing. */
static void a4_missing_ref(struct front *f, const struct hcase *hc,
			   struct res *r)
{
	struct conn c = plain;

	c.order = 2;
	if (hc->arg == 0) {
		c.tamper = a4_tamper_single;
		conn_as(f, &c, r);
		return;
	}
	conn_tampered(f, c, (struct tamper_kv){ .key = "ring-ref2" }, r);
}

/* Stale ring-ref0..3 from an earlier four-page connection. */
static void a5_stale_keys(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	char path[200];
	unsigned int i;

	(void)hc;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/ring-ref%u", f->fe, i);
		xs_write(&f->xs, 0, path, "4294967295");
	}
	conn_as(f, &plain, r);
}

/*
 * A reference granted and ended again. Ended only once the real ring is
 * granted: the guest hands a freed reference out again at the next grant.
 */
static void a6_tamper_revoked(struct front *f, void *arg)
{
	struct share s1 = { 0 };
	char path[200];

	(void)arg;
	if (share_alloc(f, &s1, 1, true))
		return;
	share_free(f, &s1);
	snprintf(path, sizeof(path), "%s/ring-ref", f->fe);
	xs_writef(&f->xs, 0, path, "%u", s1.grefs[0]);
}

/* A ring reference the backend must fail to map. */
static void a6_bad_ring_ref(struct front *f, const struct hcase *hc,
			    struct res *r)
{
	struct share other = { 0 };
	unsigned int saved = f->bedomid;
	char ref[16];

	switch (hc->arg) {
	case 0:
		snprintf(ref, sizeof(ref), "4294967295");
		break;
	case 1:
		snprintf(ref, sizeof(ref), "900000");
		break;
	case 2:		/* read-only */
	case 3:		/* granted to ourselves, not to the backend */
		if (hc->arg == 3)
			f->bedomid = f->domid;
		if (share_alloc(f, &other, 1, hc->arg == 3)) {
			f->bedomid = saved;
			r->got = 0;
			return;
		}
		f->bedomid = saved;
		snprintf(ref, sizeof(ref), "%u", other.grefs[0]);
		break;
	default:	/* revoked: granted, then ended before the connect */
		conn_as(f, &(struct conn){ .tamper = a6_tamper_revoked }, r);
		return;
	}
	note(r, "ring-ref=%s ", ref);
	conn_tampered(f, plain, (struct tamper_kv){ .key = "ring-ref", .val = ref }, r);
	share_free(f, &other);
}

/* Two ring pages, one grant: ring-ref1 names page 0 again. */
static void a7_tamper(struct front *f, void *arg)
{
	char path[200];

	(void)arg;
	snprintf(path, sizeof(path), "%s/ring-ref1", f->fe);
	xs_writef(&f->xs, 0, path, "%u", f->q[0].ring.grefs[0]);
}

static void a7_aliased_ring(struct front *f, const struct hcase *hc,
			    struct res *r)
{
	struct conn c = plain;

	(void)hc;
	c.order = 1;
	c.tamper = a7_tamper;
	conn_as(f, &c, r);
}

/*
 * The port of one of the guest's own channels to dom0, which the
 * toolstack wrote in the guest's directory: already bound at both ends.
 */
static void a8_bound_port(struct front *f, const char *which, char *port,
			  size_t len)
{
	char path[96], *v;

	snprintf(path, sizeof(path), "/local/domain/%u/%s/port", f->domid,
		 which);
	v = xs_read(&f->xs, 0, path);
	snprintf(port, len, "%s", v ? v : "unreadable");
	free(v);
}

static void a8_bad_evtchn(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = f->domid };
	struct ioctl_evtchn_unbind u;
	char port[16];
	int p = -1;

	switch (hc->arg) {
	case 0:
		snprintf(port, sizeof(port), "0");
		break;
	case 1:
		snprintf(port, sizeof(port), "99999");
		break;
	case 2:
		snprintf(port, sizeof(port), "abc");
		break;
	case 3:		/* a port of ours, open to ourselves, not the backend */
		p = ioctl(f->efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
		snprintf(port, sizeof(port), "%d", p);
		break;
	default:	/* bound already: our console's or our xenstore's */
		a8_bound_port(f, hc->arg == 4 ? "console" : "store", port,
			      sizeof(port));
		break;
	}
	note(r, "event-channel=%s ", port);
	conn_tampered(f, plain, (struct tamper_kv){ .key = "event-channel", .val = port }, r);
	if (p >= 0) {
		u.port = p;
		ioctl(f->efd, IOCTL_EVTCHN_UNBIND, &u);
	}
}

static void a9_queues(struct front *f, const struct hcase *hc, struct res *r)
{
	struct conn c = plain;
	char n[16];

	switch (hc->arg) {
	case 0:
	case 1:
	case 2:
		if (hc->arg == 1)
			snprintf(n, sizeof(n), "%u", f->max_queues + 1);
		else
			snprintf(n, sizeof(n), "%s", hc->arg ? "4294967295" : "0");
		note(r, "multi-queue-num-queues=%s ", n);
		conn_tampered(f, c, (struct tamper_kv){
			      .key = "multi-queue-num-queues", .val = n }, r);
		break;
	default:	/* two queues, the second one's keys gone */
		c.queues = 2;
		conn_tampered(f, c, (struct tamper_kv){
			      .key = "queue-1/event-channel",
			      .key2 = "queue-1/ring-ref" }, r);
		break;
	}
}

/*
 * The shared indices already say 100 requests on a 32-slot ring when the
 * backend maps it: refused at connect, or the ring halts at once.
 */
static void a10_tamper(struct front *f, void *arg)
{
	(void)arg;
	*(volatile uint32_t *)f->q[0].ring.va = f->q[0].req_prod_pvt + 100;
}

static void a10_indices(struct front *f, const struct hcase *hc, struct res *r)
{
	struct conn c = plain;
	uint8_t s[112];

	(void)hc;
	r->reset = true;
	c.tamper = a10_tamper;
	r->got = front_connect(f, &c);
	if (r->got != O_CONN)
		return;
	note(r, "connected-then ");
	valid_read(f, s, 0xa10, 0);
	r->got = req(f, s, MAY_HALT, r);
}

/* Indices start 16 short of the 2^32 wrap: 40 controls cross it. */
static void a11_wrap(struct front *f, const struct hcase *hc, struct res *r)
{
	struct conn c = plain;
	int i;

	(void)hc;
	c.start_idx = 0xfffffff0u;
	r->got = front_connect(f, &c);
	r->reset = true;
	if (r->got != O_CONN)
		return;
	for (i = 0; i < 40; i++)
		if (!control_io(f, q0(f), 100 + i)) {
			note(r, "control-%d=fail ", i);
			r->got = O_BAD;
			return;
		}
}

/* Rewrites connect keys from a second thread while the backend reads. */
struct flipper {
	struct front *f;
	pthread_t thread;
	volatile int stop;
	int writes;
};

static void *a12_flip(void *arg)
{
	struct flipper *fl = arg;
	struct xs xs;
	char p1[200], p2[200], p3[200];

	if (xs_open(&xs))
		return NULL;
	snprintf(p1, sizeof(p1), "%s/ring-page-order", fl->f->fe);
	snprintf(p2, sizeof(p2), "%s/multi-queue-num-queues", fl->f->fe);
	snprintf(p3, sizeof(p3), "%s/protocol", fl->f->fe);
	while (!fl->stop) {
		int odd = fl->writes & 1;

		/* Each key flips between the valid value and a refused one. */
		xs_write(&xs, 0, p1, odd ? "7" : "0");
		xs_write(&xs, 0, p2, odd ? "9" : "1");
		xs_write(&xs, 0, p3, odd ? "bogus-abi" : "x86_64-abi");
		fl->writes++;
	}
	xs_write(&xs, 0, p1, "0");
	xs_write(&xs, 0, p2, "1");
	xs_write(&xs, 0, p3, "x86_64-abi");
	return NULL;
}

static void a12_tamper(struct front *f, void *arg)
{
	struct flipper *fl = arg;

	fl->f = f;
	pthread_create(&fl->thread, NULL, a12_flip, fl);
	sleep_ms(30);
}

static void a12_toctou(struct front *f, const struct hcase *hc, struct res *r)
{
	struct flipper fl;
	int round, conn = 0, fatal = 0;

	for (round = 0; round < (int)hc->arg; round++) {
		struct conn c = plain;

		memset(&fl, 0, sizeof(fl));
		c.tamper = a12_tamper;
		c.tamper_arg = &fl;
		r->got = front_connect(f, &c);
		sleep_ms(200);
		fl.stop = 1;
		if (fl.f)
			pthread_join(fl.thread, NULL);
		if (r->got == O_CONN) {
			conn++;
			/* Whatever was read, it must be one consistent set. */
			if (!control_io(f, q0(f), 200 + round)) {
				note(r, "round-%d-control=fail ", round);
				r->got = O_BAD;
				break;
			}
		} else if (r->got == O_FATAL) {
			fatal++;
		} else {
			break;
		}
		if (front_reset(f)) {
			r->got = O_BAD;
			note(r, "reset-stuck ");
			break;
		}
	}
	note(r, "connected=%d refused=%d ", conn, fatal);
	if (r->got == O_CONN || r->got == O_FATAL)
		r->got = conn ? O_CONN : O_FATAL;
	r->reset = true;
}

/* Connect as x86_64, then as x86_32: the layout is the new one. */
static void a13_switch(struct front *f, const struct hcase *hc, struct res *r)
{
	struct conn c = plain;

	(void)hc;
	r->got = front_connect(f, &c);
	if (r->got != O_CONN || !control_io(f, q0(f), 13) || front_reset(f)) {
		note(r, "first-connection-failed ");
		r->got = O_BAD;
		r->reset = true;
		return;
	}
	c.abi = &abi_x86_32;
	conn_as(f, &c, r);
}

/*
 * States a frontend must not write, and Connected before Initialised.
 * The odd ones include values xenbus reads as numbers that are no state
 * at all (-1, 255, one past 2^32); what it cannot read as a number it
 * calls Unknown, which removes the device: those are A14-unreadable.
 */
static void a14_states(struct front *f, const struct hcase *hc, struct res *r)
{
	static const char *const odd[] = {
		"2", "7", "8", "9", "-1", "255", "4294967297",
	};
	struct conn c = plain;
	char path[160];
	unsigned int i;

	if (hc->arg == 0) {
		c.skip_initialised = true;
		conn_as(f, &c, r);
		return;
	}
	snprintf(path, sizeof(path), "%s/state", f->fe);
	for (i = 0; i < ARRAY_SIZE(odd); i++) {
		xs_write(&f->xs, 0, path, odd[i]);
		sleep_ms(300);
	}
	front_set_state(f, XS_INITIALISING);
	sleep_ms(300);
	/* Whatever it made of those: it closes, and offers again. */
	if (front_reset(f)) {
		r->got = O_BAD;
		note(r, "reset-after-odd-states-stuck ");
		return;
	}
	conn_as(f, &c, r);
}

/* 1-3-5-6 cycles without waiting for the backend. */
static void a15_cycles(struct front *f, const struct hcase *hc, struct res *r)
{
	static const unsigned int seq[] = { 1, 3, 5, 6 };
	uint8_t s[112];
	int i, j;

	r->got = front_connect(f, &plain);
	if (r->got != O_CONN) {
		r->reset = true;
		return;
	}
	if (hc->arg) {
		/* With I/O in flight when the cycling starts. */
		for (i = 0; i < 24; i++) {
			valid_read(f, s, 0x1500 + i, i);
			ring_push(f, q0(f), s);
		}
		ring_publish(f, q0(f), true);
	}
	for (i = 0; i < 300; i++)
		for (j = 0; j < 4; j++)
			front_set_state(f, seq[j]);
	/* Now properly: close, offer again, connect, and the ring works. */
	if (front_reset(f)) {
		r->got = O_BAD;
		note(r, "reset-stuck ");
		r->reset = true;
		return;
	}
	conn_as(f, &plain, r);
}

/* Initialised again while connected with requests in flight. */
static void a16_reinit(struct front *f, const struct hcase *hc, struct res *r)
{
	uint8_t s[112];
	struct rsp rsp;
	int i, answered = 0;

	(void)hc;
	for (i = 0; i < 16; i++) {
		valid_read(f, s, 0x1600 + i, i);
		ring_push(f, q0(f), s);
	}
	ring_publish(f, q0(f), true);
	front_set_state(f, XS_INITIALISED);
	for (i = 0; i < 16; i++)
		if (!ring_wait(f, q0(f), QUICK, &rsp))
			answered++;
	sleep_ms(1000);
	front_set_state(f, XS_CONNECTED);
	note(r, "answered=%d be-state=%d ", answered, front_be_state(f));
	r->got = answered == 16 && front_be_state(f) == XS_CONNECTED ? O_OK :
								   O_BAD;
}

/* A flood of xenstore writes on watched keys, and big values. */
static void a18_watch_storm(struct front *f, const struct hcase *hc,
			    struct res *r)
{
	char path[200], big[4000];
	long long t0 = now_ms();
	int i;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "%s/junk-%d", f->fe, i);
		xs_write(&f->xs, 0, path, big);
	}
	snprintf(path, sizeof(path), "%s/state", f->fe);
	for (i = 0; i < hc->arg; i++)
		xs_write(&f->xs, 0, path, "4");
	note(r, "writes=%ld ms=%lld ", hc->arg, now_ms() - t0);
	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "%s/junk-%d", f->fe, i);
		xs_rm(&f->xs, 0, path);
	}
	r->got = front_be_state(f) == XS_CONNECTED ? O_OK : O_BAD;
}

/* ---- B: ring contents --------------------------------------------- */

/* The producer index runs away (or back): the ring must halt. */
static void b1_prod(struct front *f, const struct hcase *hc, struct res *r)
{
	struct queue *q = q0(f);
	uint8_t s[112];
	uint32_t bad;
	int i;

	switch (hc->arg) {
	case 0:
		bad = q->req_prod_pvt + q->size + 1;
		break;
	case 1:
		bad = q->req_prod_pvt + 0x7fffffff;
		break;
	default:	/* behind what the backend has already consumed */
		for (i = 0; i < 8; i++)
			control_io(f, q, 300 + i);
		bad = q->req_prod_pvt - 5;
		break;
	}
	*(volatile uint32_t *)q->ring.va = bad;
	front_notify(f, q);
	sleep_ms(1000);
	/* Put the index back to where a valid request would follow. */
	*(volatile uint32_t *)q->ring.va = q->req_prod_pvt;
	valid_read(f, s, 0xb1, 0);
	r->got = req(f, s, MAY_HALT, r);
}

/* Responses never consumed; a second ringful published over them. */
static void b2_no_consume(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	struct queue *q = q0(f);
	volatile uint8_t *h = q->ring.va;
	uint8_t s[112];
	unsigned int i, round;
	struct rsp rsp;
	long long end;

	(void)hc;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < q->size; i++) {
			valid_read(f, s, 0xb200 + round * 100 + i, i % 32);
			ring_push(f, q, s);
		}
		ring_publish(f, q, true);
		end = now_ms() + QUICK;
		while (*(volatile uint32_t *)(h + 8) != q->req_prod_pvt &&
		       now_ms() < end)
			sleep_ms(10);
	}
	note(r, "rsp_prod-advance=%u ",
	     *(volatile uint32_t *)(h + 8) - q->rsp_cons);
	if (*(volatile uint32_t *)(h + 8) != q->req_prod_pvt) {
		r->got = O_HALT;
		return;
	}
	/* The first ringful's answers were overwritten: skip them. */
	q->rsp_cons += q->size;
	for (i = 0; i < q->size; i++) {
		if (ring_wait(f, q, QUICK, &rsp) || rsp.status) {
			r->got = O_BAD;
			return;
		}
	}
	r->got = O_OK;
}

static void b3_unknown_op(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	uint8_t s[112];

	fill(s, 0xa5);
	slot_rw(f->abi, s, (uint8_t)hc->arg, 1, 0xb3, SCRATCH);
	slot_seg(f->abi, s, 0, f->data_gref[0], 0, 7);
	r->got = req(f, s, QUICK, r);
}

/* Segment count @arg on a direct READ (or, arg >= 1000, a WRITE). */
static void b46_nseg(struct front *f, const struct hcase *hc, struct res *r)
{
	uint8_t op = hc->arg >= 1000 ? OP_WRITE : OP_READ;
	unsigned int n = hc->arg % 1000, i;
	uint8_t s[112];

	fill(s, 0);
	slot_rw(f->abi, s, op, n, 0xb4, SCRATCH);
	for (i = 0; i < SEGS_DIRECT && i < n; i++)
		slot_seg(f->abi, s, i, f->data_gref[i], 0, 7);
	r->got = req(f, s, QUICK, r);
}

/* A bare flush or barrier: answered as the feature says. */
static void b5_bare_flush(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	bool on = hc->arg == OP_FLUSH ? f->flush : f->barrier;
	uint8_t s[112];

	fill(s, 0);
	slot_rw(f->abi, s, hc->arg, 0, 0xb5, 0);
	r->expect = on ? O_OK : O_EOP;
	note(r, "advertised=%d ", on);
	r->got = req(f, s, QUICK, r);
}

static void b7_sectors(struct front *f, const struct hcase *hc, struct res *r)
{
	static const uint8_t fl[][2] = { { 5, 4 }, { 0, 8 }, { 7, 7 },
					 { 255, 255 } };
	uint8_t s[112];

	fill(s, 0);
	slot_rw(f->abi, s, OP_READ, 1, 0xb7, SCRATCH);
	slot_seg(f->abi, s, 0, f->data_gref[0], fl[hc->arg][0], fl[hc->arg][1]);
	r->got = req(f, s, QUICK, r);
}

static void b8_range(struct front *f, const struct hcase *hc, struct res *r)
{
	uint64_t start[] = { ~0ull, f->sectors - 1, f->sectors,
			     f->sectors - 8, ~0ull - 7 };
	uint8_t s[112];

	fill(s, 0);
	slot_rw(f->abi, s, OP_READ, 1, 0xb8, start[hc->arg]);
	slot_seg(f->abi, s, 0, f->data_gref[0], 0, 7);
	note(r, "sector=%llu/%llu ", (unsigned long long)start[hc->arg],
	     f->sectors);
	r->got = req(f, s, QUICK, r);
}

/* Segment grants the backend must fail to map. */
static void b11_bad_gref(struct front *f, const struct hcase *hc,
			 struct res *r)
{
	struct share other = { 0 };
	unsigned int saved = f->bedomid;
	uint32_t gref;
	uint8_t s[112];

	switch (hc->arg) {
	case 0:
		gref = 0xffffffffu;
		break;
	case 1:
		gref = 900000;
		break;
	case 2:		/* read-only, as the target of a READ */
	case 3:		/* granted to ourselves */
		if (hc->arg == 3)
			f->bedomid = f->domid;
		share_alloc(f, &other, 1, hc->arg == 3);
		f->bedomid = saved;
		gref = other.va ? other.grefs[0] : 0xffffffffu;
		break;
	default:	/* granted and ended again */
		share_alloc(f, &other, 1, true);
		gref = other.va ? other.grefs[0] : 0xffffffffu;
		share_free(f, &other);
		break;
	}
	fill(s, 0);
	slot_rw(f->abi, s, OP_READ, 1, 0xb11, SCRATCH);
	slot_seg(f->abi, s, 0, gref, 0, 7);
	r->got = req(f, s, QUICK, r);
	share_free(f, &other);
}

/*
 * One bad grant among good ones, direct (arg 0) or in an indirect page
 * (arg 1): refused, and every good one the backend mapped is unmapped
 * again (the guest's leak check at the end says whether it was).
 */
static void b12_partial_map(struct front *f, const struct hcase *hc,
			    struct res *r)
{
	uint8_t s[112];
	unsigned int i;

	fill(s, 0);
	if (!hc->arg) {
		slot_rw(f->abi, s, OP_READ, SEGS_DIRECT, 0xb12, SCRATCH);
		for (i = 0; i < SEGS_DIRECT; i++)
			slot_seg(f->abi, s, i, i == 5 ? 0xffffffffu :
				 f->data_gref[i], 0, 7);
	} else {
		uint8_t *ind = f->page[40];

		if (!f->max_indirect) {
			r->expect = O_EOP | O_ERR;
			note(r, "no-indirect ");
		}
		for (i = 0; i < 32; i++)
			ind_seg(ind, i, i == 20 ? 0xffffffffu : f->data_gref[i], 0, 7);
		slot_indirect(f->abi, s, OP_READ, 32, 0xb12, SCRATCH);
		slot_ind_gref(f->abi, s, 0, f->data_gref[40]);
	}
	r->got = req(f, s, QUICK, r);
}

/* The same grant in every segment of every request in flight. */
static void b13_same_gref(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	struct queue *q = q0(f);
	unsigned int i, j, ok = 0, err = 0;
	uint8_t s[112];
	struct rsp rsp;

	(void)hc;
	for (i = 0; i < q->size; i++) {
		fill(s, 0);
		slot_rw(f->abi, s, OP_READ, SEGS_DIRECT, 0xb1300 + i, SCRATCH);
		for (j = 0; j < SEGS_DIRECT; j++)
			slot_seg(f->abi, s, j, f->data_gref[3], 0, 7);
		ring_push(f, q, s);
	}
	ring_publish(f, q, true);
	for (i = 0; i < q->size; i++) {
		if (ring_wait(f, q, QUICK, &rsp) || rsp.leak) {
			r->got = O_BAD;
			note(r, "answered=%u ", i);
			return;
		}
		if (rsp.status == RSP_OKAY)
			ok++;
		else
			err++;
	}
	note(r, "ok=%u err=%u persistent=%d ", ok, err, f->persistent);
	r->got = err ? O_ERR : O_OK;
}

/* Persistent grants on: the same page in every slot. */
static void b13_persistent(struct front *f, const struct hcase *hc,
			   struct res *r)
{
	struct conn c = plain;

	c.persistent = true;
	r->reset = true;
	if (front_connect(f, &c) != O_CONN) {
		r->got = O_BAD;
		return;
	}
	b13_same_gref(f, hc, r);
}

#define ABA_TRIES	32

/*
 * ABA: new pages granted at once, in the hope that one of them gets the
 * revoked grant's number back (Linux reuses a free reference first). The
 * backend cannot tell the two apart and need not: whatever page the
 * number names when it maps is the guest's to lose. What is reported is
 * whether the number came back and whether the read landed in the new
 * page; what is checked is the answer and, after the guest, dom0.
 */
static void b14_regrant(struct front *f, uint32_t old, struct share *again,
			int *reused, struct res *r)
{
	int i;

	*reused = -1;
	for (i = 0; i < ABA_TRIES; i++) {
		if (share_alloc(f, &again[i], 1, true))
			break;
		memset(again[i].va, 0x5a, PAGE_SZ);
		if (again[i].grefs[0] == old)
			*reused = i;
	}
	note(r, "regranted=%d gref-reused=%s ", i, *reused >= 0 ? "yes" : "no");
}

/*
 * The page goes away right after the request is published (arg 1: and
 * its grant number is handed out again straight away).
 */
static void b14_revoke(struct front *f, const struct hcase *hc, struct res *r)
{
	struct share s1 = { 0 }, again[ABA_TRIES] = { { 0 } };
	uint8_t s[112];
	struct rsp rsp;
	int reused = -1, i;

	if (share_alloc(f, &s1, 1, true)) {
		r->got = 0;
		return;
	}
	fill(s, 0);
	slot_rw(f->abi, s, OP_READ, 1, 0xb14, SCRATCH);
	slot_seg(f->abi, s, 0, s1.grefs[0], 0, 7);
	ring_push(f, q0(f), s);
	ring_publish(f, q0(f), true);
	share_free(f, &s1);
	if (hc->arg)
		b14_regrant(f, s1.grefs[0], again, &reused, r);
	if (ring_wait(f, q0(f), QUICK, &rsp)) {
		r->got = O_HALT;
	} else {
		r->got = rsp.id != 0xb14 || rsp.leak ? O_BAD :
			 rsp.status == RSP_OKAY ? O_OK : O_ERR;
	}
	if (reused >= 0)
		note(r, "read-landed-in-new-page=%s ",
		     ((uint8_t *)again[reused].va)[0] != 0x5a ? "yes" : "no");
	for (i = 0; i < ABA_TRIES; i++)
		share_free(f, &again[i]);
}

/*
 * Double fetch: a second thread rewrites the slot (even rounds: a direct
 * read) or the indirect header and its page (odd rounds) while the
 * backend reads them. Every answer must be one that some mix of those
 * values could get: OK, ERR or EOP, echoing the id, which is never
 * rewritten. Every mix is harmless: reads, or a write of our page to the
 * scratch range, or a discard of a length far past the end.
 */
struct flip_slot {
	struct front *f;
	volatile uint8_t *slot;
	volatile uint8_t *ind;
	bool indirect;
	volatile int stop;
	unsigned long flips;
};

static void b15_flip_direct(struct flip_slot *fs, unsigned int n)
{
	static const uint8_t ops[] = { OP_READ, 0xff, OP_DISCARD, OP_FLUSH,
				       OP_READ };
	const struct abi *a = fs->f->abi;
	volatile uint8_t *s = fs->slot;

	s[0] = ops[(n >> 8) % 5];
	s[1] = (n >> 12) & 1 ? 1 : (n >> 13) & 1 ? 0 : 200;
	*(volatile uint32_t *)(s + a->rw_seg) =
		(n >> 14) & 1 ? fs->f->data_gref[4] : 0xffffffffu;
	s[a->rw_seg + 5] = (n >> 15) & 1 ? 7 : 9;
	*(volatile uint64_t *)(s + a->rw_sector) =
		(n >> 16) & 1 ? SCRATCH : ~0ull - 3;
}

static void b15_flip_indirect(struct flip_slot *fs, unsigned int n)
{
	static const uint8_t ops[] = { OP_READ, 0xff, OP_FLUSH, OP_READ };
	const struct abi *a = fs->f->abi;
	volatile uint8_t *s = fs->slot;

	s[1] = ops[(n >> 8) % 4];
	*(volatile uint16_t *)(s + 2) = (n >> 12) & 1 ? 2 : (n >> 13) & 1 ? 0 : 600;
	*(volatile uint64_t *)(s + a->ind_sector) =
		(n >> 16) & 1 ? SCRATCH : ~0ull - 3;
	*(volatile uint32_t *)(fs->ind + 8) =
		(n >> 14) & 1 ? fs->f->data_gref[5] : 0xffffffffu;
	fs->ind[8 + 5] = (n >> 15) & 1 ? 7 : 200;
	fs->ind[8 + 4] = (n >> 17) & 1 ? 0 : 6;
}

static void *b15_flip(void *arg)
{
	struct flip_slot *fs = arg;
	unsigned int n = 1;

	while (!fs->stop) {
		n = n * 1103515245u + 12345u;
		if (fs->indirect)
			b15_flip_indirect(fs, n);
		else
			b15_flip_direct(fs, n);
		fs->flips++;
	}
	return NULL;
}

static void b15_slot(struct front *f, uint8_t *s, bool indirect, uint64_t id)
{
	uint8_t *ind = f->page[41];
	unsigned int i;

	fill(s, 0);
	if (!indirect) {
		slot_rw(f->abi, s, OP_READ, 1, id, SCRATCH);
		slot_seg(f->abi, s, 0, f->data_gref[4], 0, 7);
		return;
	}
	for (i = 0; i < 2; i++)
		ind_seg(ind, i, f->data_gref[5 + i], 0, 7);
	slot_indirect(f->abi, s, OP_READ, 2, id, SCRATCH);
	slot_ind_gref(f->abi, s, 0, f->data_gref[41]);
}

static void b15_double_fetch(struct front *f, const struct hcase *hc,
			     struct res *r)
{
	struct queue *q = q0(f);
	struct flip_slot fs = { .f = f, .ind = f->page[41] };
	unsigned int i, seen[3] = { 0 };
	uint64_t id;
	pthread_t t;
	uint8_t s[112];
	struct rsp rsp;

	r->got = O_OK;
	for (i = 0; i < (unsigned int)hc->arg; i++) {
		/*
		 * The flipper may still write bytes 0-3 of the slot after
		 * the answer landed there (the answer's id overlays them):
		 * the round lives in the id's upper half.
		 */
		id = (0xb1500000ull + i) << 32;
		fs.indirect = f->max_indirect && (i & 1);
		b15_slot(f, s, fs.indirect, id);
		fs.slot = (uint8_t *)q->ring.va + 64 +
			  (q->req_prod_pvt & (q->size - 1)) * f->abi->slot;
		ring_push(f, q, s);
		fs.stop = 0;
		pthread_create(&t, NULL, b15_flip, &fs);
		ring_publish(f, q, true);
		if (ring_wait(f, q, QUICK, &rsp)) {
			fs.stop = 1;
			pthread_join(t, NULL);
			r->got = O_HALT;
			return;
		}
		fs.stop = 1;
		pthread_join(t, NULL);
		/* The operation echoed is whichever the backend copied. */
		if (rsp.id >> 32 != id >> 32 || rsp.leak) {
			note(r, "round=%u id=%#llx leak=%d ", i,
			     (unsigned long long)rsp.id, rsp.leak);
			r->got = O_BAD;
			return;
		}
		if (rsp.status == RSP_OKAY)
			seen[0]++;
		else if (rsp.status == RSP_ERROR)
			seen[1]++;
		else if (rsp.status == RSP_EOPNOTSUPP)
			seen[2]++;
		else
			r->got = O_BAD;
	}
	note(r, "rounds=%ld ok=%u err=%u eop=%u flips=%lu ", hc->arg, seen[0],
	     seen[1], seen[2], fs.flips);
}

/* Indirect headers: segment counts and operations. */
static void b16_indirect(struct front *f, const struct hcase *hc,
			 struct res *r)
{
	static const struct { uint8_t op; uint16_t n; } v[] = {
		{ OP_READ, 0 }, { OP_READ, 257 }, { OP_READ, 65535 },
		{ OP_FLUSH, 8 }, { OP_DISCARD, 8 }, { OP_INDIRECT, 8 },
		{ 0xff, 8 },
	};
	uint8_t s[112], *ind = f->page[42];
	unsigned int i;

	for (i = 0; i < 16; i++)
		ind_seg(ind, i, f->data_gref[i], 0, 7);
	fill(s, 0);
	slot_indirect(f->abi, s, v[hc->arg].op, v[hc->arg].n, 0xb16, SCRATCH);
	for (i = 0; i < 8; i++)
		slot_ind_gref(f->abi, s, i, f->data_gref[42]);
	r->got = req(f, s, QUICK, r);
}

/* Indirect page contents: bad grants and sector bounds inside it. */
static void b17_indirect_page(struct front *f, const struct hcase *hc,
			      struct res *r)
{
	uint8_t s[112], *ind = f->page[43];
	uint32_t ind_gref = f->data_gref[43];
	unsigned int i;

	for (i = 0; i < 16; i++)
		ind_seg(ind, i, f->data_gref[i], 0, 7);
	switch (hc->arg) {
	case 0:
		ind_seg(ind, 3, 0xffffffffu, 0, 7);
		break;
	case 1:
		ind_seg(ind, 3, f->data_gref[3], 6, 2);
		break;
	case 2:
		ind_seg(ind, 3, f->data_gref[3], 0, 8);
		break;
	default:	/* the indirect page itself is not granted */
		ind_gref = 0xffffffffu;
		break;
	}
	fill(s, 0);
	slot_indirect(f->abi, s, OP_READ, 16, 0xb17, SCRATCH);
	slot_ind_gref(f->abi, s, 0, ind_gref);
	r->got = req(f, s, QUICK, r);
}

/* The indirect page is the ring itself, or the read's own target. */
static void b18_indirect_alias(struct front *f, const struct hcase *hc,
			       struct res *r)
{
	uint8_t s[112], *ind = f->page[44];
	unsigned int i;

	for (i = 0; i < 8; i++)
		ind_seg(ind, i, f->data_gref[44], 0, 7);
	fill(s, 0);
	slot_indirect(f->abi, s, OP_READ, 8, 0xb18, SCRATCH);
	slot_ind_gref(f->abi, s, 0, hc->arg ? f->data_gref[44] :
					      q0(f)->ring.grefs[0]);
	r->got = req(f, s, QUICK, r);
}

/* Only the pages the count needs are used; the rest are garbage. */
static void b19_spare_grefs(struct front *f, const struct hcase *hc,
			    struct res *r)
{
	uint8_t s[112], *ind = f->page[45];
	unsigned int i;

	(void)hc;
	for (i = 0; i < 16; i++)
		ind_seg(ind, i, f->data_gref[i], 0, 7);
	fill(s, 0);
	slot_indirect(f->abi, s, OP_READ, 16, 0xb19, SCRATCH);
	slot_ind_gref(f->abi, s, 0, f->data_gref[45]);
	for (i = 1; i < 8; i++)
		slot_ind_gref(f->abi, s, i, 0xffffffffu - i);
	if (!f->max_indirect)
		r->expect = O_EOP | O_ERR;
	r->got = req(f, s, QUICK, r);
}

static void b20_discard(struct front *f, const struct hcase *hc,
			struct res *r)
{
	struct { uint8_t flag; uint64_t sector, nr; } v[] = {
		{ 0, SCRATCH, 0 }, { 0, SCRATCH, ~0ull },
		{ 0, ~0ull - 7, 16 }, { 0, f->sectors - 8, 16 },
		{ 1, SCRATCH, 8 }, { 0, SCRATCH, 8 }, { 0x80, SCRATCH, 8 },
	};
	uint8_t s[112];
	long i = hc->arg;

	fill(s, 0);
	slot_discard(f->abi, s, v[i].flag, 0xb20, v[i].sector, v[i].nr);
	note(r, "feature-discard=%d secure=%d ", f->discard, f->discard_secure);
	if (!f->discard)
		r->expect = O_EOP;
	else if (i == 5)
		r->expect = O_OK;
	else if (i == 4)
		/* blkif.h: without discard-secure the flag is ignored. */
		r->expect = O_OK;
	r->got = req(f, s, QUICK, r);
}

/* Writes, flushes and barriers interleaved, all in flight at once. */
static void b21_flush_storm(struct front *f, const struct hcase *hc,
			    struct res *r)
{
	struct queue *q = q0(f);
	unsigned int i, n = q->size, bad = 0;
	uint8_t s[112];
	struct rsp rsp;

	(void)hc;
	for (i = 0; i < n; i++) {
		fill(s, 0);
		switch (i % 3) {
		case 0:
			slot_rw(f->abi, s, OP_WRITE, 1, 0xb2100 + i,
				SCRATCH + 8 * i);
			slot_seg(f->abi, s, 0, f->data_gref[i % 32], 0, 7);
			break;
		case 1:
			slot_rw(f->abi, s, OP_FLUSH, 0, 0xb2100 + i, 0);
			break;
		default:
			slot_rw(f->abi, s, OP_BARRIER, 1, 0xb2100 + i,
				SCRATCH + 8 * i);
			slot_seg(f->abi, s, 0, f->data_gref[i % 32], 0, 7);
			break;
		}
		ring_push(f, q, s);
	}
	ring_publish(f, q, true);
	for (i = 0; i < n; i++) {
		bool on = i % 3 == 0 || (i % 3 == 1 ? f->flush : f->barrier);

		if (ring_wait(f, q, 60000, &rsp)) {
			note(r, "answered=%u ", i);
			r->got = O_HALT;
			return;
		}
		if (rsp.leak || rsp.status != (on ? RSP_OKAY : RSP_EOPNOTSUPP))
			bad++;
	}
	note(r, "flush=%d barrier=%d unexpected=%u ", f->flush, f->barrier, bad);
	r->got = bad ? O_BAD : O_OK;
}

/* Every request with id 0, or with garbage in handle and padding. */
static void b22_ids(struct front *f, const struct hcase *hc, struct res *r)
{
	struct queue *q = q0(f);
	unsigned int i, bad = 0;
	uint8_t s[112];
	struct rsp rsp;

	for (i = 0; i < 16; i++) {
		fill(s, hc->arg ? 0xff : 0);
		slot_rw(f->abi, s, OP_READ, 1, hc->arg ? 0xb23 : 0, SCRATCH);
		if (hc->arg)
			put16(s, 2, 0xffff);
		slot_seg(f->abi, s, 0, f->data_gref[i], 0, 7);
		ring_push(f, q, s);
	}
	ring_publish(f, q, true);
	for (i = 0; i < 16; i++) {
		if (ring_wait(f, q, QUICK, &rsp)) {
			r->got = O_HALT;
			return;
		}
		if (rsp.leak || rsp.status || rsp.id != (hc->arg ? 0xb23 : 0))
			bad++;
	}
	note(r, "bad=%u ", bad);
	r->got = bad ? O_BAD : O_OK;
}

/* The frontend scribbles on the backend's indices. */
static void b24_backend_fields(struct front *f, const struct hcase *hc,
			       struct res *r)
{
	struct queue *q = q0(f);
	volatile uint8_t *h = q->ring.va;
	uint8_t s[112];
	uint32_t after;

	(void)hc;
	*(volatile uint32_t *)(h + 8) = q->rsp_cons + 100;	/* rsp_prod */
	*(volatile uint32_t *)(h + 4) = 0xdeadbeef;		/* req_event */
	valid_read(f, s, 0xb24, 0);
	ring_push(f, q, s);
	ring_publish(f, q, true);
	sleep_ms(1500);
	after = *(volatile uint32_t *)(h + 8);
	note(r, "rsp_prod-after=%+d ", (int)(after - q->rsp_cons));
	if (after != q->rsp_cons + 1) {
		r->got = O_BAD;
		*(volatile uint32_t *)(h + 8) = q->rsp_cons;
		return;
	}
	{
		struct rsp rsp;

		ring_wait(f, q, QUICK, &rsp);
		r->got = rsp.id == 0xb24 && !rsp.status && !rsp.leak ? O_OK :
								     O_BAD;
	}
	*(volatile uint32_t *)(h + 4) = q->req_prod_pvt + 1;
}

/* The 32-bit layout: answers, refusals and their padding. */
static void b25_x86_32(struct front *f, const struct hcase *hc, struct res *r)
{
	struct conn c = plain;
	uint8_t s[112];
	int got, want[] = { O_OK, O_ERR, O_EOP };
	int i;

	(void)hc;
	c.abi = &abi_x86_32;
	r->reset = true;
	if (front_connect(f, &c) != O_CONN) {
		r->got = O_BAD;
		return;
	}
	for (i = 0; i < 3; i++) {
		valid_read(f, s, 0x1234567800b25ull + i, i);
		if (i == 1)
			slot_seg(f->abi, s, 0, f->data_gref[i], 7, 0);
		if (i == 2)
			s[0] = 0xfe;
		got = req(f, s, QUICK, r);
		if (got != want[i]) {
			note(r, "request-%d ", i);
			r->got = got;
			return;
		}
	}
	r->got = O_OK;
}

/*
 * Every slot of a 16-page ring on two queues: indirect reads of 128
 * segments, over 32 pages. Xen allows 255 writable mappings of one grant
 * at a time (the pin counter), so many of them are refused with ERR: the
 * backend must answer every one, stay bounded and keep working.
 */
static void b26_exhaust(struct front *f, const struct hcase *hc,
			struct res *r)
{
	struct conn c = plain;
	unsigned int qi, i, j, segs, answered = 0, err = 0, bad = 0;
	uint8_t s[112], *ind = f->page[46];
	long long t0;
	struct rsp rsp;

	(void)hc;
	c.order = f->max_order < MAX_RING_ORDER ? f->max_order : MAX_RING_ORDER;
	c.queues = f->max_queues < 2 ? f->max_queues : 2;
	r->reset = true;
	if (front_connect(f, &c) != O_CONN) {
		r->got = O_BAD;
		return;
	}
	segs = f->max_indirect < 128 ? f->max_indirect : 128;
	if (!segs) {
		r->got = O_BAD;
		note(r, "no-indirect ");
		return;
	}
	for (j = 0; j < segs; j++)
		ind_seg(ind, j, f->data_gref[j % 32], 0, 7);
	t0 = now_ms();
	for (qi = 0; qi < f->nr_queues; qi++) {
		struct queue *q = &f->q[qi];

		for (i = 0; i < q->size; i++) {
			fill(s, 0);
			slot_indirect(f->abi, s, OP_READ, segs, 0xb2600000 + i,
				      (i * segs * 8ull) % SCRATCH);
			slot_ind_gref(f->abi, s, 0, f->data_gref[46]);
			ring_push(f, q, s);
		}
		ring_publish(f, q, true);
	}
	for (qi = 0; qi < f->nr_queues; qi++) {
		struct queue *q = &f->q[qi];

		for (i = 0; i < q->size; i++) {
			if (ring_wait(f, q, 120000, &rsp))
				break;
			answered++;
			if (rsp.leak || rsp.id != 0xb2600000 + i ||
			    (rsp.status && rsp.status != RSP_ERROR))
				bad++;
			else if (rsp.status)
				err++;
		}
	}
	note(r, "queues=%u slots=%u segs=%u answered=%u err=%u bad=%u ms=%lld ",
	     f->nr_queues, f->q[0].size, segs, answered, err, bad,
	     now_ms() - t0);
	r->got = bad ? O_BAD : answered != f->nr_queues * f->q[0].size ?
		 O_HALT : err ? O_ERR : O_OK;
	for (qi = 1; qi < f->nr_queues && r->got == O_OK; qi++)
		if (!control_io(f, &f->q[qi], 260 + qi))
			r->got = O_BAD;
}

/* ---- C: event channel --------------------------------------------- */

static unsigned long storm(struct front *f, struct queue *q, int ms)
{
	long long end = now_ms() + ms;
	unsigned long n = 0;

	while (now_ms() < end) {
		front_notify(f, q);
		n++;
	}
	return n;
}

/* A notify storm on an idle ring (arg 0) or a halted one (arg 1). */
static void c1_storm(struct front *f, const struct hcase *hc, struct res *r)
{
	struct queue *q = q0(f);
	char tag[64];
	unsigned long n;
	uint8_t s[112];

	if (hc->arg) {
		*(volatile uint32_t *)q->ring.va = q->req_prod_pvt + q->size + 1;
		front_notify(f, q);
		sleep_ms(500);
		r->reset = true;
	}
	snprintf(tag, sizeof(tag), "storm-%s%s-begin",
		 hc->arg ? "halted" : "idle", ring_tag);
	if (!dom0_sync(f, tag, 30000)) {
		r->got = O_BAD;
		return;
	}
	n = storm(f, q, 8000);
	snprintf(tag, sizeof(tag), "storm-%s%s-end",
		 hc->arg ? "halted" : "idle", ring_tag);
	dom0_sync(f, tag, 30000);
	note(r, "notifies=%lu ", n);
	if (hc->arg) {
		*(volatile uint32_t *)q->ring.va = q->req_prod_pvt;
		valid_read(f, s, 0xc1, 0);
		r->got = req(f, s, MAY_HALT, r);
	} else {
		r->got = O_OK;
	}
}

/* A storm over a full ring of valid requests. */
static void c2_storm_full(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	struct queue *q = q0(f);
	unsigned int i, ok = 0;
	uint8_t s[112];
	struct rsp rsp;

	(void)hc;
	for (i = 0; i < q->size; i++) {
		valid_read(f, s, 0xc200 + i, i % 32);
		ring_push(f, q, s);
	}
	ring_publish(f, q, true);
	storm(f, q, 3000);
	for (i = 0; i < q->size; i++)
		if (!ring_wait(f, q, QUICK, &rsp) && !rsp.status && !rsp.leak)
			ok++;
	note(r, "ok=%u ", ok);
	r->got = ok == q->size ? O_OK : O_BAD;
}

/* Our end closed mid-I/O, and a new port (likely the same number). */
static void c3_unbind(struct front *f, const struct hcase *hc, struct res *r)
{
	struct ioctl_evtchn_bind_unbound_port b = {
		.remote_domain = f->bedomid,
	};
	struct ioctl_evtchn_unbind u;
	struct queue *q = q0(f);
	unsigned int i, ok = 0;
	uint8_t s[112];
	struct rsp rsp;
	int port;

	(void)hc;
	for (i = 0; i < 16; i++) {
		valid_read(f, s, 0xc300 + i, i);
		ring_push(f, q, s);
	}
	ring_publish(f, q, true);
	u.port = q->port;
	ioctl(f->efd, IOCTL_EVTCHN_UNBIND, &u);
	port = ioctl(f->efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
	for (i = 0; i < 16; i++)
		if (!ring_wait(f, q, QUICK, &rsp) && !rsp.status)
			ok++;
	note(r, "old-port=%u new-port=%d answered=%u ", q->port, port, ok);
	/*
	 * Our kicks no longer reach the backend (its end is bound to the
	 * closed port): the ring is only good for a close. A new connection
	 * must work as ever.
	 */
	q->port = port > 0 ? port : 0;
	r->got = ok == 16 ? O_OK : O_BAD;
	if (front_reset(f) || front_connect(f, &ring_conn) != O_CONN) {
		note(r, "reconnect-failed ");
		r->got = O_BAD;
	}
}

/* Requests published without a kick: answered on a later kick at most. */
static void c4_no_kick(struct front *f, const struct hcase *hc, struct res *r)
{
	struct queue *q = q0(f);
	uint8_t s[112];
	struct rsp rsp;
	long long t0 = now_ms();

	(void)hc;
	valid_read(f, s, 0xc4, 0);
	ring_push(f, q, s);
	ring_publish(f, q, false);
	if (ring_wait(f, q, 3000, &rsp)) {
		note(r, "waited-for-kick ");
		front_notify(f, q);
		if (ring_wait(f, q, QUICK, &rsp)) {
			r->got = O_HALT;
			return;
		}
	} else {
		note(r, "answered-unkicked-after-ms=%lld ", now_ms() - t0);
	}
	r->got = rsp.id == 0xc4 && !rsp.status ? O_OK : O_BAD;
}

/* ---- D: lifecycle --------------------------------------------------- */

/* dom0 tries to unload the backend while we are connected (or halted). */
static void d2_rmmod(struct front *f, const struct hcase *hc, struct res *r)
{
	struct queue *q = q0(f);

	if (hc->arg) {
		*(volatile uint32_t *)q->ring.va = q->req_prod_pvt + q->size + 1;
		front_notify(f, q);
		sleep_ms(500);
		*(volatile uint32_t *)q->ring.va = q->req_prod_pvt;
		r->reset = true;
	}
	if (!dom0_sync(f, hc->arg ? "rmmod-halted" : "rmmod-connected", 60000)) {
		r->got = O_BAD;
		return;
	}
	if (hc->arg) {
		r->got = O_HALT;
		return;
	}
	r->got = control_io(f, q, 402) ? O_OK : O_BAD;
}

/*
 * The guest's second disk, xvdb, which the lab attaches read-only: B10
 * writes to it, A19 leaves it connected while dom0 detaches it.
 */
static struct front ro;

/* Disk @name (its devid @devid) of this guest, connected as @d. */
static bool side_connected(struct front *d, unsigned int devid,
			   const char *name, struct res *r)
{
	if (!d->be[0] && front_init(d, devid)) {
		note(r, "no-%s ", name);
		return false;
	}
	if (!d->connected && front_connect(d, &plain) != O_CONN) {
		note(r, "%s-connect-failed ", name);
		return false;
	}
	return true;
}

static bool ro_connected(struct res *r)
{
	return side_connected(&ro, XVDB, "xvdb", r);
}

/* Writes, flushes and discards on a read-only disk: refused. */
static void b10_readonly(struct front *f, const struct hcase *hc,
			 struct res *r)
{
	uint8_t s[112];

	(void)f;
	if (!ro_connected(r)) {
		r->got = O_BAD;
		return;
	}
	fill(s, 0);
	switch (hc->arg) {
	case OP_DISCARD:
		slot_discard(ro.abi, s, 0, 0xb10, SCRATCH, 8);
		break;
	case OP_FLUSH:
		slot_rw(ro.abi, s, OP_FLUSH, 0, 0xb10, 0);
		break;
	default:
		slot_rw(ro.abi, s, hc->arg, 1, 0xb10, SCRATCH);
		slot_seg(ro.abi, s, 0, ro.data_gref[0], 0, 7);
		break;
	}
	note(r, "mode=%s ", ro.readonly ? "r" : "w");
	r->got = req(&ro, s, QUICK, r);
}

/*
 * dom0 detaches xvdb (xl block-detach) while we keep it connected and
 * never answer Closing. libxl waits 10 s for the backend to close, which
 * it cannot without us; Xen 4.17 then removes the device by force, 4.20
 * gives up and dom0 detaches again with --force. Either way the backend
 * must let go of the ring on its own.
 */
static void a19_detach_unacked(struct front *f, const struct hcase *hc,
			       struct res *r)
{
	int st;

	(void)hc;
	if (!ro_connected(r)) {
		r->got = O_BAD;
		return;
	}
	if (!dom0_sync(f, "detach-xvdb", 90000)) {
		r->got = O_BAD;
		return;
	}
	st = front_be_state(&ro);
	note(r, "xvdb-backend-state-after=%d ", st);
	/* The backend's directory is gone (-1), or it closed. */
	r->got = st == -1 || st == XS_CLOSED ? O_OK : O_BAD;
	share_free(&ro, &ro.q[0].ring);
}

/*
 * xvdc has 4 KiB logical blocks (a loop device of that sector size in
 * dom0). Sector numbers stay in 512-byte units on the ring, so a request
 * that starts or ends inside a block, or a segment shorter than a block,
 * is one the device cannot do: B9 sends them, then a valid read.
 */
static struct front k4;

static void b9_misaligned(struct front *f, const struct hcase *hc,
			  struct res *r)
{
	uint8_t s[112];

	(void)f;
	if (!side_connected(&k4, XVDC, "xvdc", r)) {
		r->got = O_BAD;
		return;
	}
	note(r, "sector-size=%u ", k4.sector_size);
	if (k4.sector_size != 4096) {
		r->got = O_BAD;
		return;
	}
	fill(s, 0);
	switch (hc->arg) {
	case 0:		/* a whole block's worth, one sector in */
		slot_rw(k4.abi, s, OP_READ, 1, 0xb90, 1);
		slot_seg(k4.abi, s, 0, k4.data_gref[0], 0, 7);
		break;
	case 1:		/* half a block */
		slot_rw(k4.abi, s, OP_READ, 1, 0xb91, 0);
		slot_seg(k4.abi, s, 0, k4.data_gref[0], 0, 3);
		break;
	case 2:		/* one block from two half-page segments */
		slot_rw(k4.abi, s, OP_READ, 2, 0xb92, 8);
		slot_seg(k4.abi, s, 0, k4.data_gref[0], 0, 3);
		slot_seg(k4.abi, s, 1, k4.data_gref[1], 4, 7);
		break;
	case 3:		/* a discard one sector in */
		slot_discard(k4.abi, s, 0, 0xb93, SCRATCH + 1, 8);
		break;
	default:	/* the valid read the others are measured against */
		slot_rw(k4.abi, s, OP_READ, 1, 0xb94, 8);
		slot_seg(k4.abi, s, 0, k4.data_gref[0], 0, 7);
		break;
	}
	r->got = req(&k4, s, QUICK, r);
	if (r->got != O_HALT && !control_io(&k4, &k4.q[0], 90 + hc->arg)) {
		note(r, "xvdc-control=fail ");
		r->got = O_BAD;
	}
}

/*
 * A14 (a state xenbus cannot read) and A17 (the frontend's state or its
 * whole directory removed while connected, reads in flight): the backend
 * sees Unknown and must remove the device, with its rings, on its own.
 * dom0 checks that it did (the mark "gone-"), and for xvdc puts the
 * backend back (state Initialising, as the toolstack does on attach) so
 * that the device is probed afresh and a new connection works on it.
 * xvdd loses its frontend directory, which the guest cannot write again:
 * the device stays gone.
 */
static struct front spare;

enum gone_how { GONE_STATE_ABC, GONE_STATE_RM, GONE_STATE_RM_IO, GONE_DIR_IO };

static bool gone_prepare(struct front *d, unsigned int devid, bool io,
			 struct res *r)
{
	uint8_t s[112];
	unsigned int i;

	if (!side_connected(d, devid, devid == XVDC ? "xvdc" : "xvdd", r))
		return false;
	if (!io)
		return front_reset(d) == 0;
	for (i = 0; i < 24; i++) {
		valid_read(d, s, 0x1700 + i, i);
		ring_push(d, &d->q[0], s);
	}
	ring_publish(d, &d->q[0], true);
	return true;
}

static void gone_device(struct front *f, const struct hcase *hc,
			struct res *r)
{
	struct front *d = hc->arg == GONE_DIR_IO ? &spare : &k4;
	unsigned int devid = d == &k4 ? XVDC : XVDD;
	char path[192], mark[96];

	r->got = O_BAD;
	if (!gone_prepare(d, devid, hc->arg >= GONE_STATE_RM_IO, r))
		return;
	snprintf(path, sizeof(path), "%s/state", d->fe);
	switch (hc->arg) {
	case GONE_STATE_ABC:
		xs_write(&d->xs, 0, path, "abc");
		break;
	case GONE_STATE_RM:
	case GONE_STATE_RM_IO:
		xs_rm(&d->xs, 0, path);
		break;
	default:
		xs_rm(&d->xs, 0, d->fe);
		break;
	}
	snprintf(mark, sizeof(mark), "gone-%u-%s", devid, hc->id);
	if (!dom0_sync(f, mark, 90000))
		return;
	/* The backend let go of the rings with the device. */
	front_drop(d);
	if (d == &spare) {
		r->got = O_OK;
		return;
	}
	front_set_state(d, XS_INITIALISING);
	snprintf(mark, sizeof(mark), "reprobe-%u-%s", devid, hc->id);
	if (!dom0_sync(f, mark, 90000))
		return;
	if (front_wait_be(d, XS_INITWAIT, 30000) != XS_INITWAIT) {
		note(r, "xvdc-not-offered-again=%d ", front_be_state(d));
		return;
	}
	if (front_connect(d, &plain) != O_CONN) {
		note(r, "xvdc-reconnect-failed ");
		return;
	}
	r->got = control_io(d, &d->q[0], 170 + hc->arg) ? O_OK : O_BAD;
	/* Nothing of ours left mapped in dom0 when the program ends. */
	if (front_reset(d))
		note(r, "xvdc-close-stuck ");
}

/*
 * D5: the frontend process dies (SIGKILL) with requests on its ring, and
 * a gntalloc unmap notification that signals the backend's port as its
 * pages go: an event on a ring nobody drives any more. The guest's next
 * frontend finds the vbd Connected, closes it and connects again.
 */
static int d5_child(unsigned int devid)
{
	struct ioctl_gntalloc_alloc_gref a = {
		.flags = GNTALLOC_FLAG_WRITABLE, .count = 1,
	};
	struct ioctl_gntalloc_unmap_notify n = { 0 };
	struct front c;
	uint8_t s[112];
	unsigned int i;

	if (front_init(&c, devid) || front_connect(&c, &plain) != O_CONN)
		return 1;
	a.domid = c.bedomid;
	if (ioctl(c.gfd, IOCTL_GNTALLOC_ALLOC_GREF, &a))
		return 2;
	if (mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_SHARED, c.gfd,
		 a.index) == MAP_FAILED)
		return 3;
	n.index = a.index;
	n.action = UNMAP_NOTIFY_SEND_EVENT | UNMAP_NOTIFY_CLEAR_BYTE;
	n.event_channel_port = c.q[0].port;
	if (ioctl(c.gfd, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n))
		return 4;
	for (i = 0; i < 16; i++) {
		valid_read(&c, s, 0xd500 + i, i);
		ring_push(&c, &c.q[0], s);
	}
	ring_publish(&c, &c.q[0], true);
	kill(getpid(), SIGKILL);
	return 5;
}

static void d5_crash(struct front *f, const struct hcase *hc, struct res *r)
{
	pid_t pid;
	int st = 0;

	(void)hc;
	r->reset = true;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(d5_child(f->devid));
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		r->got = 0;
		return;
	}
	note(r, "child=%s%d ", WIFSIGNALED(st) ? "signal-" : "exit-",
	     WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	if (!WIFSIGNALED(st)) {
		r->got = O_BAD;
		return;
	}
	sleep_ms(1000);
	note(r, "backend-state-after=%d ", front_be_state(f));
	if (front_reset(f)) {
		r->got = O_BAD;
		note(r, "close-after-crash-stuck ");
		return;
	}
	r->got = front_connect(f, &plain);
	if (r->got == O_CONN)
		r->got = control_io(f, q0(f), 55) ? O_OK : O_BAD;
}

/*
 * D4: many vbds at once. dom0 attaches them on the mark (xvde onwards,
 * as many as it was asked to), the guest connects every one, cycles all
 * their states together (A15's unwaited 1-3-5-6, interleaved across the
 * disks), times a control I/O on xvda right after, then closes, connects
 * and checks each. When dom0 detaches them it answers each backend's
 * Closing as blkfront does. dom0 counts threads and irqs at the peak.
 */
#define D4_FIRST	4		/* xvde */
#define D4_MAX		64
#define D4_ROUNDS	20

static struct front many[D4_MAX];

/* Linux's numbering: xvda-xvdp in major 202, then the extended form. */
static unsigned int xvd_devid(unsigned int disk)
{
	return disk < 16 ? 202u << 8 | disk << 4 : 1u << 28 | disk << 8;
}

static unsigned int d4_attach(void)
{
	unsigned int n = 0;

	while (n < D4_MAX && !front_init(&many[n], xvd_devid(D4_FIRST + n)))
		n++;
	/* front_init() stops before gntalloc when there is no disk. */
	if (n < D4_MAX && many[n].xs.fd > 0)
		close(many[n].xs.fd);
	return n;
}

static unsigned int d4_cycle(unsigned int n)
{
	static const unsigned int seq[] = { 1, 3, 5, 6 };
	unsigned int i, j, k, ok = 0;

	for (k = 0; k < D4_ROUNDS; k++)
		for (i = 0; i < n; i++)
			for (j = 0; j < 4; j++)
				front_set_state(&many[i], seq[j]);
	for (i = 0; i < n; i++)
		ok += !front_reset(&many[i]) &&
		      front_connect(&many[i], &plain) == O_CONN &&
		      control_io(&many[i], &many[i].q[0], 100 + i);
	return ok;
}

/* dom0 detaches one disk after another: Closed as each backend closes. */
static unsigned int d4_answer_detach(unsigned int n)
{
	long long end = now_ms() + 600000;
	unsigned int i, gone = 0;
	bool done[D4_MAX] = { false };
	int st;

	while (gone < n && now_ms() < end) {
		for (i = 0; i < n; i++) {
			if (done[i])
				continue;
			st = front_be_state(&many[i]);
			if (st == XS_CLOSING || st == XS_CLOSED) {
				front_set_state(&many[i], XS_CLOSED);
			} else if (st < 0) {
				done[i] = true;
				gone++;
			}
		}
		sleep_ms(200);
	}
	for (i = 0; i < n; i++)
		front_fini(&many[i]);
	return gone;
}

static void d4_many(struct front *f, const struct hcase *hc, struct res *r)
{
	unsigned int n, i, connected = 0, ok, gone;
	long long t;
	bool ctl;

	(void)hc;
	r->got = O_BAD;
	if (!dom0_sync(f, "attach-many", 900000))
		return;
	n = d4_attach();
	for (i = 0; i < n; i++)
		connected += front_wait_be(&many[i], XS_INITWAIT, 30000) ==
				     XS_INITWAIT &&
			     front_connect(&many[i], &plain) == O_CONN;
	t = now_ms();
	ok = d4_cycle(n);
	note(r, "vbds=%u connected=%u checked-after-cycles=%u cycles_ms=%lld ",
	     n, connected, ok, now_ms() - t);
	t = now_ms();
	ctl = control_io(f, q0(f), 44);
	note(r, "xvda-control=%s/%lldms ", ctl ? "ok" : "fail", now_ms() - t);
	if (!dom0_sync(f, "many-connected", 60000) ||
	    !dom0_sync(f, "detach-many", 60000))
		return;
	gone = d4_answer_detach(n);
	note(r, "detached=%u ", gone);
	if (!dom0_sync(f, "detached-many", 900000))
		return;
	r->got = n && connected == n && ok == n && gone == n && ctl ?
		 O_OK : O_BAD;
}

const struct hcase hcases[] = {
	/* id, what, expect, run, arg, subset, fresh */
	{ "A1-unknown", "protocol x86_16-abi",
	  O_FATAL, a1_protocol, 0, true, true },
	{ "A1-long", "protocol of 77 characters",
	  O_FATAL, a1_protocol, 1, false, true },
	{ "A1-empty", "protocol empty: the x86_32 default",
	  O_CONN, a1_protocol, 2, false, true },
	{ "A1-absent", "protocol absent: the x86_32 default",
	  O_CONN, a1_protocol, 3, false, true },
	{ "A2-32-says-64", "declares x86_32, writes x86_64",
	  O_OK | O_ERR | O_EOP, a2_lying_protocol, 0, false, true },
	{ "A2-64-says-32", "declares x86_64, writes x86_32",
	  O_OK | O_ERR | O_EOP, a2_lying_protocol, 1, false, true },
	{ "A3-order-5", "ring-page-order 5",
	  O_FATAL, a3_order, 0, true, true },
	{ "A3-order-31", "ring-page-order 31",
	  O_FATAL, a3_order, 1, false, true },
	{ "A3-order-u32max", "ring-page-order 4294967295",
	  O_FATAL, a3_order, 2, false, true },
	{ "A3-order-minus1", "ring-page-order -1",
	  O_FATAL, a3_order, 3, false, true },
	{ "A3-order-abc", "ring-page-order abc",
	  O_FATAL, a3_order, 4, false, true },
	{ "A3-order-2junk", "ring-page-order 2junk",
	  O_FATAL, a3_order, 5, false, true },
	{ "A4-only-ring-ref", "order 2, only ring-ref",
	  O_FATAL, a4_missing_ref, 0, false, true },
	{ "A4-ref-missing", "order 2, ring-ref2 missing",
	  O_FATAL, a4_missing_ref, 1, true, true },
	{ "A5-stale-refs", "stale ring-ref0..3 beside ring-ref",
	  O_CONN, a5_stale_keys, 0, false, true },
	{ "A6-ref-u32max", "ring-ref 4294967295",
	  O_FATAL, a6_bad_ring_ref, 0, true, true },
	{ "A6-ref-ungranted", "ring-ref never granted",
	  O_FATAL, a6_bad_ring_ref, 1, false, true },
	{ "A6-ref-readonly", "ring-ref granted read-only",
	  O_FATAL, a6_bad_ring_ref, 2, false, true },
	{ "A6-ref-other-dom", "ring-ref granted to another domain",
	  O_FATAL, a6_bad_ring_ref, 3, false, true },
	{ "A6-ref-revoked", "ring-ref granted and ended",
	  O_FATAL, a6_bad_ring_ref, 4, false, true },
	{ "A7-aliased", "two ring pages, one grant",
	  O_CONN | O_FATAL, a7_aliased_ring, 0, false, true },
	{ "A8-port-0", "event-channel 0",
	  O_FATAL, a8_bad_evtchn, 0, false, true },
	{ "A8-port-99999", "event-channel 99999",
	  O_FATAL, a8_bad_evtchn, 1, true, true },
	{ "A8-port-abc", "event-channel abc",
	  O_FATAL, a8_bad_evtchn, 2, false, true },
	{ "A8-port-other-dom", "event-channel open to another domain",
	  O_FATAL, a8_bad_evtchn, 3, false, true },
	{ "A8-port-console", "event-channel = the guest's console port",
	  O_FATAL, a8_bad_evtchn, 4, true, true },
	{ "A8-port-store", "event-channel = the guest's xenstore port",
	  O_FATAL, a8_bad_evtchn, 5, false, true },
	{ "A9-queues-0", "multi-queue-num-queues 0",
	  O_FATAL, a9_queues, 0, false, true },
	{ "A9-queues-max+1", "multi-queue-num-queues max+1",
	  O_FATAL, a9_queues, 1, true, true },
	{ "A9-queues-u32max", "multi-queue-num-queues 4294967295",
	  O_FATAL, a9_queues, 2, false, true },
	{ "A9-queue-1-missing", "two queues, queue-1 keys missing",
	  O_FATAL, a9_queues, 3, false, true },
	{ "A10-prod-ahead", "req_prod 100 ahead once connected",
	  O_HALT | O_FATAL, a10_indices, 0, false, true },
	{ "A11-wrap", "indices cross 2^32",
	  O_CONN, a11_wrap, 0, true, true },
	{ "A12-toctou", "connect keys flipped while read",
	  O_CONN | O_FATAL, a12_toctou, 10, true, true },
	{ "A13-abi-switch", "x86_64 then x86_32",
	  O_CONN, a13_switch, 0, false, true },
	{ "A14-connected-first", "Connected without Initialised",
	  O_CONN, a14_states, 0, false, true },
	{ "A14-odd-states", "states 2, 7, 8, 9, -1, 255, 2^32+1 at InitWait",
	  O_CONN, a14_states, 1, true, true },
	{ "A15-cycles", "300 unwaited 1-3-5-6 cycles",
	  O_CONN, a15_cycles, 0, true, true },
	{ "A15-cycles-io", "the same with reads in flight",
	  O_CONN, a15_cycles, 1, false, true },
	{ "A16-reinit", "Initialised again with I/O in flight",
	  O_OK, a16_reinit, 0, true, false },
	{ "A18-watch-storm", "10^4 state writes, 16 values of 4 KB",
	  O_OK, a18_watch_storm, 10000, false, false },
	{ "B1-prod-ring+1", "req_prod a ring and one ahead",
	  O_HALT, b1_prod, 0, true, false },
	{ "B1-prod-2^31", "req_prod 2^31 ahead",
	  O_HALT, b1_prod, 1, false, false },
	{ "B1-prod-back", "req_prod behind req_cons",
	  O_HALT, b1_prod, 2, false, false },
	{ "B2-no-consume", "two ringfuls, answers never consumed",
	  O_OK, b2_no_consume, 0, false, false },
	{ "B3-op-4", "operation 4 (reserved)",
	  O_EOP, b3_unknown_op, 4, true, false },
	{ "B3-op-7", "operation 7",
	  O_EOP, b3_unknown_op, 7, false, false },
	{ "B3-op-255", "operation 255",
	  O_EOP, b3_unknown_op, 255, false, false },
	{ "B4-read-0-segs", "READ with no segment",
	  O_ERR, b46_nseg, 0, true, false },
	{ "B4-write-0-segs", "WRITE with no segment",
	  O_ERR, b46_nseg, 1000, false, false },
	{ "B5-flush-0-segs", "bare FLUSH",
	  O_OK, b5_bare_flush, OP_FLUSH, true, false },
	{ "B5-barrier-0-segs", "bare BARRIER",
	  O_OK, b5_bare_flush, OP_BARRIER, false, false },
	{ "B6-12-segs", "direct READ with 12 segments",
	  O_ERR, b46_nseg, 12, true, false },
	{ "B6-255-segs", "direct READ with 255 segments",
	  O_ERR, b46_nseg, 255, false, false },
	{ "B7-first>last", "first_sect 5 > last_sect 4",
	  O_ERR, b7_sectors, 0, true, false },
	{ "B7-last-8", "last_sect 8",
	  O_ERR, b7_sectors, 1, false, false },
	{ "B7-7-7", "first = last = 7 (valid)",
	  O_OK, b7_sectors, 2, false, false },
	{ "B7-255", "first = last = 255",
	  O_ERR, b7_sectors, 3, false, false },
	{ "B8-wrap", "sector 2^64-1, 8 sectors",
	  O_ERR, b8_range, 0, true, false },
	{ "B8-straddle-end", "last sector + 7 past the end",
	  O_ERR, b8_range, 1, false, false },
	{ "B8-at-end", "sector = disk size",
	  O_ERR, b8_range, 2, false, false },
	{ "B8-last-page", "the disk's last page (valid)",
	  O_OK, b8_range, 3, false, false },
	{ "B8-wrap-7", "sector 2^64-8, 8 sectors",
	  O_ERR, b8_range, 4, false, false },
	{ "B11-gref-u32max", "segment gref 4294967295",
	  O_ERR, b11_bad_gref, 0, true, false },
	{ "B11-gref-ungranted", "segment gref never granted",
	  O_ERR, b11_bad_gref, 1, false, false },
	{ "B11-gref-readonly", "READ into a read-only grant",
	  O_ERR, b11_bad_gref, 2, true, false },
	{ "B11-gref-other-dom", "segment granted to another domain",
	  O_ERR, b11_bad_gref, 3, false, false },
	{ "B11-gref-revoked", "segment granted and ended",
	  O_ERR, b11_bad_gref, 4, false, false },
	{ "B12-partial-direct", "segment 5 of 11 unmappable",
	  O_ERR, b12_partial_map, 0, true, false },
	{ "B12-partial-indirect", "segment 20 of 32 unmappable",
	  O_ERR, b12_partial_map, 1, false, false },
	{ "B13-same-gref", "one grant in 11 segments x a ringful",
	  O_OK | O_ERR, b13_same_gref, 0, true, false },
	{ "B13-same-gref-pgnt", "the same, persistent grants on",
	  O_OK | O_ERR, b13_persistent, 0, false, true },
	{ "B14-revoke", "page unmapped right after the kick",
	  O_OK | O_ERR, b14_revoke, 0, true, false },
	{ "B14-aba", "the same, and the grant number handed out again",
	  O_OK | O_ERR, b14_revoke, 1, false, false },
	{ "B15-double-fetch", "slot and indirect page rewritten while read",
	  O_OK, b15_double_fetch, 300, true, false },
	{ "B16-ind-0", "indirect, 0 segments",
	  O_ERR, b16_indirect, 0, true, false },
	{ "B16-ind-257", "indirect, 257 segments",
	  O_ERR, b16_indirect, 1, false, false },
	{ "B16-ind-65535", "indirect, 65535 segments",
	  O_ERR, b16_indirect, 2, false, false },
	{ "B16-ind-flush", "indirect FLUSH",
	  O_ERR | O_EOP, b16_indirect, 3, false, false },
	{ "B16-ind-discard", "indirect DISCARD",
	  O_ERR | O_EOP, b16_indirect, 4, false, false },
	{ "B16-ind-indirect", "indirect INDIRECT",
	  O_ERR | O_EOP, b16_indirect, 5, false, false },
	{ "B16-ind-255", "indirect operation 255",
	  O_ERR | O_EOP, b16_indirect, 6, false, false },
	{ "B17-seg-gref", "bad grant inside the indirect page",
	  O_ERR, b17_indirect_page, 0, true, false },
	{ "B17-first>last", "first > last inside the page",
	  O_ERR, b17_indirect_page, 1, false, false },
	{ "B17-last-8", "last_sect 8 inside the page",
	  O_ERR, b17_indirect_page, 2, false, false },
	{ "B17-page-gref", "the indirect page not granted",
	  O_ERR, b17_indirect_page, 3, false, false },
	{ "B18-ind-is-ring", "indirect page = ring page",
	  O_OK | O_ERR, b18_indirect_alias, 0, false, false },
	{ "B18-ind-is-target", "indirect page = the read's target",
	  O_OK | O_ERR, b18_indirect_alias, 1, true, false },
	{ "B19-spare-grefs", "indirect_grefs[1..7] garbage",
	  O_OK, b19_spare_grefs, 0, false, false },
	{ "B20-discard-0", "discard of 0 sectors",
	  O_ERR, b20_discard, 0, true, false },
	{ "B20-discard-u64max", "discard of 2^64-1 sectors",
	  O_ERR, b20_discard, 1, false, false },
	{ "B20-discard-wrap", "discard across 2^64",
	  O_ERR, b20_discard, 2, false, false },
	{ "B20-discard-past-end", "discard past the end",
	  O_ERR, b20_discard, 3, false, false },
	{ "B20-discard-secure", "secure discard",
	  O_OK, b20_discard, 4, false, false },
	{ "B20-discard-valid", "discard of 8 sectors (valid)",
	  O_OK, b20_discard, 5, false, false },
	{ "B20-discard-flag-80", "discard flag 0x80",
	  O_EOP | O_ERR, b20_discard, 6, false, false },
	{ "B21-flush-storm", "writes, flushes, barriers interleaved",
	  O_OK, b21_flush_storm, 0, true, false },
	{ "B22-ids-0", "16 requests all with id 0",
	  O_OK, b22_ids, 0, false, false },
	{ "B23-garbage-fields", "handle 0xffff, padding 0xff",
	  O_OK, b22_ids, 1, true, false },
	{ "B24-backend-fields", "rsp_prod and req_event scribbled",
	  O_OK, b24_backend_fields, 0, true, false },
	{ "B25-x86_32", "32-bit layout answers and padding",
	  O_OK, b25_x86_32, 0, true, true },
	{ "B26-exhaust", "a full 16-page ring x 2 queues of indirect reads",
	  O_OK | O_ERR, b26_exhaust, 0, false, true },
	{ "C1-storm-idle", "notify storm, idle ring",
	  O_OK, c1_storm, 0, true, false },
	{ "C1-storm-halted", "notify storm, halted ring",
	  O_HALT, c1_storm, 1, true, false },
	{ "C2-storm-full", "notify storm over a full ring",
	  O_OK, c2_storm_full, 0, false, false },
	{ "C3-unbind", "our port closed mid-I/O",
	  O_OK, c3_unbind, 0, true, false },
	{ "C4-no-kick", "requests without a notification",
	  O_OK, c4_no_kick, 0, false, false },
	{ "D2-rmmod-connected", "rmmod while connected",
	  O_OK, d2_rmmod, 0, true, false },
	{ "D2-rmmod-halted", "rmmod while halted",
	  O_HALT, d2_rmmod, 1, false, false },
	{ "D5-crash", "frontend killed, unmap notify on its port",
	  O_OK, d5_crash, 0, true, true },
	{ "D4-many-vbds", "dom0 attaches many disks, all cycled at once",
	  O_OK, d4_many, 0, false, false },
	/* On xvdc (4 KiB blocks), in this order: A14/A17 take it away. */
	{ "B9-sector-odd", "4 KiB device: a block one sector in",
	  O_ERR, b9_misaligned, 0, false, false },
	{ "B9-half-block", "4 KiB device: half a block",
	  O_ERR, b9_misaligned, 1, true, false },
	{ "B9-split-block", "4 KiB device: a block of two half segments",
	  O_ERR, b9_misaligned, 2, false, false },
	{ "B9-discard-odd", "4 KiB device: a discard one sector in",
	  O_ERR | O_EOP, b9_misaligned, 3, false, false },
	{ "B9-aligned", "4 KiB device: one block (valid)",
	  O_OK, b9_misaligned, 4, false, false },
	{ "A14-unreadable", "state abc: the device goes, dom0 restores it",
	  O_OK, gone_device, GONE_STATE_ABC, false, false },
	{ "A14-state-missing", "state removed at InitWait",
	  O_OK, gone_device, GONE_STATE_RM, false, false },
	{ "A17-rm-state", "state removed while connected, reads in flight",
	  O_OK, gone_device, GONE_STATE_RM_IO, true, false },
	/* xvdd: its frontend directory goes for good. */
	{ "A17-rm-dir", "frontend directory removed, reads in flight",
	  O_OK, gone_device, GONE_DIR_IO, false, false },
	/* On xvdb, in this order: A19 takes the disk away. */
	{ "B10-write-ro", "WRITE on the read-only disk",
	  O_ERR, b10_readonly, OP_WRITE, false, false },
	{ "B10-flush-ro", "FLUSH on the read-only disk",
	  O_ERR | O_EOP, b10_readonly, OP_FLUSH, false, false },
	{ "B10-discard-ro", "DISCARD on the read-only disk",
	  O_ERR | O_EOP, b10_readonly, OP_DISCARD, false, false },
	{ "B10-read-ro", "READ on the read-only disk (valid)",
	  O_OK, b10_readonly, OP_READ, false, false },
	{ "A19-detach-unacked", "xl block-detach, Closing never answered",
	  O_OK, a19_detach_unacked, 0, false, false },
};

const size_t nr_hcases = ARRAY_SIZE(hcases);
