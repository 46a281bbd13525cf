// rtnetlink dumps, as `ip link` and `ip addr` take them: dumpLinks([kind])
// (RTM_GETLINK, every interface -- or those of one kind, filtered by the
// kernel as for `ip link show type KIND` -- with its kind, flags, MTU,
// address, txqueuelen and dev_get_stats() counters) and
// dumpAddresses([ifindex]) (RTM_GETADDR, every IPv4 and IPv6 address,
// secondary ones included -- or those of one device, filtered by the
// kernel as for `ip addr show dev DEV`).
// One request each, answered from one consistent walk in the kernel, in
// the calling thread's network namespace: no per-device lookups that race
// with devices coming and going.
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
// After glibc's <net/if.h>.
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "genl_socket.h"
#include "syserror.h"

namespace vnet {

namespace {

constexpr const char* kGetLink = "rtnl RTM_GETLINK";
constexpr const char* kGetAddr = "rtnl RTM_GETADDR";

// Length of the valid UTF-8 sequence at s[i..], or 0 if there is none.
size_t Utf8SeqLen(const std::string& s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size() - i;
  unsigned char c = p[i];
  if (c < 0x80) return 1;
  auto cont = [&](size_t k) { return k < n && (p[i + k] & 0xc0) == 0x80; };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xe0 && p[i + 1] < 0xa0) return 0;   // overlong
    if (c == 0xed && p[i + 1] >= 0xa0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xf0 && p[i + 1] < 0x90) return 0;   // overlong
    if (c == 0xf4 && p[i + 1] >= 0x90) return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

// An interface name as text: valid UTF-8 without control characters
// stays as it is; otherwise each offending byte becomes \xNN (*escaped
// is then true).  The kernel allows any byte but '/', ':', NUL and
// whitespace in a name.
std::string ShowName(const std::string& raw, bool* escaped) {
  std::string out;
  *escaped = false;
  for (size_t i = 0; i < raw.size();) {
    size_t len = Utf8SeqLen(raw, i);
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7f))) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      *escaped = true;
      i += 1;
    } else {
      out.append(raw, i, len);
      i += len;
    }
  }
  return out;
}

std::string MacString(const uint8_t* b, size_t len) {
  if (len != 6) return "";
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
                b[2], b[3], b[4], b[5]);
  return buf;
}

std::vector<nl::Message> Dump(nl::NlSocket& sock, uint16_t type, const void* hdr,
                              size_t hdrlen, const char* syscall,
                              const std::string& kind = "") {
  nl::MsgBuilder req(type, NLM_F_DUMP);
  req.PutRaw(hdr, hdrlen);
  if (!kind.empty()) {
    // IFLA_LINKINFO { IFLA_INFO_KIND }: the kernel sends only links of
    // that kind -- when a driver of that kind is registered (module
    // loaded) and since 4.19; otherwise it sends them all, so the caller
    // still checks each link's kind
    size_t nest = req.BeginNested(IFLA_LINKINFO);
    req.PutString(IFLA_INFO_KIND, kind);
    req.EndNested(nest);
  }
  return sock.Transact(req, {syscall, {}});
}

Napi::Object StatsToJs(Napi::Env env, const nl::Attrs& a) {
  struct rtnl_link_stats64 s;
  std::memset(&s, 0, sizeof s);
  if (const struct nlattr* st = a.Get(IFLA_STATS64)) {
    std::memcpy(&s, nl::Attrs::Payload(st),
                std::min(sizeof s, nl::Attrs::PayloadLen(st)));
  }
  Napi::Object out = Napi::Object::New(env);
  auto put = [&](const char* k, uint64_t v) { out.Set(k, Napi::BigInt::New(env, v)); };
  put("rx_packets", s.rx_packets);
  put("rx_bytes", s.rx_bytes);
  put("rx_errors", s.rx_errors);
  put("rx_dropped", s.rx_dropped);
  put("rx_fifo_errors", s.rx_fifo_errors);
  put("rx_frame_errors", s.rx_frame_errors);
  put("rx_over_errors", s.rx_over_errors);
  put("multicast", s.multicast);
  put("tx_packets", s.tx_packets);
  put("tx_bytes", s.tx_bytes);
  put("tx_errors", s.tx_errors);
  put("tx_dropped", s.tx_dropped);
  put("tx_fifo_errors", s.tx_fifo_errors);
  put("tx_carrier_errors", s.tx_carrier_errors);
  put("collisions", s.collisions);
  return out;
}

// dumpLinks([kind]) -> LinkInfo[] (src/binding/types.ts), in ifindex order.
Napi::Value DumpLinks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    std::string kind;
    if (info.Length() > 0 && !info[0].IsUndefined()) kind = StringValue(env, info[0], "kind");
    struct ifinfomsg ifi;
    std::memset(&ifi, 0, sizeof ifi);
    ifi.ifi_family = AF_UNSPEC;
    nl::NlSocket sock(NETLINK_ROUTE);
    std::vector<nl::Message> replies = Dump(sock, RTM_GETLINK, &ifi, sizeof ifi, kGetLink, kind);
    Napi::Array out = Napi::Array::New(env);
    uint32_t n = 0;
    for (const nl::Message& m : replies) {
      if (m.type() != RTM_NEWLINK || m.payload_len() < sizeof(struct ifinfomsg)) continue;
      struct ifinfomsg h;
      std::memcpy(&h, m.payload(), sizeof h);
      nl::Attrs a(m, sizeof(struct ifinfomsg), IFLA_MAX);
      a.set_context("IFLA attribute");
      Napi::Object o = Napi::Object::New(env);
      o.Set("ifindex", Napi::Number::New(env, h.ifi_index));
      bool escaped = false;
      o.Set("name", Napi::String::New(env, ShowName(a.Str(IFLA_IFNAME).value_or(""), &escaped)));
      o.Set("nameEscaped", Napi::Boolean::New(env, escaped));
      std::string kind;
      if (std::optional<nl::Attrs> li = a.Nested(IFLA_LINKINFO, IFLA_INFO_MAX)) {
        kind = li->Str(IFLA_INFO_KIND).value_or("");
      }
      o.Set("kind", Napi::String::New(env, kind));
      o.Set("type", Napi::Number::New(env, h.ifi_type));
      o.Set("flags", Napi::Number::New(env, h.ifi_flags));
      o.Set("mtu", Napi::Number::New(env, a.U32(IFLA_MTU).value_or(0)));
      std::string mac;
      if (const struct nlattr* addr = a.Get(IFLA_ADDRESS)) {
        mac = MacString(nl::Attrs::Payload(addr), nl::Attrs::PayloadLen(addr));
      }
      o.Set("mac", Napi::String::New(env, mac));
      o.Set("txqueuelen", Napi::Number::New(env, a.U32(IFLA_TXQLEN).value_or(0)));
      o.Set("stats", StatsToJs(env, a));
      out.Set(n++, o);
    }
    return out;
  });
}

std::string AddrString(int family, const struct nlattr* a) {
  size_t need = family == AF_INET ? 4 : 16;
  if (!a || nl::Attrs::PayloadLen(a) < need) return "";
  char buf[INET6_ADDRSTRLEN];
  if (!::inet_ntop(family, nl::Attrs::Payload(a), buf, sizeof buf)) return "";
  return buf;
}

// dumpAddresses([ifindex]) -> AddressInfo[] (src/binding/types.ts): IPv4
// then IPv6, each in the kernel's order (primary before secondary).  With
// an ifindex, that device's only: the kernel walks that device alone under
// NETLINK_GET_STRICT_CHK (4.20+) and fails with ENODEV when there is no
// such device; before 4.20 the whole dump is filtered here, and an empty
// result checked with if_indextoname() to fail the same way.
Napi::Value DumpAddresses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    uint32_t ifindex = 0;
    if (info.Length() > 0 && !info[0].IsUndefined()) {
      ifindex = static_cast<uint32_t>(IntegerValue(env, info[0], "ifindex", 1, INT32_MAX));
    }
    nl::NlSocket sock(NETLINK_ROUTE);
    bool strict = ifindex != 0 && sock.SetStrictCheck();
    Napi::Array out = Napi::Array::New(env);
    uint32_t n = 0;
    for (int family : {AF_INET, AF_INET6}) {
      struct ifaddrmsg ifa;
      std::memset(&ifa, 0, sizeof ifa);
      ifa.ifa_family = static_cast<unsigned char>(family);
      if (strict) ifa.ifa_index = ifindex;
      std::vector<nl::Message> replies;
      try {
        replies = Dump(sock, RTM_GETADDR, &ifa, sizeof ifa, kGetAddr);
      } catch (const SysError& e) {
        // a kernel without IPv6 has no AF_INET6 handler
        if (family == AF_INET6 && e.err() == EAFNOSUPPORT) continue;
        throw;
      }
      for (const nl::Message& m : replies) {
        if (m.type() != RTM_NEWADDR || m.payload_len() < sizeof(struct ifaddrmsg)) continue;
        struct ifaddrmsg h;
        std::memcpy(&h, m.payload(), sizeof h);
        if (h.ifa_family != family) continue;
        if (ifindex != 0 && h.ifa_index != ifindex) continue;
        nl::Attrs a(m, sizeof(struct ifaddrmsg), IFA_MAX);
        a.set_context("IFA attribute");
        // IPv4: IFA_LOCAL is the address, IFA_ADDRESS the peer on
        // point-to-point links; IPv6: IFA_ADDRESS (IFA_LOCAL only with a peer).
        const struct nlattr* local = a.Get(IFA_LOCAL) ? a.Get(IFA_LOCAL) : a.Get(IFA_ADDRESS);
        std::string addr = AddrString(family, local);
        if (addr.empty()) continue;
        uint32_t flags = a.U32(IFA_FLAGS).value_or(h.ifa_flags);
        Napi::Object o = Napi::Object::New(env);
        o.Set("ifindex", Napi::Number::New(env, h.ifa_index));
        o.Set("family", Napi::String::New(env, family == AF_INET ? "inet" : "inet6"));
        o.Set("local", Napi::String::New(env, addr));
        o.Set("prefixlen", Napi::Number::New(env, h.ifa_prefixlen));
        std::string brd = AddrString(family, a.Get(IFA_BROADCAST));
        if (!brd.empty()) o.Set("broadcast", Napi::String::New(env, brd));
        o.Set("scope", Napi::Number::New(env, h.ifa_scope));
        o.Set("flags", Napi::Number::New(env, flags));
        if (auto label = a.Str(IFA_LABEL)) {
          bool escaped = false;
          o.Set("label", Napi::String::New(env, ShowName(*label, &escaped)));
        }
        out.Set(n++, o);
      }
    }
    if (ifindex != 0 && !strict && n == 0) {
      char name[IF_NAMESIZE];
      if (!::if_indextoname(ifindex, name)) ThrowErrno(errno == ENXIO ? ENODEV : errno, kGetAddr);
    }
    return out;
  });
}

}  // namespace

void InitRtnlDump(Napi::Env env, Napi::Object exports) {
  exports.Set("dumpLinks", Napi::Function::New(env, DumpLinks, "dumpLinks"));
  exports.Set("dumpAddresses", Napi::Function::New(env, DumpAddresses, "dumpAddresses"));
}

}  // namespace vnet
