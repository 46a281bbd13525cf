#include "async_work.h"

#include <cerrno>
#include <new>

#include "errors.h"

namespace vnet {

PromiseWorker::PromiseWorker(Napi::Env env, const char* name, Run run, Done done)
    : Napi::AsyncWorker(env, name),
      deferred_(Napi::Promise::Deferred::New(env)),
      run_(std::move(run)),
      done_(std::move(done)),
      name_(name) {}

PromiseWorker* PromiseWorker::Create(Napi::Env env, const char* name, Run run, Done done) {
  return new PromiseWorker(env, name, std::move(run), std::move(done));
}

Napi::Value PromiseWorker::Start(Napi::Env env, const char* name, Run run, Done done) {
  PromiseWorker* w = Create(env, name, std::move(run), std::move(done));
  Napi::Promise p = w->promise();
  w->Queue();  // deleted by Node-API after OnOK / OnError
  return p;
}

Napi::Value PromiseWorker::Rejected(Napi::Env env, Napi::Value reason) {
  Napi::Promise::Deferred d = Napi::Promise::Deferred::New(env);
  d.Reject(reason);
  return d.Promise();
}

void PromiseWorker::Execute() {
  try {
    run_();
  } catch (const SysError& e) {
    error_ = e;
  } catch (const std::bad_alloc&) {
    error_ = SysError(ENOMEM, name_);
  } catch (const std::exception& e) {
    internal_ = e.what();
  }
}

void PromiseWorker::OnOK() {
  Napi::Env env = Env();
  if (error_) {
    deferred_.Reject(ToJsError(env, *error_).Value());
    return;
  }
  if (!internal_.empty()) {
    deferred_.Reject(InternalError(env, internal_).Value());
    return;
  }
  try {
    deferred_.Resolve(done_(env));
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  } catch (const SysError& e) {
    deferred_.Reject(ToJsError(env, e).Value());
  }
}

void PromiseWorker::OnError(const Napi::Error& e) { deferred_.Reject(e.Value()); }

}  // namespace vnet
