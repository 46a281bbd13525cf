// Argument validation, in C++, before any system call: wrong types throw a
// TypeError (code ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE), numbers out
// of range a RangeError (ERR_OUT_OF_RANGE), like Node's own validators.
#ifndef VNET_ADDON_ARGS_H
#define VNET_ADDON_ARGS_H

#include <napi.h>

#include <cstdint>
#include <string>

namespace vnet {

// An interface name: a string of 1..VNET_IFNAMSIZ-1 bytes without NUL
// ("" too when allow_empty).
std::string IfNameValue(Napi::Env env, Napi::Value v, const char* what,
                        bool allow_empty = false);
std::string IfNameArg(const Napi::CallbackInfo& info, size_t i,
                      const char* what = "ifname");

// A string without NUL bytes.
std::string StringValue(Napi::Env env, Napi::Value v, const char* what);

// Integers (JS numbers) in [min, max].
int64_t IntegerValue(Napi::Env env, Napi::Value v, const char* what,
                     int64_t min, int64_t max);
int32_t Int32Value(Napi::Env env, Napi::Value v, const char* what);
uint32_t Uint32Value(Napi::Env env, Napi::Value v, const char* what);

// A bigint in [0, 2^64).
uint64_t BigUint64Value(Napi::Env env, Napi::Value v, const char* what);

// A device named by interface name (string) or ifindex (number >= 1).
struct DevRef {
  std::string name;      // when given by name
  uint32_t ifindex = 0;  // when given by index
};
DevRef DevValue(Napi::Env env, Napi::Value v, const char* what = "dev");

// An object (TypeError otherwise); ObjectArg: the one at info[i].
Napi::Object ObjectValue(Napi::Env env, Napi::Value v, const char* what);
Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t i,
                       const char* what);

// A function (TypeError otherwise).
Napi::Function FunctionValue(Napi::Env env, Napi::Value v, const char* what);

}  // namespace vnet

#endif  // VNET_ADDON_ARGS_H
