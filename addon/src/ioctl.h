// Interface ioctls: the socket they go through and the one helper that
// issues them (counted, errors named after the request).
#ifndef VNET_ADDON_IOCTL_H
#define VNET_ADDON_IOCTL_H

#include <net/if.h>

#include <string>

#include "fd.h"

namespace vnet {

// socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0), as ifconfig uses.
Fd InetDgramSocket();

// An ifreq with ifr_name set (name already validated: < IFNAMSIZ).
struct ifreq MakeIfreq(const std::string& ifname);

// ioctl(fd, request, &ifr); throws SysError(errno, "ioctl(<reqname>)",
// ifname) on failure.
void IfIoctl(const Fd& fd, unsigned long request, const char* reqname,
             struct ifreq& ifr);

}  // namespace vnet

#endif  // VNET_ADDON_IOCTL_H
