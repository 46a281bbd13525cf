#include "nl_message.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>

#include "syserror.h"

namespace vnet::nl {

namespace {

[[noreturn]] void Malformed(const std::string& context, const std::string& what) {
  throw SysError(EPROTO, context, {}, {}, "malformed netlink message: " + what);
}

std::string N(size_t v) { return std::to_string(v); }

}  // namespace

// ---------------------------------------------------------------- builder

MsgBuilder::MsgBuilder(uint16_t type, uint16_t flags) {
  buf_.reserve(128);  // a request's attributes, without reallocating
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

std::vector<const struct nlmsghdr*> SplitDatagram(const uint8_t* data, size_t len,
                                                  const std::string& context) {
  std::vector<const struct nlmsghdr*> out;
  size_t off = 0;
  while (off < len) {
    size_t rem = len - off;
    if (rem < NLMSG_HDRLEN) {
      Malformed(context, N(rem) + " trailing bytes after message " + N(out.size()) +
                             " (a header is " + N(NLMSG_HDRLEN) + ")");
    }
    // The header may sit at any offset of the caller's buffer: read the
    // length by memcpy; the pointer handed out is to the kernel's
    // NLMSG_ALIGNed position (datagram buffers are 4-byte aligned).
    uint32_t mlen;
    std::memcpy(&mlen, data + off, sizeof mlen);
    if (mlen < NLMSG_HDRLEN) {
      Malformed(context, "message " + N(out.size()) + ": nlmsg_len " + N(mlen) +
                             " is shorter than its header (" + N(NLMSG_HDRLEN) + ")");
    }
    if (mlen > rem) {
      Malformed(context, "message " + N(out.size()) + ": nlmsg_len " + N(mlen) +
                             " runs past the datagram's end (" + N(rem) + " bytes left)");
    }
    out.push_back(reinterpret_cast<const struct nlmsghdr*>(data + off));
    size_t step = NLMSG_ALIGN(static_cast<size_t>(mlen));
    if (step >= rem) break;  // the last message (its padding may be missing)
    off += step;
  }
  return out;
}

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
  if (payload_len() < GENL_HDRLEN) {
    Malformed("genlmsghdr", "payload of " + N(payload_len()) +
                                " bytes is shorter than a genlmsghdr (" + N(GENL_HDRLEN) + ")");
  }
  return reinterpret_cast<const struct genlmsghdr*>(payload())->cmd;
}

const uint8_t* Message::attrs(size_t family_hdr_len) const {
  (void)attrs_len(family_hdr_len);  // validates
  return payload() + NLMSG_ALIGN(family_hdr_len);
}

size_t Message::attrs_len(size_t family_hdr_len) const {
  size_t h = NLMSG_ALIGN(family_hdr_len);
  if (payload_len() < h) {
    Malformed("netlink family header", "payload of " + N(payload_len()) +
                                           " bytes is shorter than the family header (" +
                                           N(h) + ")");
  }
  return payload_len() - h;
}

std::vector<const struct nlattr*> Attrs::All(const uint8_t* data, size_t len,
                                             const std::string& context) {
  std::vector<const struct nlattr*> out;
  size_t off = 0;
  while (off < len) {
    size_t rem = len - off;
    if (rem < NLA_HDRLEN) {
      Malformed(context, N(rem) + " trailing bytes after attribute " + N(out.size()) +
                             " (a header is " + N(NLA_HDRLEN) + ")");
    }
    uint16_t alen;
    std::memcpy(&alen, data + off, sizeof alen);
    if (alen < NLA_HDRLEN) {
      Malformed(context, "attribute " + N(out.size()) + ": nla_len " + N(alen) +
                             " is shorter than its header (" + N(NLA_HDRLEN) + ")");
    }
    if (alen > rem) {
      Malformed(context, "attribute " + N(out.size()) + ": nla_len " + N(alen) +
                             " runs past the end (" + N(rem) + " bytes left)");
    }
    out.push_back(reinterpret_cast<const struct nlattr*>(data + off));
    size_t step = NLA_ALIGN(static_cast<size_t>(alen));
    if (step >= rem) break;  // the last attribute (its padding may be missing)
    off += step;
  }
  return out;
}

const uint8_t* Attrs::Payload(const struct nlattr* a) {
  return reinterpret_cast<const uint8_t*>(a) + NLA_HDRLEN;
}

size_t Attrs::PayloadLen(const struct nlattr* a) { return a->nla_len - NLA_HDRLEN; }

Attrs::Attrs(const uint8_t* data, size_t len, uint16_t maxtype, std::string context)
    : index_(static_cast<size_t>(maxtype) + 1, nullptr), context_(std::move(context)) {
  for (const struct nlattr* a : All(data, len, context_)) {
    uint16_t type = a->nla_type & NLA_TYPE_MASK;
    if (type <= maxtype) index_[type] = a;
  }
}

Attrs::Attrs(const Message& m, size_t family_hdr_len, uint16_t maxtype, std::string context)
    : Attrs(m.attrs(family_hdr_len), m.attrs_len(family_hdr_len), maxtype, std::move(context)) {}

bool Attrs::Has(uint16_t type) const { return Get(type) != nullptr; }

const struct nlattr* Attrs::Get(uint16_t type) const {
  return type < index_.size() ? index_[type] : nullptr;
}

const uint8_t* Attrs::Need(uint16_t type, size_t len) const {
  const struct nlattr* a = Get(type);
  if (!a) return nullptr;
  if (PayloadLen(a) < len) {
    throw SysError(EPROTO, context_, {}, {},
                   "malformed netlink message: attribute " + std::to_string(type) + " has " +
                       N(PayloadLen(a)) + " bytes, needs " + N(len));
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
  return Attrs(Payload(a), PayloadLen(a), maxtype, context_);
}

// ------------------------------------------------------------------ acks

std::string AckInfo::Text() const {
  if (!message.empty()) return message;
  if (miss_type) {
    std::string t = "missing required attribute " + std::to_string(*miss_type);
    if (miss_nest) t += " (in the attribute at offset " + std::to_string(*miss_nest) + ")";
    return t;
  }
  return {};
}

AckInfo ParseAck(const struct nlmsghdr* h) {
  const bool is_error = h->nlmsg_type == NLMSG_ERROR;
  const std::string context = is_error ? "NLMSG_ERROR" : "NLMSG_DONE";
  const uint8_t* base = reinterpret_cast<const uint8_t*>(h);
  const size_t total = h->nlmsg_len;
  AckInfo info;

  // The error code (an int) leads both.
  if (total < NLMSG_HDRLEN + sizeof(int)) {
    Malformed(context, "nlmsg_len " + N(total) + " leaves no room for the error code");
  }
  std::memcpy(&info.error, base + NLMSG_HDRLEN, sizeof info.error);
  if (info.error > 0) Malformed(context, "positive error code " + std::to_string(info.error));

  size_t off = NLMSG_HDRLEN + sizeof(int);
  if (is_error) {
    // struct nlmsgerr: the error, then the request's header (capped) or the
    // whole request (not capped).
    if (total < NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
      Malformed(context, "nlmsg_len " + N(total) + " is shorter than an nlmsgerr (" +
                             N(NLMSG_HDRLEN + sizeof(struct nlmsgerr)) + ")");
    }
    uint32_t echoed;
    std::memcpy(&echoed, base + off + offsetof(struct nlmsghdr, nlmsg_len), sizeof echoed);
    if (h->nlmsg_flags & NLM_F_CAPPED) {
      off += sizeof(struct nlmsghdr);
    } else {
      if (echoed < NLMSG_HDRLEN) {
        Malformed(context, "echoed request's nlmsg_len " + N(echoed) + " is shorter than a header");
      }
      if (echoed > total - off) {
        Malformed(context, "echoed request (" + N(echoed) + " bytes) runs past the message's end");
      }
      off += echoed;
    }
  }
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS)) return info;
  off = NLMSG_ALIGN(off);
  if (off >= total) return info;

  Attrs a(base + off, total - off, NLMSGERR_ATTR_MAX, context + " extack");
  info.message = a.Str(NLMSGERR_ATTR_MSG).value_or("");
  info.offset = a.U32(NLMSGERR_ATTR_OFFS);
  info.miss_type = a.U32(NLMSGERR_ATTR_MISS_TYPE);
  info.miss_nest = a.U32(NLMSGERR_ATTR_MISS_NEST);
  return info;
}

std::string ExtackMessage(const struct nlmsghdr* h) { return ParseAck(h).Text(); }

}  // namespace vnet::nl
