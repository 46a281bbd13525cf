// A small netlink client over a raw socket (no libnl/libmnl): message
// builder, attribute parser, request/reply with sequence and port-id
// checks, multi-part dumps, NLMSG_ERROR with extended-ack text, multicast
// membership with a poll() timeout; and generic-netlink family resolution
// through nlctrl (CTRL_CMD_GETFAMILY).  No Node-API in here: failures are
// SysErrors.
#ifndef VNET_ADDON_GENL_SOCKET_H
#define VNET_ADDON_GENL_SOCKET_H

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fd.h"

namespace vnet::nl {

// ---------------------------------------------------------------- builder

class MsgBuilder {
 public:
  MsgBuilder(uint16_t type, uint16_t flags);

  // struct genlmsghdr {cmd, version}.
  void PutGenlHeader(uint8_t cmd, uint8_t version);
  // A fixed family header (e.g. struct ifinfomsg), padded to 4 bytes.
  void PutRaw(const void* data, size_t len);

  void PutAttr(uint16_t type, const void* data, size_t len);
  void PutU16(uint16_t type, uint16_t v) { PutAttr(type, &v, sizeof v); }
  void PutU32(uint16_t type, uint32_t v) { PutAttr(type, &v, sizeof v); }
  void PutS32(uint16_t type, int32_t v) { PutAttr(type, &v, sizeof v); }
  void PutU64(uint16_t type, uint64_t v) { PutAttr(type, &v, sizeof v); }
  // NUL-terminated.
  void PutString(uint16_t type, const std::string& s);

  // Nesting: PutAttr-like header now, length fixed by EndNested.
  size_t BeginNested(uint16_t type);
  void EndNested(size_t offset);

  uint16_t type() const;
  uint16_t flags() const;
  void AddFlags(uint16_t flags);
  // Sets nlmsg_seq and nlmsg_pid; returns the bytes to send.
  const std::vector<uint8_t>& Finish(uint32_t seq, uint32_t pid);

 private:
  void Append(const void* data, size_t len);
  std::vector<uint8_t> buf_;
};

// ----------------------------------------------------------------- parser

// One received netlink message (header included), copied out of the
// datagram so it outlives the receive buffer.
class Message {
 public:
  explicit Message(const struct nlmsghdr* h);
  const struct nlmsghdr* hdr() const;
  uint16_t type() const { return hdr()->nlmsg_type; }
  uint16_t flags() const { return hdr()->nlmsg_flags; }
  const uint8_t* payload() const;
  size_t payload_len() const;
  // After a genlmsghdr: the attributes.  Throws EPROTO when too short.
  uint8_t genl_cmd() const;
  const uint8_t* attrs(size_t family_hdr_len) const;
  size_t attrs_len(size_t family_hdr_len) const;

 private:
  std::vector<uint8_t> data_;
};

class Attrs {
 public:
  // Indexes [data, data+len) by type (NLA_TYPE_MASK'd), keeping the last of
  // each type <= maxtype; malformed trailing bytes are ignored, like the
  // kernel's nla_parse does with a short tail.
  Attrs(const uint8_t* data, size_t len, uint16_t maxtype);
  Attrs(const Message& m, size_t family_hdr_len, uint16_t maxtype);

  bool Has(uint16_t type) const;
  const struct nlattr* Get(uint16_t type) const;
  // Typed getters: nullopt when absent; SysError(EPROTO, context) when the
  // payload is too short for the type.
  std::optional<uint16_t> U16(uint16_t type) const;
  std::optional<uint32_t> U32(uint16_t type) const;
  std::optional<int32_t> S32(uint16_t type) const;
  std::optional<uint64_t> U64(uint16_t type) const;
  // Up to the first NUL (or the whole payload).
  std::optional<std::string> Str(uint16_t type) const;
  // The nested attribute's payload parsed with maxtype.
  std::optional<Attrs> Nested(uint16_t type, uint16_t maxtype) const;

  // Every attribute in [data, data+len), in order (for arrays).
  static std::vector<const struct nlattr*> All(const uint8_t* data, size_t len);
  static const uint8_t* Payload(const struct nlattr* a);
  static size_t PayloadLen(const struct nlattr* a);

  void set_context(std::string c) { context_ = std::move(c); }

 private:
  const uint8_t* Need(uint16_t type, size_t len) const;
  std::vector<const struct nlattr*> index_;
  std::string context_ = "netlink attribute";
};

// ----------------------------------------------------------------- socket

struct ErrorContext {
  std::string syscall;  // e.g. "genl VNET_CMD_GET"
  std::string ifname;   // for the error, when there is one
};

class NlSocket {
 public:
  // socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, protocol), bind (the kernel
  // picks the port id), NETLINK_EXT_ACK and NETLINK_CAP_ACK.
  explicit NlSocket(int protocol);

  uint32_t port_id() const { return pid_; }
  bool is_open() const { return fd_.valid(); }
  void Close() { fd_.reset(); }

  // Sends req with NLM_F_REQUEST|NLM_F_ACK and a fresh sequence number and
  // returns the replies: for a request, the messages before the ACK; for a
  // dump (NLM_F_DUMP in req's flags), every message up to NLMSG_DONE.
  // Replies must come from the kernel with our sequence number and port
  // id; anything else is skipped (multicast messages are queued for
  // NextMulticast).  NLMSG_ERROR / an error in NLMSG_DONE throws a
  // SysError carrying the extack text.
  std::vector<Message> Transact(MsgBuilder& req, const ErrorContext& ctx);

  void AddMembership(uint32_t group);
  // The next multicast message, waiting up to timeout_ms; nullopt on
  // timeout.
  std::optional<Message> NextMulticast(int timeout_ms, const ErrorContext& ctx);

 private:
  // Receives one datagram into buf_; false on EAGAIN / timeout.
  // Sets *multicast when the sender addressed a group.
  bool RecvDatagram(int timeout_ms, bool* multicast, size_t* len,
                    const ErrorContext& ctx);

  Fd fd_;
  uint32_t pid_ = 0;
  uint32_t seq_ = 0;
  std::vector<uint8_t> buf_;
  std::deque<Message> mcast_;
};

// Parses the extended-ack TLVs of an NLMSG_ERROR (or NLMSG_DONE) message.
std::string ExtackMessage(const struct nlmsghdr* h);

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

}  // namespace vnet::nl

#endif  // VNET_ADDON_GENL_SOCKET_H
