// Netlink socket I/O, and nothing else: the system calls a request costs
// (in steady state one sendto and one recvmmsg) behind a small interface,
// so that the transaction logic (genl_socket.cc) runs unchanged over a
// scripted transport in the test hooks.
#ifndef VNET_ADDON_NL_IO_H
#define VNET_ADDON_NL_IO_H

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fd.h"

namespace vnet::nl {

// One received datagram; data stays valid until the next Recv.
struct Datagram {
  const uint8_t* data = nullptr;
  size_t len = 0;       // bytes in data
  size_t full_len = 0;  // the datagram's length (> len when truncated)
  bool truncated = false;
  uint32_t sender = 0;  // the sender's port id: 0 is the kernel
  uint32_t groups = 0;  // non-zero: a multicast message
};

// Recv's wait argument: block up to the socket's receive timeout
// (SO_RCVTIMEO), with no poll() before the receive.
constexpr int kWaitSocketTimeout = -1;

class Io {
 public:
  virtual ~Io() = default;
  // Sends one request to the kernel.  Returns 0 or an errno.
  virtual int Send(const uint8_t* data, size_t len) = 0;
  // Receives what is queued, up to the transport's batch size, into out.
  // wait: kWaitSocketTimeout, 0 (never block), or > 0 ms (poll first).
  // Returns 0 (out has one datagram or more) or an errno: EAGAIN when
  // nothing came within the wait, EINTR, ENOBUFS (the kernel dropped
  // messages for this socket: its receive queue was full), ...
  virtual int Recv(int wait, std::vector<Datagram>* out) = 0;
  // setsockopt(SOL_NETLINK / SOL_SOCKET ...).  Returns 0 or an errno.
  virtual int SetOption(int level, int name, const void* value, socklen_t len) = 0;
  virtual void Close() = 0;
  virtual bool is_open() const = 0;
  // The descriptor to poll, or -1.
  virtual int fd() const { return -1; }
};

// A real AF_NETLINK socket.
// socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, protocol), bound (the kernel
// picks the port id, returned in *pid), with NETLINK_EXT_ACK and
// NETLINK_CAP_ACK (optional: without them errors come without text).
// Throws SysError.  SocketIo's and the EchoSocket's (echo_conn.cc).
Fd OpenNetlink(int protocol, uint32_t* pid);

// Points n mmsghdrs for recvmmsg at n slots of slot bytes of buf, each
// with its own sender address (from) and iovec.
void PrepareRecv(struct mmsghdr* msgs, struct iovec* iov, struct sockaddr_nl* from, uint8_t* buf,
                 unsigned n, size_t slot);

class SocketIo : public Io {
 public:
  // The largest datagram taken whole: netlink dumps fill at most
  // SKB_WITH_OVERHEAD(32768) bytes per datagram, and no reply of the
  // families used here (vnet_nl, nlctrl, rtnetlink links) is larger.  A
  // larger one is reported truncated (MSG_TRUNC), never cut silently.
  static constexpr size_t kMaxDatagram = 32768;
  // Datagrams per recvmmsg: a reply and its ACK, queued together by the
  // time sendto() returns (the kernel answers in the sender's context).
  static constexpr unsigned kBatch = 2;

  // socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, protocol), bind (the kernel
  // picks the port id), NETLINK_EXT_ACK and NETLINK_CAP_ACK (optional:
  // without them errors come without text), SO_RCVTIMEO recv_timeout_ms.
  // Throws SysError.  The receive buffers are allocated here, once.
  SocketIo(int protocol, int recv_timeout_ms);

  uint32_t port_id() const { return pid_; }

  int Send(const uint8_t* data, size_t len) override;
  int Recv(int wait, std::vector<Datagram>* out) override;
  int SetOption(int level, int name, const void* value, socklen_t len) override;
  void Close() override { fd_.reset(); }
  bool is_open() const override { return fd_.valid(); }
  int fd() const override { return fd_.get(); }

 private:
  Fd fd_;
  uint32_t pid_ = 0;
  std::vector<uint8_t> buf_;  // kBatch slots of kMaxDatagram bytes
  struct sockaddr_nl from_[kBatch];
  struct iovec iov_[kBatch];
  struct mmsghdr msgs_[kBatch];
};

}  // namespace vnet::nl

#endif  // VNET_ADDON_NL_IO_H
