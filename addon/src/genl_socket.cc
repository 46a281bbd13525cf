#include "genl_socket.h"

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "syserror.h"

// <linux/netlink.h> from 4.20
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

namespace vnet::nl {

namespace {

using Clock = std::chrono::steady_clock;

SysError Interrupted(const ErrorContext& ctx) {
  return SysError(EINTR, ctx.syscall, ctx.ifname, {},
                  "interrupted by a signal while waiting for the kernel");
}

}  // namespace

NlSocket::NlSocket(int protocol) {
  auto io = std::make_unique<SocketIo>(protocol, kReplyTimeoutMs);
  pid_ = io->port_id();
  io_ = std::move(io);
}

NlSocket::NlSocket(std::unique_ptr<Io> io, uint32_t pid) : io_(std::move(io)), pid_(pid) {}

void NlSocket::AddMembership(uint32_t group) {
  const char* call = "setsockopt(NETLINK_ADD_MEMBERSHIP)";
  if (!is_open()) throw SysError(EBADF, call, {}, {}, "socket is closed");
  if (int err = io_->SetOption(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group)) {
    ThrowErrno(err, call);
  }
}

void NlSocket::SetRcvBuf(int bytes) {
  if (int err = io_->SetOption(SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes)) {
    ThrowErrno(err, "setsockopt(SO_RCVBUF)");
  }
}

bool NlSocket::SetStrictCheck() {
  int on = 1;
  int err = io_->SetOption(SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof on);
  if (err == ENOPROTOOPT) return false;
  if (err) ThrowErrno(err, "setsockopt(NETLINK_GET_STRICT_CHK)");
  return true;
}

uint32_t NlSocket::Send(MsgBuilder& req, const ErrorContext& ctx, const Expect& expect) {
  if (!is_open()) throw SysError(EBADF, ctx.syscall, ctx.ifname, {}, "socket is closed");
  FinishAbandonedDump(ctx);
  if (++seq_ == 0) ++seq_;
  uint16_t flags = NLM_F_REQUEST;
  if (expect.dump) {
    flags |= NLM_F_DUMP;  // ends with NLMSG_DONE: no ACK
  } else if (expect.ack) {
    flags |= NLM_F_ACK;
  }
  req.AddFlags(flags);
  const std::vector<uint8_t>& bytes = req.Finish(seq_, pid_);
  for (;;) {
    int err = io_->Send(bytes.data(), bytes.size());
    if (err == 0) return seq_;
    if (err == EINTR) {
      if (retry_eintr_) continue;
      throw Interrupted(ctx);
    }
    ThrowErrno(err, ctx.syscall, ctx.ifname);
  }
}

void NlSocket::QueueMulticast(const Datagram& d, const ErrorContext& ctx) {
  if (d.truncated) {  // too large to read: as good as dropped by the kernel
    ++events_lost_;
    return;
  }
  for (const struct nlmsghdr* h : SplitDatagram(d.data, d.len, ctx.syscall)) {
    if (mcast_.size() >= kMaxQueuedMulticast) {
      mcast_.pop_front();
      ++events_lost_;
    }
    mcast_.emplace_back(h);
  }
}

void NlSocket::Collect(ReplyCollector& c, const ErrorContext& ctx, bool dump) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(kReplyTimeoutMs);
  bool overrun = false;
  while (!c.done()) {
    int err = io_->Recv(overrun ? 0 : kWaitSocketTimeout, &batch_);
    if (err == ENOBUFS) {
      ++events_lost_;
      overrun = true;
      continue;
    }
    if (err == EINTR) {
      if (retry_eintr_ && Clock::now() < deadline) continue;
      if (!retry_eintr_) throw Interrupted(ctx);
      err = EAGAIN;
    }
    if (err == EAGAIN || err == EWOULDBLOCK) {
      if (!overrun) {
        throw SysError(ETIMEDOUT, ctx.syscall, ctx.ifname, {}, "no reply from the kernel");
      }
      // Overrun, and nothing more queued: a request whose reply came but
      // whose ACK was dropped did succeed (the kernel acks only after the
      // reply is queued); otherwise the answer was dropped.
      if (!dump && !c.answer().replies.empty()) return;
      throw SysError(ENOBUFS, ctx.syscall, ctx.ifname, {},
                     "the reply was lost: the socket's receive queue overflowed "
                     "(too many events queued on it)");
    }
    if (err) ThrowErrno(err, ctx.syscall, ctx.ifname);

    for (const Datagram& d : batch_) {
      if (d.sender != 0) continue;  // not from the kernel
      if (d.groups) {
        QueueMulticast(d, ctx);
        continue;
      }
      if (c.done()) continue;  // e.g. an ACK after a dump's NLMSG_DONE
      if (d.truncated) {
        // Its first header survived: an earlier request's answer is stale
        // like any other; ours is an error, not a silent cut.
        uint32_t seq;
        if (d.len >= NLMSG_HDRLEN &&
            (std::memcpy(&seq, d.data + offsetof(struct nlmsghdr, nlmsg_seq), sizeof seq),
             seq != c.seq())) {
          continue;
        }
        throw SysError(EMSGSIZE, ctx.syscall, ctx.ifname, {},
                       "a reply of " + std::to_string(d.full_len) +
                           " bytes does not fit the receive buffer (" +
                           std::to_string(SocketIo::kMaxDatagram) + " bytes)");
      }
      for (const struct nlmsghdr* h : SplitDatagram(d.data, d.len, ctx.syscall)) {
        if (c.Feed(h)) break;
      }
    }
    if (!c.done() && Clock::now() >= deadline) {
      throw SysError(ETIMEDOUT, ctx.syscall, ctx.ifname, {}, "no reply from the kernel");
    }
  }
}

void NlSocket::CollectOrAbandon(ReplyCollector& c, uint32_t seq, const ErrorContext& ctx,
                                bool dump) {
  try {
    Collect(c, ctx, dump);
  } catch (const SysError& e) {
    if (dump && e.err() == EINTR) abandoned_dump_ = seq;
    throw;
  }
}

void NlSocket::FinishAbandonedDump(const ErrorContext& ctx) {
  if (!abandoned_dump_) return;
  Expect rest;
  rest.dump = true;
  ReplyCollector c(abandoned_dump_, pid_, rest, ctx);
  try {
    Collect(c, ctx, true);
  } catch (const SysError& e) {
    if (e.err() == EINTR) throw;  // still abandoned: next time
    // how the old dump ended is of no interest now
  }
  abandoned_dump_ = 0;
}

Answer NlSocket::Await(uint32_t seq, const ErrorContext& ctx, Expect expect) {
  ReplyCollector c(seq, pid_, expect, ctx);
  CollectOrAbandon(c, seq, ctx, expect.dump);
  if (c.interrupted()) {
    throw SysError(EAGAIN, ctx.syscall, ctx.ifname, {},
                   "the dump was interrupted by concurrent changes (NLM_F_DUMP_INTR)");
  }
  return std::move(c.answer());
}

Answer NlSocket::Request(MsgBuilder& req, const ErrorContext& ctx, Expect expect) {
  for (int attempt = 1;; ++attempt) {
    uint32_t seq = Send(req, ctx, expect);
    ReplyCollector c(seq, pid_, expect, ctx);
    CollectOrAbandon(c, seq, ctx, expect.dump);
    if (!c.interrupted()) return std::move(c.answer());
    if (attempt == kDumpAttempts) {
      throw SysError(EAGAIN, ctx.syscall, ctx.ifname, {},
                     "the dump was interrupted by concurrent changes " +
                         std::to_string(kDumpAttempts) +
                         " times in a row (NLM_F_DUMP_INTR); try again");
    }
  }
}

std::vector<Message> NlSocket::Transact(MsgBuilder& req, const ErrorContext& ctx) {
  Expect expect;
  expect.dump = (req.flags() & NLM_F_DUMP) == NLM_F_DUMP;
  return std::move(Request(req, ctx, expect).replies);
}

std::optional<Message> NlSocket::NextMulticast(int timeout_ms, const ErrorContext& ctx) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (!mcast_.empty()) {
      Message m = std::move(mcast_.front());
      mcast_.pop_front();
      return m;
    }
    if (!is_open()) throw SysError(EBADF, ctx.syscall, ctx.ifname, {}, "socket is closed");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                    .count();
    int err = io_->Recv(left > 0 ? static_cast<int>(left) : 0, &batch_);
    if (err == ENOBUFS) {
      ++events_lost_;
      continue;
    }
    if (err == EINTR) {
      if (retry_eintr_) continue;
      throw Interrupted(ctx);
    }
    if (err == EAGAIN || err == EWOULDBLOCK) {
      if (Clock::now() >= deadline) return std::nullopt;
      continue;
    }
    if (err) ThrowErrno(err, ctx.syscall, ctx.ifname);
    for (const Datagram& d : batch_) {
      if (d.sender != 0) continue;
      if (d.groups) {
        QueueMulticast(d, ctx);
      } else if (abandoned_dump_ && !d.truncated) {
        // A late answer to a request that was given up: dropped, but the
        // end of an abandoned dump means there is nothing left to drain.
        for (const struct nlmsghdr* h : SplitDatagram(d.data, d.len, ctx.syscall)) {
          if (h->nlmsg_seq == abandoned_dump_ &&
              (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)) {
            abandoned_dump_ = 0;
          }
        }
      }
    }
  }
}

}  // namespace vnet::nl
