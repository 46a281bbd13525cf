// `_test`: hooks for test/native only, never used by the CLIs.
#ifndef VNET_ADDON_TEST_HOOKS_H
#define VNET_ADDON_TEST_HOOKS_H

#include <napi.h>

#include "genl_socket.h"

namespace vnet {

// {name, id, version, hdrsize, maxattr, groups}
Napi::Object FamilyToJs(Napi::Env env, const nl::GenlFamily& f);

// test_script_io.cc: crafted datagrams through the real parser.
void InitScriptHooks(Napi::Env env, Napi::Object t);

}  // namespace vnet

#endif  // VNET_ADDON_TEST_HOOKS_H
