#include "registry_upload.hpp"

#include <doctest/doctest.h>

#include "text_lines.hpp"

namespace tenon::test {

RegistryUpload::RegistryUpload(const LocalRegistry &registry,
                               std::string repository,
                               std::optional<RegistryUser> user)
    : registry_(registry), repository_(std::move(repository)),
      user_(std::move(user)) {}

RegistryUpload::Response
RegistryUpload::curl(const std::string &method, const std::string &url,
                     const std::vector<std::string> &args) const {
  std::vector<std::string> argv = {
      "curl",           "-sS", "-X",          method, "-o", dir_ / "body", "-D",
      dir_ / "headers", "-w",  "%{http_code}"};
  if (user_)
    argv.insert(argv.end(), {"-u", user_->colonJoined()});
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  ProcessResult result =
      runProcess(argv, {.env = {}, .timeout = std::chrono::seconds(60)});
  REQUIRE_MESSAGE(result.status.code == 0, "curl -X ", method, " ", url,
                  " failed: ", result.err);
  return {result.out, readFile(dir_ / "headers"), readFile(dir_ / "body")};
}

void RegistryUpload::blob(const std::string &bytes) const {
  std::string digest = sha256Of(bytes);
  Response started = curl(
      "POST", registry_.url() + "/v2/" + repository_ + "/blobs/uploads/", {});
  REQUIRE_MESSAGE(started.status == "202", "starting an upload to ",
                  repository_, ": ", started.status, " ", started.body);
  std::string location;
  for (const std::string &line : lines(started.headers))
    if (line.size() > 9 &&
        (line.starts_with("Location:") || line.starts_with("location:"))) {
      location = line.substr(9);
      location.erase(0, location.find_first_not_of(' '));
      if (!location.empty() && location.back() == '\r')
        location.pop_back();
    }
  REQUIRE_MESSAGE(!location.empty(),
                  "the registry gave no upload location: ", started.headers);
  if (location.starts_with("/"))
    location = registry_.url() + location;
  writeFile(dir_ / "blob", bytes);
  Response put = curl(
      "PUT",
      location + (contains(location, "?") ? "&" : "?") + "digest=" + digest,
      {"-H", "Content-Type: application/octet-stream", "-T", dir_ / "blob"});
  REQUIRE_MESSAGE(put.status == "201", "uploading ", digest, " to ",
                  repository_, ": ", put.status, " ", put.body);
}

std::string RegistryUpload::manifest(const std::string &reference,
                                     const std::string &mediaType,
                                     const std::string &bytes) const {
  writeFile(dir_ / "manifest", bytes);
  Response put = curl(
      "PUT", registry_.url() + "/v2/" + repository_ + "/manifests/" + reference,
      {"-H", "Content-Type: " + mediaType, "-T", dir_ / "manifest"});
  REQUIRE_MESSAGE(put.status == "201", "putting manifest ", repository_, ":",
                  reference, ": ", put.status, " ", put.body);
  return sha256Of(bytes);
}

std::string RegistryUpload::image(const OciImage &image,
                                  const std::string &tag) const {
  const nlohmann::json &descriptors = image.manifest.at("layers");
  for (size_t i = 0; i < image.layers.size(); ++i)
    if (!descriptors.at(i).contains("urls"))
      blob(image.layers[i].blob);
  blob(image.config);
  return manifest(tag, image.manifest.at("mediaType").get<std::string>(),
                  image.manifestBytes());
}

std::string RegistryUpload::index(const std::vector<OciImage> &images,
                                  const std::string &tag) const {
  for (const OciImage &one : images)
    image(one, one.digest());
  return manifest(tag, kOciIndexType, indexOf(images));
}

void skopeoCopy(const std::string &from, const std::string &to,
                const std::vector<std::string> &args) {
  std::vector<std::string> argv = {"skopeo", "--insecure-policy", "copy",
                                   "--src-tls-verify=false",
                                   "--dest-tls-verify=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {from, to});
  ProcessResult copied =
      runProcess(argv, {.env = {}, .timeout = std::chrono::seconds(120)});
  REQUIRE_MESSAGE(copied.status.code == 0, "skopeo copy ", from, " ", to,
                  " failed: ", copied.err);
}

} // namespace tenon::test
