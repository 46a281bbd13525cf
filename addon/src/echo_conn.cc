// The socket behind an EchoSocket: see echo_conn.h.
#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include "echo_conn.h"

#include <linux/genetlink.h>
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "genl_socket.h"
#include "nl_io.h"
#include "nl_message.h"
#include "nl_reply.h"

namespace vnet {

namespace {

constexpr const char* kEcho = "genl VNET_CMD_ECHO";

int64_t NowNs() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

EchoConn::EchoConn() {
  // The family id (and "is the module loaded?") through the shared resolver.
  {
    nl::NlSocket ctrl(NETLINK_GENERIC);
    try {
      family_ = nl::ResolveFamily(ctrl, VNET_GENL_NAME).id;
    } catch (const SysError& e) {
      if (e.err() != ENOENT) throw;
      throw SysError(ENOENT, e.syscall(), {}, e.extack(),
                     "generic netlink family '" VNET_GENL_NAME
                     "' is not registered: is the vnet module loaded?");
    }
  }
  fd_ = nl::OpenNetlink(NETLINK_GENERIC, &pid_);
  buf_.resize(kBatch * kSlot);
}

std::vector<uint32_t> EchoConn::SendMany(const std::string& message, unsigned count) {
  CheckOpen();
  // No NLM_F_ACK: a success is the ECHO reply alone, an error NLMSG_ERROR.
  nl::MsgBuilder req(family_, NLM_F_REQUEST);
  req.PutGenlHeader(VNET_CMD_ECHO, VNET_GENL_VERSION);
  req.PutString(VNET_ATTR_MSG, message);
  std::vector<uint32_t> seqs;
  out_.clear();
  for (unsigned i = 0; i < count; i++) {
    if (++seq_ == 0) ++seq_;
    const std::vector<uint8_t>& bytes = req.Finish(seq_, pid_);  // (4-byte aligned)
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    seqs.push_back(seq_);
  }
  struct sockaddr_nl kernel;
  std::memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  for (;;) {
    CountSyscall();
    ssize_t n = ::sendto(fd_.get(), out_.data(), out_.size(), 0,
                         reinterpret_cast<struct sockaddr*>(&kernel), sizeof kernel);
    if (n >= 0) return seqs;
    if (errno != EINTR) ThrowErrno(kEcho);
  }
}

std::optional<EchoReply> EchoConn::Receive(int timeout_ms) {
  CheckOpen();
  while (queue_.empty()) {
    if (ReadBatch()) continue;  // (datagrams with no reply in them: read on)
    if (timeout_ms == 0) return std::nullopt;
    struct pollfd p = {fd_.get(), POLLIN, 0};
    CountSyscall();
    int n = ::poll(&p, 1, timeout_ms);
    if (n < 0) ThrowErrno("poll");  // EINTR included: see echo_conn.h
    if (n == 0) return std::nullopt;
    timeout_ms = 0;  // whatever arrived is read next: do not wait twice
  }
  EchoReply r = std::move(queue_.front());
  queue_.pop_front();
  return r;
}

unsigned EchoConn::ReadBatch() {
  nl::PrepareRecv(msgs_, iov_, from_, buf_.data(), kBatch, kSlot);
  CountSyscall();
  int n = ::recvmmsg(fd_.get(), msgs_, kBatch, MSG_DONTWAIT | MSG_TRUNC, nullptr);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
    ThrowErrno("recvmmsg(AF_NETLINK)");
  }
  for (int i = 0; i < n; i++) {
    if (from_[i].nl_pid != 0) continue;  // not from the kernel
    size_t len = msgs_[i].msg_len;
    if ((msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) || len > kSlot) {
      throw SysError(EMSGSIZE, "recvmmsg(AF_NETLINK)", {}, {},
                     "an echo reply of " + std::to_string(len) + " bytes (at most " +
                         std::to_string(kSlot) + ")");
    }
    Parse(buf_.data() + static_cast<size_t>(i) * kSlot, len);
  }
  return static_cast<unsigned>(n);
}

void EchoConn::Parse(const uint8_t* data, size_t len) {
  size_t off = 0;
  while (len - off >= NLMSG_HDRLEN) {
    const auto* h = reinterpret_cast<const struct nlmsghdr*>(data + off);
    if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off) {
      throw SysError(EPROTO, kEcho, {}, {}, "malformed netlink message");
    }
    Handle(h);
    size_t step = NLMSG_ALIGN(h->nlmsg_len);
    if (step >= len - off) break;
    off += step;
  }
}

void EchoConn::Handle(const struct nlmsghdr* h) {
  if (h->nlmsg_pid != pid_) return;
  if (h->nlmsg_type == NLMSG_ERROR) {
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
      throw SysError(EPROTO, kEcho, {}, {}, "malformed netlink message");
    }
    struct nlmsgerr e;
    std::memcpy(&e, NLMSG_DATA(h), sizeof e);
    if (e.error == 0) return;  // an ACK: none was asked for
    EchoReply r;
    r.seq = h->nlmsg_seq;
    r.error = SysError(-e.error, kEcho, {}, nl::ExtackMessage(h));
    queue_.push_back(std::move(r));
    return;
  }
  if (h->nlmsg_type != family_) return;
  nl::Message m(h);
  if (m.payload_len() < GENL_HDRLEN || m.genl_cmd() != VNET_CMD_ECHO) return;
  nl::Attrs a(m, GENL_HDRLEN, VNET_ATTR_MAX);
  a.set_context("vnet_nl attribute");
  EchoReply r;
  r.seq = h->nlmsg_seq;
  if (std::optional<std::string> msg = a.Str(VNET_ATTR_MSG)) {
    r.message = *msg;
  } else {
    r.error = SysError(EPROTO, kEcho, {}, {}, "echo reply without VNET_ATTR_MSG");
  }
  queue_.push_back(std::move(r));
}

void EchoConn::CheckOpen() const {
  if (!fd_) throw SysError(EBADF, kEcho, {}, {}, "EchoSocket is closed");
}

void EchoConn::Take(EchoReply& r, const std::string& message, int64_t now, bool details,
                    FloodStep& st) {
  // Replies come in the order of their requests: the oldest is the one,
  // unless it was given up (a late reply to it is dropped here).
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const Pending& p) { return p.kseq == r.seq; });
  if (it == pending_.end()) return;
  const uint32_t seq = it->seq;
  const double rtt = static_cast<double>(now - it->sent_ns);
  pending_.erase(it);
  if (r.error || !r.message || *r.message != message) {
    st.failures.push_back({seq, std::move(r.message), std::move(r.error)});
    return;
  }
  if (st.rtt_count == 0 || rtt < st.rtt_min) st.rtt_min = rtt;
  if (st.rtt_count == 0 || rtt > st.rtt_max) st.rtt_max = rtt;
  st.rtt_count++;
  st.rtt_sum += rtt;
  st.rtt_sum_sq += rtt * rtt;
  st.received++;
  if (details) {
    st.details.push_back(seq);
    st.details.push_back(rtt);
  }
}

FloodStep EchoConn::Flood(const std::string& message, const FloodOptions& opt) {
  CheckOpen();
  FloodStep st;
  const int64_t start = NowNs();
  const int64_t end = start + static_cast<int64_t>(opt.max_ms) * 1000000;
  auto ended = [&] { return st.received + st.expired + st.failures.size(); };
  for (;;) {
    int64_t now = NowNs();
    while (!pending_.empty() && now - pending_.front().sent_ns >= opt.timeout_ns) {
      pending_.pop_front();
      st.expired++;
    }
    uint64_t room = opt.window > pending_.size() ? opt.window - pending_.size() : 0;
    uint64_t n = std::min<uint64_t>({room, opt.budget - st.sent, kMaxBatch});
    if (n > 0) {
      std::vector<uint32_t> kseqs = SendMany(message, static_cast<unsigned>(n));
      if (st.sent == 0) st.first_seq = flood_seq_ + 1;
      for (uint32_t k : kseqs) pending_.push_back({k, ++flood_seq_, now});
      st.sent += static_cast<uint32_t>(n);
    }
    while (ReadBatch() == kBatch) {  // (fewer: the queue is empty)
    }
    if (queue_.empty()) {
      if (pending_.empty() || now >= end) break;
      int64_t until = std::min(end, pending_.front().sent_ns + opt.timeout_ns);
      int wait_ms = static_cast<int>(std::max<int64_t>(1, (until - now + 999999) / 1000000));
      struct pollfd p = {fd_.get(), POLLIN, 0};
      CountSyscall();
      int r = ::poll(&p, 1, wait_ms);
      if (r < 0) {
        if (errno != EINTR) ThrowErrno("poll");
        st.interrupted = true;  // what was done is returned: JS runs its handlers
        break;
      }
      continue;
    }
    now = NowNs();
    for (EchoReply& r : queue_) Take(r, message, now, opt.details, st);
    queue_.clear();
    if (ended() >= opt.max_replies || now >= end) break;
  }
  st.inflight = static_cast<uint32_t>(pending_.size());
  return st;
}

}  // namespace vnet
