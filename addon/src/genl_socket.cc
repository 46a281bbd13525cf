#include "genl_socket.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "syserror.h"

namespace vnet::nl {

namespace {

// How long a request may wait for the kernel's answer.
constexpr int kReplyTimeoutMs = 10000;
// Multicast messages kept while nobody calls NextMulticast.
constexpr size_t kMaxQueuedMulticast = 4096;

[[noreturn]] void Malformed(const std::string& context) {
  throw SysError(EPROTO, context, {}, {}, "malformed netlink message");
}

}  // namespace

// ---------------------------------------------------------------- builder

MsgBuilder::MsgBuilder(uint16_t type, uint16_t flags) {
  struct nlmsghdr h;
  std::memset(&h, 0, sizeof h);
  h.nlmsg_type = type;
  h.nlmsg_flags = flags;
  Append(&h, sizeof h);
}

void MsgBuilder::Append(const void* data, size_t len) {
  size_t off = buf_.size();
  buf_.resize(NLMSG_ALIGN(off + len), 0);
  if (len) std::memcpy(buf_.data() + off, data, len);
}

void MsgBuilder::PutGenlHeader(uint8_t cmd, uint8_t version) {
  struct genlmsghdr g;
  std::memset(&g, 0, sizeof g);
  g.cmd = cmd;
  g.version = version;
  Append(&g, sizeof g);
}

void MsgBuilder::PutRaw(const void* data, size_t len) { Append(data, len); }

void MsgBuilder::PutAttr(uint16_t type, const void* data, size_t len) {
  if (NLA_HDRLEN + len > 0xffff) {
    throw SysError(EMSGSIZE, "nla_put", {}, {},
                   "attribute " + std::to_string(type) + " too long (" +
                       std::to_string(len) + " bytes)");
  }
  struct nlattr a;
  a.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  a.nla_type = type;
  size_t off = buf_.size();
  buf_.resize(off + NLA_HDRLEN + NLA_ALIGN(len), 0);
  std::memcpy(buf_.data() + off, &a, sizeof a);
  if (len) std::memcpy(buf_.data() + off + NLA_HDRLEN, data, len);
}

void MsgBuilder::PutString(uint16_t type, const std::string& s) {
  PutAttr(type, s.c_str(), s.size() + 1);
}

size_t MsgBuilder::BeginNested(uint16_t type) {
  size_t off = buf_.size();
  PutAttr(type | NLA_F_NESTED, nullptr, 0);
  return off;
}

void MsgBuilder::EndNested(size_t offset) {
  size_t len = buf_.size() - offset;
  if (len > 0xffff) throw SysError(EMSGSIZE, "nla_nest_end");
  uint16_t l = static_cast<uint16_t>(len);
  std::memcpy(buf_.data() + offset, &l, sizeof l);
}

uint16_t MsgBuilder::type() const {
  return reinterpret_cast<const struct nlmsghdr*>(buf_.data())->nlmsg_type;
}

void MsgBuilder::AddFlags(uint16_t flags) {
  reinterpret_cast<struct nlmsghdr*>(buf_.data())->nlmsg_flags |= flags;
}

uint16_t MsgBuilder::flags() const {
  return reinterpret_cast<const struct nlmsghdr*>(buf_.data())->nlmsg_flags;
}

const std::vector<uint8_t>& MsgBuilder::Finish(uint32_t seq, uint32_t pid) {
  auto* h = reinterpret_cast<struct nlmsghdr*>(buf_.data());
  h->nlmsg_len = static_cast<uint32_t>(buf_.size());
  h->nlmsg_seq = seq;
  h->nlmsg_pid = pid;
  return buf_;
}

// ----------------------------------------------------------------- parser

Message::Message(const struct nlmsghdr* h)
    : data_(reinterpret_cast<const uint8_t*>(h),
            reinterpret_cast<const uint8_t*>(h) + h->nlmsg_len) {}

const struct nlmsghdr* Message::hdr() const {
  return reinterpret_cast<const struct nlmsghdr*>(data_.data());
}

const uint8_t* Message::payload() const { return data_.data() + NLMSG_HDRLEN; }

size_t Message::payload_len() const {
  return data_.size() >= NLMSG_HDRLEN ? data_.size() - NLMSG_HDRLEN : 0;
}

uint8_t Message::genl_cmd() const {
  if (payload_len() < GENL_HDRLEN) Malformed("genlmsghdr");
  return reinterpret_cast<const struct genlmsghdr*>(payload())->cmd;
}

const uint8_t* Message::attrs(size_t family_hdr_len) const {
  return payload() + NLMSG_ALIGN(family_hdr_len);
}

size_t Message::attrs_len(size_t family_hdr_len) const {
  size_t h = NLMSG_ALIGN(family_hdr_len);
  if (payload_len() < h) Malformed("netlink family header");
  return payload_len() - h;
}

std::vector<const struct nlattr*> Attrs::All(const uint8_t* data, size_t len) {
  std::vector<const struct nlattr*> out;
  while (len >= NLA_HDRLEN) {
    const auto* a = reinterpret_cast<const struct nlattr*>(data);
    if (a->nla_len < NLA_HDRLEN || a->nla_len > len) break;
    out.push_back(a);
    size_t step = NLA_ALIGN(a->nla_len);
    if (step >= len) break;
    data += step;
    len -= step;
  }
  return out;
}

const uint8_t* Attrs::Payload(const struct nlattr* a) {
  return reinterpret_cast<const uint8_t*>(a) + NLA_HDRLEN;
}

size_t Attrs::PayloadLen(const struct nlattr* a) { return a->nla_len - NLA_HDRLEN; }

Attrs::Attrs(const uint8_t* data, size_t len, uint16_t maxtype)
    : index_(static_cast<size_t>(maxtype) + 1, nullptr) {
  for (const struct nlattr* a : All(data, len)) {
    uint16_t type = a->nla_type & NLA_TYPE_MASK;
    if (type <= maxtype) index_[type] = a;
  }
}

Attrs::Attrs(const Message& m, size_t family_hdr_len, uint16_t maxtype)
    : Attrs(m.attrs(family_hdr_len), m.attrs_len(family_hdr_len), maxtype) {}

bool Attrs::Has(uint16_t type) const { return Get(type) != nullptr; }

const struct nlattr* Attrs::Get(uint16_t type) const {
  return type < index_.size() ? index_[type] : nullptr;
}

const uint8_t* Attrs::Need(uint16_t type, size_t len) const {
  const struct nlattr* a = Get(type);
  if (!a) return nullptr;
  if (PayloadLen(a) < len) {
    Malformed(context_ + " " + std::to_string(type) + " (" +
              std::to_string(PayloadLen(a)) + " bytes, need " +
              std::to_string(len) + ")");
  }
  return Payload(a);
}

template <typename T>
static std::optional<T> Read(const uint8_t* p) {
  if (!p) return std::nullopt;
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::optional<uint16_t> Attrs::U16(uint16_t t) const { return Read<uint16_t>(Need(t, 2)); }
std::optional<uint32_t> Attrs::U32(uint16_t t) const { return Read<uint32_t>(Need(t, 4)); }
std::optional<int32_t> Attrs::S32(uint16_t t) const { return Read<int32_t>(Need(t, 4)); }
std::optional<uint64_t> Attrs::U64(uint16_t t) const { return Read<uint64_t>(Need(t, 8)); }

std::optional<std::string> Attrs::Str(uint16_t type) const {
  const struct nlattr* a = Get(type);
  if (!a) return std::nullopt;
  const char* p = reinterpret_cast<const char*>(Payload(a));
  return std::string(p, strnlen(p, PayloadLen(a)));
}

std::optional<Attrs> Attrs::Nested(uint16_t type, uint16_t maxtype) const {
  const struct nlattr* a = Get(type);
  if (!a) return std::nullopt;
  Attrs n(Payload(a), PayloadLen(a), maxtype);
  n.context_ = context_;
  return n;
}

// ----------------------------------------------------------------- extack

std::string ExtackMessage(const struct nlmsghdr* h) {
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS)) return {};
  const uint8_t* base = reinterpret_cast<const uint8_t*>(h);
  size_t total = h->nlmsg_len;
  size_t off = NLMSG_HDRLEN;
  if (h->nlmsg_type == NLMSG_ERROR) {
    if (total < off + sizeof(struct nlmsgerr)) return {};
    const auto* e = reinterpret_cast<const struct nlmsgerr*>(base + off);
    off += sizeof(struct nlmsgerr);
    if (!(h->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN) {
      off += e->msg.nlmsg_len - NLMSG_HDRLEN;  // the echoed request body
    }
  } else {  // NLMSG_DONE: an int error, then the TLVs
    off += sizeof(int);
  }
  off = NLMSG_ALIGN(off);
  if (off >= total) return {};
  Attrs a(base + off, total - off, NLMSGERR_ATTR_MAX);
  if (auto msg = a.Str(NLMSGERR_ATTR_MSG)) {
    if (!msg->empty()) return *msg;
  }
  if (auto miss = a.U32(NLMSGERR_ATTR_MISS_TYPE)) {
    return "missing required attribute " + std::to_string(*miss);
  }
  return {};
}

// ----------------------------------------------------------------- socket

NlSocket::NlSocket(int protocol) {
  CountSyscall();
  fd_.reset(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
  if (!fd_) ThrowErrno("socket(AF_NETLINK)");

  struct sockaddr_nl sa;
  std::memset(&sa, 0, sizeof sa);
  sa.nl_family = AF_NETLINK;
  CountSyscall();
  if (::bind(fd_.get(), reinterpret_cast<struct sockaddr*>(&sa), sizeof sa) < 0) {
    ThrowErrno("bind(AF_NETLINK)");
  }
  socklen_t salen = sizeof sa;
  CountSyscall();
  if (::getsockname(fd_.get(), reinterpret_cast<struct sockaddr*>(&sa), &salen) < 0) {
    ThrowErrno("getsockname(AF_NETLINK)");
  }
  pid_ = sa.nl_pid;

  // Extended acks (the kernel's error text) and capped acks (the error
  // does not echo our whole request).  Both are optional for the kernel
  // (4.12 / 4.3); without them errors still work, just without the text.
  int one = 1;
  CountSyscall();
  (void)::setsockopt(fd_.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  CountSyscall();
  (void)::setsockopt(fd_.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);

  buf_.resize(32768);
}

bool NlSocket::RecvDatagram(int timeout_ms, bool* multicast, size_t* len,
                            const ErrorContext& ctx) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - Clock::now()).count();
    if (left < 0) left = 0;
    struct pollfd p = {fd_.get(), POLLIN, 0};
    CountSyscall();
    int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowErrno("poll", ctx.ifname);
    }
    if (n == 0) return false;

    // Learn the datagram's size first, so nothing is ever truncated.
    CountSyscall();
    ssize_t want = ::recv(fd_.get(), buf_.data(), 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    if (want < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == ENOBUFS) {
        throw SysError(ENOBUFS, "recvmsg(AF_NETLINK)", ctx.ifname, {},
                       "netlink socket overrun: messages were lost");
      }
      ThrowErrno("recvmsg(AF_NETLINK)", ctx.ifname);
    }
    if (static_cast<size_t>(want) > buf_.size()) buf_.resize(static_cast<size_t>(want));

    struct sockaddr_nl sa;
    std::memset(&sa, 0, sizeof sa);
    struct iovec iov = {buf_.data(), buf_.size()};
    struct msghdr mh;
    std::memset(&mh, 0, sizeof mh);
    mh.msg_name = &sa;
    mh.msg_namelen = sizeof sa;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    CountSyscall();
    ssize_t got = ::recvmsg(fd_.get(), &mh, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == ENOBUFS) {
        throw SysError(ENOBUFS, "recvmsg(AF_NETLINK)", ctx.ifname, {},
                       "netlink socket overrun: messages were lost");
      }
      ThrowErrno("recvmsg(AF_NETLINK)", ctx.ifname);
    }
    if (mh.msg_flags & MSG_TRUNC) {
      throw SysError(EMSGSIZE, "recvmsg(AF_NETLINK)", ctx.ifname, {},
                     "netlink message truncated");
    }
    if (sa.nl_pid != 0) continue;  // not from the kernel: ignore
    *multicast = sa.nl_groups != 0;
    *len = static_cast<size_t>(got);
    return true;
  }
}

std::vector<Message> NlSocket::Transact(MsgBuilder& req, const ErrorContext& ctx) {
  if (!fd_) throw SysError(EBADF, ctx.syscall, ctx.ifname, {}, "socket is closed");
  if (++seq_ == 0) ++seq_;
  const uint32_t seq = seq_;
  req.AddFlags(NLM_F_REQUEST | NLM_F_ACK);
  const std::vector<uint8_t>& bytes = req.Finish(seq, pid_);

  struct sockaddr_nl kernel;
  std::memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  for (;;) {
    CountSyscall();
    ssize_t n = ::sendto(fd_.get(), bytes.data(), bytes.size(), 0,
                         reinterpret_cast<struct sockaddr*>(&kernel), sizeof kernel);
    if (n >= 0) break;
    if (errno == EINTR) continue;
    ThrowErrno(ctx.syscall, ctx.ifname);
  }

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(kReplyTimeoutMs);
  std::vector<Message> replies;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - Clock::now()).count();
    bool multicast = false;
    size_t len = 0;
    if (left <= 0 || !RecvDatagram(static_cast<int>(left), &multicast, &len, ctx)) {
      throw SysError(ETIMEDOUT, ctx.syscall, ctx.ifname, {}, "no reply from the kernel");
    }
    bool done = false;
    size_t rem = len;
    for (auto* h = reinterpret_cast<const struct nlmsghdr*>(buf_.data());
         NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
      if (multicast) {
        if (mcast_.size() >= kMaxQueuedMulticast) mcast_.pop_front();
        mcast_.emplace_back(h);
        continue;
      }
      if (h->nlmsg_seq != seq || h->nlmsg_pid != pid_) continue;  // stale
      switch (h->nlmsg_type) {
        case NLMSG_NOOP:
          break;
        case NLMSG_ERROR: {
          if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) Malformed(ctx.syscall);
          const auto* e = static_cast<const struct nlmsgerr*>(NLMSG_DATA(h));
          if (e->error != 0) {
            throw SysError(-e->error, ctx.syscall, ctx.ifname, ExtackMessage(h));
          }
          done = true;  // the ACK
          break;
        }
        case NLMSG_DONE: {
          if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
            int err;
            std::memcpy(&err, NLMSG_DATA(h), sizeof err);
            if (err < 0) throw SysError(-err, ctx.syscall, ctx.ifname, ExtackMessage(h));
          }
          done = true;
          break;
        }
        case NLMSG_OVERRUN:
          throw SysError(EOVERFLOW, ctx.syscall, ctx.ifname, {}, "netlink overrun");
        default:
          replies.emplace_back(h);
          break;
      }
    }
    if (done) return replies;
  }
}

void NlSocket::AddMembership(uint32_t group) {
  if (!fd_) throw SysError(EBADF, "setsockopt(NETLINK_ADD_MEMBERSHIP)", {}, {}, "socket is closed");
  CountSyscall();
  if (::setsockopt(fd_.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) {
    ThrowErrno("setsockopt(NETLINK_ADD_MEMBERSHIP)");
  }
}

std::optional<Message> NlSocket::NextMulticast(int timeout_ms, const ErrorContext& ctx) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (!mcast_.empty()) {
      Message m = std::move(mcast_.front());
      mcast_.pop_front();
      return m;
    }
    if (!fd_) throw SysError(EBADF, ctx.syscall, ctx.ifname, {}, "socket is closed");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - Clock::now()).count();
    if (left < 0) left = 0;
    // Wait here rather than in RecvDatagram, which retries EINTR: a signal
    // ends this wait with SysError(EINTR), so that the JS caller regains
    // control and its signal handlers run (an event wait can be long).
    struct pollfd p = {fd_.get(), POLLIN, 0};
    CountSyscall();
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0) ThrowErrno("poll", ctx.ifname);
    if (ready == 0) return std::nullopt;
    bool multicast = false;
    size_t len = 0;
    if (!RecvDatagram(0, &multicast, &len, ctx)) continue;
    if (!multicast) continue;  // a late reply to an abandoned request
    size_t rem = len;
    for (auto* h = reinterpret_cast<const struct nlmsghdr*>(buf_.data());
         NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
      if (mcast_.size() >= kMaxQueuedMulticast) mcast_.pop_front();
      mcast_.emplace_back(h);
    }
  }
}

// ------------------------------------------------------- genl family (nlctrl)

namespace {

GenlFamily ParseFamily(const Message& m) {
  Attrs a(m, GENL_HDRLEN, CTRL_ATTR_MAX);
  a.set_context("nlctrl attribute");
  GenlFamily f;
  f.name = a.Str(CTRL_ATTR_FAMILY_NAME).value_or("");
  f.id = a.U16(CTRL_ATTR_FAMILY_ID).value_or(0);
  f.version = a.U32(CTRL_ATTR_VERSION).value_or(0);
  f.hdrsize = a.U32(CTRL_ATTR_HDRSIZE).value_or(0);
  f.maxattr = a.U32(CTRL_ATTR_MAXATTR).value_or(0);
  if (const struct nlattr* groups = a.Get(CTRL_ATTR_MCAST_GROUPS)) {
    for (const struct nlattr* g :
         Attrs::All(Attrs::Payload(groups), Attrs::PayloadLen(groups))) {
      Attrs ga(Attrs::Payload(g), Attrs::PayloadLen(g), CTRL_ATTR_MCAST_GRP_MAX);
      auto name = ga.Str(CTRL_ATTR_MCAST_GRP_NAME);
      auto id = ga.U32(CTRL_ATTR_MCAST_GRP_ID);
      if (name && id) f.groups[*name] = *id;
    }
  }
  if (f.id == 0) Malformed("nlctrl reply without CTRL_ATTR_FAMILY_ID");
  return f;
}

}  // namespace

GenlFamily ResolveFamily(NlSocket& sock, const std::string& name) {
  MsgBuilder req(GENL_ID_CTRL, 0);
  req.PutGenlHeader(CTRL_CMD_GETFAMILY, 1);
  req.PutString(CTRL_ATTR_FAMILY_NAME, name);
  std::vector<Message> replies;
  try {
    replies = sock.Transact(req, {"genl_ctrl_resolve", {}});
  } catch (const SysError& e) {
    if (e.err() != ENOENT) throw;
    throw SysError(ENOENT, e.syscall(), {}, e.extack(),
                   "generic netlink family '" + name + "' is not registered");
  }
  for (const Message& m : replies) {
    if (m.type() == GENL_ID_CTRL) return ParseFamily(m);
  }
  throw SysError(EPROTO, "genl_ctrl_resolve", {}, {}, "nlctrl sent no family");
}

std::vector<GenlFamily> DumpFamilies(NlSocket& sock) {
  MsgBuilder req(GENL_ID_CTRL, NLM_F_DUMP);
  req.PutGenlHeader(CTRL_CMD_GETFAMILY, 1);
  std::vector<GenlFamily> out;
  for (const Message& m : sock.Transact(req, {"genl CTRL_CMD_GETFAMILY", {}})) {
    if (m.type() == GENL_ID_CTRL) out.push_back(ParseFamily(m));
  }
  return out;
}

}  // namespace vnet::nl
