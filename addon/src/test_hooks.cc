// `_test`: hooks for test/native only, never used by the CLIs.  They run
// the same netlink client code the vnet family uses against the always
// present "nlctrl" family, so the netlink path is exercised on a host
// without the vnet module; and they expose the syscall counter.
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "genl_socket.h"
#include "syserror.h"

namespace vnet {

namespace {

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

// resolveFamily(name): CTRL_CMD_GETFAMILY.
Napi::Value ResolveFamily(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringValue(env, info[0], "name");
  return Guard(env, [&]() -> Napi::Value {
    nl::NlSocket sock(NETLINK_GENERIC);
    return FamilyToJs(env, nl::ResolveFamily(sock, name));
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

Napi::Value Syscalls(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(g_syscalls.load()));
}

}  // namespace

void InitTestHooks(Napi::Env env, Napi::Object exports) {
  Napi::Object t = Napi::Object::New(env);
  t.Set("resolveFamily", Napi::Function::New(env, ResolveFamily, "resolveFamily"));
  t.Set("dumpFamilies", Napi::Function::New(env, DumpFamilies, "dumpFamilies"));
  t.Set("badRequest", Napi::Function::New(env, BadRequest, "badRequest"));
  t.Set("syscalls", Napi::Function::New(env, Syscalls, "syscalls"));
  exports.Set("_test", t);
}

}  // namespace vnet
