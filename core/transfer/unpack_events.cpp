#include "transfer/unpack_events.hpp"

namespace tenon::transfer {

unpack::UnpackProgress unpackEvents(ProgressChannel& channel, const std::string& image) {
  return [&channel, image](const unpack::UnpackEvent& event) {
    std::string message = event.reused ? "already unpacked" : "";
    std::string ref = event.layer.empty() ? image : event.layer;
    channel.send({"unpack", ref, event.chainId, event.bytes, event.total, event.done, message});
  };
}

}  // namespace tenon::transfer
