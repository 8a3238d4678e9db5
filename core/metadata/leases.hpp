// Leases: a client holds one while it builds something (a pull, an unpack) so
// that GC leaves the resources it names alone until the lease is removed or
// expires. Keys: <ns>\0<id> in Tables::leases; each resource under
// <ns>\0<id>\0<type>\0<key> in Tables::leaseResources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/labels.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

struct Lease {
  std::string id;  // [A-Za-z0-9][A-Za-z0-9_.-]*, at most 76 bytes
  Labels labels;
  std::int64_t createdAt = 0;  // ns since the epoch; set by create
  std::int64_t expiresAt = 0;  // ns since the epoch; 0 = never
};

// A resource a lease holds: type "content" (key: a digest), "ingests" (key: an
// ingest ref) or "snapshots/<snapshotter>" (key: a snapshot key).
struct LeaseResource {
  std::string type;
  std::string key;
  bool operator==(const LeaseResource&) const = default;
};

// A lease somewhere in the store, as GC sees it.
struct LeaseRef {
  std::string ns;
  std::string id;
  bool operator==(const LeaseRef&) const = default;
};

namespace leases {

// Records `lease` (createdAt set here), creating the namespace if needed.
// Throws already_exists, or invalid_argument.
Lease create(WriteTx& tx, std::string_view ns, Lease lease);
std::optional<Lease> find(const ReadTx& tx, std::string_view ns, std::string_view id);
// Throws not_found.
Lease get(const ReadTx& tx, std::string_view ns, std::string_view id);
// The namespace's leases in id order.
std::vector<Lease> list(const ReadTx& tx, std::string_view ns);
// Removes the lease and all its resources (not what they name); throws not_found.
Lease remove(WriteTx& tx, std::string_view ns, std::string_view id);
// Adds a resource (idempotent); throws not_found for an unknown lease.
void addResource(WriteTx& tx, std::string_view ns, std::string_view id, const LeaseResource& resource);
// Removes a resource if the lease holds it; throws not_found for an unknown lease.
void removeResource(WriteTx& tx, std::string_view ns, std::string_view id, const LeaseResource& resource);
// The lease's resources, grouped by type; throws not_found.
std::vector<LeaseResource> resources(const ReadTx& tx, std::string_view ns, std::string_view id);
// Leases of every namespace whose expiry is set and not after `now`.
std::vector<LeaseRef> expired(const ReadTx& tx, std::int64_t now);

}  // namespace leases
}  // namespace tenon::metadata
