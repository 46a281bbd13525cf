// The vnet_nl generic netlink family (VNET_CMD_*): GenlSocket objects for
// JS, wrapping one persistent netlink socket each, with replies turned
// into VnetState / VnetEvent objects (src/binding/types.ts).
#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "genl_socket.h"

namespace vnet {

namespace {

using nl::Attrs;
using nl::Message;
using nl::MsgBuilder;

// enum vnet_stats_attr -> the ethtool -S names (VnetStats keys).
struct StatName {
  uint16_t attr;
  const char* name;
};
constexpr StatName kStats[] = {
    {VNET_STATS_RX_PACKETS, "rx_packets"},
    {VNET_STATS_RX_BYTES, "rx_bytes"},
    {VNET_STATS_TX_PACKETS, "tx_packets"},
    {VNET_STATS_TX_BYTES, "tx_bytes"},
    {VNET_STATS_RX_DROPPED, "rx_dropped"},
    {VNET_STATS_TX_DROPPED, "tx_dropped"},
    {VNET_STATS_TX_DROP_PERCENT, "tx_drop_percent"},
    {VNET_STATS_TX_DROP_TIME, "tx_drop_time"},
    {VNET_STATS_TX_DROP_NO_SLAVE, "tx_drop_no_slave"},
    {VNET_STATS_TX_DROP_SLAVE, "tx_drop_slave"},
    {VNET_STATS_SLAVE_LOST, "slave_lost"},
};
static_assert(sizeof kStats / sizeof kStats[0] == VNET_STATS_MAX - VNET_STATS_PAD,
              "every vnet_stats_attr counter has a name");

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

Napi::Object StateToJs(Napi::Env env, const Attrs& a) {
  Napi::Object s = Napi::Object::New(env);
  s.Set("ifindex", Napi::Number::New(env, a.U32(VNET_ATTR_IFINDEX).value_or(0)));
  s.Set("ifname", Napi::String::New(env, a.Str(VNET_ATTR_IFNAME).value_or("")));
  s.Set("mode", Napi::Number::New(env, a.U32(VNET_ATTR_MODE).value_or(0)));
  s.Set("arg1", Napi::Number::New(env, a.S32(VNET_ATTR_ARG1).value_or(0)));
  s.Set("arg2", Napi::Number::New(env, a.S32(VNET_ATTR_ARG2).value_or(0)));
  s.Set("seed", Napi::BigInt::New(env, a.U64(VNET_ATTR_SEED).value_or(0)));
  s.Set("slaveIfindex", Napi::Number::New(env, a.U32(VNET_ATTR_SLAVE_IFINDEX).value_or(0)));
  s.Set("slaveName", Napi::String::New(env, a.Str(VNET_ATTR_SLAVE_NAME).value_or("")));
  // absent from kernels before the attribute existed, and with no slave
  if (std::optional<uint32_t> rp = a.U32(VNET_ATTR_SLAVE_RP_FILTER)) {
    s.Set("slaveRpFilter", Napi::Number::New(env, *rp));
  }
  Napi::Object stats = Napi::Object::New(env);
  std::optional<Attrs> st = a.Nested(VNET_ATTR_STATS, VNET_STATS_MAX);
  for (const StatName& n : kStats) {
    uint64_t v = st ? st->U64(n.attr).value_or(0) : 0;
    stats.Set(n.name, Napi::BigInt::New(env, v));
  }
  s.Set("stats", stats);
  return s;
}

Attrs ReplyAttrs(const Message& m) {
  Attrs a(m, GENL_HDRLEN, VNET_ATTR_MAX);
  a.set_context("vnet_nl attribute");
  return a;
}

class GenlSocketWrap : public Napi::ObjectWrap<GenlSocketWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "GenlSocket",
        {
            InstanceAccessor<&GenlSocketWrap::FamilyId>("familyId", napi_enumerable),
            InstanceMethod<&GenlSocketWrap::Echo>("echo"),
            InstanceMethod<&GenlSocketWrap::Get>("get"),
            InstanceMethod<&GenlSocketWrap::Dump>("dump"),
            InstanceMethod<&GenlSocketWrap::Set>("set"),
            InstanceMethod<&GenlSocketWrap::ResetStats>("resetStats"),
            InstanceMethod<&GenlSocketWrap::Subscribe>("subscribe"),
            InstanceMethod<&GenlSocketWrap::NextEvent>("nextEvent"),
            InstanceMethod<&GenlSocketWrap::Close>("close"),
        });
  }

  // new GenlSocket(): opens the socket and resolves vnet_nl.
  explicit GenlSocketWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<GenlSocketWrap>(info) {
    Guard(info.Env(), [&] {
      sock_ = std::make_unique<nl::NlSocket>(NETLINK_GENERIC);
      try {
        family_ = nl::ResolveFamily(*sock_, VNET_GENL_NAME);
      } catch (const SysError& e) {
        if (e.err() != ENOENT) throw;
        throw SysError(ENOENT, e.syscall(), {}, e.extack(),
                       "generic netlink family '" VNET_GENL_NAME
                       "' is not registered: is the vnet module loaded?");
      }
    });
  }
  // The finalizer: ~NlSocket closes the fd if close() was never called.

 private:
  Napi::Value FamilyId(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), family_.id);
  }

  MsgBuilder Request(uint8_t cmd, uint16_t flags = 0) {
    MsgBuilder m(family_.id, flags);
    m.PutGenlHeader(cmd, VNET_GENL_VERSION);
    return m;
  }

  static void PutDev(MsgBuilder& m, const DevRef& dev) {
    if (dev.ifindex) {
      m.PutU32(VNET_ATTR_IFINDEX, dev.ifindex);
    } else {
      m.PutString(VNET_ATTR_IFNAME, dev.name);
    }
  }

  // One reply of the expected command, else EPROTO.
  static const Message& OneReply(const std::vector<Message>& replies,
                                 const nl::ErrorContext& ctx) {
    if (replies.empty()) {
      throw SysError(EPROTO, ctx.syscall, ctx.ifname, {}, "the kernel sent no reply");
    }
    return replies.front();
  }

  Napi::Value StateCall(Napi::Env env, uint8_t cmd, MsgBuilder& req,
                        const DevRef& dev) {
    nl::ErrorContext ctx{CmdName(cmd), dev.name};
    std::vector<Message> replies = sock_->Transact(req, ctx);
    return StateToJs(env, ReplyAttrs(OneReply(replies, ctx)));
  }

  void CheckOpen(const char* syscall) const {
    if (!sock_->is_open()) throw SysError(EBADF, syscall, {}, {}, "GenlSocket is closed");
  }

  Napi::Value Echo(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_ECHO));
      MsgBuilder req = Request(VNET_CMD_ECHO);
      req.PutString(VNET_ATTR_MSG, msg);
      nl::ErrorContext ctx{CmdName(VNET_CMD_ECHO), {}};
      std::vector<Message> replies = sock_->Transact(req, ctx);
      Attrs a = ReplyAttrs(OneReply(replies, ctx));
      auto back = a.Str(VNET_ATTR_MSG);
      if (!back) throw SysError(EPROTO, ctx.syscall, {}, {}, "echo reply without VNET_ATTR_MSG");
      return Napi::String::New(env, *back);
    });
  }

  Napi::Value Get(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DevRef dev = DevValue(env, info[0]);
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_GET));
      MsgBuilder req = Request(VNET_CMD_GET);
      PutDev(req, dev);
      return StateCall(env, VNET_CMD_GET, req, dev);
    });
  }

  Napi::Value Dump(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_GET));
      MsgBuilder req = Request(VNET_CMD_GET, NLM_F_DUMP);
      std::vector<Message> replies = sock_->Transact(req, {CmdName(VNET_CMD_GET), {}});
      Napi::Array out = Napi::Array::New(env);
      uint32_t i = 0;
      for (const Message& m : replies) {
        if (m.type() != family_.id) continue;
        out.Set(i++, StateToJs(env, ReplyAttrs(m)));
      }
      return out;
    });
  }

  Napi::Value Set(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object r = ObjectArg(info, 0, "req");
    DevRef dev = DevValue(env, r.Get("dev"), "req.dev");
    uint32_t mode = Uint32Value(env, r.Get("mode"), "req.mode");
    int32_t arg1 = Int32Value(env, r.Get("arg1"), "req.arg1");
    int32_t arg2 = Int32Value(env, r.Get("arg2"), "req.arg2");
    Napi::Value seedv = r.Get("seed");
    bool has_seed = !seedv.IsUndefined();
    uint64_t seed = has_seed ? BigUint64Value(env, seedv, "req.seed") : 0;
    Napi::Value slavev = r.Get("slave");
    bool has_slave = !slavev.IsUndefined();
    std::string slave = has_slave ? IfNameValue(env, slavev, "req.slave", true) : "";
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_SET));
      MsgBuilder req = Request(VNET_CMD_SET);
      PutDev(req, dev);
      req.PutU32(VNET_ATTR_MODE, mode);
      req.PutS32(VNET_ATTR_ARG1, arg1);
      req.PutS32(VNET_ATTR_ARG2, arg2);
      if (has_seed) req.PutU64(VNET_ATTR_SEED, seed);
      if (has_slave) req.PutString(VNET_ATTR_SLAVE_NAME, slave);
      return StateCall(env, VNET_CMD_SET, req, dev);
    });
  }

  Napi::Value ResetStats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DevRef dev = DevValue(env, info[0]);
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_RESET_STATS));
      MsgBuilder req = Request(VNET_CMD_RESET_STATS);
      PutDev(req, dev);
      return StateCall(env, VNET_CMD_RESET_STATS, req, dev);
    });
  }

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen("setsockopt(NETLINK_ADD_MEMBERSHIP)");
      auto it = family_.groups.find(VNET_GENL_MCGRP_EVENTS);
      if (it == family_.groups.end()) {
        throw SysError(ENOENT, "genl_ctrl_resolve", {}, {},
                       "family '" VNET_GENL_NAME "' has no multicast group '"
                       VNET_GENL_MCGRP_EVENTS "'");
      }
      sock_->AddMembership(it->second);
      subscribed_ = true;
      return env.Undefined();
    });
  }

  Napi::Value NextEvent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int timeout = static_cast<int>(IntegerValue(env, info[0], "timeoutMs", 0, INT32_MAX));
    if (!subscribed_) {
      ThrowTypeError(env, "ERR_INVALID_STATE", "nextEvent(): call subscribe() first");
    }
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_EVENT));
      nl::ErrorContext ctx{CmdName(VNET_CMD_EVENT), {}};
      using Clock = std::chrono::steady_clock;
      const auto deadline = Clock::now() + std::chrono::milliseconds(timeout);
      for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - Clock::now()).count();
        std::optional<Message> m = sock_->NextMulticast(left > 0 ? static_cast<int>(left) : 0, ctx);
        if (!m) return env.Null();
        if (m->type() != family_.id || m->genl_cmd() != VNET_CMD_EVENT) continue;
        Attrs a = ReplyAttrs(*m);
        Napi::Object ev = Napi::Object::New(env);
        ev.Set("event", Napi::Number::New(env, a.U32(VNET_ATTR_EVENT).value_or(0)));
        ev.Set("state", StateToJs(env, a));
        return ev;
      }
    });
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    sock_->Close();
    return info.Env().Undefined();
  }

  std::unique_ptr<nl::NlSocket> sock_;
  nl::GenlFamily family_;
  bool subscribed_ = false;
};

// openGenl(): a GenlSocket bound to vnet_nl.
Napi::Value OpenGenl(const Napi::CallbackInfo& info) {
  return Data(info.Env()).genlClass.New({});
}

}  // namespace

void InitGenlVnet(Napi::Env env, Napi::Object exports) {
  Data(env).genlClass = Napi::Persistent(GenlSocketWrap::Define(env));
  exports.Set("openGenl", Napi::Function::New(env, OpenGenl, "openGenl"));
}

}  // namespace vnet
