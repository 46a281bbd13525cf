// The JS shapes of the vnet_nl structs (src/binding/types.ts: VnetState,
// VnetEvent, RelaySetRequest).  JS thread only.
#ifndef VNET_ADDON_VNET_JS_H
#define VNET_ADDON_VNET_JS_H

#include <napi.h>

#include <vector>

#include "vnet_nl.h"

namespace vnet {

Napi::Object StateToJs(Napi::Env env, const VnetStateData& s);
Napi::Array StatesToJs(Napi::Env env, const std::vector<VnetStateData>& list);
Napi::Object EventToJs(Napi::Env env, const VnetEventData& ev);

// A RelaySetRequest, validated (TypeError / RangeError before any syscall).
SetRequest SetRequestValue(Napi::Env env, Napi::Value v);

}  // namespace vnet

#endif  // VNET_ADDON_VNET_JS_H
