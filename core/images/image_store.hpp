// Image records with what keeps their content alive: creating an image, or
// pointing one at a new target, labels the namespace's content records along
// the image's graph (index → manifests, manifest → config and layers, with
// tenon.io/gc.ref.content.* labels) in the same metadata transaction as the
// record itself, so that the image root reaches every blob and GC never sees
// one without the other.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "content/content_store.hpp"
#include "filters/filter.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"

namespace tenon::images {

// Parent digest → the tenon.io/gc.ref.content.* labels naming its children.
using GcLabels = std::map<std::string, metadata::Labels>;

class ImageStore {
 public:
  // `content` is null when no content plugin loaded: images are then recorded
  // without walking (and labelling) their content.
  ImageStore(metadata::MetadataStore& metadata, const content::ContentStore* content)
      : metadata_(metadata), content_(content) {}

  metadata::Image get(const std::string& ns, const std::string& name) const;
  std::vector<metadata::Image> list(const std::string& ns, const filters::Filter& filter) const;
  // already_exists when the name is taken.
  metadata::Image create(const std::string& ns, metadata::Image image);
  // Changes the image wanted.name: `fields` lists what to take from `wanted`:
  // "target", "labels" (all of them) or "labels.<key>" (that one, removed when
  // `wanted` lacks it); none means target and labels. invalid_argument for another field.
  metadata::Image update(const std::string& ns, const metadata::Image& wanted, const std::vector<std::string>& fields);
  metadata::Image remove(const std::string& ns, const std::string& name);

 private:
  // The labels the target's graph needs, from the blobs the namespace holds
  // (absent ones are skipped: an image may name content not yet fetched).
  GcLabels gcLabelsFor(const std::string& ns, const metadata::Descriptor& target) const;

  metadata::MetadataStore& metadata_;
  const content::ContentStore* content_;
};

// Adds `labels` to the namespace's content records that exist (others are skipped).
void applyGcLabels(metadata::WriteTx& tx, std::string_view ns, const GcLabels& labels);

// Creates `image`, or points the image of that name at image.target, keeping its labels.
metadata::Image putImage(metadata::WriteTx& tx, std::string_view ns, const metadata::Image& image);

// The fields image filters can name: name, labels.<key>, target.digest, target.mediatype.
filters::FieldLookup imageFields(const metadata::Image& image);

}  // namespace tenon::images
