// Tells systemd (Type=notify) how the daemon is doing; a no-op outside systemd.
#pragma once

namespace tenon::daemon {

void notifyReady();
void notifyStopping();

}  // namespace tenon::daemon
