// The vnet SIOCDEVPRIVATE ioctls (VNET_IOCTL_*, struct vnet_relay_info)
// and the ioctl plumbing the standard interface ioctls share (iface.cc).
#include "ioctl.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "syserror.h"

// The layout is the ABI: 28 bytes, no padding, fields where Rubini's
// struct insane_userinfo had them.
static_assert(sizeof(struct vnet_relay_info) == 28, "vnet_relay_info is 28 bytes");
static_assert(offsetof(struct vnet_relay_info, name) == 0, "name at 0");
static_assert(sizeof(((struct vnet_relay_info*)nullptr)->name) == VNET_IFNAMSIZ, "name is VNET_IFNAMSIZ");
static_assert(offsetof(struct vnet_relay_info, mode) == 16, "mode at 16");
static_assert(offsetof(struct vnet_relay_info, arg1) == 20, "arg1 at 20");
static_assert(offsetof(struct vnet_relay_info, arg2) == 24, "arg2 at 24");
static_assert(VNET_IFNAMSIZ == IFNAMSIZ, "VNET_IFNAMSIZ is the kernel's IFNAMSIZ");

namespace vnet {

Fd InetDgramSocket() {
  CountSyscall();
  Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) ThrowErrno("socket(AF_INET, SOCK_DGRAM)");
  return fd;
}

struct ifreq MakeIfreq(const std::string& ifname) {
  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof ifr);
  std::memcpy(ifr.ifr_name, ifname.data(), ifname.size());  // < IFNAMSIZ
  return ifr;
}

void IfIoctl(const Fd& fd, unsigned long request, const char* reqname,
             struct ifreq& ifr) {
  CountSyscall();
  if (::ioctl(fd.get(), request, &ifr) < 0) {
    int err = errno;  // before the message's strings are built
    ThrowErrno(err, std::string("ioctl(") + reqname + ")", ifr.ifr_name);
  }
}

namespace {

// resetStats(ifname): VNET_IOCTL_RESET_STATS.
Napi::Value ResetStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    IfIoctl(fd, VNET_IOCTL_RESET_STATS, "SIOCDEVPRIVATE+0", ifr);
    return env.Undefined();
  });
}

// setRelay(ifname, {slave, mode, arg1, arg2}): VNET_IOCTL_SET_RELAY.
Napi::Value SetRelay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  Napi::Object obj = ObjectArg(info, 1, "info");
  std::string slave = IfNameValue(env, obj.Get("slave"), "info.slave", true);
  struct vnet_relay_info ri;
  std::memset(&ri, 0, sizeof ri);
  std::memcpy(ri.name, slave.data(), slave.size());
  ri.mode = Int32Value(env, obj.Get("mode"), "info.mode");
  ri.arg1 = Int32Value(env, obj.Get("arg1"), "info.arg1");
  ri.arg2 = Int32Value(env, obj.Get("arg2"), "info.arg2");
  return Guard(env, [&]() -> Napi::Value {
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    ifr.ifr_data = reinterpret_cast<char*>(&ri);
    IfIoctl(fd, VNET_IOCTL_SET_RELAY, "SIOCDEVPRIVATE+1", ifr);
    return env.Undefined();
  });
}

// getRelay(ifname) -> {slave, mode, arg1, arg2}: VNET_IOCTL_GET_RELAY.
Napi::Value GetRelay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = IfNameArg(info, 0);
  return Guard(env, [&]() -> Napi::Value {
    struct vnet_relay_info ri;
    std::memset(&ri, 0, sizeof ri);
    Fd fd = InetDgramSocket();
    struct ifreq ifr = MakeIfreq(ifname);
    ifr.ifr_data = reinterpret_cast<char*>(&ri);
    IfIoctl(fd, VNET_IOCTL_GET_RELAY, "SIOCDEVPRIVATE+2", ifr);
    Napi::Object out = Napi::Object::New(env);
    out.Set("slave", Napi::String::New(env, ri.name, strnlen(ri.name, sizeof ri.name)));
    out.Set("mode", Napi::Number::New(env, ri.mode));
    out.Set("arg1", Napi::Number::New(env, ri.arg1));
    out.Set("arg2", Napi::Number::New(env, ri.arg2));
    return out;
  });
}

}  // namespace

void InitIoctl(Napi::Env env, Napi::Object exports) {
  exports.Set("resetStats", Napi::Function::New(env, ResetStats, "resetStats"));
  exports.Set("setRelay", Napi::Function::New(env, SetRelay, "setRelay"));
  exports.Set("getRelay", Napi::Function::New(env, GetRelay, "getRelay"));
}

}  // namespace vnet
