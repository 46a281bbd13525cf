#include "vnet_js.h"

#include <optional>

#include "args.h"

namespace vnet {

namespace {

// VnetPolicy's members, on o: the state's own (transmit) or its `rx`.
void PutPolicy(Napi::Env env, Napi::Object o, const VnetPolicyData& p) {
  o.Set("mode", Napi::Number::New(env, p.mode));
  o.Set("arg1", Napi::Number::New(env, p.arg1));
  o.Set("arg2", Napi::Number::New(env, p.arg2));
  o.Set("arg3", Napi::Number::New(env, p.arg3));
  o.Set("arg4", Napi::Number::New(env, p.arg4));
  o.Set("seed", Napi::BigInt::New(env, p.seed));
  if (p.revert_ms) o.Set("revertMs", Napi::Number::New(env, *p.revert_ms));
}

// An optional argument: absent (nullopt) when undefined.
template <typename T, typename F>
std::optional<T> Optional(Napi::Object r, const char* key, F value) {
  Napi::Value v = r.Get(key);
  if (v.IsUndefined()) return std::nullopt;
  return value(v);
}

}  // namespace

Napi::Object StateToJs(Napi::Env env, const VnetStateData& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ifindex", Napi::Number::New(env, s.ifindex));
  o.Set("ifname", Napi::String::New(env, s.ifname));
  PutPolicy(env, o, s.tx);
  if (s.rx) {
    Napi::Object rx = Napi::Object::New(env);
    PutPolicy(env, rx, *s.rx);
    o.Set("rx", rx);
  }
  o.Set("slaveIfindex", Napi::Number::New(env, s.slave_ifindex));
  o.Set("slaveName", Napi::String::New(env, s.slave_name));
  if (s.slave_rp_filter) o.Set("slaveRpFilter", Napi::Number::New(env, *s.slave_rp_filter));
  Napi::Object stats = Napi::Object::New(env);
  for (int i = 0; i < kStatCount; i++) stats.Set(kStatNames[i], Napi::BigInt::New(env, s.stats[i]));
  o.Set("stats", stats);
  if (!s.warning.empty()) o.Set("warning", Napi::String::New(env, s.warning));
  return o;
}

Napi::Array StatesToJs(Napi::Env env, const std::vector<VnetStateData>& list) {
  Napi::Array out = Napi::Array::New(env, list.size());
  for (uint32_t i = 0; i < list.size(); i++) out.Set(i, StateToJs(env, list[i]));
  return out;
}

Napi::Object EventToJs(Napi::Env env, const VnetEventData& ev) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("event", Napi::Number::New(env, ev.event));
  if (ev.direction) o.Set("direction", Napi::Number::New(env, *ev.direction));
  o.Set("state", StateToJs(env, ev.state));
  if (ev.lost_before) o.Set("lostBefore", Napi::Number::New(env, static_cast<double>(ev.lost_before)));
  return o;
}

SetRequest SetRequestValue(Napi::Env env, Napi::Value v) {
  Napi::Object r = ObjectValue(env, v, "req");
  SetRequest out;
  out.dev = DevValue(env, r.Get("dev"), "req.dev");
  out.mode = Uint32Value(env, r.Get("mode"), "req.mode");
  out.arg1 = Int32Value(env, r.Get("arg1"), "req.arg1");
  out.arg2 = Int32Value(env, r.Get("arg2"), "req.arg2");
  out.arg3 = Optional<int32_t>(r, "arg3", [&](Napi::Value v) { return Int32Value(env, v, "req.arg3"); });
  out.arg4 = Optional<int32_t>(r, "arg4", [&](Napi::Value v) { return Int32Value(env, v, "req.arg4"); });
  out.seed = Optional<uint64_t>(r, "seed", [&](Napi::Value v) { return BigUint64Value(env, v, "req.seed"); });
  out.direction = Optional<uint32_t>(r, "direction", [&](Napi::Value v) { return Uint32Value(env, v, "req.direction"); });
  out.revert_ms = Optional<uint32_t>(r, "revertMs", [&](Napi::Value v) { return Uint32Value(env, v, "req.revertMs"); });
  Napi::Value slave = r.Get("slave");
  if (!slave.IsUndefined()) out.slave = IfNameValue(env, slave, "req.slave", true);
  return out;
}

}  // namespace vnet
