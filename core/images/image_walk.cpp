#include "images/image_walk.hpp"

#include <tenon/error.hpp>

#include "gc/gc_marker.hpp"
#include "images/image_documents.hpp"
#include "images/media_types.hpp"

namespace tenon::images {

namespace {

std::string gcRef(const std::string& suffix) { return std::string(gc::kContentRefPrefix) + "." + suffix; }

class Walk {
 public:
  Walk(BlobSource& blobs, const WalkOptions& options) : blobs_(blobs), options_(options) {}

  // Visits `d` in `role`; `required` says whether its absence is an error,
  // `context` what refers to it (for messages). Returns whether it is present.
  bool visit(const metadata::Descriptor& d, const std::string& role, bool required, const std::string& context) {
    if (auto seen = present_.find(d.digest); seen != present_.end()) return seen->second;
    std::optional<std::int64_t> size = blobs_.size(d.digest);
    std::string name = role + " " + d.digest + context;
    present_[d.digest] = size.has_value();
    graph_.blobs.push_back({d, role, size.has_value()});
    if (!size) {
      if (required) fail(TENON_NOT_FOUND, name + " is not in " + options_.source);
      graph_.missing.push_back(name + " is not in " + options_.source + "; left out");
      return false;
    }
    if (*size != d.size)
      fail(TENON_INVALID_ARGUMENT,
           name + " is " + std::to_string(*size) + " bytes, but its descriptor says " + std::to_string(d.size));
    if (media_types::isIndex(d.mediaType)) visitIndex(d, name, required);
    if (media_types::isManifest(d.mediaType)) visitManifest(d, name, required);
    return true;
  }

  ImageGraph result() { return std::move(graph_); }

 private:
  std::string read(const metadata::Descriptor& d, const std::string& name) {
    checkJsonSize(static_cast<std::size_t>(d.size), name);
    return blobs_.read(d.digest, d.size);
  }

  bool requiredFor(const ManifestEntry& entry, bool parentRequired) const {
    switch (options_.missing) {
      case Missing::fail: return true;
      case Missing::skip: return false;
      case Missing::failForHostPlatform:
        return parentRequired && (!entry.platform || matches(options_.platform, *entry.platform));
    }
    return false;
  }

  void visitIndex(const metadata::Descriptor& d, const std::string& name, bool required) {
    IndexDocument index = parseIndex(read(d, name), d.mediaType, name);
    metadata::Labels& labels = graph_.gcLabels[d.digest];
    bool anyPresent = false;
    for (std::size_t i = 0; i < index.manifests.size(); ++i) {
      const ManifestEntry& entry = index.manifests[i];
      labels[gcRef("m." + std::to_string(i))] = entry.descriptor.digest;
      std::string context = entry.platform ? " (" + entry.platform->text() + ")" : "";
      std::string role = media_types::isIndex(entry.descriptor.mediaType) ? "index" : "manifest";
      bool present = visit(entry.descriptor, role, requiredFor(entry, required), context);
      anyPresent = anyPresent || present;
    }
    if (required && options_.missing != Missing::skip && !index.manifests.empty() && !anyPresent)
      fail(TENON_NOT_FOUND, "none of the manifests of " + name + " is in " + options_.source);
  }

  void visitManifest(const metadata::Descriptor& d, const std::string& name, bool required) {
    ManifestDocument manifest = parseManifest(read(d, name), d.mediaType, name);
    metadata::Labels& labels = graph_.gcLabels[d.digest];
    labels[gcRef("config")] = manifest.config.digest;
    for (std::size_t i = 0; i < manifest.layers.size(); ++i)
      labels[gcRef("l." + std::to_string(i))] = manifest.layers[i].digest;
    std::string context = " of " + name;
    visit(manifest.config, "config", required, context);
    for (std::size_t i = 0; i < manifest.layers.size(); ++i)
      visit(manifest.layers[i], "layer", required, context);
  }

  BlobSource& blobs_;
  const WalkOptions& options_;
  ImageGraph graph_;
  std::map<std::string, bool> present_;  // digest → present, for blobs visited
};

}  // namespace

ImageGraph walkImage(BlobSource& blobs, const metadata::Descriptor& root, const WalkOptions& options) {
  Walk walk(blobs, options);
  walk.visit(root, media_types::isIndex(root.mediaType) ? "index" : "manifest",
             options.missing != Missing::skip, "");
  return walk.result();
}

}  // namespace tenon::images
