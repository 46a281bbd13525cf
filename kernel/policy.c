// SPDX-License-Identifier: GPL-2.0
/*
 * vnet drop policy: Rubini's "insane" modes on transmit.
 *
 * Each frame the device relays passes the policy (pass, percent, time)
 * and goes out on the slave with dev_queue_xmit(), or is freed with
 * kfree_skb() (drop monitors see it) and counted by reason.  The policy
 * is one RCU-published, immutable struct vnet_cfg; percent mode's draws
 * are hashes of the seed and a counter: the xmit path takes no lock and
 * allocates nothing.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <net/netlink.h>

#include "vnet_priv.h"

/* ------------------------------------------------------------------ */
/* Configuration objects                                               */
/* ------------------------------------------------------------------ */

static struct vnet_cfg *vnet_cfg_new(u64 seed, bool chosen)
{
	struct vnet_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;
	cfg->cpu_draws = alloc_percpu(u64);
	if (!cfg->cpu_draws) {
		kfree(cfg);
		return NULL;
	}
	cfg->seed = seed;
	cfg->shared_draws = chosen;
	atomic64_set(&cfg->draws, 0);
	cfg->start = ktime_get();
	return cfg;
}

struct vnet_cfg *vnet_cfg_alloc_default(void)
{
	return vnet_cfg_new(get_random_u64(), false);
}

/* A policy from a request that vnet_policy_validate() accepted. */
struct vnet_cfg *vnet_cfg_alloc(const struct vnet_relay_req *req)
{
	struct vnet_cfg *cfg;

	cfg = vnet_cfg_new(req->seeded ? req->seed : get_random_u64(),
			   req->seeded);
	if (!cfg)
		return NULL;
	cfg->mode = req->mode;
	if (req->mode != VNET_MODE_PASS)
		cfg->arg1 = req->arg1;
	if (req->mode == VNET_MODE_TIME) {
		cfg->arg2 = req->arg2;
		cfg->on_ns = (u64)req->arg1 * NSEC_PER_MSEC;
		cfg->period_ns = cfg->on_ns + (u64)req->arg2 * NSEC_PER_MSEC;
	}
	return cfg;
}

void vnet_cfg_free(struct vnet_cfg *cfg)
{
	if (!cfg)
		return;
	free_percpu(cfg->cpu_draws);
	kfree(cfg);
}

static void vnet_cfg_free_rcu(struct rcu_head *head)
{
	vnet_cfg_free(container_of(head, struct vnet_cfg, rcu));
}

/* Publish @cfg; the old policy is freed once its readers are gone. RTNL. */
void vnet_cfg_replace(struct vnet_priv *priv, struct vnet_cfg *cfg)
{
	struct vnet_cfg *old;

	old = rcu_replace_pointer(priv->cfg, cfg, lockdep_rtnl_is_held());
	if (old)
		call_rcu(&old->rcu, vnet_cfg_free_rcu);
}

int vnet_policy_validate(const struct vnet_relay_req *req,
			 struct netlink_ext_ack *extack)
{
	switch (req->mode) {
	case VNET_MODE_PASS:
		return 0;
	case VNET_MODE_PERCENT:
		if (req->arg1 < 0 || req->arg1 > 100) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg1_attr,
					    "percent mode: arg1, the share of packets passed, must be 0..100");
			return -EINVAL;
		}
		return 0;
	case VNET_MODE_TIME:
		if (req->arg1 < 1) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg1_attr,
					    "time mode: the relay window (arg1) must be at least 1 ms");
			return -EINVAL;
		}
		if (req->arg2 < 1) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg2_attr,
					    "time mode: the drop window (arg2) must be at least 1 ms");
			return -EINVAL;
		}
		return 0;
	default:
		NL_SET_ERR_MSG_ATTR(extack, req->mode_attr,
				    "unknown mode (pass 0, percent 1, time 2)");
		return -EINVAL;
	}
}

/* ------------------------------------------------------------------ */
/* Transmit                                                            */
/* ------------------------------------------------------------------ */

/* splitmix64's output function: a bijective 64-bit mixer. */
static inline u64 vnet_mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define VNET_GOLDEN	0x9e3779b97f4a7c15ULL

/*
 * The next draw of percent mode, uniform on 32 bits: the hash of the seed
 * and the draw's index (splitmix64).  A chosen seed numbers the device's
 * draws in one sequence, shared by every CPU; a random one numbers each
 * CPU's draws in a sequence of its own, salted by the CPU, so that the
 * xmit path writes nothing shared.  BH is off (xmit).
 */
static u32 vnet_draw(struct vnet_cfg *cfg)
{
	u64 key = cfg->seed, n;

	if (cfg->shared_draws) {
		n = atomic64_inc_return(&cfg->draws);
	} else {
		n = this_cpu_inc_return(*cfg->cpu_draws);
		key ^= vnet_mix64(smp_processor_id() + 1);
	}
	return upper_32_bits(vnet_mix64(key + n * VNET_GOLDEN));
}

/* Returns 0 to relay, or the drop reason's counter index. */
static unsigned int vnet_policy(struct vnet_cfg *cfg)
{
	u64 rem;

	switch (cfg->mode) {
	case VNET_MODE_PERCENT:
		if (reciprocal_scale(vnet_draw(cfg), 100) < (u32)cfg->arg1)
			return 0;
		return VNET_STAT(VNET_STATS_TX_DROP_PERCENT);
	case VNET_MODE_TIME:
		div64_u64_rem(ktime_to_ns(ktime_sub(ktime_get(), cfg->start)),
			      cfg->period_ns, &rem);
		if (rem < cfg->on_ns)
			return 0;
		return VNET_STAT(VNET_STATS_TX_DROP_TIME);
	default:
		return 0;
	}
}

/* Called from vnet_xmit() under rcu_read_lock_bh(). */
netdev_tx_t vnet_relay_xmit(struct vnet_priv *priv, struct net_device *slave,
			    struct sk_buff *skb)
{
	unsigned int len = skb->len;
	unsigned int drop;
	int ret;

	drop = vnet_policy(rcu_dereference_bh(priv->cfg));
	if (drop)
		goto drop;

	if (unlikely(!netif_running(slave) || !netif_carrier_ok(slave))) {
		drop = VNET_STAT(VNET_STATS_TX_DROP_NO_SLAVE);
		goto drop;
	}

	skb->dev = slave;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		vnet_stats_packet(priv, VNET_STAT(VNET_STATS_TX_PACKETS), len);
	else
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_TX_DROP_SLAVE));
	return NETDEV_TX_OK;

drop:
	kfree_skb(skb);
	vnet_stats_inc(priv, drop);
	return NETDEV_TX_OK;
}
