// Putting images into a registry: over its HTTP API with curl (blob uploads and
// manifest PUTs, for images no tool would push: hostile layers, foreign URLs,
// indexes of our own), and with skopeo (what users push with).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "local_registry.hpp"
#include "oci_image.hpp"

namespace tenon::test {

class RegistryUpload {
public:
  // Uploads into `repository` ("test/busybox") of `registry`, as `user` when
  // given (Basic auth).
  RegistryUpload(const LocalRegistry &registry, std::string repository,
                 std::optional<RegistryUser> user = {});

  // POST then PUT ?digest= (a monolithic upload); REQUIREs 201.
  void blob(const std::string &bytes) const;
  // PUT /v2/<repository>/manifests/<reference> with `mediaType` as
  // Content-Type; REQUIREs 201. Returns the manifest's digest.
  std::string manifest(const std::string &reference,
                       const std::string &mediaType,
                       const std::string &bytes) const;
  // The image's layers (but those its manifest gives URLs to fetch from),
  // config and manifest, tagged `tag`. Returns the manifest's digest.
  std::string image(const OciImage &image, const std::string &tag) const;
  // Each image by digest, then their index tagged `tag`. Returns the index's
  // digest.
  std::string index(const std::vector<OciImage> &images,
                    const std::string &tag) const;

private:
  struct Response {
    std::string status, headers, body;
  };
  Response curl(const std::string &method, const std::string &url,
                const std::vector<std::string> &args) const;

  const LocalRegistry &registry_;
  std::string repository_;
  std::optional<RegistryUser> user_;
  TempDir dir_{"tenon-registry-upload"};
};

// `skopeo --insecure-policy copy [args...] FROM TO`, REQUIRing success:
// registries are reached over plain HTTP (--src-/--dest-tls-verify=false).
void skopeoCopy(const std::string &from, const std::string &to,
                const std::vector<std::string> &args = {});

} // namespace tenon::test
