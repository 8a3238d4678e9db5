#include "metadata/images.hpp"

#include <algorithm>

#include "metadata/record_keys.hpp"
#include "metadata/record_table.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata::images {

namespace {

// OCI annotations are not labels: values such as descriptions may be long.
constexpr std::size_t kMaxAnnotationBytes = 64 * 1024;

Json encodeDescriptor(const Descriptor& d) {
  return {{"mediaType", d.mediaType}, {"digest", d.digest}, {"size", d.size}, {"annotations", d.annotations}};
}

Descriptor decodeDescriptor(const Json& j) {
  return {j.at("mediaType").get<std::string>(), j.at("digest").get<std::string>(), j.at("size").get<std::int64_t>(),
          j.value("annotations", Labels{})};
}

Json encode(const Image& image) {
  return {{"v", kRecordVersion},    {"name", image.name},           {"target", encodeDescriptor(image.target)},
          {"labels", image.labels}, {"createdAt", image.createdAt}, {"updatedAt", image.updatedAt}};
}

Image decode(const Json& j) {
  return {j.at("name").get<std::string>(), decodeDescriptor(j.at("target")), j.value("labels", Labels{}),
          j.value("createdAt", std::int64_t{0}), j.value("updatedAt", std::int64_t{0})};
}

constexpr RecordTable<Image> kTable{&Tables::images, {encode, decode}};

RecordRef ref(std::string_view ns, std::string_view name) {
  validateNamespace(ns);
  validateImageName(name);
  return {recordKey({ns, name}), "image " + quote(name) + " in namespace " + quote(ns)};
}

void validateTarget(const Descriptor& target) {
  if (target.mediaType.empty()) fail(TENON_INVALID_ARGUMENT, "an image target needs a media type");
  validateUtf8("media type", target.mediaType);
  validateDigest(target.digest);
  if (target.size < 0) fail(TENON_INVALID_ARGUMENT, "invalid target size " + std::to_string(target.size));
  validateLabels("annotation", target.annotations, kMaxAnnotationBytes);
}

}  // namespace

Image create(WriteTx& tx, std::string_view ns, Image image) {
  RecordRef r = ref(ns, image.name);
  validateTarget(image.target);
  validateLabels("label", image.labels);
  return kTable.create(tx, ns, r, std::move(image));
}

std::optional<Image> find(const ReadTx& tx, std::string_view ns, std::string_view name) {
  return kTable.find(tx, ref(ns, name));
}

Image get(const ReadTx& tx, std::string_view ns, std::string_view name) { return kTable.get(tx, ref(ns, name)); }

std::vector<Image> list(const ReadTx& tx, std::string_view ns, std::string_view namePrefix) {
  validateNamespace(ns);
  std::string prefix = keyPrefix({ns}) + std::string(namePrefix);
  auto out =
      kTable.list(tx, foldSafePrefix(prefix), [&](const Image& image) { return image.name.starts_with(namePrefix); });
  // Key order is name order except for folded (very long) names.
  std::sort(out.begin(), out.end(), [](const Image& a, const Image& b) { return a.name < b.name; });
  return out;
}

Image update(WriteTx& tx, std::string_view ns, std::string_view name, const ImageUpdate& change) {
  RecordRef r = ref(ns, name);
  if (change.target) validateTarget(*change.target);
  if (change.labels) validateLabels("label", *change.labels);
  return kTable.modify(tx, r, [&](Image& image) {
    if (change.target) image.target = *change.target;
    if (change.labels) image.labels = *change.labels;
    image.updatedAt = tx.after(image.updatedAt);
  });
}

Image remove(WriteTx& tx, std::string_view ns, std::string_view name) { return kTable.erase(tx, ref(ns, name)); }

}  // namespace tenon::metadata::images
