// What the metadata tests share: a store in a fresh directory under /tmp
// (removed afterwards), the error a call throws, and sample records.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <tenon/error.hpp>

#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "temp_dir.hpp"
#include "thrown_error.hpp"

namespace tenon::metadata::testing {

// A private directory under /tmp, removed with what it holds.
struct TempDir : tenon::test::TempDir {
  TempDir() : tenon::test::TempDir("tenon-metadata-test") {}
};

using tenon::test::codeOf;

struct StoreFixture {
  TempDir dir;
  std::filesystem::path storeDir = dir.path() / "metadata";
  std::unique_ptr<MetadataStore> store = MetadataStore::open(storeDir);

  void reopen() {
    store.reset();  // LMDB allows one open Env per file in a process
    store = MetadataStore::open(storeDir);
  }
  // The code an update() / view() running fn fails with; TENON_OK when it succeeds.
  template <class F>
  tenon_status updateCode(F&& fn) {
    return codeOf([&] { store->update(fn); });
  }
  template <class F>
  tenon_status viewCode(F&& fn) {
    return codeOf([&] { store->view(fn); });
  }
};


// The message of the tenon::Error that fn throws; "" when it throws none.
template <class F>
std::string messageOf(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

inline std::string digestOf(char hex) { return "sha256:" + std::string(64, hex); }

inline Image sampleImage(std::string name, char hex = 'a') {
  return Image{std::move(name), {"application/vnd.oci.image.index.v1+json", digestOf(hex), 1234, {}}, {}, 0, 0};
}

}  // namespace tenon::metadata::testing
