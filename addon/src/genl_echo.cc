// EchoSocket (openEcho()): VNET_CMD_ECHO with several requests in flight,
// for vnet-echo.  send() returns at once with the request's sequence
// number, sendMany() sends several in one datagram and returns theirs;
// receive(timeoutMs) waits for the next reply.  Unlike the
// GenlSocket's request/reply calls, the wait is the caller's: a timeout
// returns null, and a signal delivered to this thread ends the wait with
// a VnetSystemError whose code is EINTR, so that JS gets control back
// and its SIGINT/SIGTERM handlers can run (Node only runs them from its
// event loop; a wait that retried EINTR would hold them off).
//
// Its own socket, fd owned by Fd; every datagram is length-checked before
// a message in it is read.
#include <net/if.h>
// After glibc's <net/if.h>.
#include <linux/vnet.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "fd.h"
#include "genl_socket.h"
#include "syserror.h"

namespace vnet {

namespace {

constexpr const char* kEcho = "genl VNET_CMD_ECHO";

struct Reply {
  uint32_t seq = 0;
  std::optional<std::string> message;  // the echoed text, or
  std::optional<SysError> error;       // the kernel's error for that request
};

class EchoConn {
 public:
  EchoConn() {
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
    CountSyscall();
    fd_.reset(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
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
    int one = 1;
    CountSyscall();
    (void)::setsockopt(fd_.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    CountSyscall();
    (void)::setsockopt(fd_.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    buf_.resize(kBatch * kSlot);
  }

  bool open() const { return fd_.valid(); }
  void Close() { fd_.reset(); }

  // The most requests SendMany puts in one datagram: their replies must
  // fit the socket's receive buffer until they are read.
  static constexpr unsigned kMaxBatch = 16;

  // COUNT requests for MESSAGE in one datagram: the kernel takes the
  // messages of a datagram one after the other and answers each, so a
  // batch costs one sendto where COUNT sends cost COUNT (the kernel's work
  // per request stays).  Returns their sequence numbers, in order.
  std::vector<uint32_t> SendMany(const std::string& message, unsigned count) {
    if (!fd_) throw SysError(EBADF, kEcho, {}, {}, "EchoSocket is closed");
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

  uint32_t Send(const std::string& message) { return SendMany(message, 1).front(); }

  // The next reply; nullopt after timeout_ms without one.  EINTR when a
  // signal interrupted the wait.  Replies already queued are taken first,
  // up to kBatch datagrams per recvmmsg and no poll: the kernel answers in
  // the sender's context, so with requests in flight (vnet-echo -f) they
  // are there by the time send() returns, and receive() mostly pops the
  // local queue without a system call.
  std::optional<Reply> Receive(int timeout_ms) {
    if (!fd_) throw SysError(EBADF, kEcho, {}, {}, "EchoSocket is closed");
    while (queue_.empty()) {
      if (ReadBatch()) continue;  // (datagrams with no reply in them: read on)
      if (timeout_ms == 0) return std::nullopt;
      struct pollfd p = {fd_.get(), POLLIN, 0};
      CountSyscall();
      int n = ::poll(&p, 1, timeout_ms);
      if (n < 0) ThrowErrno("poll");  // EINTR included: see the top of the file
      if (n == 0) return std::nullopt;
      timeout_ms = 0;  // whatever arrived is read next: do not wait twice
    }
    Reply r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }

 private:
  // Datagrams per recvmmsg, and the most bytes one may have: an ECHO
  // reply is at most VNET_ECHO_MSG_MAX bytes of text and 24 of headers,
  // an error (NETLINK_CAP_ACK) is smaller.  A larger datagram is EMSGSIZE
  // (MSG_TRUNC), never cut silently.
  static constexpr unsigned kBatch = 16;
  static constexpr size_t kSlot = 8192;

  // Reads what is queued without waiting.  Returns false when nothing was.
  bool ReadBatch() {
    for (unsigned i = 0; i < kBatch; i++) {
      std::memset(&from_[i], 0, sizeof from_[i]);
      iov_[i].iov_base = buf_.data() + i * kSlot;
      iov_[i].iov_len = kSlot;
      std::memset(&msgs_[i], 0, sizeof msgs_[i]);
      msgs_[i].msg_hdr.msg_name = &from_[i];
      msgs_[i].msg_hdr.msg_namelen = sizeof from_[i];
      msgs_[i].msg_hdr.msg_iov = &iov_[i];
      msgs_[i].msg_hdr.msg_iovlen = 1;
    }
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
    return n > 0;
  }

  void Parse(const uint8_t* data, size_t len) {
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

  void Handle(const struct nlmsghdr* h) {
    if (h->nlmsg_pid != pid_) return;
    if (h->nlmsg_type == NLMSG_ERROR) {
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
        throw SysError(EPROTO, kEcho, {}, {}, "malformed netlink message");
      }
      struct nlmsgerr e;
      std::memcpy(&e, NLMSG_DATA(h), sizeof e);
      if (e.error == 0) return;  // an ACK: none was asked for
      Reply r;
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
    Reply r;
    r.seq = h->nlmsg_seq;
    if (std::optional<std::string> msg = a.Str(VNET_ATTR_MSG)) {
      r.message = *msg;
    } else {
      r.error = SysError(EPROTO, kEcho, {}, {}, "echo reply without VNET_ATTR_MSG");
    }
    queue_.push_back(std::move(r));
  }

  Fd fd_;
  uint16_t family_ = 0;
  uint32_t pid_ = 0;
  uint32_t seq_ = 0;
  std::vector<uint8_t> out_;  // the datagram being sent
  std::vector<uint8_t> buf_;  // kBatch slots of kSlot bytes, allocated once
  struct sockaddr_nl from_[kBatch];
  struct iovec iov_[kBatch];
  struct mmsghdr msgs_[kBatch];
  std::deque<Reply> queue_;
};

class EchoSocketWrap : public Napi::ObjectWrap<EchoSocketWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "EchoSocket",
                       {
                           InstanceMethod<&EchoSocketWrap::Send>("send"),
                           InstanceMethod<&EchoSocketWrap::SendMany>("sendMany"),
                           InstanceMethod<&EchoSocketWrap::Receive>("receive"),
                           InstanceMethod<&EchoSocketWrap::Close>("close"),
                       });
  }

  explicit EchoSocketWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<EchoSocketWrap>(info) {
    Guard(info.Env(), [&] { conn_ = std::make_unique<EchoConn>(); });
  }

 private:
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    return Guard(env, [&]() -> Napi::Value {
      return Napi::Number::New(env, conn_->Send(msg));
    });
  }

  Napi::Value SendMany(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string msg = StringValue(env, info[0], "message");
    auto count = static_cast<unsigned>(IntegerValue(env, info[1], "count", 1, EchoConn::kMaxBatch));
    return Guard(env, [&]() -> Napi::Value {
      std::vector<uint32_t> seqs = conn_->SendMany(msg, count);
      Napi::Array a = Napi::Array::New(env, seqs.size());
      for (uint32_t i = 0; i < seqs.size(); i++) a.Set(i, Napi::Number::New(env, seqs[i]));
      return a;
    });
  }

  Napi::Value Receive(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int timeout = static_cast<int>(IntegerValue(env, info[0], "timeoutMs", 0, INT32_MAX));
    return Guard(env, [&]() -> Napi::Value {
      std::optional<Reply> r = conn_->Receive(timeout);
      if (!r) return env.Null();
      Napi::Object o = Napi::Object::New(env);
      o.Set("seq", Napi::Number::New(env, r->seq));
      if (r->message) o.Set("message", Napi::String::New(env, *r->message));
      if (r->error) o.Set("error", ToJsError(env, *r->error).Value());
      return o;
    });
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    conn_->Close();
    return info.Env().Undefined();
  }

  std::unique_ptr<EchoConn> conn_;
};

// openEcho(): an EchoSocket bound to vnet_nl.
Napi::Value OpenEcho(const Napi::CallbackInfo& info) {
  return Data(info.Env()).echoClass.New({});
}

}  // namespace

void InitGenlEcho(Napi::Env env, Napi::Object exports) {
  Data(env).echoClass = Napi::Persistent(EchoSocketWrap::Define(env));
  exports.Set("openEcho", Napi::Function::New(env, OpenEcho, "openEcho"));
}

}  // namespace vnet
