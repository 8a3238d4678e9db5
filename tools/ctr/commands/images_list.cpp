// `ctr images ls` and `ctr images check`: the namespace's images with what their content
// says (size, platforms, completeness), like containerd's ctr.
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "../human.hpp"
#include "../json_output.hpp"
#include "../labels.hpp"
#include "../list_format.hpp"
#include "content.capnp.h"
#include "image_summary.hpp"
#include "images_commands.hpp"

namespace tenon::ctr {
namespace {

struct ListArgs {
  ListFormat format;
  std::vector<std::string> filters;
};

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

Json descriptorJson(rpc::Descriptor::Reader d) {
  return {{"mediaType", toString(d.getMediaType())}, {"digest", toString(d.getDigest())}, {"size", d.getSize()}};
}

// Lists the images; `check` adds whether each one's content is all there.
void listImages(const GlobalOptions& options, const ListArgs& args, bool check) {
  Connection connection(options);
  auto request = imagesService(connection).listRequest();
  connection.setContext(request.initCtx());
  auto filters = request.initFilters(args.filters.size());
  for (unsigned i = 0; i < args.filters.size(); ++i) filters.set(i, args.filters[i]);
  auto response = connection.wait(request.send());
  rpc::Content::Client content = connection.tenon().contentRequest().send().getService();

  std::vector<std::string> header = {"REF", "TYPE", "DIGEST", "SIZE", "PLATFORMS", "LABELS"};
  if (check) header = {"REF", "TYPE", "DIGEST", "STATUS", "SIZE", "PLATFORMS"};
  ListOutput output(args.format, header);
  for (auto image : response.getImages()) {
    std::string name = toString(image.getName());
    auto target = image.getTarget();
    // --quiet prints only names: no need to read any content.
    ImageSummary summary = args.format.quiet ? ImageSummary{} : summarizeImage(connection, content, target, check);
    Labels labels = fromRpc(image.getLabels());
    std::string platforms = join(summary.platforms, ",");
    std::string status = summary.missing.empty()
                             ? "complete"
                             : fmt::format("incomplete ({} of {} blobs missing)", summary.missing.size(), summary.blobs);
    Json json{{"name", name},
              {"target", descriptorJson(target)},
              {"size", summary.size},
              {"platforms", summary.platforms},
              {"labels", toJson(labels)},
              {"createdAt", rfc3339(image.getCreatedAt())},
              {"updatedAt", rfc3339(image.getUpdatedAt())}};
    std::vector<std::string> row = {name, toString(target.getMediaType()), toString(target.getDigest()),
                                    humanSize(summary.size), platforms.empty() ? "-" : platforms,
                                    formatLabels(labels, "-")};
    if (check) {
      json["complete"] = summary.missing.empty();
      json["missing"] = summary.missing;
      row = {name, toString(target.getMediaType()), toString(target.getDigest()), status, humanSize(summary.size),
             platforms.empty() ? "-" : platforms};
    }
    output.add(name, std::move(json), std::move(row));
  }
  output.print();
}

void addList(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<ListArgs>();  // shared with the callback, which outlives this scope
  CLI::App* ls = images.add_subcommand("ls", "List the namespace's images");
  ls->alias("list");
  addListFormatOptions(*ls, args->format, "Print only the names, one per line");
  ls->add_option("filters", args->filters,
                 "Filters like name==NAME, labels.KEY==VALUE, target.digest==sha256:...; any may match");
  ls->callback([&options, args] { listImages(options, *args, false); });
}

void addCheck(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* check = images.add_subcommand("check", "Say which images have all of their content");
  addListFormatOptions(*check, args->format, "Print only the names, one per line");
  check->add_option("filters", args->filters, "Filters, as for ls");
  check->callback([&options, args] { listImages(options, *args, true); });
}

}  // namespace

void addImagesListCommands(CLI::App& images, const GlobalOptions& options) {
  addList(images, options);
  addCheck(images, options);
}

}  // namespace tenon::ctr
