#include "args.h"

#include <net/if.h>
// After glibc's <net/if.h>: the uapi header only needs <linux/sockios.h>.
#include <linux/vnet.h>

#include <cmath>
#include <cstring>

#include "errors.h"

namespace vnet {

namespace {

std::string Describe(Napi::Value v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return std::string("type boolean (") + (v.As<Napi::Boolean>().Value() ? "true" : "false") + ")";
    case napi_number: return "type number (" + v.ToString().Utf8Value() + ")";
    case napi_string: return "type string ('" + v.As<Napi::String>().Utf8Value() + "')";
    case napi_bigint: return "type bigint (" + v.ToString().Utf8Value() + "n)";
    case napi_symbol: return "type symbol";
    case napi_function: return "function";
    default: return "an instance of Object";
  }
}

[[noreturn]] void WrongType(Napi::Env env, const char* what, const char* type,
                            Napi::Value v) {
  ThrowTypeError(env, "ERR_INVALID_ARG_TYPE",
                 std::string("The \"") + what + "\" argument must be of type " +
                     type + ". Received " + Describe(v));
}

}  // namespace

std::string StringValue(Napi::Env env, Napi::Value v, const char* what) {
  if (!v.IsString()) WrongType(env, what, "string", v);
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) {
    ThrowTypeError(env, "ERR_INVALID_ARG_VALUE",
                   std::string("The \"") + what +
                       "\" argument must not contain null bytes");
  }
  return s;
}

std::string IfNameValue(Napi::Env env, Napi::Value v, const char* what,
                        bool allow_empty) {
  std::string name = StringValue(env, v, what);
  if (name.empty() && !allow_empty) {
    ThrowTypeError(env, "ERR_INVALID_ARG_VALUE",
                   std::string("The \"") + what +
                       "\" argument must be a non-empty interface name");
  }
  if (name.size() >= VNET_IFNAMSIZ) {
    ThrowTypeError(env, "ERR_INVALID_ARG_VALUE",
                   std::string("The \"") + what + "\" argument '" + name +
                       "' is too long for an interface name (" +
                       std::to_string(name.size()) + " bytes, at most " +
                       std::to_string(VNET_IFNAMSIZ - 1) + ")");
  }
  return name;
}

std::string IfNameArg(const Napi::CallbackInfo& info, size_t i,
                      const char* what) {
  return IfNameValue(info.Env(), info[i], what);
}

int64_t IntegerValue(Napi::Env env, Napi::Value v, const char* what,
                     int64_t min, int64_t max) {
  if (!v.IsNumber()) WrongType(env, what, "number", v);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::trunc(d) != d ||
      d < static_cast<double>(min) || d > static_cast<double>(max)) {
    ThrowRangeError(env, std::string("The value of \"") + what +
                             "\" is out of range. It must be an integer >= " +
                             std::to_string(min) + " and <= " +
                             std::to_string(max) + ". Received " +
                             v.ToString().Utf8Value());
  }
  return static_cast<int64_t>(d);
}

int32_t Int32Value(Napi::Env env, Napi::Value v, const char* what) {
  return static_cast<int32_t>(
      IntegerValue(env, v, what, INT32_MIN, INT32_MAX));
}

uint32_t Uint32Value(Napi::Env env, Napi::Value v, const char* what) {
  return static_cast<uint32_t>(IntegerValue(env, v, what, 0, UINT32_MAX));
}

uint64_t BigUint64Value(Napi::Env env, Napi::Value v, const char* what) {
  if (!v.IsBigInt()) WrongType(env, what, "bigint", v);
  Napi::BigInt b = v.As<Napi::BigInt>();
  int sign = 0;
  size_t words = 2;
  uint64_t w[2] = {0, 0};
  b.ToWords(&sign, &words, w);
  if (sign != 0 || words > 1) {
    ThrowRangeError(env, std::string("The value of \"") + what +
                             "\" is out of range. It must be >= 0n and < "
                             "2n ** 64n. Received " +
                             v.ToString().Utf8Value() + "n");
  }
  return w[0];
}

DevRef DevValue(Napi::Env env, Napi::Value v, const char* what) {
  DevRef dev;
  if (v.IsNumber()) {
    dev.ifindex = static_cast<uint32_t>(IntegerValue(env, v, what, 1, UINT32_MAX));
  } else if (v.IsString()) {
    dev.name = IfNameValue(env, v, what);
  } else {
    WrongType(env, what, "string or number", v);
  }
  return dev;
}

Napi::Object ObjectValue(Napi::Env env, Napi::Value v, const char* what) {
  if (!v.IsObject() || v.IsFunction()) WrongType(env, what, "object", v);
  return v.As<Napi::Object>();
}

Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t i,
                       const char* what) {
  return ObjectValue(info.Env(), info[i], what);
}

Napi::Function FunctionValue(Napi::Env env, Napi::Value v, const char* what) {
  if (!v.IsFunction()) WrongType(env, what, "function", v);
  return v.As<Napi::Function>();
}

}  // namespace vnet
