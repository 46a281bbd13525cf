#include "socket_pool.h"

#include <cerrno>

namespace vnet {

std::unique_ptr<nl::NlSocket> OpenWorkerSocket(int protocol) {
  auto s = std::make_unique<nl::NlSocket>(protocol);
  // A worker thread: JS is not blocked, so a signal never needs to end
  // the wait; retry instead.
  s->set_retry_eintr(true);
  return s;
}

SocketPool::Lease::~Lease() {
  if (pool_ && sock_) pool_->Return(std::move(sock_));
}

SocketPool::Grant SocketPool::Closed(const std::string& syscall) {
  Grant g;
  g.error = SysError(EBADF, syscall, {}, {}, "GenlSocket is closed");
  return g;
}

void SocketPool::Submit(const std::string& syscall, Start start) {
  if (closed_) {
    start(Closed(syscall));
    return;
  }
  Grant g;
  if (!idle_.empty()) {
    g.lease.emplace(shared_from_this(), std::move(idle_.back()));
    idle_.pop_back();
  } else if (in_use_ < kMaxOpen) {
    try {
      g.lease.emplace(shared_from_this(), OpenWorkerSocket(protocol_));
    } catch (const SysError& e) {
      g.error = e;
    }
  } else {
    waiting_.emplace_back(syscall, std::move(start));
    return;
  }
  if (g.lease) in_use_++;
  start(std::move(g));
}

void SocketPool::Return(std::unique_ptr<nl::NlSocket> sock) {
  in_use_--;
  if (closed_) return;  // closed as it goes out of scope
  if (waiting_.empty()) {
    idle_.push_back(std::move(sock));  // in use + idle stays <= kMaxOpen
    return;
  }
  std::pair<std::string, Start> next = std::move(waiting_.front());
  waiting_.pop_front();
  Grant g;
  g.lease.emplace(shared_from_this(), std::move(sock));
  in_use_++;
  next.second(std::move(g));
}

void SocketPool::Close() {
  closed_ = true;
  idle_.clear();
  std::deque<std::pair<std::string, Start>> waiting;
  waiting.swap(waiting_);
  for (auto& w : waiting) w.second(Closed(w.first));
}

}  // namespace vnet
