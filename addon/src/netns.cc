// enterNetns(name): setns(2) into a named network namespace, as `ip -n NAME`
// does, on the calling (main) thread.  Every socket the addon opens
// afterwards on that thread (ioctl, rtnetlink, generic netlink) belongs to
// that namespace; sockets opened before keep theirs, so the CLIs call this
// first, before anything else reaches the kernel.  The asynchronous forms
// open their sockets here too, on the calling thread, never on libuv's
// worker threads: those stay in the namespace they started in.
//
// NAME is looked up as /run/netns/NAME (ip netns add's bind mount); an
// absolute path (/proc/PID/ns/net) is taken as is.  Only this thread
// moves: the addon never opens sockets from other threads (a watch()'s
// thread and the worker threads use sockets opened on this one).  /sys is NOT
// switched (sysfs shows the namespace it was mounted in), which is why the
// CLIs read everything through netlink and ioctls.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <string>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "fd.h"
#include "syserror.h"

namespace vnet {

namespace {

constexpr const char* kNetnsRunDir = "/run/netns";

// The path NAME stands for, or "" when NAME cannot be a namespace name.
std::string NetnsPath(const std::string& name) {
  if (!name.empty() && name[0] == '/') return name;
  if (name.empty() || name == "." || name == ".." ||
      name.find('/') != std::string::npos) {
    return {};
  }
  return std::string(kNetnsRunDir) + "/" + name;
}

Napi::Value EnterNetns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringValue(env, info[0], "name");
  std::string path = NetnsPath(name);
  if (path.empty()) {
    ThrowTypeError(env, "ERR_INVALID_ARG_VALUE",
                   "The \"name\" argument '" + name +
                       "' is not a network namespace name or an absolute path");
  }
  return Guard(env, [&]() -> Napi::Value {
    CountSyscall();
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      int err = errno;
      throw SysError(err, "open", {}, {}, "network namespace '" + path + "'");
    }
    CountSyscall();
    if (::setns(fd.get(), CLONE_NEWNET) < 0) {
      int err = errno;
      throw SysError(err, "setns(CLONE_NEWNET)", {}, {},
                     "network namespace '" + path + "'");
    }
    AddonData& d = Data(env);
    d.netnsMoves++;
    d.rtnlPool.reset();  // its sockets are of the namespace left
    return env.Undefined();
  });
}

}  // namespace

void InitNetns(Napi::Env env, Napi::Object exports) {
  exports.Set("enterNetns", Napi::Function::New(env, EnterNetns, "enterNetns"));
}

}  // namespace vnet
