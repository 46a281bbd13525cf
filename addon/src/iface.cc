// The standard interface ioctls ifconfig issues (SIOCGIF*/SIOCSIF*,
// SIOCETHTOOL), if_nameindex(), and the 32-bit interface flags through
// rtnetlink (RTM_GETLINK).  dev_get_stats() counters: link_stats.cc.
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
// After glibc's <net/if.h>.
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "genl_socket.h"
#include "ioctl.h"
#include "syserror.h"

namespace vnet {

namespace {

std::string Ipv4String(const struct sockaddr& sa) {
  const auto* sin = reinterpret_cast<const struct sockaddr_in*>(&sa);
  char buf[INET_ADDRSTRLEN];
  if (!::inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf)) return "";
  return buf;
}

std::string MacString(const struct sockaddr& sa) {
  const auto* b = reinterpret_cast<const unsigned char*>(sa.sa_data);
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
                b[2], b[3], b[4], b[5]);
  return buf;
}

struct in_addr Ipv4Arg(Napi::Env env, Napi::Value v, const char* what) {
  std::string s = StringValue(env, v, what);
  struct in_addr a;
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) {
    ThrowTypeError(env, "ERR_INVALID_ARG_VALUE",
                   std::string("The \"") + what + "\" argument must be an IPv4 address. Received '" + s + "'");
  }
  return a;
}

void SetSockaddrIn(struct sockaddr* sa, struct in_addr a) {
  struct sockaddr_in sin;
  std::memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr = a;
  std::memcpy(sa, &sin, sizeof sin);
}

constexpr const char* kGetLink = "rtnl RTM_GETLINK";

// One interface's RTM_NEWLINK reply (its ifinfomsg and attributes).
class Link {
 public:
  explicit Link(std::vector<nl::Message> replies) : replies_(std::move(replies)) {}
  const nl::Message& msg() const { return replies_[index_]; }
  const struct ifinfomsg& ifi() const {
    return *reinterpret_cast<const struct ifinfomsg*>(msg().payload());
  }
  bool Find() {
    for (size_t i = 0; i < replies_.size(); i++) {
      const nl::Message& m = replies_[i];
      if (m.type() == RTM_NEWLINK && m.payload_len() >= sizeof(struct ifinfomsg)) {
        index_ = i;
        return true;
      }
    }
    return false;
  }

 private:
  std::vector<nl::Message> replies_;
  size_t index_ = 0;
};

// RTM_GETLINK for one interface by name, in the caller's network namespace.
Link GetLink(const std::string& ifname) {
  nl::NlSocket sock(NETLINK_ROUTE);
  nl::MsgBuilder req(RTM_GETLINK, 0);
  struct ifinfomsg ifi;
  std::memset(&ifi, 0, sizeof ifi);
  ifi.ifi_family = AF_UNSPEC;
  req.PutRaw(&ifi, sizeof ifi);
  req.PutString(IFLA_IFNAME, ifname);
  nl::ErrorContext ctx{kGetLink, ifname};
  Link link(sock.Transact(req, ctx));
  if (!link.Find()) throw SysError(EPROTO, kGetLink, ifname, {}, "no RTM_NEWLINK reply");
  return link;
}

// getInterface(ifname) -> InterfaceInfo.
Napi::Value GetInterface(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    Napi::Object out = Napi::Object::New(env);
    out.Set("name", Napi::String::New(env, ifname));

    struct ifreq ifr = MakeIfreq(ifname);
    IfIoctl(fd, SIOCGIFINDEX, "SIOCGIFINDEX", ifr);
    out.Set("ifindex", Napi::Number::New(env, ifr.ifr_ifindex));

    // All 32 bits, as ip shows them: SIOCGIFFLAGS truncates to 16 and so
    // loses LOWER_UP, DORMANT and ECHO.
    unsigned flags = GetLink(ifname).ifi().ifi_flags;
    out.Set("flags", Napi::Number::New(env, flags));

    ifr = MakeIfreq(ifname);
    IfIoctl(fd, SIOCGIFMTU, "SIOCGIFMTU", ifr);
    out.Set("mtu", Napi::Number::New(env, ifr.ifr_mtu));

    ifr = MakeIfreq(ifname);
    IfIoctl(fd, SIOCGIFHWADDR, "SIOCGIFHWADDR", ifr);
    switch (ifr.ifr_hwaddr.sa_family) {
      case ARPHRD_ETHER:
      case ARPHRD_LOOPBACK:
      case ARPHRD_IEEE802:
        out.Set("mac", Napi::String::New(env, MacString(ifr.ifr_hwaddr)));
        break;
      default:  // no Ethernet-style address (tun, ipip, ...)
        out.Set("mac", Napi::String::New(env, ""));
        break;
    }

    ifr = MakeIfreq(ifname);
    IfIoctl(fd, SIOCGIFTXQLEN, "SIOCGIFTXQLEN", ifr);
    out.Set("txqueuelen", Napi::Number::New(env, ifr.ifr_qlen));

    ifr = MakeIfreq(ifname);
    ifr.ifr_addr.sa_family = AF_INET;
    try {
      IfIoctl(fd, SIOCGIFADDR, "SIOCGIFADDR", ifr);
    } catch (const SysError& e) {
      if (e.err() != EADDRNOTAVAIL) throw;
      return out;  // no IPv4 address: ipv4 stays absent
    }
    Napi::Object v4 = Napi::Object::New(env);
    v4.Set("address", Napi::String::New(env, Ipv4String(ifr.ifr_addr)));

    ifr = MakeIfreq(ifname);
    ifr.ifr_addr.sa_family = AF_INET;
    IfIoctl(fd, SIOCGIFNETMASK, "SIOCGIFNETMASK", ifr);
    v4.Set("netmask", Napi::String::New(env, Ipv4String(ifr.ifr_netmask)));

    if (flags & IFF_BROADCAST) {
      ifr = MakeIfreq(ifname);
      ifr.ifr_addr.sa_family = AF_INET;
      IfIoctl(fd, SIOCGIFBRDADDR, "SIOCGIFBRDADDR", ifr);
      v4.Set("broadcast", Napi::String::New(env, Ipv4String(ifr.ifr_broadaddr)));
    }
    out.Set("ipv4", v4);
    return out;
  });
}

// listInterfaces() -> names, from if_nameindex().
Napi::Value ListInterfaces(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    CountSyscall();
    std::unique_ptr<struct if_nameindex, void (*)(struct if_nameindex*)> list(
        ::if_nameindex(), ::if_freenameindex);
    if (!list) ThrowErrno("if_nameindex");
    Napi::Array out = Napi::Array::New(env);
    uint32_t i = 0;
    for (const struct if_nameindex* p = list.get(); p->if_index != 0; ++p) {
      out.Set(i++, Napi::String::New(env, p->if_name));
    }
    return out;
  });
}

// setAddress(ifname, address): SIOCSIFADDR.
Napi::Value SetAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  struct in_addr a = Ipv4Arg(env, info[1], "address");
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    SetSockaddrIn(&ifr.ifr_addr, a);
    IfIoctl(fd, SIOCSIFADDR, "SIOCSIFADDR", ifr);
    return env.Undefined();
  });
}

// setNetmask(ifname, netmask): SIOCSIFNETMASK.
Napi::Value SetNetmask(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  struct in_addr a = Ipv4Arg(env, info[1], "netmask");
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    SetSockaddrIn(&ifr.ifr_netmask, a);
    IfIoctl(fd, SIOCSIFNETMASK, "SIOCSIFNETMASK", ifr);
    return env.Undefined();
  });
}

// setMtu(ifname, mtu): SIOCSIFMTU.
Napi::Value SetMtu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  int mtu = static_cast<int>(IntegerValue(env, info[1], "mtu", 0, INT32_MAX));
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    ifr.ifr_mtu = mtu;
    IfIoctl(fd, SIOCSIFMTU, "SIOCSIFMTU", ifr);
    return env.Undefined();
  });
}

// changeFlags(ifname, set, clear) -> flags: SIOCGIFFLAGS, SIOCSIFFLAGS,
// SIOCGIFFLAGS (what the kernel actually set).
Napi::Value ChangeFlags(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  unsigned set = static_cast<unsigned>(IntegerValue(env, info[1], "set", 0, 0xffff));
  unsigned clear = static_cast<unsigned>(IntegerValue(env, info[2], "clear", 0, 0xffff));
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    IfIoctl(fd, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifr);
    unsigned flags = static_cast<unsigned short>(ifr.ifr_flags);
    flags = (flags | set) & ~clear;
    ifr = MakeIfreq(ifname);
    ifr.ifr_flags = static_cast<short>(flags);
    IfIoctl(fd, SIOCSIFFLAGS, "SIOCSIFFLAGS", ifr);
    ifr = MakeIfreq(ifname);
    IfIoctl(fd, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifr);
    return Napi::Number::New(env, static_cast<unsigned short>(ifr.ifr_flags));
  });
}

// driverName(ifname): SIOCETHTOOL ETHTOOL_GDRVINFO.
Napi::Value DriverName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ethtool_drvinfo drv;
    std::memset(&drv, 0, sizeof drv);
    drv.cmd = ETHTOOL_GDRVINFO;
    struct ifreq ifr = MakeIfreq(ifname);
    ifr.ifr_data = reinterpret_cast<char*>(&drv);
    IfIoctl(fd, SIOCETHTOOL, "SIOCETHTOOL", ifr);
    return Napi::String::New(env, drv.driver, strnlen(drv.driver, sizeof drv.driver));
  });
}

}  // namespace

void InitIface(Napi::Env env, Napi::Object exports) {
  exports.Set("getInterface", Napi::Function::New(env, GetInterface, "getInterface"));
  exports.Set("listInterfaces", Napi::Function::New(env, ListInterfaces, "listInterfaces"));
  exports.Set("setAddress", Napi::Function::New(env, SetAddress, "setAddress"));
  exports.Set("setNetmask", Napi::Function::New(env, SetNetmask, "setNetmask"));
  exports.Set("setMtu", Napi::Function::New(env, SetMtu, "setMtu"));
  exports.Set("changeFlags", Napi::Function::New(env, ChangeFlags, "changeFlags"));
  exports.Set("driverName", Napi::Function::New(env, DriverName, "driverName"));
}

}  // namespace vnet
