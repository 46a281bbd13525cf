// A failed system call, still on the C++ side (no Node-API here): the
// binding layer turns it into a JS VnetSystemError (errors.cc).  Also the
// addon's syscall counter, which lets tests prove that argument validation
// happens before anything reaches the kernel.
#ifndef VNET_ADDON_SYSERROR_H
#define VNET_ADDON_SYSERROR_H

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

namespace vnet {

class SysError : public std::exception {
 public:
  // err: positive errno.  syscall: what failed, e.g. "ioctl(SIOCGIFFLAGS)"
  // or "genl VNET_CMD_SET".  extack: the kernel's extended-ack text.
  // detail: our own explanation (never the kernel's), e.g. a hint.
  SysError(int err, std::string syscall, std::string ifname = {},
           std::string extack = {}, std::string detail = {})
      : err_(err),
        syscall_(std::move(syscall)),
        ifname_(std::move(ifname)),
        extack_(std::move(extack)),
        detail_(std::move(detail)) {
    what_ = std::string(std::strerror(err_)) + ", " + syscall_;
    if (!ifname_.empty()) what_ += " '" + ifname_ + "'";
    if (!extack_.empty()) what_ += ": " + extack_;
  }

  int err() const noexcept { return err_; }
  const std::string& syscall() const noexcept { return syscall_; }
  const std::string& ifname() const noexcept { return ifname_; }
  const std::string& extack() const noexcept { return extack_; }
  const std::string& detail() const noexcept { return detail_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  int err_;
  std::string syscall_, ifname_, extack_, detail_, what_;
};

// Throws a SysError for errno as the failing call left it.  Read errno
// right after the call and pass it here whenever anything (a std::string
// built for the message, a close(), a log line) runs in between.
[[noreturn]] inline void ThrowErrno(int err, std::string syscall,
                                    std::string ifname = {}) {
  throw SysError(err ? err : EIO, std::move(syscall), std::move(ifname));
}

// The same for the current errno, for call sites where nothing runs
// between the failing call and this one: the arguments are plain C
// strings (no allocation that could clobber errno before it is read).
[[noreturn]] inline void ThrowErrno(const char* syscall,
                                    const char* ifname = nullptr) {
  int err = errno;  // first, before anything else can change it
  ThrowErrno(err, syscall, ifname ? ifname : "");
}

// "ENODEV" for 19; "E<n>" for a number this libc build does not name.
std::string ErrnoName(int err);

// Every system call the addon makes goes through a helper that bumps this.
inline std::atomic<std::uint64_t> g_syscalls{0};
inline void CountSyscall() noexcept {
  g_syscalls.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace vnet

#endif  // VNET_ADDON_SYSERROR_H
