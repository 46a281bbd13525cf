// `_test`: hooks for test/native only, never used by the CLIs.  They run
// the same netlink client code the vnet family uses against the always
// present "nlctrl" family, so the netlink path is exercised on a host
// without the vnet module; they block on a real socket (for signal
// tests), provoke a receive-queue overrun against the module (in the
// lab), and expose the syscall counter.  test_script_io.cc adds the hooks
// that feed crafted datagrams to the parser.
#include "test_hooks.h"

#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <memory>
#include <string>

#include "addon.h"
#include "args.h"
#include "async_work.h"
#include "errors.h"
#include "genl_socket.h"
#include "socket_pool.h"
#include "syserror.h"
#include "vnet_nl.h"

namespace vnet {

Napi::Object FamilyToJs(Napi::Env env, const nl::GenlFamily& f) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, f.name));
  o.Set("id", Napi::Number::New(env, f.id));
  o.Set("version", Napi::Number::New(env, f.version));
  o.Set("hdrsize", Napi::Number::New(env, f.hdrsize));
  o.Set("maxattr", Napi::Number::New(env, f.maxattr));
  Napi::Object g = Napi::Object::New(env);
  for (const auto& [name, id] : f.groups) g.Set(name, Napi::Number::New(env, id));
  o.Set("groups", g);
  return o;
}

namespace {

// resolveFamily(name): CTRL_CMD_GETFAMILY.
Napi::Value ResolveFamily(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringValue(env, info[0], "name");
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    return FamilyToJs(env, nl::ResolveFamily(sock, name));
  });
}

// resolveFamilyAsync(name): the same on a worker thread, as a Promise.
Napi::Value ResolveFamilyAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return PromiseWorker::Guard(env, [&] {
    std::string name = StringValue(env, info[0], "name");
    std::shared_ptr<nl::NlSocket> sock = OpenWorkerSocket(NETLINK_GENERIC);
    auto f = std::make_shared<nl::GenlFamily>();
    return PromiseWorker::Start(
        env, "genl_ctrl_resolve", [sock, name, f] { *f = nl::ResolveFamily(*sock, name); },
        [f](Napi::Env e) -> Napi::Value { return FamilyToJs(e, *f); });
  });
}

// resolveRepeat(name, n) -> syscalls per request: n CTRL_CMD_GETFAMILY on
// one socket (its set-up not counted).
Napi::Value ResolveRepeat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringValue(env, info[0], "name");
  int n = static_cast<int>(IntegerValue(env, info[1], "n", 1, 1000000));
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    uint64_t before = g_syscalls.load();
    for (int i = 0; i < n; i++) nl::ResolveFamily(sock, name);
    return Napi::Number::New(env, static_cast<double>(g_syscalls.load() - before) / n);
  });
}

// dumpFamilies(): CTRL_CMD_GETFAMILY with NLM_F_DUMP (multi-part).
Napi::Value DumpFamilies(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    Napi::Array out = Napi::Array::New(env);
    uint32_t i = 0;
    for (const nl::GenlFamily& f : nl::DumpFamilies(sock)) out.Set(i++, FamilyToJs(env, f));
    return out;
  });
}

// badRequest(): a CTRL_CMD_GETFAMILY the kernel must reject (a family
// name longer than GENL_NAMSIZ), to see NLMSG_ERROR and its extack.
Napi::Value BadRequest(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    nl::MsgBuilder req(GENL_ID_CTRL, 0);
    req.PutGenlHeader(CTRL_CMD_GETFAMILY, 1);
    req.PutString(CTRL_ATTR_FAMILY_NAME, std::string(3 * GENL_NAMSIZ, 'x'));
    sock.Transact(req, {"genl CTRL_CMD_GETFAMILY", {}});
    return env.Undefined();
  });
}

// blockOnReply(): waits, as a request does (recvmmsg bounded by
// SO_RCVTIMEO, no poll), for an answer that never comes: ETIMEDOUT after
// NlSocket::kReplyTimeoutMs, or EINTR as soon as a signal arrives.
Napi::Value BlockOnReply(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    nl::Expect expect;
    sock.Await(12345, {"genl test", {}}, expect);
    return env.Undefined();
  });
}

// blockOnMulticast(timeoutMs): waits, as nextEvent() does, for a message
// of nlctrl's "notify" group: null on timeout, EINTR on a signal.
Napi::Value BlockOnMulticast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int timeout = static_cast<int>(IntegerValue(env, info[0], "timeoutMs", 0, INT32_MAX));
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    nl::GenlFamily ctrl = nl::ResolveFamily(sock, "nlctrl");
    sock.AddMembership(ctrl.groups.at("notify"));
    std::optional<nl::Message> m = sock.NextMulticast(timeout, {"genl test", {}});
    return m ? Napi::Number::New(env, m->type()) : env.Null();
  });
}

// echoAcrossOverrun({message, rcvbuf, between}) -> {reply, eventsLost}:
// against the module (lab).  A socket subscribed to vnet_nl's events,
// with a small receive buffer, sends VNET_CMD_ECHO; then between() runs
// (it makes the kernel send events until the queue overruns); then the
// socket collects the echo's answer, which was queued before the events.
Napi::Value EchoAcrossOverrun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object spec = ObjectArg(info, 0, "spec");
  std::string msg = StringValue(env, spec.Get("message"), "spec.message");
  int rcvbuf = static_cast<int>(IntegerValue(env, spec.Get("rcvbuf"), "spec.rcvbuf", 0, INT32_MAX));
  Napi::Function between = FunctionValue(env, spec.Get("between"), "spec.between");
  nl::NlSocket sock(NETLINK_GENERIC);
  nl::GenlFamily fam = Guard(env, [&] {
    nl::GenlFamily f = ResolveVnet(sock);
    sock.AddMembership(f.groups.at(VNET_GENL_MCGRP_EVENTS));
    sock.SetRcvBuf(rcvbuf);
    return f;
  });
  nl::MsgBuilder req(fam.id, 0);
  req.PutGenlHeader(VNET_CMD_ECHO, VNET_GENL_VERSION);
  req.PutString(VNET_ATTR_MSG, msg);
  nl::Expect expect;
  expect.type = fam.id;
  expect.cmd = VNET_CMD_ECHO;
  nl::ErrorContext ctx{CmdName(VNET_CMD_ECHO), {}};
  uint32_t seq = Guard(env, [&] { return sock.Send(req, ctx, expect); });
  between.Call({});
  return Guard(env, [&]() -> Napi::Value {
    nl::Answer a = sock.Await(seq, ctx, expect);
    nl::Attrs attrs(a.replies.at(0), GENL_HDRLEN, VNET_ATTR_MAX);
    Napi::Object r = Napi::Object::New(env);
    r.Set("reply", Napi::String::New(env, attrs.Str(VNET_ATTR_MSG).value_or("")));
    r.Set("eventsLost", Napi::Number::New(env, static_cast<double>(sock.events_lost())));
    return r;
  });
}

Napi::Value Syscalls(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(g_syscalls.load()));
}

}  // namespace

void InitTestHooks(Napi::Env env, Napi::Object exports) {
  Napi::Object t = Napi::Object::New(env);
  t.Set("resolveFamily", Napi::Function::New(env, ResolveFamily, "resolveFamily"));
  t.Set("resolveFamilyAsync", Napi::Function::New(env, ResolveFamilyAsync, "resolveFamilyAsync"));
  t.Set("resolveRepeat", Napi::Function::New(env, ResolveRepeat, "resolveRepeat"));
  t.Set("dumpFamilies", Napi::Function::New(env, DumpFamilies, "dumpFamilies"));
  t.Set("badRequest", Napi::Function::New(env, BadRequest, "badRequest"));
  t.Set("blockOnReply", Napi::Function::New(env, BlockOnReply, "blockOnReply"));
  t.Set("blockOnMulticast", Napi::Function::New(env, BlockOnMulticast, "blockOnMulticast"));
  t.Set("echoAcrossOverrun", Napi::Function::New(env, EchoAcrossOverrun, "echoAcrossOverrun"));
  t.Set("syscalls", Napi::Function::New(env, Syscalls, "syscalls"));
  InitScriptHooks(env, t);
  exports.Set("_test", t);
}

}  // namespace vnet
