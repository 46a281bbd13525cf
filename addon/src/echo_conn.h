// The socket behind an EchoSocket (genl_echo.cc): VNET_CMD_ECHO requests
// with several in flight, on a generic-netlink socket of its own (fd owned
// by Fd).  Every datagram is length-checked before a message in it is read.
// No Node-API in here: failures are SysErrors.
//
//  - SendMany/Send: requests in one datagram, their sequence numbers back;
//  - Receive: the next reply, the wait bounded by the caller;
//  - Flood: one step of a flood (vnet-echo -f) done here, in C++, so that a
//    round trip costs JS nothing: the window refilled, every queued reply
//    matched, checked and timed, requests given up after their timeout;
//    the step returns counts and round-trip sums, and the failures.
#ifndef VNET_ADDON_ECHO_CONN_H
#define VNET_ADDON_ECHO_CONN_H

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "fd.h"
#include "syserror.h"

namespace vnet {

struct EchoReply {
  uint32_t seq = 0;
  std::optional<std::string> message;  // the echoed text, or
  std::optional<SysError> error;       // the kernel's error for that request
};

struct FloodOptions {
  unsigned window = 16;        // requests in flight at most (1..kMaxBatch)
  uint64_t budget = 0;         // new requests this step may send
  unsigned max_replies = 128;  // return after this many requests ended
  int max_ms = 20;             // ... or after this long
  int64_t timeout_ns = 0;      // a request is given up after this long
  bool details = false;        // keep each good reply's number and time
};

// A request that ended badly; seq is its number among the flood's.
struct FloodFailure {
  uint32_t seq = 0;
  std::optional<std::string> message;  // a reply with other text, or
  std::optional<SysError> error;       // the kernel's error
};

struct FloodStep {
  uint32_t sent = 0;       // requests sent in this step
  uint32_t first_seq = 0;  // the number of the first of them
  uint32_t received = 0;   // good replies
  uint32_t expired = 0;    // requests given up (no reply within the timeout)
  uint32_t inflight = 0;   // requests still waited for after the step
  uint32_t rtt_count = 0;  // round-trip times of the good replies, in ns
  double rtt_sum = 0;
  double rtt_sum_sq = 0;
  double rtt_min = 0;
  double rtt_max = 0;
  std::vector<double> details;  // (seq, rtt ns) of each good reply
  std::vector<FloodFailure> failures;
  bool interrupted = false;  // a signal ended the wait: give JS a turn
};

class EchoConn {
 public:
  // Resolves the family (ENOENT with a hint when the module is not
  // loaded) and opens and binds the socket.
  EchoConn();

  bool open() const { return fd_.valid(); }
  void Close() { fd_.reset(); }

  // The most requests SendMany puts in one datagram: their replies must
  // fit the socket's receive buffer until they are read.
  static constexpr unsigned kMaxBatch = 16;

  // COUNT requests for MESSAGE in one datagram: the kernel takes the
  // messages of a datagram one after the other and answers each, so a
  // batch costs one sendto where COUNT sends cost COUNT (the kernel's work
  // per request stays).  Returns their sequence numbers, in order.
  std::vector<uint32_t> SendMany(const std::string& message, unsigned count);
  uint32_t Send(const std::string& message) { return SendMany(message, 1).front(); }

  // The next reply; nullopt after timeout_ms without one.  EINTR when a
  // signal interrupted the wait.  Replies already queued are taken first,
  // up to kBatch datagrams per recvmmsg and no poll: the kernel answers in
  // the sender's context, so with requests in flight they are there by
  // the time send() returns, and receive() mostly pops the local queue
  // without a system call.
  std::optional<EchoReply> Receive(int timeout_ms);

  // One step of a flood of MESSAGE: until max_replies requests ended
  // (answered, refused or given up), max_ms passed, the budget is spent
  // with nothing left in flight, or a signal interrupted a wait: refill
  // the window (one datagram), take every reply queued (recvmmsg, no
  // wait), and only when none was there wait (poll) for the next, no
  // longer than the step's end or the oldest request's timeout.  The
  // requests in flight carry over to the next step.  Requests are
  // numbered from 1 among this socket's flood requests.
  FloodStep Flood(const std::string& message, const FloodOptions& opt);

 private:
  // Datagrams per recvmmsg, and the most bytes one may have: an ECHO
  // reply is at most VNET_ECHO_MSG_MAX bytes of text and 24 of headers,
  // an error (NETLINK_CAP_ACK) is smaller.  A larger datagram is EMSGSIZE
  // (MSG_TRUNC), never cut silently.
  static constexpr unsigned kBatch = 16;
  static constexpr size_t kSlot = 8192;

  struct Pending {
    uint32_t kseq;     // the netlink sequence number
    uint32_t seq;      // its number among the flood's requests
    int64_t sent_ns;   // CLOCK_MONOTONIC
  };

  void CheckOpen() const;
  // Reads what is queued without waiting (one recvmmsg).  Returns the
  // datagrams read: 0 when nothing was queued.
  unsigned ReadBatch();
  void Parse(const uint8_t* data, size_t len);
  void Handle(const struct nlmsghdr* h);
  // A reply taken by a flood step: matched to its request, timed, counted.
  void Take(EchoReply& r, const std::string& message, int64_t now, bool details,
            FloodStep& st);

  Fd fd_;
  uint16_t family_ = 0;
  uint32_t pid_ = 0;
  uint32_t seq_ = 0;
  uint32_t flood_seq_ = 0;
  std::vector<uint8_t> out_;  // the datagram being sent
  std::vector<uint8_t> buf_;  // kBatch slots of kSlot bytes, allocated once
  struct sockaddr_nl from_[kBatch];
  struct iovec iov_[kBatch];
  struct mmsghdr msgs_[kBatch];
  std::deque<EchoReply> queue_;
  std::deque<Pending> pending_;  // the flood's requests in flight, oldest first
};

}  // namespace vnet

#endif  // VNET_ADDON_ECHO_CONN_H
