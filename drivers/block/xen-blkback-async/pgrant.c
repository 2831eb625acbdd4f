// SPDX-License-Identifier: GPL-2.0-only
/*
 * The persistent-grant cache: which grants a ring keeps mapped, which are
 * in use, and which to unmap first. Mapping and unmapping are the glue's
 * (grant.c); this file only keeps the books.
 *
 * Pure core: no hypervisor or block-layer calls (see core.h).
 */

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/rbtree.h>

#include "core.h"

/**
 * xbb_pgrant_cache_init() - an empty cache
 * @cache: the cache
 *
 * Context: any.
 */
void xbb_pgrant_cache_init(struct xbb_pgrant_cache *cache)
{
	cache->tree = RB_ROOT;
	INIT_LIST_HEAD(&cache->lru);
	cache->nr = 0;
}

static struct xbb_pgrant *xbb_pgrant_find(struct xbb_pgrant_cache *cache,
					  grant_ref_t gref)
{
	struct rb_node *node = cache->tree.rb_node;

	while (node) {
		struct xbb_pgrant *pg = rb_entry(node, struct xbb_pgrant, node);

		if (gref < pg->gref)
			node = node->rb_left;
		else if (gref > pg->gref)
			node = node->rb_right;
		else
			return pg;
	}
	return NULL;
}

/**
 * xbb_pgrant_get() - take an idle persistent grant for a request
 * @cache: the cache
 * @gref: the grant the request names
 *
 * A grant already in use by another request (a frontend may name the same
 * page twice) is not shared: the caller maps it once more instead.
 *
 * Context: the cache's owner.
 * Return: the grant, now active, or NULL.
 */
struct xbb_pgrant *xbb_pgrant_get(struct xbb_pgrant_cache *cache,
				  grant_ref_t gref)
{
	struct xbb_pgrant *pg = xbb_pgrant_find(cache, gref);

	if (!pg || pg->active)
		return NULL;
	pg->active = true;
	list_del_init(&pg->lru);
	return pg;
}

/**
 * xbb_pgrant_add() - keep a freshly mapped grant
 * @cache: the cache
 * @pg: the grant, active
 *
 * A frontend may use one grant twice, in one request or in two in flight:
 * the second mapping of it is not kept, so that each gref has one entry.
 *
 * Context: the cache's owner.
 * Return: true if @pg was added, false if its gref is already cached.
 */
bool xbb_pgrant_add(struct xbb_pgrant_cache *cache, struct xbb_pgrant *pg)
{
	struct rb_node **link = &cache->tree.rb_node, *parent = NULL;

	while (*link) {
		struct xbb_pgrant *this = rb_entry(*link, struct xbb_pgrant,
						   node);

		parent = *link;
		if (pg->gref == this->gref)
			return false;
		link = pg->gref < this->gref ? &(*link)->rb_left :
					       &(*link)->rb_right;
	}
	pg->active = true;
	INIT_LIST_HEAD(&pg->lru);
	rb_link_node(&pg->node, parent, link);
	rb_insert_color(&pg->node, &cache->tree);
	cache->nr++;
	return true;
}

/**
 * xbb_pgrant_put() - a request is done with a grant
 * @cache: the cache
 * @pg: the grant
 * @now: jiffies
 *
 * Context: the cache's owner.
 */
void xbb_pgrant_put(struct xbb_pgrant_cache *cache, struct xbb_pgrant *pg,
		    unsigned long now)
{
	pg->active = false;
	pg->last_used = now;
	list_add_tail(&pg->lru, &cache->lru);
}

/**
 * xbb_pgrant_evict() - pick the next idle grant to unmap
 * @cache: the cache
 * @cap: most grants to keep
 * @idle: jiffies an idle grant may stay
 * @now: jiffies
 * @all: every idle grant goes (teardown, memory pressure)
 *
 * Takes the least recently used idle grant if the cache is over @cap, the
 * grant has been idle for @idle or more, or @all is set. Grants in use are
 * never picked.
 *
 * Context: the cache's owner.
 * Return: the grant, out of the cache, for the caller to unmap and free;
 * NULL when none should go.
 */
struct xbb_pgrant *xbb_pgrant_evict(struct xbb_pgrant_cache *cache,
				    unsigned int cap, unsigned long idle,
				    unsigned long now, bool all)
{
	struct xbb_pgrant *pg;

	pg = list_first_entry_or_null(&cache->lru, struct xbb_pgrant, lru);
	if (!pg)
		return NULL;
	if (!all && cache->nr <= cap && time_before(now, pg->last_used + idle))
		return NULL;
	list_del_init(&pg->lru);
	rb_erase(&pg->node, &cache->tree);
	cache->nr--;
	return pg;
}
