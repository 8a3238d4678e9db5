// What `ctr run` leaves behind: nothing after --rm (no container, no snapshot
// but the image's, no mount, no shim), and nothing half-made when it fails —
// an unknown image, a bad --mount, --user or --cwd, a command the image does not have.
#include "run_fixture.hpp"
#include "text_lines.hpp"

namespace tenon::run_test {

namespace {

constexpr auto kPatience = std::chrono::seconds(30);

// Nothing of a container is left: no record, no task, no snapshot but the
// image's (`imageSnapshots`), nothing mounted under root or state, no shim.
void checkNothingLeft(RunFixture& f, const std::vector<std::string>& imageSnapshots) {
  CHECK(f.containers().empty());
  CHECK(f.tasks().empty());
  CHECK(f.snapshots() == imageSnapshots);
  std::vector<std::string> mounts = f.mountsLeft();
  CHECK_MESSAGE(mounts.empty(), "still mounted: ", mounts.empty() ? "" : mounts.front());
  // A shim exits on its own once its task is deleted: allow it that moment.
  CHECK_MESSAGE(eventually([&] { return f.shimsLeft().empty(); }, std::chrono::seconds(10)),
                f.shimsLeft().size(), " shim(s) of this daemon still run");
}

}  // namespace

TEST_CASE("after ctr run --rm nothing is left: no container, task, mount or shim, only the image's snapshots") {
  RunFixture f;
  std::vector<std::string> imageSnapshots = f.snapshots();
  REQUIRE(!imageSnapshots.empty());
  CHECK(f.mountsLeft().empty());

  ProcessResult run = f.ctr({"run", "--rm", kImage, "c", "sh", "-c", "echo written > /file; cat /file"}, kPatience);
  CHECK_MESSAGE(!run.timedOut, "ctr run did not return");
  CHECK_MESSAGE(run.status.code == 0, run.err);
  CHECK(run.out == "written\n");
  checkNothingLeft(f, imageSnapshots);

  // The same id again starts from the image, not from what the last run wrote.
  ProcessResult again = f.ctr({"run", "--rm", kImage, "c", "sh", "-c", "cat /file 2>/dev/null || echo fresh"}, kPatience);
  CHECK_MESSAGE(again.status.code == 0, again.err);
  CHECK(again.out == "fresh\n");
  checkNothingLeft(f, imageSnapshots);
}

TEST_CASE("without --rm the stopped container stays, with its snapshot, until ctr containers rm") {
  RunFixture f;
  std::vector<std::string> imageSnapshots = f.snapshots();
  ProcessResult run = f.ctr({"run", kImage, "kept", "true"}, kPatience);
  CHECK_MESSAGE(run.status.code == 0, run.err);
  CHECK(f.containers() == std::vector<std::string>{"kept"});
  CHECK(f.tasks().empty());
  CHECK(f.snapshots().size() == imageSnapshots.size() + 1);
  CHECK(f.mountsLeft().empty());
  f.ctrOk({"containers", "rm", "kept"});
  checkNothingLeft(f, imageSnapshots);
}

TEST_CASE("ctr run of an unknown image fails with one line naming it, and creates nothing") {
  RunFixture f;
  std::vector<std::string> imageSnapshots = f.snapshots();
  ProcessResult run = f.ctr({"run", "--rm", "nosuch:image", "c", "true"}, kPatience);
  CHECK(run.status.code != 0);
  CHECK(run.out.empty());
  CHECK_MESSAGE(isOneLine(run.err), run.err);
  CHECK_MESSAGE(contains(run.err, "nosuch:image"), run.err);
  checkNothingLeft(f, imageSnapshots);
}

TEST_CASE("ctr run with a bad spec (--mount, --user, --cwd) fails with one line naming the value, and creates nothing") {
  RunFixture f;
  std::vector<std::string> imageSnapshots = f.snapshots();
  std::vector<std::string> flags;
  std::string named;
  SUBCASE("a --mount value that is no mount") {
    flags = {"--mount", "bogus-mount-value"};
    named = "bogus-mount-value";
  }
  SUBCASE("a bind mount of a source that does not exist (runc refuses it)") {
    named = "/nonexistent/tenon-run-test-source";
    flags = {"--mount", "type=bind,src=" + named + ",dst=/mnt,options=rbind:ro"};
  }
  SUBCASE("a user the image's /etc/passwd does not have (looked up in a view of the image)") {
    flags = {"--user", "nosuchuser"};
    named = "nosuchuser";
  }
  SUBCASE("a relative working directory") {
    flags = {"--cwd", "relative/dir"};
    named = "relative/dir";
  }
  CAPTURE(named);
  std::vector<std::string> args = {"run", "--rm"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {kImage, "c", "true"});
  ProcessResult run = f.ctr(args, kPatience);
  CHECK_MESSAGE(!run.timedOut, "ctr run did not return");
  CHECK(run.status.code != 0);
  CHECK(run.out.empty());
  CHECK_MESSAGE(isOneLine(run.err), run.err);
  CHECK_MESSAGE(contains(run.err, named), run.err);
  checkNothingLeft(f, imageSnapshots);
}

TEST_CASE("ctr run of a command the image does not have fails with runc's message, and leaves nothing") {
  RunFixture f;
  std::vector<std::string> imageSnapshots = f.snapshots();
  ProcessResult run = f.ctr({"run", "--rm", kImage, "c", "/nonexistent"}, kPatience);
  CHECK_MESSAGE(!run.timedOut, "ctr run did not return");
  CHECK(run.status.code != 0);
  CHECK(run.out.empty());
  CHECK_MESSAGE(isOneLine(run.err), run.err);
  CHECK_MESSAGE(contains(run.err, "\"/nonexistent\""), run.err);
  CHECK_MESSAGE(contains(run.err, "no such file or directory"), run.err);
  checkNothingLeft(f, imageSnapshots);
}

}  // namespace tenon::run_test
