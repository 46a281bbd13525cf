#include "vnet_nl.h"

#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>

#include "syserror.h"

namespace vnet {

namespace {

using nl::Attrs;
using nl::Message;
using nl::MsgBuilder;

constexpr uint16_t kStatAttrs[kStatCount] = {
    VNET_STATS_RX_PACKETS,       VNET_STATS_RX_BYTES,        VNET_STATS_TX_PACKETS,
    VNET_STATS_TX_BYTES,         VNET_STATS_RX_DROPPED,      VNET_STATS_TX_DROPPED,
    VNET_STATS_TX_DROP_PERCENT,  VNET_STATS_TX_DROP_TIME,    VNET_STATS_TX_DROP_NO_SLAVE,
    VNET_STATS_TX_DROP_SLAVE,    VNET_STATS_SLAVE_LOST,      VNET_STATS_TX_DROP_GEMODEL,
    VNET_STATS_RX_DROP_DELIVERY, VNET_STATS_RX_DROP_PERCENT, VNET_STATS_RX_DROP_TIME,
    VNET_STATS_RX_DROP_GEMODEL,
};
static_assert(kStatCount == VNET_STATS_MAX - VNET_STATS_PAD,
              "every vnet_stats_attr counter has a name");

constexpr const char* kContext = "vnet_nl attribute";

MsgBuilder Request(uint16_t family, uint8_t cmd, uint16_t flags = 0) {
  MsgBuilder m(family, flags);
  m.PutGenlHeader(cmd, VNET_GENL_VERSION);
  return m;
}

void PutDev(MsgBuilder& m, const DevRef& dev) {
  if (dev.ifindex) {
    m.PutU32(VNET_ATTR_IFINDEX, dev.ifindex);
  } else {
    m.PutString(VNET_ATTR_IFNAME, dev.name);
  }
}

// Replies are family messages with the request's command (a dump's:
// VNET_CMD_GET).  Reads (ECHO, GET) have their reply as the whole answer
// and ask for no ACK; SET and RESET_STATS do, for the warning it may bring.
nl::Expect Reply(uint16_t family, uint8_t cmd, bool dump = false) {
  nl::Expect e;
  e.dump = dump;
  e.ack = cmd == VNET_CMD_SET || cmd == VNET_CMD_RESET_STATS;
  e.type = family;
  e.cmd = cmd;
  return e;
}

// A policy's attributes: the state's top level (transmit) or the
// VNET_ATTR_RX_POLICY nest (receive).  Absent arguments read as 0.
VnetPolicyData ParsePolicy(const Attrs& a) {
  VnetPolicyData p;
  p.mode = a.U32(VNET_ATTR_MODE).value_or(0);
  p.arg1 = a.S32(VNET_ATTR_ARG1).value_or(0);
  p.arg2 = a.S32(VNET_ATTR_ARG2).value_or(0);
  p.arg3 = a.S32(VNET_ATTR_ARG3).value_or(0);
  p.arg4 = a.S32(VNET_ATTR_ARG4).value_or(0);
  p.seed = a.U64(VNET_ATTR_SEED).value_or(0);
  p.revert_ms = a.U32(VNET_ATTR_REVERT_MS);
  return p;
}

const Message& OneReply(const nl::Answer& a, const nl::ErrorContext& ctx) {
  if (a.replies.empty()) {
    throw SysError(EPROTO, ctx.syscall, ctx.ifname, {}, "the kernel sent no reply");
  }
  return a.replies.front();
}

VnetStateData StateCall(nl::NlSocket& sock, uint16_t family, uint8_t cmd, MsgBuilder& req,
                        const DevRef& dev) {
  nl::ErrorContext ctx{CmdName(cmd), dev.name};
  nl::Answer a = sock.Request(req, ctx, Reply(family, cmd));
  VnetStateData s = ParseState(Attrs(OneReply(a, ctx), GENL_HDRLEN, VNET_ATTR_MAX, kContext));
  s.warning = std::move(a.warning);
  return s;
}

}  // namespace

const char* const kStatNames[kStatCount] = {
    "rx_packets",       "rx_bytes",      "tx_packets",      "tx_bytes",
    "rx_dropped",       "tx_dropped",    "tx_drop_percent", "tx_drop_time",
    "tx_drop_no_slave", "tx_drop_slave", "slave_lost",      "tx_drop_gemodel",
    "rx_drop_delivery", "rx_drop_percent", "rx_drop_time",  "rx_drop_gemodel",
};

const char* CmdName(uint8_t cmd) {
  switch (cmd) {
    case VNET_CMD_ECHO: return "genl VNET_CMD_ECHO";
    case VNET_CMD_GET: return "genl VNET_CMD_GET";
    case VNET_CMD_SET: return "genl VNET_CMD_SET";
    case VNET_CMD_RESET_STATS: return "genl VNET_CMD_RESET_STATS";
    case VNET_CMD_EVENT: return "genl VNET_CMD_EVENT";
    default: return "genl vnet_nl";
  }
}

VnetStateData ParseState(const Attrs& a) {
  VnetStateData s;
  std::optional<uint32_t> ifindex = a.U32(VNET_ATTR_IFINDEX);
  std::optional<std::string> ifname = a.Str(VNET_ATTR_IFNAME);
  if (!ifindex || !ifname) {
    throw SysError(EPROTO, a.context(), {}, {},
                   "malformed netlink message: a device state without "
                   "VNET_ATTR_IFINDEX and VNET_ATTR_IFNAME");
  }
  s.ifindex = *ifindex;
  s.ifname = *ifname;
  s.tx = ParsePolicy(a);
  if (std::optional<Attrs> rx = a.Nested(VNET_ATTR_RX_POLICY, VNET_ATTR_MAX)) {
    s.rx = ParsePolicy(*rx);
  }
  s.slave_ifindex = a.U32(VNET_ATTR_SLAVE_IFINDEX).value_or(0);
  s.slave_name = a.Str(VNET_ATTR_SLAVE_NAME).value_or("");
  // absent from kernels before the attribute existed, and with no slave
  s.slave_rp_filter = a.U32(VNET_ATTR_SLAVE_RP_FILTER);
  if (std::optional<Attrs> st = a.Nested(VNET_ATTR_STATS, VNET_STATS_MAX)) {
    for (int i = 0; i < kStatCount; i++) s.stats[i] = st->U64(kStatAttrs[i]).value_or(0);
  }
  return s;
}

std::optional<VnetEventData> ParseEvent(const Message& m, uint16_t family) {
  if (m.type() != family || m.genl_cmd() != VNET_CMD_EVENT) return std::nullopt;
  Attrs a(m, GENL_HDRLEN, VNET_ATTR_MAX, kContext);
  VnetEventData ev;
  ev.event = a.U32(VNET_ATTR_EVENT).value_or(0);
  ev.direction = a.U32(VNET_ATTR_DIRECTION);
  ev.state = ParseState(a);
  return ev;
}

std::string Echo(nl::NlSocket& sock, uint16_t family, const std::string& msg) {
  MsgBuilder req = Request(family, VNET_CMD_ECHO);
  req.PutString(VNET_ATTR_MSG, msg);
  nl::ErrorContext ctx{CmdName(VNET_CMD_ECHO), {}};
  nl::Answer answer = sock.Request(req, ctx, Reply(family, VNET_CMD_ECHO));
  Attrs a(OneReply(answer, ctx), GENL_HDRLEN, VNET_ATTR_MAX, kContext);
  std::optional<std::string> back = a.Str(VNET_ATTR_MSG);
  if (!back) throw SysError(EPROTO, ctx.syscall, {}, {}, "echo reply without VNET_ATTR_MSG");
  return *back;
}

VnetStateData Get(nl::NlSocket& sock, uint16_t family, const DevRef& dev) {
  MsgBuilder req = Request(family, VNET_CMD_GET);
  PutDev(req, dev);
  return StateCall(sock, family, VNET_CMD_GET, req, dev);
}

std::vector<VnetStateData> Dump(nl::NlSocket& sock, uint16_t family) {
  MsgBuilder req = Request(family, VNET_CMD_GET);
  nl::ErrorContext ctx{CmdName(VNET_CMD_GET), {}};
  std::vector<VnetStateData> out;
  for (const Message& m : sock.Request(req, ctx, Reply(family, VNET_CMD_GET, true)).replies) {
    out.push_back(ParseState(Attrs(m, GENL_HDRLEN, VNET_ATTR_MAX, kContext)));
  }
  return out;
}

VnetStateData Set(nl::NlSocket& sock, uint16_t family, const SetRequest& r) {
  MsgBuilder req = Request(family, VNET_CMD_SET);
  PutDev(req, r.dev);
  req.PutU32(VNET_ATTR_MODE, r.mode);
  req.PutS32(VNET_ATTR_ARG1, r.arg1);
  req.PutS32(VNET_ATTR_ARG2, r.arg2);
  if (r.arg3) req.PutS32(VNET_ATTR_ARG3, *r.arg3);
  if (r.arg4) req.PutS32(VNET_ATTR_ARG4, *r.arg4);
  if (r.seed) req.PutU64(VNET_ATTR_SEED, *r.seed);
  if (r.direction) req.PutU32(VNET_ATTR_DIRECTION, *r.direction);
  if (r.revert_ms) req.PutU32(VNET_ATTR_REVERT_MS, *r.revert_ms);
  if (r.slave) req.PutString(VNET_ATTR_SLAVE_NAME, *r.slave);
  return StateCall(sock, family, VNET_CMD_SET, req, r.dev);
}

VnetStateData ResetStats(nl::NlSocket& sock, uint16_t family, const DevRef& dev) {
  MsgBuilder req = Request(family, VNET_CMD_RESET_STATS);
  PutDev(req, dev);
  return StateCall(sock, family, VNET_CMD_RESET_STATS, req, dev);
}

nl::GenlFamily ResolveVnet(nl::NlSocket& sock) {
  try {
    return nl::ResolveFamily(sock, VNET_GENL_NAME);
  } catch (const SysError& e) {
    if (e.err() != ENOENT) throw;
    throw SysError(ENOENT, e.syscall(), {}, e.extack(),
                   "generic netlink family '" VNET_GENL_NAME
                   "' is not registered: is the vnet module loaded?");
  }
}

}  // namespace vnet
