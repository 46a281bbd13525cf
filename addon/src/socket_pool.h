// The netlink sockets of a GenlSocket's asynchronous requests.  Each
// request is granted a socket on the JS thread and keeps it for its whole
// round trip on a worker thread, so requests in flight at the same time
// never share one (no locking around I/O, no reply meant for another
// request).  At most kMaxOpen are open at once, in use or idle: a request
// that finds none free waits, in the order it came, until one returns (a
// burst of requests holds a bounded number of descriptors, as when each
// worker thread took one as it ran); steady state opens none.
//
// Sockets for worker threads are opened on the JS thread: a socket belongs
// to the network namespace of the thread that opens it, and libuv's worker
// threads stay in the one they started in when enterNetns() moves the JS
// thread.  Everything here runs on the JS thread.
#ifndef VNET_ADDON_SOCKET_POOL_H
#define VNET_ADDON_SOCKET_POOL_H

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "genl_socket.h"
#include "syserror.h"

namespace vnet {

// A netlink socket opened on the calling (JS) thread, in its namespace,
// for a worker thread: a signal never ends its waits (JS is not blocked by
// them).  SysError on failure.
std::unique_ptr<nl::NlSocket> OpenWorkerSocket(int protocol);

class SocketPool : public std::enable_shared_from_this<SocketPool> {
 public:
  static constexpr size_t kMaxOpen = 8;

  // A granted socket, returned to the pool when the lease ends (on the JS
  // thread: the request's work is destroyed there).
  class Lease {
   public:
    Lease(std::shared_ptr<SocketPool> pool, std::unique_ptr<nl::NlSocket> sock)
        : pool_(std::move(pool)), sock_(std::move(sock)) {}
    Lease(Lease&&) = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    nl::NlSocket& operator*() const { return *sock_; }
    nl::NlSocket* operator->() const { return sock_.get(); }

   private:
    std::shared_ptr<SocketPool> pool_;
    std::unique_ptr<nl::NlSocket> sock_;
  };

  // What a request is granted: a socket, or the error that ends it.
  struct Grant {
    std::optional<Lease> lease;
    std::optional<SysError> error;
  };
  using Start = std::function<void(Grant)>;

  explicit SocketPool(int protocol) : protocol_(protocol) {}

  // Calls start() with an idle socket, a new one, or the error: EBADF
  // (syscall) once the pool is closed, or the new socket's; now, or when
  // kMaxOpen are in use, later, as a request returns its socket.
  void Submit(const std::string& syscall, Start start);
  // Closes the idle sockets and ends the waiting requests with EBADF;
  // sockets in use close when returned.
  void Close();

 private:
  void Return(std::unique_ptr<nl::NlSocket> sock);
  static Grant Closed(const std::string& syscall);

  const int protocol_;
  std::vector<std::unique_ptr<nl::NlSocket>> idle_;
  std::deque<std::pair<std::string, Start>> waiting_;
  size_t in_use_ = 0;
  bool closed_ = false;
};

}  // namespace vnet

#endif  // VNET_ADDON_SOCKET_POOL_H
