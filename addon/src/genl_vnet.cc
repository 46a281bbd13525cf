// GenlSocket objects for JS (src/binding/types.ts): the vnet_nl requests
// (vnet_nl.cc) synchronously on one socket of the object's own, and
// asynchronously (Promises) on sockets borrowed from its pool by worker
// threads; events by nextEvent() polling or by watch() subscriptions.
#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "async_work.h"
#include "errors.h"
#include "genl_socket.h"
#include "genl_watch.h"
#include "pooled_work.h"
#include "socket_pool.h"
#include "vnet_js.h"
#include "vnet_nl.h"

namespace vnet {

namespace {

// An opened and resolved socket, handed to the constructor by
// openGenlAsync() (opened on the JS thread, resolved on a worker thread),
// and the namespace moves of the JS thread when it was opened.
struct Opened {
  std::unique_ptr<nl::NlSocket> sock;
  nl::GenlFamily family;
  uint64_t netns_moves = 0;
};

class GenlSocketWrap : public Napi::ObjectWrap<GenlSocketWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "GenlSocket",
        {
            InstanceAccessor<&GenlSocketWrap::FamilyId>("familyId", napi_enumerable),
            InstanceAccessor<&GenlSocketWrap::EventsLost>("eventsLost", napi_enumerable),
            InstanceMethod<&GenlSocketWrap::Echo>("echo"),
            InstanceMethod<&GenlSocketWrap::Get>("get"),
            InstanceMethod<&GenlSocketWrap::Dump>("dump"),
            InstanceMethod<&GenlSocketWrap::Set>("set"),
            InstanceMethod<&GenlSocketWrap::ResetStats>("resetStats"),
            InstanceMethod<&GenlSocketWrap::Subscribe>("subscribe"),
            InstanceMethod<&GenlSocketWrap::NextEvent>("nextEvent"),
            InstanceMethod<&GenlSocketWrap::EchoAsync>("echoAsync"),
            InstanceMethod<&GenlSocketWrap::GetAsync>("getAsync"),
            InstanceMethod<&GenlSocketWrap::DumpAsync>("dumpAsync"),
            InstanceMethod<&GenlSocketWrap::SetAsync>("setAsync"),
            InstanceMethod<&GenlSocketWrap::ResetStatsAsync>("resetStatsAsync"),
            InstanceMethod<&GenlSocketWrap::Watch>("watch"),
            InstanceMethod<&GenlSocketWrap::Close>("close"),
        });
  }

  // new GenlSocket(): opens the socket and resolves vnet_nl; or
  // new GenlSocket(External<Opened>) from openGenlAsync().
  explicit GenlSocketWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<GenlSocketWrap>(info) {
    Guard(info.Env(), [&] {
      Opened o;
      if (info.Length() > 0 && info[0].IsExternal()) {
        o = std::move(*info[0].As<Napi::External<Opened>>().Data());
        o.sock->set_retry_eintr(false);  // now the JS thread's
      } else {
        o.sock = std::make_unique<nl::NlSocket>(NETLINK_GENERIC);
        o.family = ResolveVnet(*o.sock);
        o.netns_moves = Data(info.Env()).netnsMoves;
      }
      sock_ = std::move(o.sock);
      family_ = std::move(o.family);
      netns_moves_ = o.netns_moves;
    });
  }
  // The finalizer: ~NlSocket closes the fd if close() was never called;
  // the pool's sockets close with the last request that holds them.

 private:
  Napi::Value FamilyId(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), family_.id);
  }

  Napi::Value EventsLost(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(sock_->events_lost()));
  }

  void CheckOpen(const char* syscall) const {
    if (!sock_->is_open()) throw SysError(EBADF, syscall, {}, {}, "GenlSocket is closed");
  }

  // Before opening a socket for the object: it must be in the object's
  // namespace, the one its own socket was opened in.
  void CheckSameNetns(Napi::Env env, const char* syscall) const {
    if (Data(env).netnsMoves != netns_moves_) {
      throw SysError(EXDEV, syscall, {}, {},
                     "this GenlSocket was opened in the network namespace that "
                     "enterNetns() has since left: open another one");
    }
  }

  // ------------------------------------------------------------ synchronous

  Napi::Value Echo(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_ECHO));
      return Napi::String::New(env, vnet::Echo(*sock_, family_.id, msg));
    });
  }

  Napi::Value Get(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DevRef dev = DevValue(env, info[0]);
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_GET));
      return StateToJs(env, vnet::Get(*sock_, family_.id, dev));
    });
  }

  Napi::Value Dump(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_GET));
      return StatesToJs(env, vnet::Dump(*sock_, family_.id));
    });
  }

  Napi::Value Set(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SetRequest req = SetRequestValue(env, info[0]);
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_SET));
      return StateToJs(env, vnet::Set(*sock_, family_.id, req));
    });
  }

  Napi::Value ResetStats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DevRef dev = DevValue(env, info[0]);
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen(CmdName(VNET_CMD_RESET_STATS));
      return StateToJs(env, vnet::ResetStats(*sock_, family_.id, dev));
    });
  }

  uint32_t EventsGroup() const {
    auto it = family_.groups.find(VNET_GENL_MCGRP_EVENTS);
    if (it == family_.groups.end()) {
      throw SysError(ENOENT, "genl_ctrl_resolve", {}, {},
                     "family '" VNET_GENL_NAME "' has no multicast group '"
                     VNET_GENL_MCGRP_EVENTS "'");
    }
    return it->second;
  }

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen("setsockopt(NETLINK_ADD_MEMBERSHIP)");
      sock_->AddMembership(EventsGroup());
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
        std::optional<nl::Message> m =
            sock_->NextMulticast(left > 0 ? static_cast<int>(left) : 0, ctx);
        if (!m) return env.Null();
        std::optional<VnetEventData> ev = ParseEvent(*m, family_.id);
        if (!ev) continue;
        ev->lost_before = sock_->events_lost() - lost_reported_;
        lost_reported_ = sock_->events_lost();
        return EventToJs(env, *ev);
      }
    });
  }

  // ----------------------------------------------------------- asynchronous
  // Each runs on a worker thread with a socket of its own from the pool,
  // granted on the JS thread, where a new one is opened in the GenlSocket's
  // namespace (socket_pool.h); arguments are copied (validated) here.
  // Once enterNetns() has moved the JS thread elsewhere, a new socket
  // would belong to the other namespace: EXDEV (CheckSameNetns), where the
  // synchronous forms go on using the object's own socket, in its own.

  template <typename R, typename Op, typename ToJs>
  Napi::Value Async(Napi::Env env, const char* syscall, Op op, ToJs to_js) {
    CheckSameNetns(env, syscall);
    uint16_t family = family_.id;
    return PooledWork<R>(
        env, *pool_, syscall, [op, family](nl::NlSocket& s) { return op(s, family); }, to_js);
  }

  Napi::Value EchoAsync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return PromiseWorker::Guard(env, [&] {
      std::string msg = StringValue(env, info[0], "message");
      return Async<std::string>(
          env, CmdName(VNET_CMD_ECHO),
          [msg](nl::NlSocket& s, uint16_t f) { return vnet::Echo(s, f, msg); },
          [](Napi::Env e, const std::string& r) { return Napi::String::New(e, r); });
    });
  }

  Napi::Value GetAsync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return PromiseWorker::Guard(env, [&] {
      DevRef dev = DevValue(env, info[0]);
      return Async<VnetStateData>(
          env, CmdName(VNET_CMD_GET),
          [dev](nl::NlSocket& s, uint16_t f) { return vnet::Get(s, f, dev); }, StateToJs);
    });
  }

  Napi::Value DumpAsync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return PromiseWorker::Guard(env, [&] {
      return Async<std::vector<VnetStateData>>(
          env, CmdName(VNET_CMD_GET),
          [](nl::NlSocket& s, uint16_t f) { return vnet::Dump(s, f); }, StatesToJs);
    });
  }

  Napi::Value SetAsync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return PromiseWorker::Guard(env, [&] {
      SetRequest req = SetRequestValue(env, info[0]);
      return Async<VnetStateData>(
          env, CmdName(VNET_CMD_SET),
          [req](nl::NlSocket& s, uint16_t f) { return vnet::Set(s, f, req); }, StateToJs);
    });
  }

  Napi::Value ResetStatsAsync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return PromiseWorker::Guard(env, [&] {
      DevRef dev = DevValue(env, info[0]);
      return Async<VnetStateData>(
          env, CmdName(VNET_CMD_RESET_STATS),
          [dev](nl::NlSocket& s, uint16_t f) { return vnet::ResetStats(s, f, dev); },
          StateToJs);
    });
  }

  // watch(listener, onError?) -> EventSubscription.
  Napi::Value Watch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Function listener = FunctionValue(env, info[0], "listener");
    if (!info[1].IsUndefined()) FunctionValue(env, info[1], "onError");
    return Guard(env, [&]() -> Napi::Value {
      CheckOpen("setsockopt(NETLINK_ADD_MEMBERSHIP)");
      CheckSameNetns(env, "setsockopt(NETLINK_ADD_MEMBERSHIP)");
      std::shared_ptr<WatchCore> core;
      Napi::Object sub = StartWatch(env, family_.id, EventsGroup(), listener, info[1], &core);
      watches_.push_back(core);
      return sub;
    });
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    sock_->Close();
    pool_->Close();
    for (const std::weak_ptr<WatchCore>& w : watches_) {
      if (std::shared_ptr<WatchCore> core = w.lock()) StopWatch(core);
    }
    watches_.clear();
    return info.Env().Undefined();
  }

  std::unique_ptr<nl::NlSocket> sock_;
  std::shared_ptr<SocketPool> pool_ = std::make_shared<SocketPool>(NETLINK_GENERIC);
  nl::GenlFamily family_;
  uint64_t netns_moves_ = 0;
  bool subscribed_ = false;
  uint64_t lost_reported_ = 0;
  std::vector<std::weak_ptr<WatchCore>> watches_;
};

// openGenl(): a GenlSocket bound to vnet_nl.
Napi::Value OpenGenl(const Napi::CallbackInfo& info) {
  return Data(info.Env()).genlClass.New({});
}

// openGenlAsync(): the same, the socket opened here (in this thread's
// namespace) and the family resolved on a worker thread.
Napi::Value OpenGenlAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return PromiseWorker::Guard(env, [&] {
    auto opened = std::make_shared<Opened>();
    opened->sock = OpenWorkerSocket(NETLINK_GENERIC);
    opened->netns_moves = Data(env).netnsMoves;
    return PromiseWorker::Start(
        env, "genl_ctrl_resolve", [opened] { opened->family = ResolveVnet(*opened->sock); },
        [opened](Napi::Env e) -> Napi::Value {
          return Data(e).genlClass.New({Napi::External<Opened>::New(e, opened.get())});
        });
  });
}

}  // namespace

void InitGenlVnet(Napi::Env env, Napi::Object exports) {
  Data(env).genlClass = Napi::Persistent(GenlSocketWrap::Define(env));
  InitWatch(env);
  exports.Set("openGenl", Napi::Function::New(env, OpenGenl, "openGenl"));
  exports.Set("openGenlAsync", Napi::Function::New(env, OpenGenlAsync, "openGenlAsync"));
}

}  // namespace vnet
