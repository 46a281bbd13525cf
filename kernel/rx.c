// SPDX-License-Identifier: GPL-2.0
/*
 * vnet receive in relay mode: Tsiliuric's "virt".  An rx_handler on the
 * slave (one per slave however many vnet devices relay to it: port.c)
 * hands each vnet device what is addressed to it, through its receive
 * policy, and leaves everything else to the slave, which keeps working:
 *
 *   - unicast IPv4 and IPv6, ARP and neighbour discovery for an address
 *     only vnet has: to vnet;
 *   - an address vnet shares with the slave (Rubini's recipe gives the
 *     relay device the slave's own address) belongs to the slave: its
 *     traffic and resolution requests stay there.  ARP replies and
 *     neighbour advertisements for it go to the slave and a copy to vnet,
 *     so that both resolve their neighbours;
 *   - everything else, and everything while vnet is down: to the slave.
 *
 * The IPv4 address table (struct vnet_addrs) is rebuilt under RTNL
 * whenever either device's IPv4 addresses change or the slave changes;
 * IPv6 ownership is read from the kernel's own address lists.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/ndisc.h>

#include "vnet_priv.h"

enum vnet_owner {
	VNET_OWNER_SLAVE,	/* not vnet's: the slave's or nobody's */
	VNET_OWNER_VNET,	/* vnet's alone */
	VNET_OWNER_SHARED,	/* both have it: the slave keeps its traffic */
};

/* What a frame is, for the receive rules. */
enum vnet_kind {
	VNET_KIND_OTHER,	/* never vnet's */
	VNET_KIND_UNICAST,	/* IPv4/IPv6 to this host: by destination */
	VNET_KIND_RESOLVE,	/* ARP request, neighbour solicitation */
	VNET_KIND_RESOLVED,	/* ARP reply, neighbour advertisement */
};

/* The address a frame is for: an IPv4 or an IPv6 one. */
struct vnet_target {
	enum vnet_kind		kind;
	bool			v6;
	__be32			addr;
	struct in6_addr		addr6;
};

static enum vnet_owner vnet_addr_owner(struct vnet_priv *priv, __be32 addr)
{
	const struct vnet_addrs *a = rcu_dereference(priv->addrs);
	unsigned int i;

	for (i = 0; a && i < a->count; i++)
		if (a->a[i].addr == addr)
			return a->a[i].shared ? VNET_OWNER_SHARED :
						VNET_OWNER_VNET;
	return VNET_OWNER_SLAVE;
}

#if IS_ENABLED(CONFIG_IPV6)
/*
 * IPv6 addresses are the admin's (vnet never autoconfigures any): the
 * address lists of both devices answer, tentative addresses included so
 * that duplicate address detection sees its answers.  RCU.
 */
static bool vnet_has_addr6(struct net_device *dev, const struct in6_addr *a)
{
	return ipv6_chk_addr_and_flags(dev_net(dev), a, dev, false, 1, 0);
}

static enum vnet_owner vnet_addr6_owner(struct vnet_priv *priv,
					struct net_device *slave,
					const struct in6_addr *addr)
{
	if (!vnet_has_addr6(priv->dev, addr))
		return VNET_OWNER_SLAVE;
	return vnet_has_addr6(slave, addr) ? VNET_OWNER_SHARED :
					     VNET_OWNER_VNET;
}

/*
 * IPv6: unicast to this host by destination; neighbour solicitations and
 * advertisements (any destination: solicitations go to the target's
 * solicited-node group) by their target address.
 */
static bool vnet_frame_target6(const struct sk_buff *skb,
			       struct vnet_target *t)
{
	const unsigned int icmp_off = sizeof(struct ipv6hdr);
	const struct ipv6hdr *ip6;
	struct ipv6hdr _ip6;
	const struct nd_msg *nd;
	struct nd_msg _nd;

	ip6 = skb_header_pointer(skb, 0, sizeof(_ip6), &_ip6);
	if (!ip6)
		return false;
	t->v6 = true;
	if (ip6->nexthdr == IPPROTO_ICMPV6) {
		nd = skb_header_pointer(skb, icmp_off, sizeof(_nd), &_nd);
		if (nd && (nd->icmph.icmp6_type == NDISC_NEIGHBOUR_SOLICITATION ||
			   nd->icmph.icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT)) {
			t->kind = nd->icmph.icmp6_type ==
				  NDISC_NEIGHBOUR_SOLICITATION ?
				  VNET_KIND_RESOLVE : VNET_KIND_RESOLVED;
			t->addr6 = nd->target;
			return true;
		}
	}
	if (skb->pkt_type != PACKET_HOST)
		return false;
	t->kind = VNET_KIND_UNICAST;
	t->addr6 = ip6->daddr;
	return true;
}
#else
static enum vnet_owner vnet_addr6_owner(struct vnet_priv *priv,
					struct net_device *slave,
					const struct in6_addr *addr)
{
	return VNET_OWNER_SLAVE;
}

static bool vnet_frame_target6(const struct sk_buff *skb,
			       struct vnet_target *t)
{
	return false;
}
#endif

/* What a frame is for, or false if vnet never takes it. */
static bool vnet_frame_target(const struct sk_buff *skb, struct vnet_target *t)
{
	t->v6 = false;
	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;
		struct iphdr _iph;

		if (skb->pkt_type != PACKET_HOST)
			return false;
		iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
		if (!iph)
			return false;
		t->kind = VNET_KIND_UNICAST;
		t->addr = iph->daddr;
		return true;
	}
	case htons(ETH_P_ARP): {
		/* arphdr, then sender MAC and IP, target MAC and IP */
		const unsigned int tip_off = sizeof(struct arphdr) +
					     2 * ETH_ALEN + sizeof(__be32);
		const struct arphdr *arp;
		struct arphdr _arp;
		__be32 _tip;
		const __be32 *tip;

		arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
		if (!arp || arp->ar_hrd != htons(ARPHRD_ETHER) ||
		    arp->ar_pro != htons(ETH_P_IP) ||
		    arp->ar_hln != ETH_ALEN || arp->ar_pln != sizeof(__be32))
			return false;
		tip = skb_header_pointer(skb, tip_off, sizeof(_tip), &_tip);
		if (!tip)
			return false;
		t->kind = arp->ar_op == htons(ARPOP_REPLY) ? VNET_KIND_RESOLVED :
			  VNET_KIND_RESOLVE;
		t->addr = *tip;
		return true;
	}
	case htons(ETH_P_IPV6):
		return vnet_frame_target6(skb, t);
	default:
		return false;
	}
}

/*
 * The receive policy: true if @priv's device may have the frame, else it
 * is counted as dropped by reason.  BH is off.
 */
static bool vnet_rx_allowed(struct vnet_priv *priv)
{
	unsigned int drop = vnet_policy(rcu_dereference(priv->cfg[VNET_RX]),
					VNET_RX);

	if (!drop)
		return true;
	vnet_stats_inc(priv, drop);
	return false;
}

/* An ARP reply or neighbour advertisement for a shared address: vnet gets a copy. */
static void vnet_rx_copy(struct vnet_priv *priv, struct sk_buff *skb)
{
	struct sk_buff *copy;

	if (!vnet_rx_allowed(priv))
		return;
	copy = skb_clone(skb, GFP_ATOMIC);
	if (unlikely(!copy)) {
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_RX_DROP_DELIVERY));
		return;
	}
	copy->dev = priv->dev;
	vnet_stats_packet(priv, VNET_STAT(VNET_STATS_RX_PACKETS),
			  copy->len + ETH_HLEN);
	netif_rx(copy);
}

/* The frame is @priv's device's alone: it gets it, or the policy drops it. */
static rx_handler_result_t vnet_rx_deliver(struct vnet_priv *priv,
					   struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;

	if (!vnet_rx_allowed(priv)) {
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		vnet_stats_inc(priv, VNET_STAT(VNET_STATS_RX_DROP_DELIVERY));
		return RX_HANDLER_CONSUMED;
	}
	skb->dev = priv->dev;
	vnet_stats_packet(priv, VNET_STAT(VNET_STATS_RX_PACKETS),
			  skb->len + ETH_HLEN);
	*pskb = skb;
	return RX_HANDLER_ANOTHER;
}

/*
 * The slave's receive hook: the first vnet device (up) of the port that
 * has the frame's address alone takes the frame; every one that shares it
 * with the slave gets a copy of an ARP reply; the slave keeps the rest.
 */
rx_handler_result_t vnet_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vnet_port *port = rcu_dereference(skb->dev->rx_handler_data);
	struct vnet_target t;
	struct vnet_priv *priv;
	enum vnet_owner owner;

	if (skb->pkt_type == PACKET_LOOPBACK || !vnet_frame_target(skb, &t))
		return RX_HANDLER_PASS;

	list_for_each_entry_rcu(priv, &port->vnets, port_node) {
		if (!netif_running(priv->dev))
			continue;
		owner = t.v6 ? vnet_addr6_owner(priv, port->slave, &t.addr6) :
			       vnet_addr_owner(priv, t.addr);
		switch (owner) {
		case VNET_OWNER_SLAVE:
			break;
		case VNET_OWNER_SHARED:
			if (t.kind == VNET_KIND_RESOLVED)
				vnet_rx_copy(priv, skb);
			break;
		case VNET_OWNER_VNET:
			return vnet_rx_deliver(priv, pskb);
		}
	}
	return RX_HANDLER_PASS;
}

/* Does @dev have the IPv4 address @addr?  RTNL. */
static bool vnet_dev_has_addr(struct net_device *dev, __be32 addr)
{
	struct in_device *in_dev = dev ? __in_dev_get_rtnl(dev) : NULL;
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		if (ifa->ifa_local == addr)
			return true;
	return false;
}

/* Rebuild the device's address table from both in_devices.  RTNL. */
void vnet_addrs_update(struct vnet_priv *priv)
{
	struct in_device *in_dev = __in_dev_get_rtnl(priv->dev);
	struct net_device *slave = vnet_slave_rtnl(priv);
	const struct in_ifaddr *ifa;
	struct vnet_addrs *addrs;
	unsigned int n = 0;

	if (in_dev)
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			n++;

	/* On failure the old table stays (the allocator has warned). */
	addrs = kmalloc(struct_size(addrs, a, n), GFP_KERNEL);
	if (!addrs)
		return;
	addrs->count = 0;
	if (in_dev)
		in_dev_for_each_ifa_rtnl(ifa, in_dev) {
			struct vnet_addr *a = &addrs->a[addrs->count++];

			a->addr = ifa->ifa_local;
			a->shared = vnet_dev_has_addr(slave, ifa->ifa_local);
		}

	addrs = rcu_replace_pointer(priv->addrs, addrs, lockdep_rtnl_is_held());
	kfree_rcu(addrs, rcu);
}

/*
 * The reverse-path filter the kernel applies on @slave (0, 1 strict,
 * 2 loose): strict filtering drops replies from hosts routed through
 * vnet when they arrive on the slave.  Any context.
 */
u32 vnet_slave_rp_filter(struct net_device *slave)
{
	struct in_device *in_dev;
	u32 rp = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(slave);
	if (in_dev)
		rp = IN_DEV_RPFILTER(in_dev);
	rcu_read_unlock();
	return rp;
}
