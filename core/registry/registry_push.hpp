// The push side of RegistryClient (registry_client.hpp documents each
// call), over the distribution spec's upload API: HEAD /blobs/<digest>,
// POST /blobs/uploads/ (?mount=&from= for a cross-repository mount), PUT
// of the whole blob, or PATCH chunks closed by a PUT for big ones, and PUT
// /manifests/<tag>. All on the hosts with the push capability, with the
// token scope repository:<path>:pull,push.
#pragma once

#include <stop_token>
#include <string>

#include "registry/repository_hosts.hpp"

namespace tenon::registry {

bool hasBlob(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, std::stop_token stop);
bool mountBlob(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, const std::string& fromRepository,
               std::stop_token stop);
void uploadBlob(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, const BlobReader& reader,
                std::stop_token stop);
void putManifest(RepositoryHosts& hosts, const std::string& tagOrDigest, const metadata::Descriptor& descriptor,
                 const std::string& bytes, std::stop_token stop);

}  // namespace tenon::registry
