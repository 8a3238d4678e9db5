#include "containers/container_fields.hpp"

#include <tenon/error.hpp>

namespace tenon::containers {

namespace {

bool isSnapshotKeyField(const std::string& name) { return name == "snapshotKey" || name == "snapshotkey"; }

std::optional<std::string> topLevelField(const metadata::Container& c, const std::string& name) {
  if (name == "id") return c.id;
  if (name == "image") return c.image;
  if (name == "snapshotter") return c.snapshotter;
  if (isSnapshotKeyField(name)) return c.snapshotKey;
  return std::nullopt;
}

// Applies one entry of update's field list to `change`.
void applyField(const std::string& field, const metadata::Container& current, const metadata::Container& wanted,
                metadata::ContainerUpdate& change) {
  if (field == "image") {
    change.image = wanted.image;
  } else if (field == "spec") {
    change.specJson = wanted.specJson;
  } else if (isSnapshotKeyField(field)) {
    change.snapshotKey = wanted.snapshotKey;
  } else if (field == "runtime.options") {
    change.runtimeOptionsJson = wanted.runtime.optionsJson;
  } else if (metadata::applyLabelField(field, current.labels, wanted.labels, change.labels)) {
    return;
  } else if (field == "id" || field == "runtime.name" || field == "runtime" || field == "snapshotter") {
    // A task may run under the runtime and on the snapshotter named at create.
    fail(TENON_INVALID_ARGUMENT, "cannot update field \"" + field + "\": it is fixed when the container is created");
  } else {
    fail(TENON_INVALID_ARGUMENT, "cannot update field \"" + field +
                                     "\": want image, spec, snapshotKey, runtime.options, labels or labels.<key>");
  }
}

}  // namespace

filters::FieldLookup containerFields(const metadata::Container& container) {
  filters::FieldLookup labelled = filters::labelledFields(
      [&container](const std::string& name) { return topLevelField(container, name); }, container.labels);
  return [&container, labelled](const std::vector<std::string>& path) -> std::optional<std::string> {
    if (path.size() == 2 && path[0] == "runtime" && path[1] == "name") return container.runtime.name;
    return labelled(path);
  };
}

metadata::ContainerUpdate changeFor(const metadata::Container& current, const metadata::Container& wanted,
                                    const std::vector<std::string>& fields) {
  static const std::vector<std::string> kDefaultFields = {"image", "spec", "snapshotKey", "labels"};
  metadata::ContainerUpdate change;
  for (const std::string& field : fields.empty() ? kDefaultFields : fields) applyField(field, current, wanted, change);
  return change;
}

nlohmann::json eventPayload(const metadata::Container& container) {
  return {{"id", container.id}, {"image", container.image}, {"runtime", {{"name", container.runtime.name}}}};
}

nlohmann::json updateEventPayload(const metadata::Container& container) {
  nlohmann::json payload = eventPayload(container);
  payload["labels"] = container.labels;
  payload["snapshot_key"] = container.snapshotKey;
  return payload;
}

}  // namespace tenon::containers
