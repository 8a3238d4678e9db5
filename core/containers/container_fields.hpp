// The fields of a container record that clients name: in list filters, in
// update's field list, and in the events that announce a change.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "filters/filter.hpp"
#include "metadata/containers.hpp"

namespace tenon::containers {

// What list filters can name: id, image, runtime.name, snapshotter,
// snapshotKey (or containerd's snapshotkey) and labels.<key>.
filters::FieldLookup containerFields(const metadata::Container& container);

// The change update() makes to `current`: `fields` lists what to take from
// `wanted` (containers.capnp): image, spec, snapshotKey, runtime.options,
// labels (all of them) or labels.<key> (that one, removed when `wanted` lacks
// it); none means image, spec, snapshotKey and labels. Throws
// invalid_argument naming a field that cannot be changed.
metadata::ContainerUpdate changeFor(const metadata::Container& current, const metadata::Container& wanted,
                                    const std::vector<std::string>& fields);

// The payload of /containers/create and /containers/delete, like containerd's:
// {"id", "image", "runtime": {"name"}}.
nlohmann::json eventPayload(const metadata::Container& container);
// That of /containers/update, which adds the labels and the snapshot key.
nlohmann::json updateEventPayload(const metadata::Container& container);

}  // namespace tenon::containers
