#include "push/push_plan.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tenon/error.hpp>

#include "images/image_documents.hpp"
#include "images/media_types.hpp"
#include "transfer/sha256.hpp"
#include "unpack/platform_choice.hpp"

namespace tenon::push {
namespace {

// The documents of `graph` below (and including) `digest`, children before
// parents. The walk lists parents first, which is wrong for a child shared
// by two parents; its GC labels are the edges, so they give the order.
void childrenFirst(const images::ImageGraph& graph, const std::string& digest, std::set<std::string>& seen,
                   std::vector<std::string>& order) {
  if (!seen.insert(digest).second) return;
  if (auto edges = graph.gcLabels.find(digest); edges != graph.gcLabels.end())
    for (const auto& [key, child] : edges->second) childrenFirst(graph, child, seen, order);
  order.push_back(digest);
}

class Planner {
 public:
  Planner(images::BlobSource& blobs, const std::string& image) : blobs_(blobs), image_(image) {}

  // Adds what `top` reaches; `top` itself is a document below the root unless it is the root.
  void add(const metadata::Descriptor& top, bool isRoot) {
    images::ImageGraph graph =
        images::walkImage(blobs_, top, {images::Missing::fail, "the content store of " + image_});
    std::map<std::string, const images::ImageBlob*> byDigest;
    for (const images::ImageBlob& blob : graph.blobs) byDigest[blob.descriptor.digest] = &blob;
    std::vector<std::string> order;
    childrenFirst(graph, top.digest, seen_, order);
    for (const std::string& digest : order) {
      auto found = byDigest.find(digest);
      if (found == byDigest.end() || (isRoot && digest == top.digest)) continue;
      const images::ImageBlob& blob = *found->second;
      bool document = blob.role == "index" || blob.role == "manifest";
      (document ? plan_.documents : plan_.blobs).push_back(blob);
    }
  }

  PushPlan& plan() { return plan_; }

 private:
  images::BlobSource& blobs_;
  const std::string& image_;
  std::set<std::string> seen_;
  PushPlan plan_;
};

std::string readDocument(images::BlobSource& blobs, const metadata::Descriptor& d, const std::string& what) {
  std::optional<std::int64_t> size = blobs.size(d.digest);
  if (!size) fail(TENON_NOT_FOUND, what + " is not in the content store");
  if (*size != d.size)
    fail(TENON_INVALID_ARGUMENT,
         what + " is " + std::to_string(*size) + " bytes, but its descriptor says " + std::to_string(d.size));
  images::checkJsonSize(static_cast<std::size_t>(d.size), what);
  return blobs.read(d.digest, d.size);
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// The positions of the index's entries that one of `choices` accepts.
std::vector<std::size_t> matchingEntries(const images::IndexDocument& index,
                                         const std::vector<unpack::PlatformChoice>& choices) {
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < index.manifests.size(); ++i) {
    const auto& platform = index.manifests[i].platform;
    bool accepted = !platform;
    for (const auto& choice : choices) accepted = accepted || choice.accepts(*platform);
    if (accepted) kept.push_back(i);
  }
  return kept;
}

// `bytes` (an index) with only the entries at `kept`, every other field as it was.
std::string filteredIndex(const std::string& bytes, const std::vector<std::size_t>& kept) {
  auto index = nlohmann::ordered_json::parse(bytes);
  auto manifests = nlohmann::ordered_json::array();
  for (std::size_t i : kept) manifests.push_back(index["manifests"][i]);
  index["manifests"] = std::move(manifests);
  return index.dump();
}

}  // namespace

PushPlan planPush(images::BlobSource& blobs, const metadata::Descriptor& target, const std::string& image,
                  const std::vector<std::string>& platforms) {
  Planner planner(blobs, image);
  if (platforms.empty() || !images::media_types::isIndex(target.mediaType)) {
    // A manifest is pushed as it is, whatever the platforms (as unpack takes it).
    planner.add(target, true);
    planner.plan().root = target;
    return std::move(planner.plan());
  }
  std::vector<unpack::PlatformChoice> choices;
  for (const std::string& platform : platforms) choices.push_back(unpack::choosePlatform(platform));
  std::string what = "index " + target.digest + " of " + image;
  std::string bytes = readDocument(blobs, target, what);
  images::IndexDocument index = images::parseIndex(bytes, target.mediaType, what);
  std::vector<std::size_t> kept = matchingEntries(index, choices);
  if (kept.empty()) {
    std::vector<std::string> offered;
    for (const auto& entry : index.manifests) offered.push_back(entry.platform ? entry.platform->text() : "none");
    fail(TENON_NOT_FOUND, "no manifest of " + image + " is for " + joined(platforms) + " (it has " +
                              (offered.empty() ? "no manifests" : joined(offered)) + ")");
  }
  if (kept.size() == 1) {
    planner.add(index.manifests[kept.front()].descriptor, true);
    planner.plan().root = index.manifests[kept.front()].descriptor;
  } else if (kept.size() == index.manifests.size()) {
    planner.add(target, true);
    planner.plan().root = target;
  } else {
    for (std::size_t i : kept) planner.add(index.manifests[i].descriptor, false);
    PushPlan& plan = planner.plan();
    plan.madeRootBytes = filteredIndex(bytes, kept);
    plan.root = {target.mediaType, transfer::sha256Of(plan.madeRootBytes),
                 static_cast<std::int64_t>(plan.madeRootBytes.size()), target.annotations};
  }
  return std::move(planner.plan());
}

}  // namespace tenon::push
