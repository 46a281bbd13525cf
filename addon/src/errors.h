// The JS side of errors: SysError -> VnetSystemError (constructed from the
// class src/binding/errors.ts defines, handed over at load), argument
// errors shaped like Node's (TypeError/RangeError with a `code`), and the
// guard every exported function runs its body in.
#ifndef VNET_ADDON_ERRORS_H
#define VNET_ADDON_ERRORS_H

#include <napi.h>

#include <exception>
#include <new>
#include <string>

#include "syserror.h"

namespace vnet {

// Builds the JS error (an instance of the registered VnetSystemError).
Napi::Error ToJsError(Napi::Env env, const SysError& e);

// Argument errors, thrown before any system call.
[[noreturn]] void ThrowTypeError(Napi::Env env, const char* code,
                                 const std::string& message);
[[noreturn]] void ThrowRangeError(Napi::Env env, const std::string& message);

// A bug or an unexpected C++ exception: an Error with code
// 'ERR_VNET_INTERNAL' (every error the addon throws has a `code`).
Napi::Error InternalError(Napi::Env env, const std::string& what);

// setErrorClass(VnetSystemError): stores the constructor in AddonData.
Napi::Value SetErrorClass(const Napi::CallbackInfo& info);

// Runs f(); C++ errors leave as JS exceptions (Napi::Error passes through).
template <typename F>
auto Guard(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const SysError& e) {
    throw ToJsError(env, e);
  } catch (const std::bad_alloc&) {
    throw ToJsError(env, SysError(ENOMEM, "vnet addon", {}, {}, "out of memory"));
  } catch (const std::exception& e) {
    throw InternalError(env, e.what());
  }
}

}  // namespace vnet

#endif  // VNET_ADDON_ERRORS_H
