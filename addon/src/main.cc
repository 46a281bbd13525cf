// Module registration and `constants`: every constant of the uapi header
// <linux/vnet.h>, as compiled into the addon (src/abi.ts is generated from
// the same header; test/native/abi.test.ts checks they agree).
#include <napi.h>

#include <net/if.h>
// After glibc's <net/if.h>: include path kernel/include/uapi.
#include <linux/vnet.h>

#include <cstddef>

#include "addon.h"
#include "errors.h"

namespace vnet {

AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

namespace {

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define NUM(name) c.Set(#name, Napi::Number::New(env, static_cast<double>(name)))
#define STR(name) c.Set(#name, Napi::String::New(env, name))
  NUM(VNET_IFNAMSIZ);

  NUM(VNET_IOCTL_RESET_STATS);
  NUM(VNET_IOCTL_SET_RELAY);
  NUM(VNET_IOCTL_GET_RELAY);

  NUM(VNET_MODE_PASS);
  NUM(VNET_MODE_PERCENT);
  NUM(VNET_MODE_TIME);
  NUM(VNET_MODE_GEMODEL);

  NUM(VNET_PPM);

  NUM(VNET_DIR_TX);
  NUM(VNET_DIR_RX);
  NUM(VNET_DIR_BOTH);
  NUM(VNET_DIR_MAX);

  NUM(VNET_REVERT_MS_MAX);

  NUM(VNET_MODE_MAX);

  STR(VNET_GENL_NAME);
  NUM(VNET_GENL_VERSION);
  STR(VNET_GENL_MCGRP_EVENTS);

  NUM(VNET_ECHO_MSG_MAX);

  NUM(VNET_CMD_UNSPEC);
  NUM(VNET_CMD_ECHO);
  NUM(VNET_CMD_GET);
  NUM(VNET_CMD_SET);
  NUM(VNET_CMD_RESET_STATS);
  NUM(VNET_CMD_EVENT);
  NUM(VNET_CMD_MAX);

  NUM(VNET_ATTR_UNSPEC);
  NUM(VNET_ATTR_MSG);
  NUM(VNET_ATTR_IFINDEX);
  NUM(VNET_ATTR_IFNAME);
  NUM(VNET_ATTR_MODE);
  NUM(VNET_ATTR_ARG1);
  NUM(VNET_ATTR_ARG2);
  NUM(VNET_ATTR_SEED);
  NUM(VNET_ATTR_SLAVE_IFINDEX);
  NUM(VNET_ATTR_SLAVE_NAME);
  NUM(VNET_ATTR_STATS);
  NUM(VNET_ATTR_EVENT);
  NUM(VNET_ATTR_PAD);
  NUM(VNET_ATTR_SLAVE_RP_FILTER);
  NUM(VNET_ATTR_ARG3);
  NUM(VNET_ATTR_ARG4);
  NUM(VNET_ATTR_DIRECTION);
  NUM(VNET_ATTR_REVERT_MS);
  NUM(VNET_ATTR_RX_POLICY);
  NUM(VNET_ATTR_MAX);

  NUM(VNET_STATS_UNSPEC);
  NUM(VNET_STATS_PAD);
  NUM(VNET_STATS_RX_PACKETS);
  NUM(VNET_STATS_RX_BYTES);
  NUM(VNET_STATS_TX_PACKETS);
  NUM(VNET_STATS_TX_BYTES);
  NUM(VNET_STATS_RX_DROPPED);
  NUM(VNET_STATS_TX_DROPPED);
  NUM(VNET_STATS_TX_DROP_PERCENT);
  NUM(VNET_STATS_TX_DROP_TIME);
  NUM(VNET_STATS_TX_DROP_NO_SLAVE);
  NUM(VNET_STATS_TX_DROP_SLAVE);
  NUM(VNET_STATS_SLAVE_LOST);
  NUM(VNET_STATS_TX_DROP_GEMODEL);
  NUM(VNET_STATS_RX_DROP_DELIVERY);
  NUM(VNET_STATS_RX_DROP_PERCENT);
  NUM(VNET_STATS_RX_DROP_TIME);
  NUM(VNET_STATS_RX_DROP_GEMODEL);
  NUM(VNET_STATS_MAX);

  NUM(VNET_EVENT_UNSPEC);
  NUM(VNET_EVENT_CONFIG);
  NUM(VNET_EVENT_SLAVE_LOST);
  NUM(VNET_EVENT_STATS_RESET);
  NUM(VNET_EVENT_REVERTED);
  NUM(VNET_EVENT_MAX);

  STR(VNET_LINK_KIND);

  NUM(IFLA_VNET_UNSPEC);
  NUM(IFLA_VNET_MODE);
  NUM(IFLA_VNET_ARG1);
  NUM(IFLA_VNET_ARG2);
  NUM(IFLA_VNET_SEED);
  NUM(IFLA_VNET_PAD);
  NUM(IFLA_VNET_ARG3);
  NUM(IFLA_VNET_ARG4);
  NUM(IFLA_VNET_MAX);
#undef NUM
#undef STR

  // struct vnet_relay_info's layout (static_asserts in ioctl.cc).
  c.Set("SIZEOF_VNET_RELAY_INFO", Napi::Number::New(env, sizeof(struct vnet_relay_info)));
  c.Set("OFFSETOF_VNET_RELAY_INFO_NAME", Napi::Number::New(env, offsetof(struct vnet_relay_info, name)));
  c.Set("OFFSETOF_VNET_RELAY_INFO_MODE", Napi::Number::New(env, offsetof(struct vnet_relay_info, mode)));
  c.Set("OFFSETOF_VNET_RELAY_INFO_ARG1", Napi::Number::New(env, offsetof(struct vnet_relay_info, arg1)));
  c.Set("OFFSETOF_VNET_RELAY_INFO_ARG2", Napi::Number::New(env, offsetof(struct vnet_relay_info, arg2)));

  c.Freeze();
  return c;
}

}  // namespace

}  // namespace vnet

static Napi::Object VnetInit(Napi::Env env, Napi::Object exports) {
  using namespace vnet;
  env.SetInstanceData(new AddonData());  // deleted with the environment
  exports.Set("constants", Constants(env));
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass, "setErrorClass"));
  InitIface(env, exports);
  InitLinkStats(env, exports);
  InitIoctl(env, exports);
  InitGenlVnet(env, exports);
  InitTestHooks(env, exports);
  InitNetns(env, exports);
  InitRtnlDump(env, exports);
  InitIfaceConfig(env, exports);
  InitGenlEcho(env, exports);
  return exports;
}

NODE_API_MODULE(vnet, VnetInit)
