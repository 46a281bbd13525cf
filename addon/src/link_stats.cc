// linkStats(ifname) and linkStatsAsync(ifname): dev_get_stats() counters
// (the driver's plus the core's, as `ip -s link` and
// /sys/class/net/IF/statistics show them) through rtnetlink: RTM_GETLINK,
// IFLA_STATS64, in the caller's network namespace.
#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "addon.h"
#include "args.h"
#include "async_work.h"
#include "errors.h"
#include "genl_socket.h"
#include "pooled_work.h"
#include "socket_pool.h"
#include "syserror.h"

namespace vnet {

namespace {

constexpr const char* kGetLink = "rtnl RTM_GETLINK";

// Plain C++: runs on the JS thread or a worker thread, with a socket
// opened on the JS thread (the namespace is the socket's).
struct rtnl_link_stats64 ReadLinkStats(nl::NlSocket& sock, const std::string& ifname) {
  nl::MsgBuilder req(RTM_GETLINK, 0);
  struct ifinfomsg ifi;
  std::memset(&ifi, 0, sizeof ifi);
  ifi.ifi_family = AF_UNSPEC;
  req.PutRaw(&ifi, sizeof ifi);
  req.PutString(IFLA_IFNAME, ifname);
  nl::Expect expect;
  expect.type = RTM_NEWLINK;
  expect.ack = false;  // the link is the whole answer
  nl::Answer answer = sock.Request(req, {kGetLink, ifname}, expect);
  if (answer.replies.empty()) throw SysError(EPROTO, kGetLink, ifname, {}, "no RTM_NEWLINK reply");
  nl::Attrs a(answer.replies.front(), sizeof(struct ifinfomsg), IFLA_MAX, "IFLA attribute");
  const struct nlattr* st = a.Get(IFLA_STATS64);
  if (!st) throw SysError(EPROTO, kGetLink, ifname, {}, "reply without IFLA_STATS64");
  struct rtnl_link_stats64 s;
  std::memset(&s, 0, sizeof s);
  std::memcpy(&s, nl::Attrs::Payload(st), std::min(sizeof s, nl::Attrs::PayloadLen(st)));
  return s;
}

Napi::Object LinkStatsToJs(Napi::Env env, const struct rtnl_link_stats64& s) {
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

// The environment's pool, of the namespace its thread is in now.
SocketPool& RtnlPool(Napi::Env env) {
  std::shared_ptr<SocketPool>& pool = Data(env).rtnlPool;
  if (!pool) pool = std::make_shared<SocketPool>(NETLINK_ROUTE);
  return *pool;
}

Napi::Value LinkStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_ROUTE);
    return LinkStatsToJs(env, ReadLinkStats(sock, ifname));
  });
}

Napi::Value LinkStatsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return PromiseWorker::Guard(env, [&] {
    std::string ifname = IfNameArg(info, 0);
    return PooledWork<struct rtnl_link_stats64>(
        env, RtnlPool(env), kGetLink,
        [ifname](nl::NlSocket& sock) { return ReadLinkStats(sock, ifname); }, LinkStatsToJs);
  });
}

}  // namespace

void InitLinkStats(Napi::Env env, Napi::Object exports) {
  exports.Set("linkStats", Napi::Function::New(env, LinkStats, "linkStats"));
  exports.Set("linkStatsAsync", Napi::Function::New(env, LinkStatsAsync, "linkStatsAsync"));
}

}  // namespace vnet
