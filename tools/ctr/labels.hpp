// Labels as ctr meets them: KEY=VALUE arguments, the RPC schema's List(Label), and the
// "k=v,k2=v2" text the tables print.
#ifndef TENON_CTR_LABELS_HPP
#define TENON_CTR_LABELS_HPP

#include <capnp/list.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common.capnp.h"

namespace tenon::ctr {

using Labels = std::map<std::string, std::string>;

// KEY=VALUE arguments as labels ("KEY=" gives an empty value); throws invalid_argument,
// naming the argument, when one has no '=' or an empty key.
Labels parseLabels(const std::vector<std::string>& arguments);

// `current` changed by KEY=VALUE arguments, as `ctr ... label` does: KEY=VALUE sets,
// KEY= removes, labels not named stay.
Labels applyLabelArguments(Labels current, const std::vector<std::string>& arguments);

Labels fromRpc(capnp::List<rpc::Label>::Reader labels);
// Fills `out`, which the caller sized with init...Labels(labels.size()).
void toRpc(const Labels& labels, capnp::List<rpc::Label>::Builder out);

// `ctr ... label NAME [KEY=VALUE...]`: the record's labels from `read`; with
// arguments, the changed labels (applyLabelArguments) written by `write`, which
// returns what the record then has; prints the labels it ends up with.
void runLabelCommand(const std::vector<std::string>& arguments, const std::function<Labels()>& read,
                     const std::function<Labels(const Labels&)>& write);

// "k=v,k2=v2" in key order, or `none` when there are no labels.
std::string formatLabels(const Labels& labels, std::string_view none = "");

}  // namespace tenon::ctr

#endif  // TENON_CTR_LABELS_HPP
