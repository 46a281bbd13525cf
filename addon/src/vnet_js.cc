#include "vnet_js.h"

#include "args.h"

namespace vnet {

Napi::Object StateToJs(Napi::Env env, const VnetStateData& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ifindex", Napi::Number::New(env, s.ifindex));
  o.Set("ifname", Napi::String::New(env, s.ifname));
  o.Set("mode", Napi::Number::New(env, s.mode));
  o.Set("arg1", Napi::Number::New(env, s.arg1));
  o.Set("arg2", Napi::Number::New(env, s.arg2));
  o.Set("seed", Napi::BigInt::New(env, s.seed));
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
  Napi::Value seed = r.Get("seed");
  if (!seed.IsUndefined()) out.seed = BigUint64Value(env, seed, "req.seed");
  Napi::Value slave = r.Get("slave");
  if (!slave.IsUndefined()) out.slave = IfNameValue(env, slave, "req.slave", true);
  return out;
}

}  // namespace vnet
