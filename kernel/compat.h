/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel difference vnet cares about, in one place.
 *
 * The rest of the module is written against the newest upstream API.
 * Where this kernel lacks a piece of it, this file supplies it (as the
 * kernel's backports project does); where the API changed shape, a
 * vnet_compat_* helper or VNET_* macro hides the difference.
 *
 * Nothing here compares version numbers: each difference is decided by a
 * feature probe (probes/<name>.c, compiled by Kbuild against this
 * kernel's headers into compat-autoconf.h as VNET_HAVE_<NAME>) or by a
 * macro the kernel itself defines, because distributions backport APIs
 * (RHEL, Ubuntu, and the stable trees themselves: eth_hw_addr_set() is
 * in 5.10.y).  Each probe names the upstream commit it tests for.
 *
 * Tested on Debian's 5.10, 6.1, 6.12 and 7.x kernels (lab/setup).
 */
#ifndef _VNET_COMPAT_H
#define _VNET_COMPAT_H

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat-autoconf.h"

#ifndef VNET_HAVE_BASELINE
#error "compat-autoconf.h is not from this kernel's probes: rebuild through Kbuild"
#endif

/* ---- APIs this kernel may lack: the upstream ones, supplied ---- */

#ifndef VNET_HAVE_NETDEVICE_TRACKER
struct vnet_compat_netdevice_tracker {};
#define netdevice_tracker struct vnet_compat_netdevice_tracker
#endif

/* Plain references before the tracked ones; NULL is fine, as upstream. */
#ifndef VNET_HAVE_NETDEV_HOLD
static inline void vnet_compat_dev_hold(struct net_device *dev)
{
	if (dev)
		dev_hold(dev);
}

static inline void vnet_compat_dev_put(struct net_device *dev)
{
	if (dev)
		dev_put(dev);
}

#define netdev_hold(dev, tracker, gfp)	vnet_compat_dev_hold(dev)
#define netdev_put(dev, tracker)	vnet_compat_dev_put(dev)
#endif

#ifndef VNET_HAVE_ETH_HW_ADDR_SET
static inline void eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	memcpy(dev->dev_addr, addr, ETH_ALEN);
}
#endif

/* Before the weight argument went, every caller passed the default. */
#ifndef VNET_HAVE_NAPI_ADD_NO_WEIGHT
#define netif_napi_add(dev, napi, poll) \
	netif_napi_add(dev, napi, poll, NAPI_POLL_WEIGHT)
#endif

#ifndef VNET_HAVE_NLA_STRSCPY
static inline ssize_t nla_strscpy(char *dst, const struct nlattr *nla,
				  size_t dstsize)
{
	size_t len = nla_strlcpy(dst, nla, dstsize);

	return len >= dstsize ? -E2BIG : len;
}
#endif

#ifndef VNET_HAVE_NETIF_GET_FLAGS
static inline unsigned int netif_get_flags(const struct net_device *dev)
{
	return dev_get_flags(dev);
}
#endif

/*
 * The upstream macro also reports the missing attribute's type in the
 * extended ack (NLMSGERR_ATTR_MISS_TYPE), which older kernels cannot
 * carry; callers set the message text themselves either way.
 */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[(attr)])
#endif

/* ---- APIs that changed shape: helpers and macros ---- */

/* Lockless TX: a feature bit until 6.12, a device flag since. */
static inline void vnet_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/*
 * "Cannot change network namespace": a feature bit, then dev->netns_local
 * (05c1280a2bcf, v6.12), renamed dev->netns_immutable (0c493da86374, v6.15).
 */
static inline void vnet_compat_set_netns_local(struct net_device *dev,
					       bool local)
{
#if defined(NETIF_F_NETNS_LOCAL)
	if (local)
		dev->features |= NETIF_F_NETNS_LOCAL;
	else
		dev->features &= ~NETIF_F_NETNS_LOCAL;
#elif defined(VNET_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = local;
#else
	dev->netns_local = local;
#endif
}

/* dev_set_mac_address() takes a sockaddr_storage from 6.16 on. */
static inline int vnet_compat_set_mac(struct net_device *dev, const u8 *addr,
				      struct netlink_ext_ack *extack)
{
#ifdef VNET_HAVE_SET_MAC_SOCKADDR_STORAGE
	struct sockaddr_storage ss = { .ss_family = dev->type };

	memcpy(ss.__data, addr, ETH_ALEN);
	return dev_set_mac_address(dev, &ss, extack);
#else
	struct sockaddr sa = { .sa_family = dev->type };

	memcpy(sa.sa_data, addr, ETH_ALEN);
	return dev_set_mac_address(dev, &sa, extack);
#endif
}

/*
 * SIOCDEVPRIVATE reaches the driver through ndo_siocdevprivate from 5.15
 * on, through ndo_do_ioctl (with the user pointer in ifr_data) before.
 * Use in a net_device_ops initializer.
 */
#ifdef VNET_HAVE_NDO_SIOCDEVPRIVATE
#define VNET_COMPAT_NDO_SIOCDEVPRIVATE(fn)	.ndo_siocdevprivate = (fn)
#else
int vnet_compat_do_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd);
#define VNET_COMPAT_NDO_SIOCDEVPRIVATE(fn)	.ndo_do_ioctl = vnet_compat_do_ioctl
#endif

/*
 * Strict validation of the genetlink header (reserved byte, nlmsg_flags)
 * from command @op on (6.1).  Before it, per-op policies are already
 * validated strictly (no GENL_DONT_VALIDATE_* flag): only the header goes
 * unchecked.  Call before genl_register_family().
 */
static inline void vnet_compat_genl_strict_from(struct genl_family *family,
						u8 op)
{
#ifdef VNET_HAVE_GENL_RESV_START_OP
	family->resv_start_op = op;
#endif
}

/* rtnl_link_ops.newlink lost src_net/tb/data for a params struct in 6.15. */
#ifndef VNET_HAVE_RTNL_NEWLINK_PARAMS
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

/* ndo_netpoll_setup() lost its netpoll_info argument (7.x). */
#ifdef VNET_HAVE_NDO_NETPOLL_SETUP_DEV_ONLY
#define VNET_NDO_NETPOLL_SETUP_ARGS	struct net_device *dev
#else
#define VNET_NDO_NETPOLL_SETUP_ARGS					\
	struct net_device *dev, struct netpoll_info *npinfo
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
 * The flag addrconf skips a device for: IFF_NO_ADDRCONF (priv_flags)
 * where the kernel has it (probes/, 6.2), IFF_SLAVE before (what it
 * skipped for bonding's sake).  notify.c raises it for the one event where
 * addrconf recreates a device's IPv6 state (an MTU back at 1280 or more)
 * and drops it again after: a device that kept it would never become
 * ready for IPv6 when brought up (addresses added while it was down would
 * stay tentative in all but name, and never answer neighbour discovery).
 */
#ifdef VNET_HAVE_IFF_NO_ADDRCONF
static inline bool vnet_compat_addrconf_skipped(const struct net_device *dev)
{
	return dev->priv_flags & IFF_NO_ADDRCONF;
}

static inline void vnet_compat_addrconf_skip(struct net_device *dev, bool skip)
{
	if (skip)
		dev->priv_flags |= IFF_NO_ADDRCONF;
	else
		dev->priv_flags &= ~IFF_NO_ADDRCONF;
}
#else
static inline bool vnet_compat_addrconf_skipped(const struct net_device *dev)
{
	return dev->flags & IFF_SLAVE;
}

static inline void vnet_compat_addrconf_skip(struct net_device *dev, bool skip)
{
	if (skip)
		dev->flags |= IFF_SLAVE;
	else
		dev->flags &= ~IFF_SLAVE;
}
#endif

#endif /* _VNET_COMPAT_H */
