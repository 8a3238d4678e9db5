// metrics.call-counter: a metrics plugin written with the SDK's C++ helper alone.
// Its one service reports how many times it has been asked for samples; it
// offers no OOM watching (NULL entries: the core answers not_implemented).
#include <tenon/tenon.h>

#include <tenon/plugin.hpp>

#include <atomic>
#include <string>

namespace {

class CallCounter {
 public:
  explicit CallCounter(tenon::Host host) : host_(host) {
    host_.registerService(TENON_PLUGIN_METRICS, "call-counter", &kTable, this);
    host_.info("call counter ready, config: " + std::string(host_.configToml()));
  }
  ~CallCounter() { host_.info("call counter stopping"); }
  CallCounter(const CallCounter&) = delete;
  CallCounter& operator=(const CallCounter&) = delete;

 private:
  static tenon_status collect(void* self, const tenon_metrics_target*, tenon_metric_sink sink, void* ctx,
                              tenon_error*) {
    auto* counter = static_cast<CallCounter*>(self);
    tenon_metric_sample sample{};
    sample.struct_size = sizeof sample;
    sample.name = "call_counter.calls";
    sample.value = static_cast<double>(++counter->calls_);
    return sink(ctx, &sample);
  }

  static constexpr tenon_metrics_service kTable = {sizeof(tenon_metrics_service), &collect, nullptr, nullptr};

  tenon::Host host_;
  std::atomic<unsigned long> calls_{0};  // the core may call from several threads at once
};

}  // namespace

TENON_DEFINE_PLUGIN(CallCounter, TENON_PLUGIN_METRICS, "call-counter", "1.0")
