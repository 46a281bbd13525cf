// EchoSocket (openEcho()): VNET_CMD_ECHO with several requests in flight,
// for vnet-echo.  send() returns at once with the request's sequence
// number, sendMany() sends several in one datagram and returns theirs;
// receive(timeoutMs) waits for the next reply; flood(message, options)
// does one step of vnet-echo -f in C++ and returns its counts and sums
// (echo_conn.h).  Unlike the
// GenlSocket's request/reply calls, the wait is the caller's: a timeout
// returns null, and a signal delivered to this thread ends the wait with
// a VnetSystemError whose code is EINTR, so that JS gets control back
// and its SIGINT/SIGTERM handlers can run (Node only runs them from its
// event loop; a wait that retried EINTR would hold them off).
// A flood step returns instead, with interrupted set, what it did kept.
//
// The socket itself is EchoConn (echo_conn.h).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "echo_conn.h"
#include "errors.h"

namespace vnet {

namespace {

class EchoSocketWrap : public Napi::ObjectWrap<EchoSocketWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "EchoSocket",
                       {
                           InstanceMethod<&EchoSocketWrap::Send>("send"),
                           InstanceMethod<&EchoSocketWrap::SendMany>("sendMany"),
                           InstanceMethod<&EchoSocketWrap::Receive>("receive"),
                           InstanceMethod<&EchoSocketWrap::Flood>("flood"),
                           InstanceMethod<&EchoSocketWrap::Close>("close"),
                       });
  }

  explicit EchoSocketWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<EchoSocketWrap>(info) {
    Guard(info.Env(), [&] { conn_ = std::make_unique<EchoConn>(); });
  }

 private:
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    return Guard(env, [&]() -> Napi::Value {
      return Napi::Number::New(env, conn_->Send(msg));
    });
  }

  Napi::Value SendMany(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    auto count = static_cast<unsigned>(IntegerValue(env, info[1], "count", 1, EchoConn::kMaxBatch));
    return Guard(env, [&]() -> Napi::Value {
      std::vector<uint32_t> seqs = conn_->SendMany(msg, count);
      Napi::Array a = Napi::Array::New(env, seqs.size());
      for (uint32_t i = 0; i < seqs.size(); i++) a.Set(i, Napi::Number::New(env, seqs[i]));
      return a;
    });
  }

  Napi::Value Receive(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int timeout = static_cast<int>(IntegerValue(env, info[0], "timeoutMs", 0, INT32_MAX));
    return Guard(env, [&]() -> Napi::Value {
      std::optional<EchoReply> r = conn_->Receive(timeout);
      if (!r) return env.Null();
      Napi::Object o = Napi::Object::New(env);
      o.Set("seq", Napi::Number::New(env, r->seq));
      if (r->message) o.Set("message", Napi::String::New(env, *r->message));
      if (r->error) o.Set("error", ToJsError(env, *r->error).Value());
      return o;
    });
  }

  // flood(message, {window, budget, maxReplies, maxMs, timeoutMs, details})
  Napi::Value Flood(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    Napi::Object o = ObjectArg(info, 1, "options");
    FloodOptions opt;
    opt.window = static_cast<unsigned>(IntegerValue(env, o.Get("window"), "window", 1, EchoConn::kMaxBatch));
    opt.budget = static_cast<uint64_t>(IntegerValue(env, o.Get("budget"), "budget", 0, INT64_C(1) << 53));
    opt.max_replies = static_cast<unsigned>(IntegerValue(env, o.Get("maxReplies"), "maxReplies", 1, INT32_MAX));
    opt.max_ms = static_cast<int>(IntegerValue(env, o.Get("maxMs"), "maxMs", 0, INT32_MAX));
    opt.timeout_ns = IntegerValue(env, o.Get("timeoutMs"), "timeoutMs", 1, INT32_MAX) * 1000000;
    opt.details = o.Get("details").ToBoolean();
    return Guard(env, [&]() -> Napi::Value {
      FloodStep st = conn_->Flood(msg, opt);
      Napi::Object r = Napi::Object::New(env);
      r.Set("sent", st.sent);
      r.Set("firstSeq", st.first_seq);
      r.Set("received", st.received);
      r.Set("expired", st.expired);
      r.Set("inflight", st.inflight);
      Napi::Object rtt = Napi::Object::New(env);
      rtt.Set("count", st.rtt_count);
      rtt.Set("sum", st.rtt_sum);
      rtt.Set("sumSq", st.rtt_sum_sq);
      rtt.Set("min", st.rtt_min);
      rtt.Set("max", st.rtt_max);
      r.Set("rtt", rtt);
      Napi::Array failures = Napi::Array::New(env, st.failures.size());
      for (uint32_t i = 0; i < st.failures.size(); i++) {
        const FloodFailure& f = st.failures[i];
        Napi::Object fo = Napi::Object::New(env);
        fo.Set("seq", f.seq);
        if (f.error) fo.Set("error", ToJsError(env, *f.error).Value());
        else fo.Set("message", f.message ? *f.message : std::string());
        failures.Set(i, fo);
      }
      r.Set("failures", failures);
      r.Set("interrupted", st.interrupted);
      if (opt.details) {
        Napi::Float64Array d = Napi::Float64Array::New(env, st.details.size());
        std::copy(st.details.begin(), st.details.end(), d.Data());
        r.Set("replies", d);
      }
      return r;
    });
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    conn_->Close();
    return info.Env().Undefined();
  }

  std::unique_ptr<EchoConn> conn_;
};

// openEcho(): an EchoSocket bound to vnet_nl.
Napi::Value OpenEcho(const Napi::CallbackInfo& info) {
  return Data(info.Env()).echoClass.New({});
}

}  // namespace

void InitGenlEcho(Napi::Env env, Napi::Object exports) {
  Data(env).echoClass = Napi::Persistent(EchoSocketWrap::Define(env));
  exports.Set("openEcho", Napi::Function::New(env, OpenEcho, "openEcho"));
}

}  // namespace vnet
