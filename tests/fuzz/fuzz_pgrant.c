// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the persistent-grant cache as a sequence of get, add,
 * put and evict operations, run beside a model that keeps the same books
 * in plain arrays: which grefs are cached, which are in use, the idle ones
 * in least-recently-used order, and when each went idle. After every
 * operation the two must agree, and the tree must hold exactly the cached
 * grefs in order.
 *
 * Input: 4 bytes of clock start, then 3 bytes per operation.
 */
#include <stdlib.h>

#include "core.h"
#include "fuzz.h"

#define POOL	64

static struct xbb_pgrant pool[POOL];
static bool in_cache[POOL];
/* Model: idle grants in LRU order, as pool indexes. */
static unsigned int lru[POOL], nr_lru;

static int find_cached(grant_ref_t gref)
{
	int i;

	for (i = 0; i < POOL; i++)
		if (in_cache[i] && pool[i].gref == gref)
			return i;
	return -1;
}

static void lru_remove(unsigned int i)
{
	unsigned int k;

	for (k = 0; k < nr_lru; k++)
		if (lru[k] == i) {
			memmove(&lru[k], &lru[k + 1], (nr_lru - k - 1) * sizeof(lru[0]));
			nr_lru--;
			return;
		}
}

/* In-order walk: strictly increasing grefs, each one a cached entry. */
static unsigned int walk(const struct rb_node *n, grant_ref_t *prev, bool *first)
{
	const struct xbb_pgrant *pg;
	unsigned int count;

	if (!n)
		return 0;
	count = walk(n->rb_left, prev, first);
	pg = rb_entry(n, struct xbb_pgrant, node);
	FUZZ_CHECK(*first || pg->gref > *prev);
	FUZZ_CHECK(in_cache[pg - pool]);
	*prev = pg->gref;
	*first = false;
	return count + 1 + walk(n->rb_right, prev, first);
}

static void check_books(const struct xbb_pgrant_cache *cache)
{
	unsigned int cached = 0, k = 0, i;
	const struct list_head *pos;
	grant_ref_t prev = 0;
	bool first = true;

	for (i = 0; i < POOL; i++)
		cached += in_cache[i];
	FUZZ_CHECK(cache->nr == cached);
	FUZZ_CHECK(walk(cache->tree.rb_node, &prev, &first) == cached);
	for (pos = cache->lru.next; pos != &cache->lru; pos = pos->next, k++) {
		const struct xbb_pgrant *pg = list_entry(pos, struct xbb_pgrant, lru);

		FUZZ_CHECK(k < nr_lru && pg == &pool[lru[k]] && !pg->active);
	}
	FUZZ_CHECK(k == nr_lru);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct xbb_pgrant_cache cache;
	unsigned long now;

	if (size < 4)
		return 0;
	/* Near the top of the clock often: idle times must survive a wrap. */
	now = data[0] & 1 ? ~0UL - (data[1] << 8 | data[2]) : data[3];
	data += 4;
	size -= 4;
	memset(pool, 0, sizeof(pool));
	memset(in_cache, 0, sizeof(in_cache));
	nr_lru = 0;
	xbb_pgrant_cache_init(&cache);

	for (; size >= 3; data += 3, size -= 3) {
		/* A few grefs, so that the operations meet each other. */
		grant_ref_t gref = data[1] % 48;
		unsigned int arg = data[2], i;
		struct xbb_pgrant *pg;
		bool busy;
		int c;

		now += arg % 8;
		switch (data[0] % 4) {
		case 0:	/* a request names gref: take it if cached and idle */
			c = find_cached(gref);
			busy = c >= 0 && pool[c].active;
			pg = xbb_pgrant_get(&cache, gref);
			if (c < 0 || busy) {
				FUZZ_CHECK(!pg);
				break;
			}
			FUZZ_CHECK(pg == &pool[c] && pg->active);
			lru_remove(c);
			break;
		case 1:	/* a fresh mapping of gref, offered to the cache */
			for (i = 0; i < POOL && (in_cache[i] || pool[i].active); i++)
				;
			if (i == POOL)
				break;
			c = find_cached(gref);
			pool[i].gref = gref;
			if (xbb_pgrant_add(&cache, &pool[i])) {
				FUZZ_CHECK(c < 0 && pool[i].active);
				in_cache[i] = true;
			} else {
				FUZZ_CHECK(c >= 0);
			}
			break;
		case 2:	/* a request is done with the arg-th grant in use */
			for (i = 0; i < POOL; i++) {
				if (!in_cache[(i + arg) % POOL] || !pool[(i + arg) % POOL].active)
					continue;
				i = (i + arg) % POOL;
				xbb_pgrant_put(&cache, &pool[i], now);
				FUZZ_CHECK(!pool[i].active && pool[i].last_used == now);
				lru[nr_lru++] = i;
				break;
			}
			break;
		case 3: {	/* housekeeping or teardown picks a victim */
			unsigned int cap = arg % 16, idle = arg / 16;
			bool all = gref & 1;
			struct xbb_pgrant *head = nr_lru ? &pool[lru[0]] : NULL;
			bool go = head && (all || cache.nr > cap ||
					   (long)(now - (head->last_used + idle)) >= 0);

			pg = xbb_pgrant_evict(&cache, cap, idle, now, all);
			FUZZ_CHECK(pg == (go ? head : NULL));
			if (pg) {
				in_cache[pg - pool] = false;
				lru_remove(pg - pool);
			}
			break;
		}
		}
		check_books(&cache);
	}
	return 0;
}
