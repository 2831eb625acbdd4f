/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBB_SHIM_RBTREE_H
#define XBB_SHIM_RBTREE_H

#include <linux/kernel.h>

/*
 * The kernel's rbtree interface over a plain binary search tree: callers
 * walk rb_left/rb_right and link nodes exactly as with the kernel's, and
 * rb_insert_color() has nothing to rebalance. Lookups may degrade to a
 * list, which a fuzzer's small trees do not mind; the ordering and the
 * erase are what the core depends on, and those are exact. (Defined in
 * fuzz-shim.c.)
 */
struct rb_node {
	struct rb_node *rb_parent;
	struct rb_node *rb_left;
	struct rb_node *rb_right;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			((struct rb_root) { NULL })
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = NULL;
	node->rb_right = NULL;
	*link = node;
}

static inline void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	(void)node;
	(void)root;
}

void rb_erase(struct rb_node *node, struct rb_root *root);

#endif
