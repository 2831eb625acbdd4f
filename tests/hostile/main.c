// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile: plays the frontend of one of this guest's vbds (xen-blkfront
 * must not be loaded) and runs the attack catalogue against its backend.
 *
 *   hostile [--subset] [--devid N] [--ring ABI:ORDER:QUEUES] [CASE-ID...]
 *                           --ring: the ring cases on another kind of ring
 *                           (e.g. 32:2:2: x86_32, 4 pages, 2 queues, the
 *                           cases on the last queue)
 *   hostile --hold          D1: keep a ring full of reads until destroyed
 *   hostile --wrong ...     every expectation inverted: every case must fail
 *
 * One line per case on stdout (the guest's console):
 *   XBB-RESULT hostile-<id> pass|fail expect=<set> got=<outcome>
 *              control=ok|fail|- [detail]
 * "control" is the tagged write read back on the same ring after the case;
 * a case whose expected answer halts or refuses the ring is followed by a
 * close and a fresh connect instead, and that must work too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

static const char *const outcome_names[] = {
	"OK", "ERR", "EOP", "HALT", "FATAL", "CONN", "BAD",
};

static void outcome_str(unsigned int set, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(outcome_names); i++)
		if (set & (1u << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      outcome_names[i]);
	if (!n)
		snprintf(buf, len, "NONE");
}

struct conn ring_conn;

struct queue *ring_queue(struct front *f)
{
	return &f->q[f->nr_queues ? f->nr_queues - 1 : 0];
}

/* "--ring ABI:ORDER:QUEUES", e.g. 32:2:2. */
char ring_tag[32];

static int parse_ring(const char *arg)
{
	unsigned int abi, order, queues;

	if (sscanf(arg, "%u:%u:%u", &abi, &order, &queues) != 3 ||
	    (abi != 32 && abi != 64) || order > MAX_RING_ORDER ||
	    !queues || queues > MAX_QUEUES)
		return -1;
	ring_conn.abi = abi == 32 ? &abi_x86_32 : &abi_x86_64;
	ring_conn.order = order;
	ring_conn.queues = queues;
	snprintf(ring_tag, sizeof(ring_tag), "@x86_%u.o%u.q%u", abi, order,
		 queues);
	return 0;
}

/*
 * The negative control (--wrong): every case expects what it must not
 * get, so every case must fail; a case that passes anyway checks nothing.
 */
static bool wrong;

/* Runs one case; false when the backend can no longer be reached. */
static bool run_case(struct front *f, const struct hcase *c, unsigned int n,
		     bool *pass)
{
	struct res r = { .expect = c->expect };
	char want[64], got[64];
	const char *ctl = "-";
	bool stuck = false;

	if (c->fresh && f->connected && front_reset(f))
		return false;
	if (!c->fresh && !f->connected &&
	    front_connect(f, &ring_conn) != O_CONN) {
		printf("XBB-RESULT hostile-%s%s fail reason=no-connection\n",
		       c->id, ring_tag);
		*pass = false;
		return front_reset(f) == 0;
	}
	c->run(f, c, &r);
	if (wrong)
		r.expect = ~r.expect & (O_OK | O_ERR | O_EOP | O_HALT | O_FATAL |
					O_CONN);
	if (f->connected && !(r.got & (O_HALT | O_FATAL)))
		ctl = control_io(f, ring_queue(f), 1000 + n) ? "ok" : "fail";
	if (r.reset || !r.got || (r.got & (O_HALT | O_FATAL | O_BAD)) ||
	    !strcmp(ctl, "fail") || !f->connected) {
		stuck = front_reset(f) != 0;
		/* After a halt or a refusal: a new connection must work. */
		if (!stuck && (r.got & (O_HALT | O_FATAL)) && !c->fresh) {
			if (front_connect(f, &ring_conn) != O_CONN ||
			    !control_io(f, ring_queue(f), 2000 + n))
				ctl = "fail-after-reconnect";
			else
				ctl = "ok-after-reconnect";
		}
	}
	*pass = (r.got & r.expect) && strncmp(ctl, "fail", 4) && !stuck;
	outcome_str(r.expect, want, sizeof(want));
	outcome_str(r.got, got, sizeof(got));
	printf("XBB-RESULT hostile-%s%s %s expect=%s got=%s control=%s%s %s\n",
	       c->id, ring_tag, *pass ? "pass" : "fail", want, got, ctl,
	       stuck ? " reset=stuck" : "", r.detail);
	fflush(stdout);
	return !stuck;
}

/* "B1-" selects every B1 case. */
static bool prefix_of(const char *arg, const char *id)
{
	size_t n = strlen(arg);

	return n && arg[n - 1] == '-' && !strncmp(arg, id, n);
}

/*
 * D1: a ringful of reads in flight, refilled as answers come, until dom0
 * destroys the domain (at the mark). What is checked is dom0's: the
 * destroy returns, the domain is released, nothing is left behind.
 */
static int hold(struct front *f)
{
	struct queue *q;
	struct rsp rsp;
	uint8_t s[112];
	bool marked = false;
	uint64_t id = 0;
	unsigned int i;

	if (front_connect(f, &ring_conn) != O_CONN) {
		printf("XBB-RESULT hostile-D1-destroy-under-load fail reason=no-connection\n");
		return 1;
	}
	q = &f->q[0];
	for (;;) {
		while (q->req_prod_pvt - q->rsp_cons < q->size) {
			memset(s, 0, sizeof(s));
			slot_rw(f->abi, s, OP_READ, SEGS_DIRECT, id++, 0);
			for (i = 0; i < SEGS_DIRECT; i++)
				slot_seg(f->abi, s, i, f->data_gref[i], 0, 7);
			ring_push(f, q, s);
		}
		ring_publish(f, q, true);
		if (!marked) {
			/* dom0 destroys us on this line: no ack to wait for. */
			printf("XBB-GUEST-DONE\nXBB-MARK hostile-destroy-under-load\n");
			fflush(stdout);
			marked = true;
		}
		ring_wait(f, q, 1000, &rsp);
	}
}

static bool selected(const struct hcase *c, int argc, char **argv, int first,
		     bool subset)
{
	int i;

	if (first >= argc)
		return !subset || c->subset;
	for (i = first; i < argc; i++)
		if (!strcmp(argv[i], c->id) || prefix_of(argv[i], c->id))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int devid = 51712, ran = 0, failed = 0, i;
	bool subset = false, do_hold = false, pass;
	struct front f;
	char path[96];
	int a = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a++) {
		if (!strcmp(argv[a], "--subset")) {
			subset = true;
		} else if (!strcmp(argv[a], "--devid") && a + 1 < argc) {
			devid = strtoul(argv[++a], NULL, 0);
		} else if (!strcmp(argv[a], "--wrong")) {
			wrong = true;
		} else if (!strcmp(argv[a], "--ring") && a + 1 < argc) {
			if (parse_ring(argv[++a])) {
				printf("XBB-RESULT hostile-setup fail reason=bad-ring-%s\n",
				       argv[a]);
				return 1;
			}
		} else if (!strcmp(argv[a], "--hold")) {
			do_hold = true;
		} else if (!strcmp(argv[a], "--list")) {
			for (i = 0; i < nr_hcases; i++)
				printf("%-22s %s%s\n", hcases[i].id,
				       hcases[i].what,
				       hcases[i].subset ? " [subset]" : "");
			return 0;
		}
	}
	if (front_init(&f, devid)) {
		printf("XBB-RESULT hostile-setup fail reason=front-init\n");
		return 1;
	}
	/* Ours, so that dom0's ack (a write of an existing node) reaches us. */
	snprintf(path, sizeof(path), "/local/domain/%u/data/xbb-ack", f.domid);
	xs_write(&f.xs, 0, path, "");
	/* After the catalogue (another run) the frontend is Closed. */
	if (do_hold)
		front_set_state(&f, XS_INITIALISING);
	if (front_wait_be(&f, XS_INITWAIT, 60000) != XS_INITWAIT) {
		printf("XBB-RESULT hostile-setup fail reason=backend-not-at-initwait state=%d\n",
		       front_be_state(&f));
		return 1;
	}
	if (do_hold)
		return hold(&f);
	hlog("backend %s, domid %u, ring cases on %s", f.be, f.domid,
	     ring_tag[0] ? ring_tag + 1 : "x86_64.o0.q1");
	for (i = 0; i < nr_hcases; i++) {
		if (!selected(&hcases[i], argc, argv, a, subset))
			continue;
		ran++;
		if (!run_case(&f, &hcases[i], i, &pass)) {
			failed++;
			printf("XBB-RESULT hostile-aborted fail after=%s\n",
			       hcases[i].id);
			break;
		}
		failed += !pass;
	}
	if (f.connected)
		front_reset(&f);
	front_set_state(&f, XS_CLOSED);
	hlog("%u cases, %u failed", ran, failed);
	return failed ? 1 : 0;
}
