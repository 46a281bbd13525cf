// Promises for work that can wait: the work runs on a worker thread
// through Node-API async work (napi_create_async_work via
// Napi::AsyncWorker; the addon itself uses no libuv symbol), and the
// Promise settles on the JS thread: resolved with what `done` builds from
// the work's result, or rejected with the VnetSystemError of the SysError
// the work threw.  A JS exception or a SysError before the work starts
// (argument validation, opening the socket) rejects the Promise too: an
// async method never throws.
#ifndef VNET_ADDON_ASYNC_WORK_H
#define VNET_ADDON_ASYNC_WORK_H

#include <napi.h>

#include <functional>
#include <optional>
#include <string>

#include "errors.h"
#include "syserror.h"

namespace vnet {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Run = std::function<void()>;                    // worker thread
  using Done = std::function<Napi::Value(Napi::Env)>;  // JS thread

  // Queues run; returns the Promise.
  static Napi::Value Start(Napi::Env env, const char* name, Run run, Done done);
  // The same, to be queued later (Queue(), on the JS thread); until then
  // the Promise stays pending.  Node-API deletes it once settled.
  static PromiseWorker* Create(Napi::Env env, const char* name, Run run, Done done);
  Napi::Promise promise() const { return deferred_.Promise(); }

  // Runs start() (validation, opening the socket, then Start); a JS
  // exception or a SysError it throws becomes a rejected Promise.
  template <typename F>
  static Napi::Value Guard(Napi::Env env, F&& start) {
    try {
      return start();
    } catch (const Napi::Error& e) {
      return Rejected(env, e.Value());
    } catch (const SysError& e) {
      return Rejected(env, ToJsError(env, e).Value());
    }
  }
  static Napi::Value Rejected(Napi::Env env, Napi::Value reason);

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

 private:
  PromiseWorker(Napi::Env env, const char* name, Run run, Done done);

  Napi::Promise::Deferred deferred_;
  Run run_;
  Done done_;
  std::string name_;
  std::optional<SysError> error_;
  std::string internal_;  // a C++ exception that is not a SysError
};

}  // namespace vnet

#endif  // VNET_ADDON_ASYNC_WORK_H
