// The rest of ifconfig's words, for vnet-up: broadcast (SIOCSIFBRDADDR),
// txqueuelen (SIOCSIFTXQLEN), hw ether (SIOCSIFHWADDR), and add/del of
// further addresses, IPv4 or IPv6, through rtnetlink (RTM_NEWADDR /
// RTM_DELADDR: the ioctls know only one IPv4 address per device).
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
// After glibc's <net/if.h>.
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "genl_socket.h"
#include "ioctl.h"
#include "syserror.h"

namespace vnet {

namespace {

[[noreturn]] void BadValue(Napi::Env env, const std::string& message) {
  ThrowTypeError(env, "ERR_INVALID_ARG_VALUE", message);
}

// setBroadcast(ifname, address): SIOCSIFBRDADDR.
Napi::Value SetBroadcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  std::string s = StringValue(env, info[1], "address");
  struct in_addr a;
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) {
    BadValue(env, "The \"address\" argument must be an IPv4 address. Received '" + s + "'");
  }
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    struct sockaddr_in sin;
    std::memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr = a;
    std::memcpy(&ifr.ifr_broadaddr, &sin, sizeof sin);
    IfIoctl(fd, SIOCSIFBRDADDR, "SIOCSIFBRDADDR", ifr);
    return env.Undefined();
  });
}

// setTxqueuelen(ifname, n): SIOCSIFTXQLEN.
Napi::Value SetTxqueuelen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  int qlen = static_cast<int>(IntegerValue(env, info[1], "txqueuelen", 0, INT32_MAX));
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    ifr.ifr_qlen = qlen;
    IfIoctl(fd, SIOCSIFTXQLEN, "SIOCSIFTXQLEN", ifr);
    return env.Undefined();
  });
}

// setHwAddress(ifname, "aa:bb:cc:dd:ee:ff"): SIOCSIFHWADDR, Ethernet.
Napi::Value SetHwAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  std::string s = StringValue(env, info[1], "mac");
  unsigned b[6];
  char tail;
  if (s.size() != 17 ||
      std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
                  &b[3], &b[4], &b[5], &tail) != 6) {
    BadValue(env, "The \"mac\" argument must be an Ethernet address (aa:bb:cc:dd:ee:ff). Received '" + s + "'");
  }
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    for (int i = 0; i < 6; i++) ifr.ifr_hwaddr.sa_data[i] = static_cast<char>(b[i]);
    IfIoctl(fd, SIOCSIFHWADDR, "SIOCSIFHWADDR", ifr);
    return env.Undefined();
  });
}

// {family: 'inet' | 'inet6', local, prefixlen, broadcast?}, validated.
struct AddrSpec {
  int family = AF_INET;
  unsigned char local[16] = {};
  unsigned prefixlen = 0;
  bool has_broadcast = false;
  unsigned char broadcast[4] = {};
  size_t len() const { return family == AF_INET ? 4 : 16; }
};

AddrSpec AddrArg(const Napi::CallbackInfo& info, size_t i, bool with_broadcast) {
  Napi::Env env = info.Env();
  Napi::Object o = ObjectArg(info, i, "addr");
  AddrSpec a;
  std::string fam = StringValue(env, o.Get("family"), "addr.family");
  if (fam == "inet") {
    a.family = AF_INET;
  } else if (fam == "inet6") {
    a.family = AF_INET6;
  } else {
    BadValue(env, "The \"addr.family\" argument must be 'inet' or 'inet6'. Received '" + fam + "'");
  }
  std::string local = StringValue(env, o.Get("local"), "addr.local");
  if (::inet_pton(a.family, local.c_str(), a.local) != 1) {
    BadValue(env, "The \"addr.local\" argument must be an " +
                      std::string(a.family == AF_INET ? "IPv4" : "IPv6") +
                      " address. Received '" + local + "'");
  }
  a.prefixlen = static_cast<unsigned>(
      IntegerValue(env, o.Get("prefixlen"), "addr.prefixlen", 0, a.family == AF_INET ? 32 : 128));
  Napi::Value brd = o.Get("broadcast");
  if (with_broadcast && !brd.IsUndefined()) {
    if (a.family != AF_INET) BadValue(env, "The \"addr.broadcast\" argument is for IPv4 only");
    std::string b = StringValue(env, brd, "addr.broadcast");
    if (::inet_pton(AF_INET, b.c_str(), a.broadcast) != 1) {
      BadValue(env, "The \"addr.broadcast\" argument must be an IPv4 address. Received '" + b + "'");
    }
    a.has_broadcast = true;
  }
  return a;
}

uint32_t IfIndex(const std::string& ifname) {
  Fd fd = InetDgramSocket();
  struct ifreq ifr = MakeIfreq(ifname);
  IfIoctl(fd, SIOCGIFINDEX, "SIOCGIFINDEX", ifr);
  return static_cast<uint32_t>(ifr.ifr_ifindex);
}

// RTM_NEWADDR (create, exclusive) or RTM_DELADDR for one address.
void AddrRequest(uint16_t type, const std::string& ifname, const AddrSpec& a,
                 const char* syscall) {
  uint32_t ifindex = IfIndex(ifname);
  nl::NlSocket sock(NETLINK_ROUTE);
  nl::MsgBuilder req(type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
  struct ifaddrmsg ifa;
  std::memset(&ifa, 0, sizeof ifa);
  ifa.ifa_family = static_cast<unsigned char>(a.family);
  ifa.ifa_prefixlen = static_cast<unsigned char>(a.prefixlen);
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  ifa.ifa_index = ifindex;
  req.PutRaw(&ifa, sizeof ifa);
  req.PutAttr(IFA_LOCAL, a.local, a.len());
  // IPv4 without a peer: IFA_ADDRESS is the local address too (as ip
  // sends it); on delete it would also make the kernel compare prefixes.
  if (type == RTM_NEWADDR || a.family == AF_INET6) req.PutAttr(IFA_ADDRESS, a.local, a.len());
  if (a.has_broadcast) req.PutAttr(IFA_BROADCAST, a.broadcast, 4);
  sock.Transact(req, {syscall, ifname});
}

// addAddress(ifname, {family, local, prefixlen, broadcast?}).
Napi::Value AddAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  AddrSpec a = AddrArg(info, 1, true);
  return Guard(env, [&]() -> Napi::Value {
    AddrRequest(RTM_NEWADDR, ifname, a, "rtnl RTM_NEWADDR");
    return env.Undefined();
  });
}

// delAddress(ifname, {family, local, prefixlen}).
Napi::Value DelAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  AddrSpec a = AddrArg(info, 1, false);
  return Guard(env, [&]() -> Napi::Value {
    AddrRequest(RTM_DELADDR, ifname, a, "rtnl RTM_DELADDR");
    return env.Undefined();
  });
}

}  // namespace

void InitIfaceConfig(Napi::Env env, Napi::Object exports) {
  exports.Set("setBroadcast", Napi::Function::New(env, SetBroadcast, "setBroadcast"));
  exports.Set("setTxqueuelen", Napi::Function::New(env, SetTxqueuelen, "setTxqueuelen"));
  exports.Set("setHwAddress", Napi::Function::New(env, SetHwAddress, "setHwAddress"));
  exports.Set("addAddress", Napi::Function::New(env, AddAddress, "addAddress"));
  exports.Set("delAddress", Napi::Function::New(env, DelAddress, "delAddress"));
}

}  // namespace vnet
