// `ctr content`: the blobs of the namespace, by digest, and the ingests in progress.
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "../remove_command.hpp"
#include "../human.hpp"
#include "../json_output.hpp"
#include "../labels.hpp"
#include "../list_format.hpp"
#include "content_commands.hpp"

namespace tenon::ctr {
namespace {

struct ListArgs {
  ListFormat format;
  std::vector<std::string> filters;
};

struct LabelArgs {
  std::string digest;
  std::vector<std::string> labels;
};

void listContent(const GlobalOptions& options, const ListArgs& args) {
  Connection connection(options);
  auto request = contentService(connection).listRequest();
  connection.setContext(request.initCtx());
  auto filters = request.initFilters(args.filters.size());
  for (unsigned i = 0; i < args.filters.size(); ++i) filters.set(i, args.filters[i]);
  auto response = connection.wait(request.send());
  ListOutput output(args.format, {"DIGEST", "SIZE", "AGE", "LABELS"});
  for (auto info : response.getInfos()) {
    std::string digest = toString(info.getDigest());
    Labels labels = fromRpc(info.getLabels());
    output.add(digest,
               {{"digest", digest},
                {"size", info.getSize()},
                {"createdAt", rfc3339(info.getCreatedAt())},
                {"updatedAt", rfc3339(info.getUpdatedAt())},
                {"labels", toJson(labels)}},
               {digest, humanSize(info.getSize()), humanAge(info.getCreatedAt()), formatLabels(labels, "-")});
  }
  output.print();
}

void listIngests(const GlobalOptions& options, const ListFormat& format) {
  Connection connection(options);
  auto request = contentService(connection).ingestsRequest();
  connection.setContext(request.initCtx());
  auto response = connection.wait(request.send());
  ListOutput output(format, {"REF", "OFFSET", "TOTAL", "STARTED", "UPDATED"});
  for (auto status : response.getStatuses()) {
    std::string ref = toString(status.getRef());
    int64_t total = status.getTotal();
    output.add(ref,
               {{"ref", ref},
                {"offset", status.getOffset()},
                {"total", total},
                {"expectedDigest", toString(status.getExpectedDigest())},
                {"startedAt", rfc3339(status.getStartedAt())},
                {"updatedAt", rfc3339(status.getUpdatedAt())}},
               {ref, humanSize(status.getOffset()), total < 0 ? "-" : humanSize(total),
                humanAge(status.getStartedAt()) + " ago", humanAge(status.getUpdatedAt()) + " ago"});
  }
  output.print();
}

// Like containerd's: KEY=VALUE sets, KEY= removes, other labels stay; prints the labels
// the blob ends up with. The schema only replaces labels, so the current ones are read first.
void labelContent(const GlobalOptions& options, const LabelArgs& args) {
  Connection connection(options);
  rpc::Content::Client service = contentService(connection);
  auto read = [&] {
    auto info = service.infoRequest();
    connection.setContext(info.initCtx());
    info.setDigest(args.digest);
    return fromRpc(connection.wait(info.send()).getInfo().getLabels());
  };
  auto write = [&](const Labels& wanted) {
    auto set = service.setLabelsRequest();
    connection.setContext(set.initCtx());
    set.setDigest(args.digest);
    toRpc(wanted, set.initLabels(wanted.size()));
    return fromRpc(connection.wait(set.send()).getInfo().getLabels());
  };
  runLabelCommand(args.labels, read, write);
}

void abortIngest(const GlobalOptions& options, const std::string& ref) {
  Connection connection(options);
  auto request = contentService(connection).abortRequest();
  connection.setContext(request.initCtx());
  request.setRef(ref);
  connection.wait(request.send());
}

void addList(CLI::App& content, const GlobalOptions& options) {
  auto args = std::make_shared<ListArgs>();  // shared with the callback, which outlives this scope
  CLI::App* ls = content.add_subcommand("ls", "List the namespace's blobs");
  ls->alias("list");
  addListFormatOptions(*ls, args->format, "Print only the digests, one per line");
  ls->add_option("filters", args->filters,
                 "Filters like labels.KEY==VALUE or digest==sha256:...; a blob matching any is listed");
  ls->callback([&options, args] { listContent(options, *args); });
}

void addLabel(CLI::App& content, const GlobalOptions& options) {
  auto args = std::make_shared<LabelArgs>();
  CLI::App* label = content.add_subcommand("label", "Set (KEY=VALUE) or remove (KEY=) labels of a blob");
  label->add_option("digest", args->digest, "The blob's digest")->required();
  label->add_option("labels", args->labels, "Labels as KEY=VALUE, or KEY= to remove one");
  label->callback([&options, args] { labelContent(options, *args); });
}

void addActive(CLI::App& content, const GlobalOptions& options) {
  auto format = std::make_shared<ListFormat>();
  CLI::App* active = content.add_subcommand("active", "List the ingests in progress");
  active->alias("ingests");
  addListFormatOptions(*active, *format, "Print only the refs, one per line");
  active->callback([&options, format] { listIngests(options, *format); });
}

void addAbort(CLI::App& content, const GlobalOptions& options) {
  auto ref = std::make_shared<std::string>();
  CLI::App* abort = content.add_subcommand("abort", "Discard an ingest in progress and its bytes");
  abort->add_option("ref", *ref, "The ingest's ref")->required();
  abort->callback([&options, ref] { abortIngest(options, *ref); });
}

}  // namespace

void addContentCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* content = ctr.add_subcommand("content", "Manage the blobs of the content store");
  printHelpWhenRunAlone(*content);
  addList(*content, options);
  addContentGetCommand(*content, options);
  addContentIngestCommand(*content, options);
  addRemoveCommand(*content, options, "Remove blobs from the namespace; each one that fails is reported", "The digests of the blobs",
                   [](Connection& connection, const std::string& item) {
                     auto request = contentService(connection).deleteRequest();
                     connection.setContext(request.initCtx());
                     request.setDigest(item);
                     connection.wait(request.send());
                   });
  addLabel(*content, options);
  addActive(*content, options);
  addAbort(*content, options);
  addGcCommand(*content, options, "prune");
}

}  // namespace tenon::ctr
