// GenlSocket.watch(listener, onError?): vnet_nl events delivered to JS as
// they come, by a thread of the addon's own (std::thread: no libuv)
// through a Napi::ThreadSafeFunction.  The subscription has its own
// netlink socket, joined to the "events" group, and runs until stop()
// (or its GenlSocket's close()); while it runs it keeps the process alive
// (unref() lets it exit, like a timer's) and its JS object from being
// collected.  Lost events (the kernel's ENOBUFS) are counted in
// `eventsLost` and reported on the next event as `lostBefore`.  At most
// 1024 events wait for the JS thread; when JS falls further behind, the
// thread stops reading and the kernel drops (and counts) the excess.
#ifndef VNET_ADDON_GENL_WATCH_H
#define VNET_ADDON_GENL_WATCH_H

#include <napi.h>

#include <cstdint>
#include <memory>

namespace vnet {

class WatchCore;

// Opens the socket and starts the thread; the EventSubscription object.
// Throws (synchronously) when the socket cannot be set up.
Napi::Object StartWatch(Napi::Env env, uint16_t family, uint32_t group,
                        Napi::Function listener, Napi::Value on_error,
                        std::shared_ptr<WatchCore>* core);

// Stops a subscription from C++ (GenlSocket.close()); JS thread.
void StopWatch(const std::shared_ptr<WatchCore>& core);

void InitWatch(Napi::Env env);  // defines EventSubscription

}  // namespace vnet

#endif  // VNET_ADDON_GENL_WATCH_H
