// SPDX-License-Identifier: GPL-2.0
/*
 * vnet drop policy: Rubini's "insane" modes on transmit.
 *
 * Each frame the device relays passes the policy (pass, percent, time)
 * and goes out on the slave with dev_queue_xmit(), or is freed with
 * kfree_skb() (drop monitors see it) and counted by reason.  The policy
 * is one RCU-published, immutable struct vnet_cfg with its PRNG: the
 * xmit path takes no global lock and allocates nothing.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <net/netlink.h>

#include "vnet_priv.h"

/* ------------------------------------------------------------------ */
/* Configuration objects                                               */
/* ------------------------------------------------------------------ */

static void vnet_cfg_seed(struct vnet_cfg *cfg, u64 seed)
{
	cfg->seed = seed;
	spin_lock_init(&cfg->rnd_lock);
	prandom_seed_state(&cfg->rnd, seed);
	cfg->start = ktime_get();
}

struct vnet_cfg *vnet_cfg_alloc_default(void)
{
	struct vnet_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (cfg)
		vnet_cfg_seed(cfg, get_random_u64());
	return cfg;
}

/* A policy from a request that vnet_policy_validate() accepted. */
struct vnet_cfg *vnet_cfg_alloc(const struct vnet_relay_req *req)
{
	struct vnet_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

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
	vnet_cfg_seed(cfg, req->seeded ? req->seed : get_random_u64());
	return cfg;
}

void vnet_cfg_free(struct vnet_cfg *cfg)
{
	kfree(cfg);
}

/* Publish @cfg; the old policy is freed once its readers are gone. RTNL. */
void vnet_cfg_replace(struct vnet_priv *priv, struct vnet_cfg *cfg)
{
	struct vnet_cfg *old;

	old = rcu_replace_pointer(priv->cfg, cfg, lockdep_rtnl_is_held());
	kfree_rcu(old, rcu);
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

/* Returns 0 to relay, or the drop reason's counter index. */
static unsigned int vnet_policy(struct vnet_cfg *cfg)
{
	u32 rnd;
	u64 rem;

	switch (cfg->mode) {
	case VNET_MODE_PERCENT:
		spin_lock(&cfg->rnd_lock);
		rnd = prandom_u32_state(&cfg->rnd);
		spin_unlock(&cfg->rnd_lock);
		if (reciprocal_scale(rnd, 100) < (u32)cfg->arg1)
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
