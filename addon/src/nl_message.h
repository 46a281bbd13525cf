// Netlink messages, without any I/O: the request builder, the validated
// split of a received datagram into messages, attributes, and the payload
// of NLMSG_ERROR / NLMSG_DONE with its extended-ack TLVs.
//
// Every length read from the kernel is checked before it is used: a
// message or attribute that does not fit where it claims to is a
// SysError(EPROTO, ...), never a read beyond the buffer.
#ifndef VNET_ADDON_NL_MESSAGE_H
#define VNET_ADDON_NL_MESSAGE_H

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  // Sets nlmsg_len, nlmsg_seq and nlmsg_pid; returns the bytes to send.
  const std::vector<uint8_t>& Finish(uint32_t seq, uint32_t pid);

 private:
  void Append(const void* data, size_t len);
  std::vector<uint8_t> buf_;
};

// ----------------------------------------------------------------- parser

// The messages of one datagram, each header and nlmsg_len checked: a
// header that does not fit, an nlmsg_len below NLMSG_HDRLEN or past the
// end, or trailing bytes that are not a message are EPROTO (context names
// what was being received).  The last message may lack its alignment
// padding.  The pointers point into data.
std::vector<const struct nlmsghdr*> SplitDatagram(const uint8_t* data,
                                                  size_t len,
                                                  const std::string& context);

// One received netlink message (header included), copied out of the
// datagram so it outlives the receive buffer.  Its nlmsg_len has been
// validated (SplitDatagram) before it is constructed.
class Message {
 public:
  explicit Message(const struct nlmsghdr* h);
  const struct nlmsghdr* hdr() const;
  uint16_t type() const { return hdr()->nlmsg_type; }
  uint16_t flags() const { return hdr()->nlmsg_flags; }
  uint32_t seq() const { return hdr()->nlmsg_seq; }
  const uint8_t* payload() const;
  size_t payload_len() const;
  // The genlmsghdr's cmd; EPROTO when the payload is too short for one.
  uint8_t genl_cmd() const;
  // After a fixed family header of family_hdr_len bytes: the attributes.
  // EPROTO when the payload is shorter than the family header.
  const uint8_t* attrs(size_t family_hdr_len) const;
  size_t attrs_len(size_t family_hdr_len) const;

 private:
  std::vector<uint8_t> data_;
};

class Attrs {
 public:
  // Indexes [data, data+len) by type (NLA_TYPE_MASK'd), keeping the last of
  // each type <= maxtype.  Every nla_len is checked: one below NLA_HDRLEN
  // or past the end, or trailing bytes too short for an attribute, are
  // EPROTO.  The last attribute may lack its alignment padding.
  Attrs(const uint8_t* data, size_t len, uint16_t maxtype,
        std::string context = "netlink attribute");
  Attrs(const Message& m, size_t family_hdr_len, uint16_t maxtype,
        std::string context = "netlink attribute");

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
  // The nested attribute's payload parsed (and validated) with maxtype.
  std::optional<Attrs> Nested(uint16_t type, uint16_t maxtype) const;

  // Every attribute in [data, data+len), in order (for arrays), validated
  // as above.
  static std::vector<const struct nlattr*> All(const uint8_t* data, size_t len,
                                               const std::string& context);
  static const uint8_t* Payload(const struct nlattr* a);
  static size_t PayloadLen(const struct nlattr* a);

  void set_context(std::string c) { context_ = std::move(c); }
  const std::string& context() const { return context_; }

 private:
  const uint8_t* Need(uint16_t type, size_t len) const;
  std::vector<const struct nlattr*> index_;
  std::string context_;
};

// ------------------------------------------------------------------ acks

// The payload of an NLMSG_ERROR (an error, or error 0: the ACK) or of an
// NLMSG_DONE (the dump's final status), with its extended-ack TLVs.
struct AckInfo {
  int error = 0;        // 0 or a negative errno, as the kernel sends it
  std::string message;  // NLMSGERR_ATTR_MSG: an error's text, or a warning
  std::optional<uint32_t> offset;     // NLMSGERR_ATTR_OFFS
  std::optional<uint32_t> miss_type;  // NLMSGERR_ATTR_MISS_TYPE
  std::optional<uint32_t> miss_nest;  // NLMSGERR_ATTR_MISS_NEST

  // What a user reads: the message, or "missing required attribute N".
  std::string Text() const;
};

// Parses an NLMSG_ERROR or NLMSG_DONE message whose nlmsg_len has been
// validated.  EPROTO when the payload is too short for the error code,
// when an uncapped echo of the request or the TLVs do not fit, or a TLV
// is malformed.
AckInfo ParseAck(const struct nlmsghdr* h);

// Parses the extended-ack TLVs of an NLMSG_ERROR (or NLMSG_DONE) message:
// AckInfo::Text() of ParseAck(h).
std::string ExtackMessage(const struct nlmsghdr* h);

}  // namespace vnet::nl

#endif  // VNET_ADDON_NL_MESSAGE_H
