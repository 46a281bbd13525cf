// SPDX-License-Identifier: GPL-2.0
/*
 * vnet drop policies: Rubini's "insane" modes and netem's Gilbert-Elliott
 * burst loss, on transmit and on receive.
 *
 * Each frame the device relays passes the transmit policy (pass, percent,
 * time, gemodel) and goes out on the slave with dev_queue_xmit(), or is
 * freed with kfree_skb() (drop monitors see it) and counted by reason;
 * rx.c puts what the slave's receive hook delivers through the receive
 * policy the same way.  A policy is one RCU-published struct vnet_cfg;
 * the draws are hashes of the seed and a counter: neither path allocates,
 * and only gemodel's two-state chain takes a (per-policy) lock.
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
	spin_lock_init(&cfg->ge_lock);
	cfg->start = ktime_get();
	return cfg;
}

struct vnet_cfg *vnet_cfg_alloc_default(void)
{
	return vnet_cfg_new(get_random_u64(), false);
}

void vnet_relay_req_defaults(struct vnet_relay_req *req)
{
	if (req->mode == VNET_MODE_GEMODEL && !req->arg3_attr)
		req->arg3 = VNET_PPM;
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
	switch (req->mode) {
	case VNET_MODE_PERCENT:
		cfg->arg1 = req->arg1;
		break;
	case VNET_MODE_TIME:
		cfg->arg1 = req->arg1;
		cfg->arg2 = req->arg2;
		cfg->on_ns = (u64)req->arg1 * NSEC_PER_MSEC;
		cfg->period_ns = cfg->on_ns + (u64)req->arg2 * NSEC_PER_MSEC;
		break;
	case VNET_MODE_GEMODEL:
		cfg->arg1 = req->arg1;
		cfg->arg2 = req->arg2;
		cfg->arg3 = req->arg3;
		cfg->arg4 = req->arg4;
		break;
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
void vnet_cfg_replace(struct vnet_priv *priv, enum vnet_dir dir,
		      struct vnet_cfg *cfg)
{
	struct vnet_cfg *old;

	old = rcu_replace_pointer(priv->cfg[dir], cfg, lockdep_rtnl_is_held());
	if (old)
		call_rcu(&old->rcu, vnet_cfg_free_rcu);
}

static bool vnet_ppm_ok(s32 v)
{
	return v >= 0 && v <= VNET_PPM;
}

int vnet_policy_validate(const struct vnet_relay_req *req,
			 struct netlink_ext_ack *extack)
{
	if (req->dir > VNET_DIR_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, req->dir_attr,
				    "unknown direction (tx 0, rx 1, both 2)");
		return -EINVAL;
	}
	if (req->revert_ms > VNET_REVERT_MS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, req->revert_attr,
				    "auto-revert: at most 7 days (604800000 ms)");
		return -EINVAL;
	}
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
	case VNET_MODE_GEMODEL:
		if (!vnet_ppm_ok(req->arg1)) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg1_attr,
					    "gemodel: p (arg1) must be 0..1000000 ppm");
			return -EINVAL;
		}
		if (!vnet_ppm_ok(req->arg2)) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg2_attr,
					    "gemodel: r (arg2) must be 0..1000000 ppm");
			return -EINVAL;
		}
		if (!vnet_ppm_ok(req->arg3)) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg3_attr,
					    "gemodel: 1-h (arg3) must be 0..1000000 ppm");
			return -EINVAL;
		}
		if (!vnet_ppm_ok(req->arg4)) {
			NL_SET_ERR_MSG_ATTR(extack, req->arg4_attr,
					    "gemodel: 1-k (arg4) must be 0..1000000 ppm");
			return -EINVAL;
		}
		return 0;
	default:
		NL_SET_ERR_MSG_ATTR(extack, req->mode_attr,
				    "unknown mode (pass 0, percent 1, time 2, gemodel 3)");
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
 * The next draw of a policy, uniform on 32 bits: the hash of the seed and
 * the draw's index (splitmix64).  A chosen seed numbers the device's
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

/* true with probability @ppm / VNET_PPM */
static bool vnet_chance(struct vnet_cfg *cfg, s32 ppm)
{
	return reciprocal_scale(vnet_draw(cfg), VNET_PPM) < (u32)ppm;
}

/*
 * Gilbert-Elliott, as netem's loss_gilb_ell(): in the state the frame
 * finds, first the transition (p from good, r from bad), then the loss
 * (1-k in good, 1-h in bad).  The chain is shared by every CPU.
 */
static bool vnet_gemodel_lose(struct vnet_cfg *cfg)
{
	bool move, lose;

	spin_lock(&cfg->ge_lock);
	if (!cfg->ge_bad) {
		move = vnet_chance(cfg, cfg->arg1);
		lose = vnet_chance(cfg, cfg->arg4);
	} else {
		move = vnet_chance(cfg, cfg->arg2);
		lose = vnet_chance(cfg, cfg->arg3);
	}
	if (move)
		cfg->ge_bad = !cfg->ge_bad;
	spin_unlock(&cfg->ge_lock);
	return lose;
}

/* The drop counters of each direction, by mode. */
static const u8 vnet_drop_stat[VNET_NDIRS][__VNET_MODE_MAX] = {
	[VNET_TX] = {
		[VNET_MODE_PERCENT]	= VNET_STAT(VNET_STATS_TX_DROP_PERCENT),
		[VNET_MODE_TIME]	= VNET_STAT(VNET_STATS_TX_DROP_TIME),
		[VNET_MODE_GEMODEL]	= VNET_STAT(VNET_STATS_TX_DROP_GEMODEL),
	},
	[VNET_RX] = {
		[VNET_MODE_PERCENT]	= VNET_STAT(VNET_STATS_RX_DROP_PERCENT),
		[VNET_MODE_TIME]	= VNET_STAT(VNET_STATS_RX_DROP_TIME),
		[VNET_MODE_GEMODEL]	= VNET_STAT(VNET_STATS_RX_DROP_GEMODEL),
	},
};

/*
 * Returns 0 to let the frame through, or the drop reason's counter
 * index.  BH is off (xmit, rx_handler).
 */
unsigned int vnet_policy(struct vnet_cfg *cfg, enum vnet_dir dir)
{
	bool drop;
	u64 rem;

	switch (cfg->mode) {
	case VNET_MODE_PERCENT:
		drop = reciprocal_scale(vnet_draw(cfg), 100) >= (u32)cfg->arg1;
		break;
	case VNET_MODE_TIME:
		div64_u64_rem(ktime_to_ns(ktime_sub(ktime_get(), cfg->start)),
			      cfg->period_ns, &rem);
		drop = rem >= cfg->on_ns;
		break;
	case VNET_MODE_GEMODEL:
		drop = vnet_gemodel_lose(cfg);
		break;
	default:
		return 0;
	}
	return drop ? vnet_drop_stat[dir][cfg->mode] : 0;
}

/* Called from vnet_xmit() under rcu_read_lock_bh(). */
netdev_tx_t vnet_relay_xmit(struct vnet_priv *priv, struct net_device *slave,
			    struct sk_buff *skb)
{
	unsigned int len = skb->len;
	unsigned int drop;
	int ret;

	drop = vnet_policy(rcu_dereference_bh(priv->cfg[VNET_TX]), VNET_TX);
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
