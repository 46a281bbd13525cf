// The vnet_nl generic netlink family (VNET_CMD_*) in plain C++: its
// requests over an NlSocket and its replies and events decoded into
// structs.  No Node-API here, so it runs on the JS thread (the synchronous
// methods) and on worker threads (the asynchronous ones) alike; vnet_js.cc
// turns the structs into JS objects.
#ifndef VNET_ADDON_VNET_NL_H
#define VNET_ADDON_VNET_NL_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "genl_socket.h"

namespace vnet {

// enum vnet_stats_attr, in the order of kStatNames.
constexpr int kStatCount = 16;
extern const char* const kStatNames[kStatCount];

// One direction's drop policy: the transmit policy is the state's
// top-level attributes, the receive policy the same nested in
// VNET_ATTR_RX_POLICY.
struct VnetPolicyData {
  uint32_t mode = 0;
  int32_t arg1 = 0;
  int32_t arg2 = 0;
  int32_t arg3 = 0;
  int32_t arg4 = 0;
  uint64_t seed = 0;
  // milliseconds until the kernel sets it back to pass; only while an
  // auto-revert is pending
  std::optional<uint32_t> revert_ms;
};

// A VNET_CMD_GET / SET / RESET_STATS reply or an event's state.
struct VnetStateData {
  uint32_t ifindex = 0;
  std::string ifname;
  VnetPolicyData tx;
  // absent from kernels without a receive policy
  std::optional<VnetPolicyData> rx;
  uint32_t slave_ifindex = 0;
  std::string slave_name;
  std::optional<uint32_t> slave_rp_filter;
  uint64_t stats[kStatCount] = {};
  // The kernel's extended-ack text on success (a warning): SET and
  // RESET_STATS ask for the ACK that carries it.
  std::string warning;
};

struct VnetEventData {
  uint32_t event = 0;
  // enum vnet_direction: which policy went back to pass (REVERTED only)
  std::optional<uint32_t> direction;
  VnetStateData state;
  // Times events were lost (overruns) since the previous event delivered.
  uint64_t lost_before = 0;
};

// Optional fields are sent only when given: a kernel without an
// attribute refuses it (strict policies), so a request that does not use
// the receive policy, gemodel or auto-revert works on every kernel.
struct SetRequest {
  DevRef dev;
  uint32_t mode = 0;
  int32_t arg1 = 0;
  int32_t arg2 = 0;
  std::optional<int32_t> arg3;
  std::optional<int32_t> arg4;
  std::optional<uint64_t> seed;
  std::optional<uint32_t> direction;
  std::optional<uint32_t> revert_ms;
  std::optional<std::string> slave;
};

// "genl VNET_CMD_SET" etc.: the `syscall` of errors.
const char* CmdName(uint8_t cmd);

// The vnet_nl attributes of a reply or event; EPROTO when malformed or
// when VNET_ATTR_IFINDEX / VNET_ATTR_IFNAME are missing.
VnetStateData ParseState(const nl::Attrs& a);
// A VNET_CMD_EVENT from family; nullopt for any other message.
std::optional<VnetEventData> ParseEvent(const nl::Message& m, uint16_t family);

// The requests.  family: the resolved vnet_nl id.
std::string Echo(nl::NlSocket& sock, uint16_t family, const std::string& msg);
VnetStateData Get(nl::NlSocket& sock, uint16_t family, const DevRef& dev);
std::vector<VnetStateData> Dump(nl::NlSocket& sock, uint16_t family);
VnetStateData Set(nl::NlSocket& sock, uint16_t family, const SetRequest& r);
VnetStateData ResetStats(nl::NlSocket& sock, uint16_t family, const DevRef& dev);

// Opens a socket and resolves vnet_nl on it: ENOENT with a hint when the
// module is not loaded.
nl::GenlFamily ResolveVnet(nl::NlSocket& sock);

}  // namespace vnet

#endif  // VNET_ADDON_VNET_NL_H
