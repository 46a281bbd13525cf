// Generic-netlink family resolution through nlctrl (CTRL_CMD_GETFAMILY):
// one family by name, or a dump of all of them.
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>
#include <string>
#include <vector>

#include "genl_socket.h"
#include "syserror.h"

namespace vnet::nl {

namespace {

// Every nlctrl answer is a CTRL_CMD_NEWFAMILY from GENL_ID_CTRL; one
// family's is its only reply (no ACK needed).
Expect FamilyReply(bool dump) {
  Expect e;
  e.dump = dump;
  e.ack = false;
  e.type = GENL_ID_CTRL;
  e.cmd = CTRL_CMD_NEWFAMILY;
  return e;
}

}  // namespace

GenlFamily ParseFamily(const Message& m) {
  Attrs a(m, GENL_HDRLEN, CTRL_ATTR_MAX, "nlctrl attribute");
  GenlFamily f;
  f.name = a.Str(CTRL_ATTR_FAMILY_NAME).value_or("");
  f.id = a.U16(CTRL_ATTR_FAMILY_ID).value_or(0);
  f.version = a.U32(CTRL_ATTR_VERSION).value_or(0);
  f.hdrsize = a.U32(CTRL_ATTR_HDRSIZE).value_or(0);
  f.maxattr = a.U32(CTRL_ATTR_MAXATTR).value_or(0);
  if (const struct nlattr* groups = a.Get(CTRL_ATTR_MCAST_GROUPS)) {
    for (const struct nlattr* g :
         Attrs::All(Attrs::Payload(groups), Attrs::PayloadLen(groups), a.context())) {
      Attrs ga(Attrs::Payload(g), Attrs::PayloadLen(g), CTRL_ATTR_MCAST_GRP_MAX, a.context());
      auto name = ga.Str(CTRL_ATTR_MCAST_GRP_NAME);
      auto id = ga.U32(CTRL_ATTR_MCAST_GRP_ID);
      if (name && id) f.groups[*name] = *id;
    }
  }
  if (f.id == 0) {
    throw SysError(EPROTO, "nlctrl attribute", {}, {},
                   "malformed netlink message: a family without CTRL_ATTR_FAMILY_ID");
  }
  return f;
}

GenlFamily ResolveFamily(NlSocket& sock, const std::string& name) {
  MsgBuilder req(GENL_ID_CTRL, 0);
  req.PutGenlHeader(CTRL_CMD_GETFAMILY, 1);
  req.PutString(CTRL_ATTR_FAMILY_NAME, name);
  Answer answer;
  try {
    answer = sock.Request(req, {"genl_ctrl_resolve", {}}, FamilyReply(false));
  } catch (const SysError& e) {
    if (e.err() != ENOENT) throw;
    throw SysError(ENOENT, e.syscall(), {}, e.extack(),
                   "generic netlink family '" + name + "' is not registered");
  }
  if (answer.replies.empty()) {
    throw SysError(EPROTO, "genl_ctrl_resolve", {}, {}, "nlctrl sent no family");
  }
  return ParseFamily(answer.replies.front());
}

std::vector<GenlFamily> DumpFamilies(NlSocket& sock) {
  MsgBuilder req(GENL_ID_CTRL, 0);
  req.PutGenlHeader(CTRL_CMD_GETFAMILY, 1);
  std::vector<GenlFamily> out;
  for (const Message& m : sock.Request(req, {"genl CTRL_CMD_GETFAMILY", {}}, FamilyReply(true)).replies) {
    out.push_back(ParseFamily(m));
  }
  return out;
}

}  // namespace vnet::nl
