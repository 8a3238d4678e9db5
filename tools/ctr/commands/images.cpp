// `ctr images` (alias `image`, `i`): the namespace's image records — list, remove, tag,
// label, check — pull and push from and to registries, and import/export of image archives.
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "../each_argument.hpp"
#include "../remove_command.hpp"
#include "../errors.hpp"
#include "../image_reference.hpp"
#include "../labels.hpp"
#include "images_commands.hpp"

namespace tenon::ctr {
namespace {

struct TagArgs {
  std::string source;
  std::vector<std::string> targets;
  bool force = false;
};

struct LabelArgs {
  std::string name;
  std::vector<std::string> labels;
};

// SOURCE's record: the one of that exact name, else the one of its normalised name.
capnp::Response<rpc::Images::GetResults> getSource(Connection& connection, rpc::Images::Client& service,
                                                   const std::string& source) {
  auto get = [&](const std::string& name) {
    auto request = service.getRequest();
    connection.setContext(request.initCtx());
    request.setName(name);
    return connection.wait(request.send());
  };
  std::string normalised = imageName(source);
  if (normalised == source) return get(source);
  try {
    return get(source);
  } catch (const kj::Exception&) {
    if (describe(std::current_exception()).code != "not_found") throw;
    return get(normalised);
  }
}

// Like containerd's: each TARGET becomes a new image of SOURCE's target; an existing
// TARGET is an error unless --force, which points it at SOURCE's target. TARGETs are
// recorded as typed, as containerd's ctr does (a push normalises what it is given).
void tagImage(const GlobalOptions& options, const TagArgs& args) {
  Connection connection(options);
  rpc::Images::Client service = imagesService(connection);
  auto source = getSource(connection, service, args.source);
  forEachArgument(args.targets, options.debug, [&](const std::string& argument) {
    const std::string& target = argument;
    auto create = service.createRequest();
    connection.setContext(create.initCtx());
    auto image = create.initImage();
    image.setName(target);
    image.setTarget(source.getImage().getTarget());
    try {
      connection.wait(create.send());
    } catch (const kj::Exception&) {
      if (!args.force || describe(std::current_exception()).code != "already_exists") throw;
      auto update = service.updateRequest();
      connection.setContext(update.initCtx());
      auto retarget = update.initImage();
      retarget.setName(target);
      retarget.setTarget(source.getImage().getTarget());
      update.initFields(1).set(0, "target");
      connection.wait(update.send());
    }
    fmt::print("{}\n", target);
  });
}

// KEY=VALUE sets, KEY= removes, other labels stay; prints the labels the image ends up with.
void labelImage(const GlobalOptions& options, const LabelArgs& args) {
  Connection connection(options);
  rpc::Images::Client service = imagesService(connection);
  auto read = [&] {
    auto get = service.getRequest();
    connection.setContext(get.initCtx());
    get.setName(args.name);
    return fromRpc(connection.wait(get.send()).getImage().getLabels());
  };
  auto write = [&](const Labels& wanted) {
    auto update = service.updateRequest();
    connection.setContext(update.initCtx());
    auto image = update.initImage();
    image.setName(args.name);
    toRpc(wanted, image.initLabels(wanted.size()));
    update.initFields(1).set(0, "labels");
    return fromRpc(connection.wait(update.send()).getImage().getLabels());
  };
  runLabelCommand(args.labels, read, write);
}

void addTag(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<TagArgs>();
  CLI::App* tag = images.add_subcommand("tag", "Give an image more names");
  tag->add_option("source", args->source, "The image to tag")->required();
  tag->add_option("targets", args->targets, "The new names")->required();
  tag->add_flag("-f,--force", args->force, "Point an existing name at the source's target");
  tag->callback([&options, args] { tagImage(options, *args); });
}

void addLabel(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<LabelArgs>();
  CLI::App* label = images.add_subcommand("label", "Set (KEY=VALUE) or remove (KEY=) labels of an image");
  label->add_option("name", args->name, "The image's name")->required();
  label->add_option("labels", args->labels, "Labels as KEY=VALUE, or KEY= to remove one");
  label->callback([&options, args] { labelImage(options, *args); });
}

}  // namespace

void addImagesCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* images = ctr.add_subcommand("images", "Manage images: records, pull and push, import and export");
  images->alias("image");
  images->alias("i");
  printHelpWhenRunAlone(*images);
  addImagesListCommands(*images, options);
  addRemoveCommand(*images, options, "Remove images; their content goes once nothing else uses it", "The images' names",
                   [](Connection& connection, const std::string& item) {
                     auto request = imagesService(connection).deleteRequest();
                     connection.setContext(request.initCtx());
                     request.setName(item);
                     connection.wait(request.send());
                   });
  addTag(*images, options);
  addLabel(*images, options);
  addImagesPullCommand(*images, options);
  addImagesPushCommand(*images, options);
  addImagesImportCommand(*images, options);
  addImagesExportCommand(*images, options);
  addImagesUnpackCommand(*images, options);
}

}  // namespace tenon::ctr
