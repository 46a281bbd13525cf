// A Promise for one request on a socket granted by a SocketPool: the grant
// is taken here, on the JS thread (socket_pool.h: the socket belongs to
// this thread's namespace, and a burst waits for free sockets instead of
// opening one each), the request runs on a worker thread, and the socket
// goes back to the pool when the work is destroyed, on the JS thread
// again, after the Promise has settled.
#ifndef VNET_ADDON_POOLED_WORK_H
#define VNET_ADDON_POOLED_WORK_H

#include <napi.h>

#include <memory>
#include <utility>

#include "async_work.h"
#include "socket_pool.h"

namespace vnet {

// op(nl::NlSocket&) -> R on the worker thread; to_js(env, const R&) on the
// JS thread.  A grant's error (EBADF once the pool is closed, or opening
// the socket failed) rejects the Promise.
template <typename R, typename Op, typename ToJs>
Napi::Value PooledWork(Napi::Env env, SocketPool& pool, const char* syscall, Op op, ToJs to_js) {
  auto grant = std::make_shared<SocketPool::Grant>();
  auto result = std::make_shared<R>();
  PromiseWorker* w = PromiseWorker::Create(
      env, syscall,
      [grant, result, op]() {
        if (grant->error) throw *grant->error;
        *result = op(**grant->lease);
      },
      [result, to_js](Napi::Env e) -> Napi::Value { return to_js(e, *result); });
  Napi::Promise promise = w->promise();
  pool.Submit(syscall, [w, grant](SocketPool::Grant g) {
    if (g.lease) grant->lease.emplace(std::move(*g.lease));
    grant->error = std::move(g.error);
    w->Queue();
  });
  return promise;
}

}  // namespace vnet

#endif  // VNET_ADDON_POOLED_WORK_H
