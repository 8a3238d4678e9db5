#include "image_summary.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <set>

#include "../errors.hpp"

namespace tenon::ctr {
namespace {

using Json = nlohmann::json;

// Documents larger than this are not read: the daemon refuses them anyway.
constexpr int64_t kMaxDocument = int64_t{20} << 20;

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

struct Blob {
  std::string mediaType, digest;
  int64_t size = 0;
  std::string platform;  // from an index entry; "" when it names none
};

// Fields of documents anyone may have ingested: a wrong type reads as absent.
std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t num(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string platformText(const Json& p) {
  std::string text = str(p, "os") + "/" + str(p, "architecture");
  if (!str(p, "variant").empty()) text += "/" + str(p, "variant");
  return text;
}

// The platform ctr runs on, as OCI names it.
std::string hostPlatform() {
#if defined(__x86_64__)
  return "linux/amd64";
#elif defined(__aarch64__)
  return "linux/arm64";
#else
  return "";
#endif
}

// Appends a blob's bytes to memory; Content.read streams into it.
class MemorySink final : public rpc::ByteSink::Server {
 public:
  explicit MemorySink(std::shared_ptr<std::string> bytes) : bytes_(std::move(bytes)) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    auto data = context.getParams().getData();
    if (static_cast<int64_t>(bytes_->size() + data.size()) > kMaxDocument)
      return KJ_EXCEPTION(FAILED, "document too large");
    bytes_->append(reinterpret_cast<const char*>(data.begin()), data.size());
    return kj::READY_NOW;
  }
  kj::Promise<void> done(DoneContext) override { return kj::READY_NOW; }

 private:
  std::shared_ptr<std::string> bytes_;
};

class Walk {
 public:
  Walk(Connection& connection, rpc::Content::Client& content, bool checkLayers)
      : connection_(connection), content_(content), checkLayers_(checkLayers) {}

  void image(const Blob& target) {
    summary_.size += target.size;
    if (target.mediaType == kOciIndex || target.mediaType == kDockerList) {
      auto document = read(target);
      if (!document) return;
      std::vector<Blob> manifests = children(*document, "manifests");
      const Blob* chosen = nullptr;
      for (const Blob& m : manifests) {
        if (!m.platform.empty()) summary_.platforms.push_back(m.platform);
        if (chosen == nullptr && (m.platform.empty() || m.platform.starts_with(hostPlatform()))) chosen = &m;
      }
      for (const Blob& m : manifests) {
        if (&m == chosen) {
          summary_.size += m.size;
          manifest(m, true);
        } else if (checkLayers_) {
          manifest(m, false);
        }
      }
    } else if (target.mediaType == kOciManifest || target.mediaType == kDockerManifest) {
      manifest(target, true);
    }
  }

  ImageSummary result() { return std::move(summary_); }

 private:
  // The blob's bytes, or nullopt (and noted as missing) when the store lacks it.
  std::optional<std::string> read(const Blob& blob) {
    if (!present(blob) || blob.size > kMaxDocument) return std::nullopt;
    auto bytes = std::make_shared<std::string>();
    auto request = content_.readRequest();
    connection_.setContext(request.initCtx());
    request.setDigest(blob.digest);
    request.setSink(kj::heap<MemorySink>(bytes));
    try {
      connection_.wait(request.send());
    } catch (const kj::Exception&) {
      return std::nullopt;
    }
    return *bytes;
  }

  bool present(const Blob& blob) {
    if (!seen_.insert(blob.digest).second) return !missingSet_.count(blob.digest);
    ++summary_.blobs;
    auto request = content_.infoRequest();
    connection_.setContext(request.initCtx());
    request.setDigest(blob.digest);
    try {
      connection_.wait(request.send());
      return true;
    } catch (const kj::Exception&) {
      if (describe(std::current_exception()).code != "not_found") throw;
    }
    missingSet_.insert(blob.digest);
    summary_.missing.push_back(blob.digest);
    return false;
  }

  void manifest(const Blob& blob, bool counted) {
    auto document = read(blob);
    if (!document) return;
    Json j = Json::parse(*document, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    std::vector<Blob> parts = children(j, "layers");
    if (j.contains("config") && j["config"].is_object()) parts.insert(parts.begin(), descriptor(j["config"]));
    for (size_t i = 0; i < parts.size(); ++i) {
      if (counted) summary_.size += parts[i].size;
      bool isConfig = i == 0 && j.contains("config");
      if (isConfig && blob.platform.empty()) platformOf(parts[i]);
      else if (checkLayers_) present(parts[i]);
    }
  }

  // A manifest reached without an index: its platform is in its config.
  void platformOf(const Blob& config) {
    auto document = read(config);
    if (!document) return;
    Json j = Json::parse(*document, nullptr, false);
    if (j.is_discarded() || !j.is_object() || str(j, "os").empty()) return;
    summary_.platforms.push_back(platformText(j));
  }

  static Blob descriptor(const Json& j) {
    Blob blob{str(j, "mediaType"), str(j, "digest"), num(j, "size"), ""};
    if (auto p = j.find("platform"); p != j.end() && p->is_object()) blob.platform = platformText(*p);
    return blob;
  }

  static std::vector<Blob> children(const Json& document, const char* field) {
    std::vector<Blob> out;
    if (document.contains(field) && document[field].is_array())
      for (const Json& d : document[field])
        if (d.is_object()) out.push_back(descriptor(d));
    return out;
  }

  std::vector<Blob> children(const std::string& bytes, const char* field) {
    Json j = Json::parse(bytes, nullptr, false);
    return j.is_object() ? children(j, field) : std::vector<Blob>{};
  }

  Connection& connection_;
  rpc::Content::Client& content_;
  bool checkLayers_;
  ImageSummary summary_;
  std::set<std::string> seen_, missingSet_;
};

}  // namespace

ImageSummary summarizeImage(Connection& connection, rpc::Content::Client& content, rpc::Descriptor::Reader target,
                            bool checkLayers) {
  Walk walk(connection, content, checkLayers);
  walk.image({toString(target.getMediaType()), toString(target.getDigest()), target.getSize(), ""});
  return walk.result();
}

}  // namespace tenon::ctr
