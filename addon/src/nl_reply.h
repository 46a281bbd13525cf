// The answer to one netlink request, assembled from the messages the
// kernel sends back, without any I/O (the socket feeds it; the test hooks
// feed it crafted datagrams through the same socket code).
//
//  - Messages with another sequence number or port id are stale (answers
//    to an earlier request that was given up, e.g. interrupted): skipped.
//  - A request (doit) ends with its ACK (NLMSG_ERROR, error 0; it may
//    carry a warning as extended-ack text), or, when sent without
//    NLM_F_ACK (Expect::ack false: one reply expected, no warning wanted),
//    with its reply; a dump ends with NLMSG_DONE.
//  - NLMSG_ERROR with an error (or NLMSG_DONE with one) throws a SysError
//    carrying the kernel's extack text.
//  - Every reply must have the expected message type and, for generic
//    netlink, the expected command; anything else is EPROTO.
//  - NLM_F_DUMP_INTR on any message of a dump marks it interrupted (the
//    kernel's view changed during the dump); the socket retries it.
#ifndef VNET_ADDON_NL_REPLY_H
#define VNET_ADDON_NL_REPLY_H

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nl_message.h"

namespace vnet::nl {

struct ErrorContext {
  std::string syscall;  // e.g. "genl VNET_CMD_GET"
  std::string ifname;   // for the error, when there is one
};

// What a request expects back.
struct Expect {
  bool dump = false;  // NLM_F_DUMP: replies until NLMSG_DONE
  // A doit: NLM_F_ACK, and wait for the ACK (and its warning, if any).
  // false: the request's one reply ends it; the kernel then builds and
  // sends no ACK (errors still come, as NLMSG_ERROR).
  bool ack = true;
  int type = -1;      // every reply's nlmsg_type; -1: any
  int cmd = -1;       // every reply's genlmsghdr cmd; -1: not checked
};

// Everything the kernel answered, once complete.
struct Answer {
  std::vector<Message> replies;
  // Extended-ack text that came with a successful ACK / NLMSG_DONE (a
  // warning: the request was done, but the kernel had something to say).
  std::string warning;
};

class ReplyCollector {
 public:
  ReplyCollector(uint32_t seq, uint32_t pid, Expect expect, const ErrorContext& ctx);

  // Takes one unicast message (already length-checked by SplitDatagram).
  // Returns true once the answer is complete; throws the kernel's error,
  // or EPROTO for an unexpected or malformed message.
  bool Feed(const struct nlmsghdr* h);

  bool done() const { return done_; }
  uint32_t seq() const { return seq_; }
  // NLM_F_DUMP_INTR was set on a message of this dump.
  bool interrupted() const { return interrupted_; }
  // Messages skipped for another sequence number or port id.
  size_t stale() const { return stale_; }
  Answer& answer() { return answer_; }

 private:
  [[noreturn]] void Unexpected(const std::string& what) const;

  uint32_t seq_, pid_;
  Expect expect_;
  const ErrorContext& ctx_;  // outlives the collector
  bool done_ = false;
  bool interrupted_ = false;
  size_t stale_ = 0;
  Answer answer_;
};

}  // namespace vnet::nl

#endif  // VNET_ADDON_NL_REPLY_H
