#include "transfer/temporary_lease.hpp"

#include <fmt/format.h>

#include <random>

#include "metadata/leases.hpp"

namespace tenon::transfer {

namespace {

std::int64_t nanosFromNow(std::chrono::nanoseconds delta) {
  auto at = std::chrono::system_clock::now() + delta;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
}

}  // namespace

TemporaryLease::TemporaryLease(metadata::MetadataStore& metadata, std::string ns, const std::string& prefix,
                               metadata::Labels labels, std::chrono::nanoseconds lifetime)
    : metadata_(metadata), ns_(std::move(ns)) {
  std::random_device random;
  id_ = fmt::format("{}-{:08x}{:08x}", prefix, random(), random());
  metadata_.update([&](metadata::WriteTx& tx) {
    metadata::leases::create(tx, ns_, {id_, std::move(labels), 0, nanosFromNow(lifetime)});
  });
}

TemporaryLease::~TemporaryLease() {
  if (released_) return;
  try {
    metadata_.update([&](metadata::WriteTx& tx) { metadata::leases::remove(tx, ns_, id_); });
  } catch (const std::exception&) {
    // It expires on its own.
  }
}

}  // namespace tenon::transfer
