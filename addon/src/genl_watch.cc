#include "genl_watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
// After glibc's headers.
#include <linux/vnet.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <atomic>
#include <cerrno>
#include <optional>
#include <thread>
#include <utility>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "fd.h"
#include "genl_socket.h"
#include "syserror.h"
#include "vnet_js.h"
#include "vnet_nl.h"

namespace vnet {

namespace {

// Deliveries waiting for the JS thread, at most.
constexpr size_t kMaxQueued = 1024;

// What the thread hands to JS: an event, or an error (fatal: the
// subscription ends after it).
struct Delivery {
  std::optional<VnetEventData> event;
  std::optional<SysError> error;
  bool fatal = false;
};

struct WatchJs;
class SubscriptionWrap;
void CallJs(Napi::Env env, Napi::Function listener, WatchJs* ctx, Delivery* d);
using Tsfn = Napi::TypedThreadSafeFunction<WatchJs, Delivery, CallJs>;

}  // namespace

// The C++ side of a subscription, shared by the thread, the JS object and
// the thread-safe function's context.
class WatchCore {
 public:
  WatchCore(uint16_t family, uint32_t group) : sock_(NETLINK_GENERIC), family_(family) {
    sock_.set_retry_eintr(true);  // its own thread: JS is never blocked by it
    sock_.AddMembership(group);
    CountSyscall();
    wake_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake_) ThrowErrno("eventfd");
  }

  ~WatchCore() {
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();  // the thread's own last reference: it is ending
    } else {
      RequestStop();
      thread_.join();
    }
  }

  static void Start(const std::shared_ptr<WatchCore>& self, Tsfn tsfn) {
    self->tsfn_ = tsfn;
    self->thread_ = std::thread([self] { self->Run(); });
  }

  // Any thread: the thread ends at its next wake-up, at once if idle.
  void RequestStop() noexcept {
    if (stopping_.exchange(true)) return;
    uint64_t one = 1;
    CountSyscall();
    ssize_t n = ::write(wake_.get(), &one, sizeof one);
    (void)n;  // an eventfd write only fails when its counter would overflow
  }

  void Join() {
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  // JS thread: no listener call after this returns.
  void Stop() {
    RequestStop();
    Join();
    if (!finalized_ && !released_.exchange(true)) tsfn_.Release();
  }

  void SetRef(Napi::Env env, bool ref) {
    if (finalized_ || released_) return;
    if (ref) {
      tsfn_.Ref(env);
    } else {
      tsfn_.Unref(env);
    }
  }

  void MarkFinalized() { finalized_ = true; }
  bool active() const { return !stopping_; }
  uint64_t lost() const { return lost_; }

 private:
  // Hands d to JS.  When JS is kMaxQueued deliveries behind, waits (and
  // leaves what follows in the kernel's queue, which overruns and counts
  // the loss as ENOBUFS) instead of queueing without bound.
  bool Deliver(Delivery* d) {
    for (;;) {
      napi_status st = tsfn_.NonBlockingCall(d);
      if (st == napi_ok) return true;
      if (st != napi_queue_full || stopping_) break;  // closing, or stopped
      struct pollfd p = {wake_.get(), POLLIN, 0};
      CountSyscall();
      (void)::poll(&p, 1, 5);
    }
    delete d;
    return false;
  }

  bool DeliverError(const SysError& e, bool fatal) {
    auto* d = new Delivery;
    d->error = e;
    d->fatal = fatal;
    return Deliver(d);
  }

  void Run() {
    const nl::ErrorContext ctx{CmdName(VNET_CMD_EVENT), {}};
    uint64_t reported = 0;
    while (!stopping_) {
      struct pollfd p[2] = {{sock_.fd(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
      CountSyscall();
      if (::poll(p, 2, -1) < 0) {
        int err = errno;
        if (err == EINTR) continue;
        DeliverError(SysError(err, "poll"), true);
        return;
      }
      if (p[1].revents || stopping_) return;
      try {
        // Everything queued, without blocking; ENOBUFS is counted inside.
        while (std::optional<nl::Message> m = sock_.NextMulticast(0, ctx)) {
          std::optional<VnetEventData> ev;
          try {
            ev = ParseEvent(*m, family_);
          } catch (const SysError& e) {  // one malformed event: say so, go on
            if (!DeliverError(e, false)) return;
            continue;
          }
          if (!ev) continue;
          uint64_t lost = sock_.events_lost();
          ev->lost_before = lost - reported;
          reported = lost;
          lost_ = lost;
          auto* d = new Delivery;
          d->event = std::move(ev);
          if (!Deliver(d)) return;
        }
        lost_ = sock_.events_lost();
      } catch (const SysError& e) {
        if (e.err() == EPROTO) {  // a malformed datagram: its events are lost
          if (!DeliverError(e, false)) return;
          continue;
        }
        DeliverError(e, true);
        return;
      }
    }
  }

  nl::NlSocket sock_;
  Fd wake_;
  const uint16_t family_;
  std::thread thread_;
  Tsfn tsfn_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> released_{false};
  std::atomic<bool> finalized_{false};
  std::atomic<uint64_t> lost_{0};
};

namespace {

// The thread-safe function's context: JS-thread state.
struct WatchJs {
  std::shared_ptr<WatchCore> core;
  Napi::FunctionReference on_error;
  SubscriptionWrap* wrap = nullptr;
};

// EventSubscription: {stop(), active, eventsLost, ref(), unref()}.
class SubscriptionWrap : public Napi::ObjectWrap<SubscriptionWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "EventSubscription",
        {
            InstanceMethod<&SubscriptionWrap::Stop>("stop"),
            InstanceAccessor<&SubscriptionWrap::Active>("active", napi_enumerable),
            InstanceAccessor<&SubscriptionWrap::EventsLost>("eventsLost", napi_enumerable),
            InstanceMethod<&SubscriptionWrap::RefLoop>("ref"),
            InstanceMethod<&SubscriptionWrap::UnrefLoop>("unref"),
        });
  }

  explicit SubscriptionWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<SubscriptionWrap>(info) {}

  ~SubscriptionWrap() override {
    if (ctx_) ctx_->wrap = nullptr;
    if (core_) core_->Stop();
  }

  // While the subscription runs, its JS object stays alive (it is the
  // user's only handle on it).
  void Attach(std::shared_ptr<WatchCore> core, WatchJs* ctx) {
    core_ = std::move(core);
    ctx_ = ctx;
    Ref();
    pinned_ = true;
  }

  // The thread-safe function is gone (stopped, or the environment ends).
  void Released() {
    ctx_ = nullptr;
    if (pinned_) {
      pinned_ = false;
      Unref();
    }
  }

 private:
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    if (core_) core_->Stop();
    return info.Env().Undefined();
  }
  Napi::Value Active(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), core_ && core_->active());
  }
  Napi::Value EventsLost(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), core_ ? static_cast<double>(core_->lost()) : 0);
  }
  Napi::Value RefLoop(const Napi::CallbackInfo& info) {
    if (core_) core_->SetRef(info.Env(), true);
    return info.This();
  }
  Napi::Value UnrefLoop(const Napi::CallbackInfo& info) {
    if (core_) core_->SetRef(info.Env(), false);
    return info.This();
  }

  std::shared_ptr<WatchCore> core_;
  WatchJs* ctx_ = nullptr;
  bool pinned_ = false;
};

// On the JS thread, for each delivery.  Nothing is delivered after stop().
// An exception from the listener (or an error with no onError) becomes an
// 'uncaughtException', as from any other callback: napi_fatal_exception,
// since an exception merely left pending in a Node-API callback is
// swallowed by Node 20 (DEP0168) unless a command-line flag says not to.
void CallJs(Napi::Env env, Napi::Function listener, WatchJs* ctx, Delivery* d) {
  std::unique_ptr<Delivery> own(d);
  if (env == nullptr || ctx == nullptr || !own || !ctx->core->active()) return;
  try {
    if (own->error) {
      Napi::Error err = ToJsError(env, *own->error);
      if (own->fatal) ctx->core->Stop();
      if (ctx->on_error.IsEmpty()) throw err;
      ctx->on_error.Call({err.Value()});
    } else {
      listener.Call({EventToJs(env, *own->event)});
    }
  } catch (const Napi::Error& e) {
    napi_fatal_exception(env, e.Value());
  }
}

void Finalize(Napi::Env, void*, WatchJs* ctx) {
  ctx->core->MarkFinalized();
  ctx->core->RequestStop();
  ctx->core->Join();
  if (ctx->wrap) ctx->wrap->Released();
  delete ctx;
}

}  // namespace

Napi::Object StartWatch(Napi::Env env, uint16_t family, uint32_t group, Napi::Function listener,
                        Napi::Value on_error, std::shared_ptr<WatchCore>* out) {
  Napi::Function on_err;
  if (!on_error.IsUndefined()) on_err = FunctionValue(env, on_error, "onError");
  auto core = std::make_shared<WatchCore>(family, group);
  Napi::Object obj = Data(env).subscriptionClass.New({});
  SubscriptionWrap* wrap = SubscriptionWrap::Unwrap(obj);
  auto* ctx = new WatchJs;
  ctx->core = core;
  if (!on_err.IsEmpty()) ctx->on_error = Napi::Persistent(on_err);
  ctx->wrap = wrap;
  Tsfn tsfn = Tsfn::New(env, listener, "vnet events", kMaxQueued, 1, ctx, Finalize);
  wrap->Attach(core, ctx);
  WatchCore::Start(core, tsfn);
  *out = core;
  return obj;
}

void StopWatch(const std::shared_ptr<WatchCore>& core) { core->Stop(); }

void InitWatch(Napi::Env env) {
  Data(env).subscriptionClass = Napi::Persistent(SubscriptionWrap::Define(env));
}

}  // namespace vnet
