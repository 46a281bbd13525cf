// EchoSocket (openEcho()): VNET_CMD_ECHO with several requests in flight,
// for vnet-echo.  send() returns at once with the request's sequence
// number; receive(timeoutMs) waits for the next reply.  Unlike the
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
    buf_.resize(16384);
  }

  bool open() const { return fd_.valid(); }
  void Close() { fd_.reset(); }

  uint32_t Send(const std::string& message) {
    if (!fd_) throw SysError(EBADF, kEcho, {}, {}, "EchoSocket is closed");
    if (++seq_ == 0) ++seq_;
    // No NLM_F_ACK: a success is the ECHO reply alone, an error NLMSG_ERROR.
    nl::MsgBuilder req(family_, NLM_F_REQUEST);
    req.PutGenlHeader(VNET_CMD_ECHO, VNET_GENL_VERSION);
    req.PutString(VNET_ATTR_MSG, message);
    const std::vector<uint8_t>& bytes = req.Finish(seq_, pid_);
    struct sockaddr_nl kernel;
    std::memset(&kernel, 0, sizeof kernel);
    kernel.nl_family = AF_NETLINK;
    for (;;) {
      CountSyscall();
      ssize_t n = ::sendto(fd_.get(), bytes.data(), bytes.size(), 0,
                           reinterpret_cast<struct sockaddr*>(&kernel), sizeof kernel);
      if (n >= 0) return seq_;
      if (errno != EINTR) ThrowErrno(kEcho);
    }
  }

  // The next reply; nullopt after timeout_ms without one.  EINTR when a
  // signal interrupted the wait.
  std::optional<Reply> Receive(int timeout_ms) {
    if (!fd_) throw SysError(EBADF, kEcho, {}, {}, "EchoSocket is closed");
    while (queue_.empty()) {
      struct pollfd p = {fd_.get(), POLLIN, 0};
      CountSyscall();
      int n = ::poll(&p, 1, timeout_ms);
      if (n < 0) ThrowErrno("poll");  // EINTR included: see the top of the file
      if (n == 0) return std::nullopt;
      ReadDatagram();
      timeout_ms = 0;  // whatever arrived has been read: do not wait twice
    }
    Reply r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }

 private:
  void ReadDatagram() {
    CountSyscall();
    ssize_t want = ::recv(fd_.get(), buf_.data(), 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    if (want < 0) {
      if (errno == EAGAIN) return;
      ThrowErrno("recvmsg(AF_NETLINK)");
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
      if (errno == EAGAIN) return;
      ThrowErrno("recvmsg(AF_NETLINK)");
    }
    if (sa.nl_pid != 0) return;  // not from the kernel
    size_t len = static_cast<size_t>(got);
    size_t off = 0;
    while (len - off >= NLMSG_HDRLEN) {
      const auto* h = reinterpret_cast<const struct nlmsghdr*>(buf_.data() + off);
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
  std::vector<uint8_t> buf_;
  std::deque<Reply> queue_;
};

class EchoSocketWrap : public Napi::ObjectWrap<EchoSocketWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "EchoSocket",
                       {
                           InstanceMethod<&EchoSocketWrap::Send>("send"),
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
