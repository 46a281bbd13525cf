// What the addon's files share: the per-environment instance data and the
// functions each file uses to register its exports (called from main.cc).
#ifndef VNET_ADDON_ADDON_H
#define VNET_ADDON_ADDON_H

#include <napi.h>

#include <cstdint>
#include <memory>

namespace vnet {

class SocketPool;

struct AddonData {
  // src/binding/errors.ts's VnetSystemError, handed over by setErrorClass().
  Napi::FunctionReference errorClass;
  // The JS class of GenlSocket objects (genl_vnet.cc).
  Napi::FunctionReference genlClass;
  // The JS class of EventSubscription objects (genl_watch.cc).
  Napi::FunctionReference subscriptionClass;
  // The JS class of EchoSocket objects (genl_echo.cc).
  Napi::FunctionReference echoClass;
  // How many times enterNetns() has moved this environment's thread to
  // another network namespace (netns.cc): a socket opened at another
  // count belongs to another namespace.
  uint64_t netnsMoves = 0;
  // The NETLINK_ROUTE sockets of linkStatsAsync() (link_stats.cc), all of
  // the thread's current namespace: enterNetns() drops the pool (requests
  // in flight keep it until they end) and the next request makes another.
  std::shared_ptr<SocketPool> rtnlPool;
};

AddonData& Data(Napi::Env env);

void InitIoctl(Napi::Env env, Napi::Object exports);     // ioctl.cc
void InitIface(Napi::Env env, Napi::Object exports);     // iface.cc
void InitLinkStats(Napi::Env env, Napi::Object exports); // link_stats.cc
void InitGenlVnet(Napi::Env env, Napi::Object exports);  // genl_vnet.cc
void InitTestHooks(Napi::Env env, Napi::Object exports); // test_hooks.cc
void InitNetns(Napi::Env env, Napi::Object exports);       // netns.cc
void InitRtnlDump(Napi::Env env, Napi::Object exports);    // rtnl_dump.cc
void InitIfaceConfig(Napi::Env env, Napi::Object exports); // iface_config.cc
void InitGenlEcho(Napi::Env env, Napi::Object exports);    // genl_echo.cc

}  // namespace vnet

#endif  // VNET_ADDON_ADDON_H
