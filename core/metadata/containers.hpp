// Container records: what to run (image, OCI spec), with which runtime, on
// which snapshot. Only records: the runtime plugin owns the running task.
// Key: <ns>\0<id> in Tables::containers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/labels.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

struct Runtime {
  std::string name;         // a runtime plugin's name, e.g. "runc"
  std::string optionsJson;  // its options as a JSON document, or empty
};

struct Container {
  std::string id;     // [A-Za-z0-9][A-Za-z0-9_.-]*, at most 76 bytes
  std::string image;  // an image name, or empty
  Runtime runtime;
  std::string specJson;     // the OCI runtime spec, kept byte for byte
  std::string snapshotter;  // set when snapshotKey is
  std::string snapshotKey;  // the root filesystem's snapshot, in this namespace
  Labels labels;
  std::int64_t createdAt = 0;  // ns since the epoch; set by create
  std::int64_t updatedAt = 0;
};

// The fields an update replaces. The runtime name and the snapshotter are
// fixed at create (as in containerd): a task may exist under them.
struct ContainerUpdate {
  std::optional<std::string> image{};
  std::optional<std::string> runtimeOptionsJson{};
  std::optional<std::string> specJson{};
  std::optional<std::string> snapshotKey{};
  std::optional<Labels> labels{};
};

namespace containers {

// Records `container` (timestamps set here), creating the namespace if needed.
// Throws already_exists, or invalid_argument naming the bad field.
Container create(WriteTx& tx, std::string_view ns, Container container);
std::optional<Container> find(const ReadTx& tx, std::string_view ns, std::string_view id);
// Throws not_found.
Container get(const ReadTx& tx, std::string_view ns, std::string_view id);
// The namespace's containers in id order.
std::vector<Container> list(const ReadTx& tx, std::string_view ns);
// Replaces the given fields and bumps updatedAt; throws not_found.
Container update(WriteTx& tx, std::string_view ns, std::string_view id, const ContainerUpdate& change);
// Removes the record and returns it; throws not_found.
Container remove(WriteTx& tx, std::string_view ns, std::string_view id);

}  // namespace containers
}  // namespace tenon::metadata
