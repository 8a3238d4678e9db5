// Image references as Docker users write them: name[:tag][@digest], the name
// a domain (with an optional port) and a path of lowercase components. Docker's
// normalisation applies: no domain is docker.io, a single docker.io component
// gets "library/", and a reference with neither tag nor digest is ":latest".
#pragma once

#include <string>
#include <string_view>

namespace tenon::registry {

struct Reference {
  std::string domain;  // "docker.io", "127.0.0.1:5000", "[::1]:5000"
  std::string path;    // "library/busybox"
  std::string tag;     // "" when the reference has a digest and no tag
  std::string digest;  // "sha256:<64 hex>" or ""

  // "docker.io/library/busybox"
  std::string repository() const { return domain + "/" + path; }
  // What a registry's /manifests/ endpoint is asked for: the digest when
  // there is one, else the tag.
  const std::string& object() const { return digest.empty() ? tag : digest; }
  // The full normalised text: "docker.io/library/busybox:latest",
  // "host/x@sha256:...", "host/x:1@sha256:...".
  std::string text() const;
};

// Parses and normalises `text`. Throws invalid_argument
// "invalid reference \"TEXT\": WHY" for an empty name, uppercase letters in
// the path, a bad tag (more than 128 characters, or not [A-Za-z0-9_][A-Za-z0-9_.-]*),
// a bad digest (not sha256 with 64 lowercase hex digits), a bad port, empty
// path components, and names longer than 255 characters.
Reference parseReference(std::string_view text);

// Whether `domain` is this host's loopback ("localhost", 127.0.0.0/8, ::1,
// with any port): Docker lets those be reached over plain HTTP.
bool isLoopback(std::string_view domain);

}  // namespace tenon::registry
