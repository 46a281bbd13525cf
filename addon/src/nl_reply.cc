#include "nl_reply.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>
#include <utility>

#include "syserror.h"

namespace vnet::nl {

ReplyCollector::ReplyCollector(uint32_t seq, uint32_t pid, Expect expect, const ErrorContext& ctx)
    : seq_(seq), pid_(pid), expect_(expect), ctx_(ctx) {}

void ReplyCollector::Unexpected(const std::string& what) const {
  throw SysError(EPROTO, ctx_.syscall, ctx_.ifname, {}, "unexpected reply: " + what);
}

bool ReplyCollector::Feed(const struct nlmsghdr* h) {
  if (done_) return true;
  if (h->nlmsg_seq != seq_ || h->nlmsg_pid != pid_) {
    ++stale_;
    return false;
  }
  if (expect_.dump && (h->nlmsg_flags & NLM_F_DUMP_INTR)) interrupted_ = true;

  switch (h->nlmsg_type) {
    case NLMSG_NOOP:
      return false;
    case NLMSG_ERROR: {
      AckInfo ack = ParseAck(h);
      if (ack.error != 0) {
        throw SysError(-ack.error, ctx_.syscall, ctx_.ifname, ack.Text());
      }
      // The ACK.  A dump answers with NLMSG_DONE (a kernel that also acks
      // a dump sends the ACK after it); keep only the warning.
      if (answer_.warning.empty()) answer_.warning = ack.Text();
      if (!expect_.dump) done_ = true;
      return done_;
    }
    case NLMSG_DONE: {
      if (!expect_.dump) Unexpected("NLMSG_DONE to a request that is not a dump");
      AckInfo done = ParseAck(h);
      if (done.error != 0) {
        throw SysError(-done.error, ctx_.syscall, ctx_.ifname, done.Text());
      }
      if (answer_.warning.empty()) answer_.warning = done.Text();
      done_ = true;
      return true;
    }
    case NLMSG_OVERRUN:
      throw SysError(EOVERFLOW, ctx_.syscall, ctx_.ifname, {}, "NLMSG_OVERRUN from the kernel");
    default:
      break;
  }
  if (h->nlmsg_type < NLMSG_MIN_TYPE) {
    Unexpected("reserved message type " + std::to_string(h->nlmsg_type));
  }
  if (expect_.type >= 0 && h->nlmsg_type != expect_.type) {
    Unexpected("message type " + std::to_string(h->nlmsg_type) + ", expected " +
               std::to_string(expect_.type));
  }
  Message m(h);
  if (expect_.cmd >= 0) {
    if (m.payload_len() < GENL_HDRLEN) {
      Unexpected("a generic netlink reply of " + std::to_string(m.payload_len()) +
                 " bytes has no genlmsghdr");
    }
    if (m.genl_cmd() != expect_.cmd) {
      Unexpected("command " + std::to_string(m.genl_cmd()) + ", expected " +
                 std::to_string(expect_.cmd));
    }
  }
  answer_.replies.push_back(std::move(m));
  if (!expect_.dump && !expect_.ack) done_ = true;  // no ACK asked for
  return done_;
}

}  // namespace vnet::nl
