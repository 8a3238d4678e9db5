// Decompression of layers by media type, through LayerStream: round trips of
// plain, gzip and zstd tars made with libarchive, the diff_id over the whole
// uncompressed stream, and the bounds that stop bombs.
#include <doctest/doctest.h>
#include <zstd.h>

#include <cstring>
#include <tenon/error.hpp>

#include "layer_tar.hpp"
#include "transfer/sha256.hpp"
#include "unpack/layer_stream.hpp"
#include "thrown_error.hpp"

using namespace tenon;
using namespace tenon::unpack;
using namespace tenon::unpack::test;

namespace {

// A source handing out `bytes` in chunks of at most `chunk`, as a download would.
ByteSource sourceOf(std::string bytes, std::size_t chunk = 4096) {
  auto data = std::make_shared<std::string>(std::move(bytes));
  auto offset = std::make_shared<std::size_t>(0);
  return [data, offset, chunk](void* buffer, std::size_t max) {
    std::size_t n = std::min({max, chunk, data->size() - *offset});
    std::memcpy(buffer, data->data() + *offset, n);
    *offset += n;
    return n;
  };
}

std::string readAll(LayerStream& stream) {
  std::string out;
  char buffer[3000];  // odd on purpose: reads end mid-block
  while (std::size_t n = stream.read(buffer, sizeof buffer)) out.append(buffer, n);
  return out;
}

using tenon::test::errorFrom;

std::vector<TarEntry> someFiles() {
  std::string big(300000, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  return {dir("bin"), file("bin/tool", big, 0755), file("etc/motd", "hello\n"), symLink("bin/sh", "tool")};
}

// A zstd frame header declaring a 2 GiB window (Window_Descriptor exponent
// 21: 2^(10+21)), then one raw block: RFC 8878 §3.1.1.1.
std::string zstdFrameWithHugeWindow() {
  std::string frame("\x28\xb5\x2f\xfd", 4);
  frame += '\x00';                          // Frame_Header_Descriptor: no content size, not single-segment
  frame += static_cast<char>(21 << 3);      // Window_Descriptor
  std::uint32_t header = 1 | (0 << 1) | (5 << 3);  // last block, raw, 5 bytes
  frame += static_cast<char>(header & 0xff);
  frame += static_cast<char>((header >> 8) & 0xff);
  frame += static_cast<char>((header >> 16) & 0xff);
  frame += "hello";
  return frame;
}

}  // namespace

TEST_CASE("layer media types choose the decompressor; an unknown one is refused by name") {
  CHECK(layerCompression("application/vnd.oci.image.layer.v1.tar") == Compression::none);
  CHECK(layerCompression("application/vnd.oci.image.layer.v1.tar+gzip") == Compression::gzip);
  CHECK(layerCompression("application/vnd.oci.image.layer.v1.tar+zstd") == Compression::zstd);
  CHECK(layerCompression("application/vnd.docker.image.rootfs.diff.tar.gzip") == Compression::gzip);
  CHECK(layerCompression("application/vnd.docker.image.rootfs.diff.tar") == Compression::none);
  Error e = errorFrom([] { layerCompression("application/vnd.oci.image.layer.v1.tar+bzip2"); });
  CHECK(e.code() == TENON_INVALID_ARGUMENT);
  CHECK(std::string(e.what()).find("application/vnd.oci.image.layer.v1.tar+bzip2") != std::string::npos);
}

TEST_CASE("plain, gzip and zstd layers read back as the tar they compress, and hash to its diff_id") {
  std::string tar = makeTar(someFiles());
  std::pair<Compression, TarFilter> kinds[] = {
      {Compression::none, TarFilter::none}, {Compression::gzip, TarFilter::gzip}, {Compression::zstd, TarFilter::zstd}};
  for (auto [compression, filter] : kinds) {
    CAPTURE(compressionName(compression));
    std::string blob = makeTar(someFiles(), filter);
    if (compression != Compression::none) CHECK(blob != tar);
    LayerStream stream(sourceOf(blob), compression, kDefaultMaxLayerBytes);
    CHECK(readAll(stream) == tar);
    CHECK(stream.diffId() == transfer::sha256Of(tar));
    CHECK(stream.uncompressedBytes() == tar.size());
  }
}

TEST_CASE("concatenated gzip members read as one stream, as pigz and cat write them") {
  std::string tar = makeTar(someFiles());
  std::string half1 = tar.substr(0, 100000), half2 = tar.substr(100000);
  // Each half gzipped on its own, with libarchive's raw format.
  auto gzip = [](const std::string& bytes) {
    std::string out;
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_raw(a.get());
    archive_write_add_filter_gzip(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);  // no zero padding after the member
    auto write = [](struct archive*, void* self, const void* data, size_t size) -> la_ssize_t {
      static_cast<std::string*>(self)->append(static_cast<const char*>(data), size);
      return static_cast<la_ssize_t>(size);
    };
    REQUIRE(archive_write_open(a.get(), &out, nullptr, write, nullptr) == ARCHIVE_OK);
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
    REQUIRE(archive_write_header(a.get(), e.get()) == ARCHIVE_OK);
    REQUIRE(archive_write_data(a.get(), bytes.data(), bytes.size()) == static_cast<la_ssize_t>(bytes.size()));
    REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
    return out;
  };
  LayerStream stream(sourceOf(gzip(half1) + gzip(half2), 777), Compression::gzip, kDefaultMaxLayerBytes);
  CHECK(readAll(stream) == tar);
  CHECK(stream.diffId() == transfer::sha256Of(tar));
}

TEST_CASE("truncated or corrupt compressed layers are refused, never read short") {
  std::string gz = makeTar(someFiles(), TarFilter::gzip);
  std::string zst = makeTar(someFiles(), TarFilter::zstd);
  struct Case {
    std::string name;
    std::string bytes;
    Compression compression;
    std::string says;
  } cases[] = {
      {"gzip cut short", gz.substr(0, gz.size() / 2), Compression::gzip, "truncated gzip"},
      {"gzip without its trailer", gz.substr(0, gz.size() - 4), Compression::gzip, "truncated gzip"},
      {"gzip with a wrong CRC", gz.substr(0, gz.size() - 8) + std::string(8, '\x01'), Compression::gzip, "CRC"},
      {"gzip then garbage", gz + std::string(64, 'x'), Compression::gzip, "not a gzip header"},
      {"empty gzip", "", Compression::gzip, "empty"},
      {"zstd cut short", zst.substr(0, zst.size() / 2), Compression::zstd, "truncated zstd"},
      {"not zstd at all", "this is not zstd", Compression::zstd, "corrupt zstd"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    LayerStream stream(sourceOf(c.bytes), c.compression, kDefaultMaxLayerBytes);
    Error e = errorFrom([&] { readAll(stream); });
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    CHECK_MESSAGE(std::string(e.what()).find(c.says) != std::string::npos, c.name << ": " << std::string(e.what()));
  }
}

TEST_CASE("a zstd frame that asks for a 2 GiB window is refused before it is allocated") {
  std::string frame = zstdFrameWithHugeWindow();
  // The frame is well formed: an uncapped decoder accepts it.
  std::vector<char> out(16);
  ZSTD_DCtx* uncapped = ZSTD_createDCtx();
  REQUIRE(ZSTD_DCtx_setParameter(uncapped, ZSTD_d_windowLogMax, 31) == 0);
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  std::size_t accepted = ZSTD_decompressStream(uncapped, &o, &in);
  ZSTD_freeDCtx(uncapped);
  CHECK_FALSE(ZSTD_isError(accepted));

  LayerStream stream(sourceOf(frame), Compression::zstd, kDefaultMaxLayerBytes);
  Error e = errorFrom([&] { readAll(stream); });
  CHECK(e.code() == TENON_INVALID_ARGUMENT);
  CHECK_MESSAGE(std::string(e.what()).find("window over the 128 MiB limit") != std::string::npos, e.what());
}

TEST_CASE("a layer expanding past the per-layer quota is stopped with resource_exhausted") {
  // 8 MiB of zeros: a few KiB of gzip, like a bomb's first bytes.
  std::string tar = makeTar({file("zeros", std::string(8 << 20, '\0'))});
  std::string gz = makeTar({file("zeros", std::string(8 << 20, '\0'))}, TarFilter::gzip);
  CHECK(gz.size() < 64 * 1024);
  LayerStream stream(sourceOf(gz), Compression::gzip, 1 << 20);
  Error e = errorFrom([&] { readAll(stream); });
  CHECK(e.code() == TENON_RESOURCE_EXHAUSTED);
  CHECK_MESSAGE(std::string(e.what()).find("per-layer limit of 1048576") != std::string::npos, e.what());
  CHECK(stream.uncompressedBytes() <= (1u << 20) + 3000);

  LayerStream exact(sourceOf(gz), Compression::gzip, tar.size());
  CHECK(readAll(exact).size() == tar.size());
}

TEST_CASE("drain() hashes what follows the tar's end-of-archive marker") {
  std::string tar = makeTar({file("a", "a")}) + std::string(10240, '\0');
  LayerStream stream(sourceOf(tar), Compression::none, kDefaultMaxLayerBytes);
  char some[512];
  REQUIRE(stream.read(some, sizeof some) == sizeof some);
  stream.drain();
  CHECK(stream.diffId() == transfer::sha256Of(tar));
}
