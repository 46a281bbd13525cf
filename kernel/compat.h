/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference vnet cares about, in one place.
 * Built and tested against Debian's 6.1 and 6.12 cloud kernels; the
 * >= 6.15 branches follow the mainline API and are compile-only.
 */
#ifndef _VNET_COMPAT_H
#define _VNET_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>

/* Lockless TX: a feature bit until 6.12, a device flag since. */
static inline void vnet_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/* "Cannot change network namespace": feature bit, then netns_local,
 * then netns_immutable (6.15).
 */
static inline void vnet_compat_set_netns_local(struct net_device *dev,
					       bool local)
{
#if defined(NETIF_F_NETNS_LOCAL)
	if (local)
		dev->features |= NETIF_F_NETNS_LOCAL;
	else
		dev->features &= ~NETIF_F_NETNS_LOCAL;
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
	dev->netns_local = local;
#else
	dev->netns_immutable = local;
#endif
}

/* dev_set_mac_address() takes a sockaddr_storage from 6.15 on. */
static inline int vnet_compat_set_mac(struct net_device *dev, const u8 *addr,
				      struct netlink_ext_ack *extack)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
	struct sockaddr sa = { .sa_family = dev->type };

	memcpy(sa.sa_data, addr, ETH_ALEN);
	return dev_set_mac_address(dev, &sa, extack);
#else
	struct sockaddr_storage ss = { .ss_family = dev->type };

	memcpy(ss.__data, addr, ETH_ALEN);
	return dev_set_mac_address(dev, &ss, extack);
#endif
}

/* rtnl_link_ops.newlink lost src_net/tb/data for a params struct in 6.15. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
#define VNET_NEWLINK_ARGS						\
	struct net *src_net, struct net_device *dev,			\
	struct nlattr *vnet_tb[], struct nlattr *vnet_data[],		\
	struct netlink_ext_ack *extack
#define VNET_NEWLINK_SRC_NET	src_net
#define VNET_NEWLINK_TB		vnet_tb
#define VNET_NEWLINK_DATA	vnet_data
#else
#define VNET_NEWLINK_ARGS						\
	struct net_device *dev, struct rtnl_newlink_params *params,	\
	struct netlink_ext_ack *extack
#define VNET_NEWLINK_SRC_NET	rtnl_newlink_link_net(params)
#define VNET_NEWLINK_TB		params->tb
#define VNET_NEWLINK_DATA	params->data
#endif

/*
 * Formatted extack text (NL_SET_ERR_MSG_FMT_MOD, 6.2); before, the
 * fixed text @plain.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define VNET_ERR_FMT(extack, plain, fmt, ...)				\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##__VA_ARGS__)
#else
#define VNET_ERR_FMT(extack, plain, fmt, ...)				\
	NL_SET_ERR_MSG_MOD(extack, plain)
#endif

/*
 * Keep IPv6 autoconfiguration off the device through any MTU or state
 * change: IFF_NO_ADDRCONF since 6.2 ("net: add IFF_NO_ADDRCONF and use
 * it in bonding to prevent ipv6 addrconf").  It is an enum, not a macro,
 * so no #ifdef can see it.  Before 6.2 notify.c guards the one event
 * where addrconf recreates a device's IPv6 state (an MTU back at 1280 or
 * more) with IFF_SLAVE, the flag addrconf skipped for bonding's sake.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VNET_HAVE_IFF_NO_ADDRCONF	1
static inline void vnet_compat_no_addrconf(struct net_device *dev)
{
	dev->priv_flags |= IFF_NO_ADDRCONF;
}
#else
static inline void vnet_compat_no_addrconf(struct net_device *dev)
{
}
#endif

#endif /* _VNET_COMPAT_H */
