// `_test` hooks that feed crafted datagrams to the addon's real netlink
// code: a scripted transport (nl::Io) stands in for the socket, and
// everything above it (NlSocket's request loop, SplitDatagram, the reply
// matching of nl_reply.cc, the ack/extack parser, the vnet_nl and nlctrl
// decoders) runs unchanged.  For test/native only.
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "errors.h"
#include "genl_socket.h"
#include "syserror.h"
#include "test_hooks.h"
#include "vnet_js.h"
#include "vnet_nl.h"

namespace vnet {

namespace {

// Each Recv takes the next step: one datagram, a batch of them (as one
// recvmmsg returns), or an errno.  An empty script is EAGAIN (a timeout).
class ScriptIo : public nl::Io {
 public:
  struct Dgram {
    std::vector<uint8_t> data;
    size_t full_len = 0;
    uint32_t groups = 0;
    uint32_t sender = 0;
  };
  struct Step {
    std::vector<Dgram> batch;
    int err = 0;
  };

  std::deque<Step> steps;
  std::vector<std::vector<uint8_t>> sent;
  std::vector<size_t> sent_after;  // receives made before each send
  std::vector<int> waits;

  int Send(const uint8_t* data, size_t len) override {
    sent.emplace_back(data, data + len);
    sent_after.push_back(waits.size());
    return 0;
  }
  int Recv(int wait, std::vector<nl::Datagram>* out) override {
    out->clear();
    waits.push_back(wait);
    if (steps.empty()) return EAGAIN;
    cur_ = std::move(steps.front());
    steps.pop_front();
    if (cur_.err) return cur_.err;
    for (const Dgram& d : cur_.batch) {
      nl::Datagram g;
      g.data = d.data.data();
      g.len = d.data.size();
      g.full_len = d.full_len;
      g.truncated = d.full_len > d.data.size();
      g.sender = d.sender;
      g.groups = d.groups;
      out->push_back(g);
    }
    return 0;
  }
  int SetOption(int, int, const void*, socklen_t) override { return 0; }
  void Close() override { open_ = false; }
  bool is_open() const override { return open_; }

 private:
  Step cur_;
  bool open_ = true;
};

std::vector<uint8_t> Bytes(Napi::Env env, Napi::Value v, const char* what) {
  if (!v.IsBuffer()) {
    ThrowTypeError(env, "ERR_INVALID_ARG_TYPE", std::string(what) + " must be a Buffer");
  }
  auto b = v.As<Napi::Buffer<uint8_t>>();
  return std::vector<uint8_t>(b.Data(), b.Data() + b.Length());
}

ScriptIo::Dgram DgramValue(Napi::Env env, Napi::Value v) {
  ScriptIo::Dgram d;
  if (v.IsBuffer()) {
    d.data = Bytes(env, v, "datagram");
    d.full_len = d.data.size();
    return d;
  }
  Napi::Object o = ObjectValue(env, v, "datagram");
  d.data = Bytes(env, o.Get("data"), "datagram.data");
  d.full_len = d.data.size();
  if (o.Has("groups")) d.groups = Uint32Value(env, o.Get("groups"), "datagram.groups");
  if (o.Has("sender")) d.sender = Uint32Value(env, o.Get("sender"), "datagram.sender");
  if (o.Has("fullLength")) d.full_len = Uint32Value(env, o.Get("fullLength"), "datagram.fullLength");
  return d;
}

// steps: Array<Buffer | {data, groups?, sender?, fullLength?} |
//              Array<...> (a batch) | {errno: number}>
std::unique_ptr<ScriptIo> ScriptValue(Napi::Env env, Napi::Value v) {
  if (!v.IsArray()) ThrowTypeError(env, "ERR_INVALID_ARG_TYPE", "steps must be an array");
  auto io = std::make_unique<ScriptIo>();
  Napi::Array steps = v.As<Napi::Array>();
  for (uint32_t i = 0; i < steps.Length(); i++) {
    Napi::Value s = steps.Get(i);
    ScriptIo::Step step;
    if (s.IsArray()) {
      Napi::Array batch = s.As<Napi::Array>();
      for (uint32_t j = 0; j < batch.Length(); j++) step.batch.push_back(DgramValue(env, batch.Get(j)));
    } else if (s.IsObject() && !s.IsBuffer() && s.As<Napi::Object>().Has("errno")) {
      step.err = static_cast<int>(IntegerValue(env, s.As<Napi::Object>().Get("errno"), "errno", 1, 4095));
    } else {
      step.batch.push_back(DgramValue(env, s));
    }
    io->steps.push_back(std::move(step));
  }
  return io;
}

Napi::Object MessageToJs(Napi::Env env, const nl::Message& m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", Napi::Number::New(env, m.type()));
  o.Set("flags", Napi::Number::New(env, m.flags()));
  o.Set("seq", Napi::Number::New(env, m.seq()));
  o.Set("pid", Napi::Number::New(env, m.hdr()->nlmsg_pid));
  o.Set("payload", Napi::Buffer<uint8_t>::Copy(env, m.payload(), m.payload_len()));
  return o;
}

Napi::Object ScriptReport(Napi::Env env, const ScriptIo& io, const nl::NlSocket& sock) {
  Napi::Object r = Napi::Object::New(env);
  Napi::Array sent = Napi::Array::New(env, io.sent.size());
  for (uint32_t i = 0; i < io.sent.size(); i++) {
    sent.Set(i, Napi::Buffer<uint8_t>::Copy(env, io.sent[i].data(), io.sent[i].size()));
  }
  r.Set("sent", sent);
  Napi::Array after = Napi::Array::New(env, io.sent_after.size());
  for (uint32_t i = 0; i < io.sent_after.size(); i++) {
    after.Set(i, Napi::Number::New(env, static_cast<double>(io.sent_after[i])));
  }
  r.Set("sentAfter", after);
  Napi::Array waits = Napi::Array::New(env, io.waits.size());
  for (uint32_t i = 0; i < io.waits.size(); i++) waits.Set(i, Napi::Number::New(env, io.waits[i]));
  r.Set("waits", waits);
  r.Set("eventsLost", Napi::Number::New(env, static_cast<double>(sock.events_lost())));
  r.Set("stepsLeft", Napi::Number::New(env, static_cast<double>(io.steps.size())));
  return r;
}

// transact({pid, seq, dump?, ack?, type?, cmd?, retryEintr?, steps}) ->
//   {replies, warning, sent, waits, eventsLost, stepsLeft, queued}
// One NlSocket::Request over the script.  The request goes out with
// sequence number seq + 1 (a retried dump: seq + 2, ...) and port id pid.
// A failure throws the addon's error with `script` (the report) attached.
Napi::Value Transact(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object spec = ObjectArg(info, 0, "spec");
  std::unique_ptr<ScriptIo> owned = ScriptValue(env, spec.Get("steps"));
  ScriptIo* io = owned.get();
  uint32_t pid = Uint32Value(env, spec.Get("pid"), "spec.pid");
  nl::NlSocket sock(std::move(owned), pid);
  sock.set_seq(Uint32Value(env, spec.Get("seq"), "spec.seq"));
  if (spec.Get("retryEintr").ToBoolean()) sock.set_retry_eintr(true);
  nl::Expect expect;
  expect.dump = spec.Get("dump").ToBoolean();
  if (spec.Has("ack")) expect.ack = spec.Get("ack").ToBoolean();
  if (spec.Has("type")) expect.type = static_cast<int>(IntegerValue(env, spec.Get("type"), "spec.type", 0, 0xffff));
  if (spec.Has("cmd")) expect.cmd = static_cast<int>(IntegerValue(env, spec.Get("cmd"), "spec.cmd", 0, 255));

  nl::MsgBuilder req(static_cast<uint16_t>(expect.type >= 0 ? expect.type : GENL_ID_CTRL), 0);
  req.PutGenlHeader(static_cast<uint8_t>(expect.cmd >= 0 ? expect.cmd : 0), 1);
  nl::Answer answer;
  try {
    answer = sock.Request(req, {"genl test", "tst0"}, expect);
  } catch (const SysError& e) {
    Napi::Error err = ToJsError(env, e);
    err.Set("script", ScriptReport(env, *io, sock));
    throw err;
  }
  Napi::Object r = ScriptReport(env, *io, sock);
  Napi::Array replies = Napi::Array::New(env, answer.replies.size());
  for (uint32_t i = 0; i < answer.replies.size(); i++) replies.Set(i, MessageToJs(env, answer.replies[i]));
  r.Set("replies", replies);
  r.Set("warning", Napi::String::New(env, answer.warning));
  // multicast messages that arrived during the request, still queued
  uint32_t queued = 0;
  while (sock.NextMulticast(0, {"genl test", {}})) queued++;
  r.Set("queued", Napi::Number::New(env, queued));
  return r;
}

// multicast({steps, retryEintr?}) -> {messages, sent, waits, eventsLost,
// stepsLeft}: NextMulticast(0) until the script has nothing more.
Napi::Value Multicast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object spec = ObjectArg(info, 0, "spec");
  std::unique_ptr<ScriptIo> owned = ScriptValue(env, spec.Get("steps"));
  ScriptIo* io = owned.get();
  nl::NlSocket sock(std::move(owned), 1);
  if (spec.Get("retryEintr").ToBoolean()) sock.set_retry_eintr(true);
  return Guard(env, [&]() -> Napi::Value {
    Napi::Array msgs = Napi::Array::New(env);
    uint32_t n = 0;
    while (!io->steps.empty()) {
      std::optional<nl::Message> m = sock.NextMulticast(0, {"genl test", {}});
      if (m) msgs.Set(n++, MessageToJs(env, *m));
    }
    while (std::optional<nl::Message> m = sock.NextMulticast(0, {"genl test", {}})) {
      msgs.Set(n++, MessageToJs(env, *m));
    }
    Napi::Object r = ScriptReport(env, *io, sock);
    r.Set("messages", msgs);
    return r;
  });
}

// One whole datagram holding one generic netlink message: its message.
nl::Message OnlyMessage(Napi::Env env, const std::vector<uint8_t>& d) {
  std::vector<const struct nlmsghdr*> msgs = nl::SplitDatagram(d.data(), d.size(), "test datagram");
  if (msgs.size() != 1) {
    ThrowTypeError(env, "ERR_INVALID_ARG_VALUE", "the datagram must hold exactly one message");
  }
  return nl::Message(msgs.front());
}

// splitDatagram(buf) -> [{type, len, offset}]
Napi::Value Split(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<uint8_t> d = Bytes(env, info[0], "datagram");
  return Guard(env, [&]() -> Napi::Value {
    Napi::Array out = Napi::Array::New(env);
    uint32_t i = 0;
    for (const struct nlmsghdr* h : nl::SplitDatagram(d.data(), d.size(), "test datagram")) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", Napi::Number::New(env, h->nlmsg_type));
      o.Set("len", Napi::Number::New(env, h->nlmsg_len));
      o.Set("offset", Napi::Number::New(env, reinterpret_cast<const uint8_t*>(h) - d.data()));
      out.Set(i++, o);
    }
    return out;
  });
}

// parseAck(buf) -> {error, message, offset?, missType?, missNest?}
Napi::Value ParseAck(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<uint8_t> d = Bytes(env, info[0], "datagram");
  return Guard(env, [&]() -> Napi::Value {
    nl::Message m = OnlyMessage(env, d);
    nl::AckInfo a = nl::ParseAck(m.hdr());
    Napi::Object o = Napi::Object::New(env);
    o.Set("error", Napi::Number::New(env, a.error));
    o.Set("message", Napi::String::New(env, a.message));
    o.Set("text", Napi::String::New(env, a.Text()));
    if (a.offset) o.Set("offset", Napi::Number::New(env, *a.offset));
    if (a.miss_type) o.Set("missType", Napi::Number::New(env, *a.miss_type));
    if (a.miss_nest) o.Set("missNest", Napi::Number::New(env, *a.miss_nest));
    return o;
  });
}

// parseEvent(buf, familyId) -> VnetEvent | null: the vnet_nl decoder.
Napi::Value ParseEventHook(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<uint8_t> d = Bytes(env, info[0], "datagram");
  uint16_t family = static_cast<uint16_t>(IntegerValue(env, info[1], "familyId", 0, 0xffff));
  return Guard(env, [&]() -> Napi::Value {
    std::optional<VnetEventData> ev = ParseEvent(OnlyMessage(env, d), family);
    if (!ev) return env.Null();
    return EventToJs(env, *ev);
  });
}

// parseFamily(buf) -> {name, id, groups}: the nlctrl decoder.
Napi::Value ParseFamilyHook(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<uint8_t> d = Bytes(env, info[0], "datagram");
  return Guard(env, [&]() -> Napi::Value { return FamilyToJs(env, nl::ParseFamily(OnlyMessage(env, d))); });
}

// transactMany({pid, seq, steps, requests: [{dump?, ack?, type?, cmd?} |
// {nextMulticast: true}]}) -> {results, sent, waits, eventsLost, stepsLeft}:
// several requests (or nextEvent()-style reads) in turn on one socket
// over one script; each result is {replies: [seq...], warning} or
// {multicast: type | null} or {error: {code, detail}}.
Napi::Value TransactMany(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object spec = ObjectArg(info, 0, "spec");
  std::unique_ptr<ScriptIo> owned = ScriptValue(env, spec.Get("steps"));
  ScriptIo* io = owned.get();
  nl::NlSocket sock(std::move(owned), Uint32Value(env, spec.Get("pid"), "spec.pid"));
  sock.set_seq(Uint32Value(env, spec.Get("seq"), "spec.seq"));
  Napi::Value rv = spec.Get("requests");
  if (!rv.IsArray()) ThrowTypeError(env, "ERR_INVALID_ARG_TYPE", "requests must be an array");
  Napi::Array reqs = rv.As<Napi::Array>();
  Napi::Array results = Napi::Array::New(env, reqs.Length());
  for (uint32_t i = 0; i < reqs.Length(); i++) {
    Napi::Object r = ObjectValue(env, reqs.Get(i), "request");
    Napi::Object out = Napi::Object::New(env);
    try {
      if (r.Get("nextMulticast").ToBoolean()) {
        std::optional<nl::Message> m = sock.NextMulticast(0, {"genl test", {}});
        out.Set("multicast", m ? Napi::Value(Napi::Number::New(env, m->type())) : env.Null());
      } else {
        nl::Expect expect;
        expect.dump = r.Get("dump").ToBoolean();
        if (r.Has("ack")) expect.ack = r.Get("ack").ToBoolean();
        if (r.Has("type")) expect.type = static_cast<int>(IntegerValue(env, r.Get("type"), "type", 0, 0xffff));
        if (r.Has("cmd")) expect.cmd = static_cast<int>(IntegerValue(env, r.Get("cmd"), "cmd", 0, 255));
        nl::MsgBuilder req(static_cast<uint16_t>(expect.type >= 0 ? expect.type : GENL_ID_CTRL), 0);
        req.PutGenlHeader(static_cast<uint8_t>(expect.cmd >= 0 ? expect.cmd : 0), 1);
        nl::Answer a = sock.Request(req, {"genl test", {}}, expect);
        Napi::Array seqs = Napi::Array::New(env, a.replies.size());
        for (uint32_t j = 0; j < a.replies.size(); j++) seqs.Set(j, Napi::Number::New(env, a.replies[j].seq()));
        out.Set("replies", seqs);
        out.Set("warning", Napi::String::New(env, a.warning));
      }
    } catch (const SysError& e) {
      Napi::Object err = Napi::Object::New(env);
      err.Set("code", Napi::String::New(env, ErrnoName(e.err())));
      err.Set("detail", Napi::String::New(env, e.detail()));
      out.Set("error", err);
    }
    results.Set(i, out);
  }
  Napi::Object report = ScriptReport(env, *io, sock);
  report.Set("results", results);
  return report;
}

// vnetCall({op, family, pid, seq, steps, arg}) -> what the GenlSocket
// method op ('echo' | 'get' | 'dump' | 'set' | 'resetStats') returns for
// the scripted answer: the vnet_nl requests and decoders end to end.
// The requests sent are in the report of the error, or `lastSent`.
Napi::Value VnetCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object spec = ObjectArg(info, 0, "spec");
  std::unique_ptr<ScriptIo> owned = ScriptValue(env, spec.Get("steps"));
  ScriptIo* io = owned.get();
  nl::NlSocket sock(std::move(owned), Uint32Value(env, spec.Get("pid"), "spec.pid"));
  sock.set_seq(Uint32Value(env, spec.Get("seq"), "spec.seq"));
  uint16_t family = static_cast<uint16_t>(IntegerValue(env, spec.Get("family"), "spec.family", 0, 0xffff));
  std::string op = StringValue(env, spec.Get("op"), "spec.op");
  Napi::Value arg = spec.Get("arg");
  Napi::Value out;
  try {
    if (op == "echo") {
      out = Napi::String::New(env, Echo(sock, family, StringValue(env, arg, "arg")));
    } else if (op == "get") {
      out = StateToJs(env, Get(sock, family, DevValue(env, arg)));
    } else if (op == "dump") {
      out = StatesToJs(env, Dump(sock, family));
    } else if (op == "set") {
      out = StateToJs(env, Set(sock, family, SetRequestValue(env, arg)));
    } else if (op == "resetStats") {
      out = StateToJs(env, ResetStats(sock, family, DevValue(env, arg)));
    } else {
      ThrowTypeError(env, "ERR_INVALID_ARG_VALUE", "unknown op '" + op + "'");
    }
  } catch (const SysError& e) {
    Napi::Error err = ToJsError(env, e);
    err.Set("script", ScriptReport(env, *io, sock));
    throw err;
  }
  Napi::Object r = ScriptReport(env, *io, sock);
  r.Set("value", out);
  return r;
}

}  // namespace

void InitScriptHooks(Napi::Env env, Napi::Object t) {
  t.Set("vnetCall", Napi::Function::New(env, VnetCall, "vnetCall"));
  t.Set("transactMany", Napi::Function::New(env, TransactMany, "transactMany"));
  t.Set("transact", Napi::Function::New(env, Transact, "transact"));
  t.Set("multicast", Napi::Function::New(env, Multicast, "multicast"));
  t.Set("splitDatagram", Napi::Function::New(env, Split, "splitDatagram"));
  t.Set("parseAck", Napi::Function::New(env, ParseAck, "parseAck"));
  t.Set("parseEvent", Napi::Function::New(env, ParseEventHook, "parseEvent"));
  t.Set("parseFamily", Napi::Function::New(env, ParseFamilyHook, "parseFamily"));
}

}  // namespace vnet
