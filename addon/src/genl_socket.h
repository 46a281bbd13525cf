// A small netlink client over a raw socket (no libnl/libmnl): requests and
// their answers (nl_reply.h) over a transport (nl_io.h), multicast
// membership and the queue of multicast messages, and generic-netlink
// family resolution through nlctrl (CTRL_CMD_GETFAMILY, genl_family.cc).
// No Node-API in here: failures are SysErrors.
//
// Costs: a request is one sendto() and, in steady state, one recvmmsg()
// that takes the reply and its ACK together (the kernel queues both before
// sendto() returns); the wait is bounded by SO_RCVTIMEO, with no poll().
// Reads that return one reply ask for no ACK at all (Expect::ack), so the
// kernel does no more work for them than for libnl with auto-ack off.
//
// Signals: a wait interrupted by a signal throws SysError(EINTR) (on the
// JS thread, so that a JS signal handler can run; the request's late
// answer is skipped as stale by the next request, and the rest of an
// interrupted dump is read and dropped before the next request is sent),
// unless set_retry_eintr(true) (worker threads, where JS is not blocked).
//
// Overruns: ENOBUFS (the kernel dropped multicast messages because the
// receive queue was full) never ends a request: it is counted in
// events_lost() and the request goes on reading its answer, which may
// well be queued behind the lost events.  While the queue is overrun the
// kernel drops anything it sends to the socket, so from then on the
// request reads without blocking: if the queue runs dry without the
// answer, the answer was dropped too, and the request fails with ENOBUFS
// at once instead of waiting out the timeout (a request that got its
// reply but lost only the ACK succeeds).
#ifndef VNET_ADDON_GENL_SOCKET_H
#define VNET_ADDON_GENL_SOCKET_H

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nl_io.h"
#include "nl_message.h"
#include "nl_reply.h"

namespace vnet::nl {

class NlSocket {
 public:
  // How long a request may wait for the kernel's answer.
  static constexpr int kReplyTimeoutMs = 10000;
  // Attempts at a dump the kernel marks NLM_F_DUMP_INTR (a dump is a read,
  // safe to repeat) before it fails with EAGAIN.
  static constexpr int kDumpAttempts = 3;
  // Multicast messages kept while nobody reads them (older ones are
  // dropped and counted in events_lost()).
  static constexpr size_t kMaxQueuedMulticast = 4096;

  // A real AF_NETLINK socket (SocketIo).
  explicit NlSocket(int protocol);
  // Over any transport, as port id pid (the test hooks' scripted one).
  NlSocket(std::unique_ptr<Io> io, uint32_t pid);

  uint32_t port_id() const { return pid_; }
  bool is_open() const { return io_->is_open(); }
  void Close() { io_->Close(); }
  // The descriptor to poll for multicast messages (-1 when scripted).
  int fd() const { return io_->fd(); }

  // Sends req with NLM_F_REQUEST and NLM_F_DUMP for a dump, NLM_F_ACK for
  // a request that wants one (Expect::ack), and the next sequence number,
  // and returns the answer (see nl_reply.h):
  // the replies, each of the expected type and command, and any warning.
  // NLMSG_ERROR throws a SysError with the extack text; a timeout is
  // ETIMEDOUT; a reply larger than the receive buffer is EMSGSIZE; a
  // malformed message EPROTO.  A dump interrupted by concurrent changes is
  // repeated, up to kDumpAttempts in all, then fails with EAGAIN.
  Answer Request(MsgBuilder& req, const ErrorContext& ctx, Expect expect);

  // The replies only, with no type check (a dump when req has NLM_F_DUMP).
  std::vector<Message> Transact(MsgBuilder& req, const ErrorContext& ctx);

  void AddMembership(uint32_t group);
  // setsockopt(SOL_SOCKET, SO_RCVBUF) (tests: provoke overruns).
  void SetRcvBuf(int bytes);
  // setsockopt(NETLINK_GET_STRICT_CHK): the kernel checks dump requests'
  // headers strictly and honours their filters (an address dump's
  // ifa_index).  False when the kernel predates it (4.20).
  bool SetStrictCheck();

  // Sends req as Request does, and returns its sequence number without
  // waiting; Await(seq, ...) collects the answer later (tests: an overrun
  // between the two).
  uint32_t Send(MsgBuilder& req, const ErrorContext& ctx, const Expect& expect);
  Answer Await(uint32_t seq, const ErrorContext& ctx, Expect expect);

  // The next multicast message, waiting up to timeout_ms (0: only what is
  // queued); nullopt on timeout.
  std::optional<Message> NextMulticast(int timeout_ms, const ErrorContext& ctx);

  // How many times messages for this socket were lost: each ENOBUFS (the
  // kernel dropped one or more multicast messages), each multicast
  // datagram too large for the buffer, each message dropped from the full
  // local queue.
  uint64_t events_lost() const { return events_lost_; }

  void set_retry_eintr(bool retry) { retry_eintr_ = retry; }
  // The next request's sequence number is seq + 1 (tests).
  void set_seq(uint32_t seq) { seq_ = seq; }

 private:
  void Collect(ReplyCollector& c, const ErrorContext& ctx, bool dump);
  // Collect, remembering a dump given up on a signal: the kernel goes on
  // with it on this socket (and refuses another dump meanwhile: EBUSY).
  void CollectOrAbandon(ReplyCollector& c, uint32_t seq, const ErrorContext& ctx, bool dump);
  // Reads the rest of an abandoned dump, discarding it, before a new
  // request is sent.
  void FinishAbandonedDump(const ErrorContext& ctx);
  void QueueMulticast(const Datagram& d, const ErrorContext& ctx);

  std::unique_ptr<Io> io_;
  uint32_t pid_ = 0;
  uint32_t seq_ = 0;
  bool retry_eintr_ = false;
  uint64_t events_lost_ = 0;
  uint32_t abandoned_dump_ = 0;  // its sequence number, 0: none
  std::vector<Datagram> batch_;
  std::deque<Message> mcast_;
};

// ------------------------------------------------------- genl family (nlctrl)

struct GenlFamily {
  std::string name;
  uint16_t id = 0;
  uint32_t version = 0;
  uint32_t hdrsize = 0;
  uint32_t maxattr = 0;
  std::map<std::string, uint32_t> groups;  // multicast group name -> id
};

// CTRL_CMD_GETFAMILY for one name.  Not registered: SysError(ENOENT,
// "genl_ctrl_resolve") with a detail naming the family.
GenlFamily ResolveFamily(NlSocket& sock, const std::string& name);
// CTRL_CMD_GETFAMILY dump: every registered family.
std::vector<GenlFamily> DumpFamilies(NlSocket& sock);
// One CTRL_CMD_NEWFAMILY message; EPROTO when malformed.
GenlFamily ParseFamily(const Message& m);

}  // namespace vnet::nl

#endif  // VNET_ADDON_GENL_SOCKET_H
