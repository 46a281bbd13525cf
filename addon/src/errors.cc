#include "errors.h"

#include "addon.h"

namespace vnet {

Napi::Error ToJsError(Napi::Env env, const SysError& e) {
  Napi::Object info = Napi::Object::New(env);
  info.Set("errno", Napi::Number::New(env, -e.err()));
  info.Set("syscall", Napi::String::New(env, e.syscall()));
  if (!e.ifname().empty()) info.Set("ifname", Napi::String::New(env, e.ifname()));
  if (!e.extack().empty()) info.Set("extack", Napi::String::New(env, e.extack()));
  if (!e.detail().empty()) info.Set("detail", Napi::String::New(env, e.detail()));
  info.Set("strerror", Napi::String::New(env, std::strerror(e.err())));

  AddonData& data = Data(env);
  if (!data.errorClass.IsEmpty()) {
    Napi::Object err = data.errorClass.New({info});
    return Napi::Error(env, err);
  }
  // Loaded without src/binding/native.ts: a plain Error with the same
  // fields, `code` included.
  Napi::Error err = Napi::Error::New(env, ErrnoName(e.err()) + ": " + e.what());
  Napi::Object obj = err.Value();
  obj.Set("code", Napi::String::New(env, ErrnoName(e.err())));
  for (const char* key : {"errno", "syscall", "ifname", "extack", "detail"}) {
    if (info.Has(key)) obj.Set(key, info.Get(key));
  }
  return err;
}

Napi::Error InternalError(Napi::Env env, const std::string& what) {
  Napi::Error err = Napi::Error::New(env, "vnet addon: " + what);
  err.Set("code", Napi::String::New(env, "ERR_VNET_INTERNAL"));
  return err;
}

void ThrowTypeError(Napi::Env env, const char* code, const std::string& message) {
  Napi::TypeError err = Napi::TypeError::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  throw err;
}

void ThrowRangeError(Napi::Env env, const std::string& message) {
  Napi::RangeError err = Napi::RangeError::New(env, message);
  err.Set("code", Napi::String::New(env, "ERR_OUT_OF_RANGE"));
  throw err;
}

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) {
    ThrowTypeError(env, "ERR_INVALID_ARG_TYPE",
                   "setErrorClass: expected the VnetSystemError constructor");
  }
  Data(env).errorClass = Napi::Persistent(info[0].As<Napi::Function>());
  return env.Undefined();
}

}  // namespace vnet
