#include "nl_io.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "syserror.h"

namespace vnet::nl {

Fd OpenNetlink(int protocol, uint32_t* pid) {
  CountSyscall();
  Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
  if (!fd) ThrowErrno("socket(AF_NETLINK)");

  struct sockaddr_nl sa;
  std::memset(&sa, 0, sizeof sa);
  sa.nl_family = AF_NETLINK;
  CountSyscall();
  if (::bind(fd.get(), reinterpret_cast<struct sockaddr*>(&sa), sizeof sa) < 0) {
    ThrowErrno("bind(AF_NETLINK)");
  }
  socklen_t salen = sizeof sa;
  CountSyscall();
  if (::getsockname(fd.get(), reinterpret_cast<struct sockaddr*>(&sa), &salen) < 0) {
    ThrowErrno("getsockname(AF_NETLINK)");
  }
  *pid = sa.nl_pid;

  // Extended acks (the kernel's error text) and capped acks (the error
  // does not echo our whole request).  Both are optional for the kernel
  // (4.12 / 4.3); without them errors still work, just without the text.
  int one = 1;
  CountSyscall();
  (void)::setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  CountSyscall();
  (void)::setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  return fd;
}

void PrepareRecv(struct mmsghdr* msgs, struct iovec* iov, struct sockaddr_nl* from, uint8_t* buf,
                 unsigned n, size_t slot) {
  for (unsigned i = 0; i < n; i++) {
    std::memset(&from[i], 0, sizeof from[i]);
    iov[i].iov_base = buf + i * slot;
    iov[i].iov_len = slot;
    std::memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
}

SocketIo::SocketIo(int protocol, int recv_timeout_ms) {
  fd_ = OpenNetlink(protocol, &pid_);
  // Requests wait in a blocking recvmmsg bounded by the socket itself: no
  // poll() per request.  A signal then ends the wait with EINTR (a socket
  // receive with a timeout is never restarted, SA_RESTART or not).
  struct timeval tv;
  tv.tv_sec = recv_timeout_ms / 1000;
  tv.tv_usec = (recv_timeout_ms % 1000) * 1000;
  if (int err = SetOption(SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv)) {
    ThrowErrno(err, "setsockopt(SO_RCVTIMEO)");
  }

  buf_.resize(kBatch * kMaxDatagram);
}

int SocketIo::Send(const uint8_t* data, size_t len) {
  if (!fd_) return EBADF;
  struct sockaddr_nl kernel;
  std::memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  CountSyscall();
  ssize_t n = ::sendto(fd_.get(), data, len, 0, reinterpret_cast<struct sockaddr*>(&kernel),
                       sizeof kernel);
  if (n < 0) return errno;
  return static_cast<size_t>(n) == len ? 0 : EMSGSIZE;
}

int SocketIo::Recv(int wait, std::vector<Datagram>* out) {
  out->clear();
  if (!fd_) return EBADF;
  // MSG_TRUNC: each msg_len is the datagram's real length, so a datagram
  // larger than its slot is detected and reported, never cut silently.
  int flags = MSG_TRUNC;
  if (wait > 0) {
    struct pollfd p = {fd_.get(), POLLIN, 0};
    CountSyscall();
    int n = ::poll(&p, 1, wait);
    if (n < 0) return errno;
    if (n == 0) return EAGAIN;
    flags |= MSG_DONTWAIT;
  } else if (wait == 0) {
    flags |= MSG_DONTWAIT;
  } else {
    // The first datagram waits (up to SO_RCVTIMEO); the rest of the batch
    // is what is already queued.
    flags |= MSG_WAITFORONE;
  }
  PrepareRecv(msgs_, iov_, from_, buf_.data(), kBatch, kMaxDatagram);
  CountSyscall();
  int n = ::recvmmsg(fd_.get(), msgs_, kBatch, flags, nullptr);
  if (n < 0) return errno;
  if (n == 0) return EAGAIN;
  for (int i = 0; i < n; i++) {
    Datagram d;
    d.data = buf_.data() + static_cast<size_t>(i) * kMaxDatagram;
    d.full_len = msgs_[i].msg_len;
    d.len = std::min(d.full_len, kMaxDatagram);
    d.truncated = (msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) || d.full_len > kMaxDatagram;
    d.sender = from_[i].nl_pid;
    d.groups = from_[i].nl_groups;
    out->push_back(d);
  }
  return 0;
}

int SocketIo::SetOption(int level, int name, const void* value, socklen_t len) {
  if (!fd_) return EBADF;
  CountSyscall();
  return ::setsockopt(fd_.get(), level, name, value, len) < 0 ? errno : 0;
}

}  // namespace vnet::nl
