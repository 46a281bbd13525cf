#include "socket_pool.h"

#include <cerrno>

#include "syserror.h"

namespace vnet {

SocketPool::Lease::~Lease() {
  if (pool_ && sock_) pool_->Return(std::move(sock_));
}

SocketPool::Lease SocketPool::Acquire(const std::string& syscall) {
  if (closed_) throw SysError(EBADF, syscall, {}, {}, "GenlSocket is closed");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<nl::NlSocket> s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(shared_from_this(), std::move(s));
    }
  }
  auto s = std::make_unique<nl::NlSocket>(protocol_);
  // A worker thread: JS is not blocked, so a signal never needs to end
  // the wait; retry instead.
  s->set_retry_eintr(true);
  opened_++;
  return Lease(shared_from_this(), std::move(s));
}

void SocketPool::Return(std::unique_ptr<nl::NlSocket> sock) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_ && idle_.size() < kMaxIdle) idle_.push_back(std::move(sock));
  // else: closed as it goes out of scope
}

void SocketPool::Close() {
  std::vector<std::unique_ptr<nl::NlSocket>> idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    idle.swap(idle_);
  }
}

}  // namespace vnet
