// The netlink sockets of a GenlSocket's asynchronous requests.  Each
// request borrows a socket for its whole round trip on a worker thread, so
// requests in flight at the same time never share one (no locking around
// I/O, no reply meant for another request); a socket returns to the pool
// afterwards, and up to kMaxIdle are kept open for the next requests, so
// steady state opens none.
#ifndef VNET_ADDON_SOCKET_POOL_H
#define VNET_ADDON_SOCKET_POOL_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "genl_socket.h"

namespace vnet {

class SocketPool : public std::enable_shared_from_this<SocketPool> {
 public:
  static constexpr size_t kMaxIdle = 8;

  // A borrowed socket, returned to the pool when the lease ends.
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

  explicit SocketPool(int protocol) : protocol_(protocol) {}

  // An idle socket, or a new one (socket, bind, ...: SysError on failure).
  // EBADF (syscall) once the pool is closed.  Any thread.
  Lease Acquire(const std::string& syscall);
  // Closes the idle sockets; borrowed ones close when returned.
  void Close();
  bool closed() const { return closed_.load(); }
  // Sockets opened so far (tests: steady state opens none).
  uint64_t opened() const { return opened_.load(); }

 private:
  void Return(std::unique_ptr<nl::NlSocket> sock);

  const int protocol_;
  std::mutex mu_;
  std::vector<std::unique_ptr<nl::NlSocket>> idle_;
  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> opened_{0};
};

}  // namespace vnet

#endif  // VNET_ADDON_SOCKET_POOL_H
