// SPDX-License-Identifier: GPL-2.0
/*
 * vnet statistics: per-cpu 64-bit counters, a reset baseline, and the one
 * table that drives ethtool -S.
 *
 * The kernel has no standard way to reset netdev counters.  vnet keeps
 * its counters monotonic and records their values at the last reset in
 * priv->base; every reader (ndo_get_stats64, ethtool -S, netlink GET)
 * subtracts it.  Counters the core keeps itself (dev->core_stats: drops
 * in the core's receive path, qdisc statistics) are not the driver's and
 * are not reset.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ethtool.h>
#include <linux/percpu.h>

#include "vnet_priv.h"

/* ethtool -S names, in enum vnet_stats_attr order. */
static const char vnet_stat_names[VNET_STAT_NUM][ETH_GSTRING_LEN] = {
	[VNET_STAT(VNET_STATS_RX_PACKETS)]		= "rx_packets",
	[VNET_STAT(VNET_STATS_RX_BYTES)]		= "rx_bytes",
	[VNET_STAT(VNET_STATS_TX_PACKETS)]		= "tx_packets",
	[VNET_STAT(VNET_STATS_TX_BYTES)]		= "tx_bytes",
	[VNET_STAT(VNET_STATS_RX_DROPPED)]		= "rx_dropped",
	[VNET_STAT(VNET_STATS_TX_DROPPED)]		= "tx_dropped",
	[VNET_STAT(VNET_STATS_TX_DROP_PERCENT)]		= "tx_drop_percent",
	[VNET_STAT(VNET_STATS_TX_DROP_TIME)]		= "tx_drop_time",
	[VNET_STAT(VNET_STATS_TX_DROP_NO_SLAVE)]	= "tx_drop_no_slave",
	[VNET_STAT(VNET_STATS_TX_DROP_SLAVE)]		= "tx_drop_slave",
	[VNET_STAT(VNET_STATS_SLAVE_LOST)]		= "slave_lost",
	[VNET_STAT(VNET_STATS_TX_DROP_GEMODEL)]		= "tx_drop_gemodel",
	[VNET_STAT(VNET_STATS_RX_DROP_DELIVERY)]	= "rx_drop_delivery",
	[VNET_STAT(VNET_STATS_RX_DROP_PERCENT)]		= "rx_drop_percent",
	[VNET_STAT(VNET_STATS_RX_DROP_TIME)]		= "rx_drop_time",
	[VNET_STAT(VNET_STATS_RX_DROP_GEMODEL)]		= "rx_drop_gemodel",
};

int vnet_stats_init(struct vnet_priv *priv)
{
	priv->stats = netdev_alloc_pcpu_stats(struct vnet_pcpu_stats);
	if (!priv->stats)
		return -ENOMEM;
	spin_lock_init(&priv->base_lock);
	return 0;
}

void vnet_stats_free(struct vnet_priv *priv)
{
	free_percpu(priv->stats);
	priv->stats = NULL;
}

/* Sum of the per-cpu counters since the device was created. */
static void vnet_stats_sum(struct vnet_priv *priv, u64 out[VNET_STAT_NUM])
{
	int cpu, i;

	memset(out, 0, VNET_STAT_NUM * sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct vnet_pcpu_stats *s = per_cpu_ptr(priv->stats, cpu);
		u64 v[VNET_STAT_NUM];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < VNET_STAT_NUM; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < VNET_STAT_NUM; i++)
			out[i] += v[i];
	}
	out[VNET_STAT(VNET_STATS_TX_DROPPED)] =
		out[VNET_STAT(VNET_STATS_TX_DROP_PERCENT)] +
		out[VNET_STAT(VNET_STATS_TX_DROP_TIME)] +
		out[VNET_STAT(VNET_STATS_TX_DROP_GEMODEL)] +
		out[VNET_STAT(VNET_STATS_TX_DROP_NO_SLAVE)] +
		out[VNET_STAT(VNET_STATS_TX_DROP_SLAVE)];
	out[VNET_STAT(VNET_STATS_RX_DROPPED)] =
		out[VNET_STAT(VNET_STATS_RX_DROP_DELIVERY)] +
		out[VNET_STAT(VNET_STATS_RX_DROP_PERCENT)] +
		out[VNET_STAT(VNET_STATS_RX_DROP_TIME)] +
		out[VNET_STAT(VNET_STATS_RX_DROP_GEMODEL)];
}

/*
 * Counters since the last reset.  The sum and the subtraction happen
 * under base_lock, the lock the reset takes, so a reader never
 * subtracts a baseline newer than its own sum.
 */
void vnet_stats_read(struct vnet_priv *priv, u64 out[VNET_STAT_NUM])
{
	int i;

	spin_lock_bh(&priv->base_lock);
	vnet_stats_sum(priv, out);
	for (i = 0; i < VNET_STAT_NUM; i++)
		out[i] -= priv->base[i];
	spin_unlock_bh(&priv->base_lock);
}

void vnet_stats_reset(struct vnet_priv *priv)
{
	spin_lock_bh(&priv->base_lock);
	vnet_stats_sum(priv, priv->base);
	spin_unlock_bh(&priv->base_lock);
	vnet_dbg(priv->dev, "statistics reset\n");
}

void vnet_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *stats)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u64 v[VNET_STAT_NUM];

	vnet_stats_read(priv, v);
	stats->rx_packets = v[VNET_STAT(VNET_STATS_RX_PACKETS)];
	stats->rx_bytes = v[VNET_STAT(VNET_STATS_RX_BYTES)];
	stats->tx_packets = v[VNET_STAT(VNET_STATS_TX_PACKETS)];
	stats->tx_bytes = v[VNET_STAT(VNET_STATS_TX_BYTES)];
	stats->rx_dropped = v[VNET_STAT(VNET_STATS_RX_DROPPED)];
	stats->tx_dropped = v[VNET_STAT(VNET_STATS_TX_DROPPED)];
}

static void vnet_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, VNET_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, VNET_DRV_VERSION, sizeof(info->version));
}

static int vnet_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? VNET_STAT_NUM : -EOPNOTSUPP;
}

static void vnet_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, vnet_stat_names, sizeof(vnet_stat_names));
}

static void vnet_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *estats, u64 *data)
{
	vnet_stats_read(netdev_priv(dev), data);
}

const struct ethtool_ops vnet_ethtool_ops = {
	.get_drvinfo		= vnet_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= vnet_get_sset_count,
	.get_strings		= vnet_get_strings,
	.get_ethtool_stats	= vnet_get_ethtool_stats,
};
