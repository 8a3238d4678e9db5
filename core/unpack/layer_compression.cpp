#include "unpack/layer_compression.hpp"

#include <array>
#include <string>
#include <tenon/error.hpp>
#include <utility>

namespace tenon::unpack {

namespace {

// Every layer media type containerd's unpacker accepts (images/mediatypes.go),
// the non-distributable (foreign) ones included: their bytes are as good once
// they are in the content store.
constexpr std::array<std::pair<std::string_view, Compression>, 11> kLayerTypes{{
    {"application/vnd.oci.image.layer.v1.tar", Compression::none},
    {"application/vnd.oci.image.layer.v1.tar+gzip", Compression::gzip},
    {"application/vnd.oci.image.layer.v1.tar+zstd", Compression::zstd},
    {"application/vnd.oci.image.layer.nondistributable.v1.tar", Compression::none},
    {"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", Compression::gzip},
    {"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", Compression::zstd},
    {"application/vnd.docker.image.rootfs.diff.tar", Compression::none},
    {"application/vnd.docker.image.rootfs.diff.tar.gzip", Compression::gzip},
    {"application/vnd.docker.image.rootfs.diff.tar.zstd", Compression::zstd},
    {"application/vnd.docker.image.rootfs.foreign.diff.tar", Compression::none},
    {"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", Compression::gzip},
}};

}  // namespace

Compression layerCompression(std::string_view mediaType) {
  for (const auto& [type, compression] : kLayerTypes)
    if (type == mediaType) return compression;
  fail(TENON_INVALID_ARGUMENT, "unsupported layer media type \"" + std::string(mediaType) +
                                   "\": unpack takes OCI or Docker layers that are tar, tar+gzip or tar+zstd");
}

const char* compressionName(Compression compression) {
  switch (compression) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return "unknown";
}

}  // namespace tenon::unpack
