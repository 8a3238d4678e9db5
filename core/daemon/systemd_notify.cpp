#include "daemon/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

namespace tenon::daemon {

// sd_notify returns 0 when NOTIFY_SOCKET is unset, so these cost nothing elsewhere.
void notifyReady() { sd_notify(0, "READY=1\nSTATUS=serving"); }

void notifyStopping() { sd_notify(0, "STOPPING=1"); }

}  // namespace tenon::daemon
