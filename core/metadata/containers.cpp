#include "metadata/containers.hpp"

#include "metadata/record_keys.hpp"
#include "metadata/record_table.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata::containers {

namespace {

Json encode(const Container& c) {
  return {{"v", kRecordVersion},
          {"id", c.id},
          {"image", c.image},
          {"runtime", {{"name", c.runtime.name}, {"options", c.runtime.optionsJson}}},
          {"spec", c.specJson},
          {"snapshotter", c.snapshotter},
          {"snapshotKey", c.snapshotKey},
          {"labels", c.labels},
          {"createdAt", c.createdAt},
          {"updatedAt", c.updatedAt}};
}

Container decode(const Json& j) {
  const Json& runtime = j.at("runtime");
  return {j.at("id").get<std::string>(),
          j.value("image", std::string{}),
          {runtime.at("name").get<std::string>(), runtime.value("options", std::string{})},
          j.value("spec", std::string{}),
          j.value("snapshotter", std::string{}),
          j.value("snapshotKey", std::string{}),
          j.value("labels", Labels{}),
          j.value("createdAt", std::int64_t{0}),
          j.value("updatedAt", std::int64_t{0})};
}

constexpr RecordTable<Container> kTable{&Tables::containers, {encode, decode}};

RecordRef ref(std::string_view ns, std::string_view id) {
  validateNamespace(ns);
  validateIdentifier("container id", id);
  return {recordKey({ns, id}), "container " + quote(id) + " in namespace " + quote(ns)};
}

// Everything but the id, which ref() checks.
void validateFields(const Container& c) {
  if (!c.image.empty()) validateImageName(c.image);
  validateIdentifier("runtime name", c.runtime.name);
  validateJsonText("runtime options", c.runtime.optionsJson);
  validateJsonText("OCI spec", c.specJson);
  if (!c.snapshotter.empty()) validateIdentifier("snapshotter", c.snapshotter);
  if (!c.snapshotKey.empty()) {
    validateKey("snapshot key", c.snapshotKey);
    if (c.snapshotter.empty())
      fail(TENON_INVALID_ARGUMENT, "container " + quote(c.id) + " names a snapshot key but no snapshotter");
  }
  validateLabels("label", c.labels);
}

}  // namespace

Container create(WriteTx& tx, std::string_view ns, Container container) {
  RecordRef r = ref(ns, container.id);
  validateFields(container);
  return kTable.create(tx, ns, r, std::move(container));
}

std::optional<Container> find(const ReadTx& tx, std::string_view ns, std::string_view id) {
  return kTable.find(tx, ref(ns, id));
}

Container get(const ReadTx& tx, std::string_view ns, std::string_view id) { return kTable.get(tx, ref(ns, id)); }

std::vector<Container> list(const ReadTx& tx, std::string_view ns) {
  validateNamespace(ns);
  return kTable.list(tx, keyPrefix({ns}));
}

Container update(WriteTx& tx, std::string_view ns, std::string_view id, const ContainerUpdate& change) {
  RecordRef r = ref(ns, id);
  Container c = kTable.get(tx, r);
  if (change.image) c.image = *change.image;
  if (change.runtimeOptionsJson) c.runtime.optionsJson = *change.runtimeOptionsJson;
  if (change.specJson) c.specJson = *change.specJson;
  if (change.snapshotKey) c.snapshotKey = *change.snapshotKey;
  if (change.labels) c.labels = *change.labels;
  validateFields(c);
  c.updatedAt = tx.after(c.updatedAt);
  kTable.put(tx, r, c);
  return c;
}

Container remove(WriteTx& tx, std::string_view ns, std::string_view id) { return kTable.erase(tx, ref(ns, id)); }

}  // namespace tenon::metadata::containers
