#include "oom_watcher.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

#include "cgroup_stats.hpp"
#include "cgroup_text.hpp"

namespace tenon::metrics_cgroup {

namespace {

constexpr uint64_t kStopToken = 0;
constexpr uint64_t kInotifyToken = 1;

[[noreturn]] void failErrno(const std::string& what) {
  fail(errno == ENOENT ? TENON_NOT_FOUND : TENON_INTERNAL, what + ": " + std::strerror(errno));
}

UniqueFd openOrFail(const std::filesystem::path& file, int flags) {
  UniqueFd fd(::open(file.c_str(), flags | O_CLOEXEC));
  if (!fd) failErrno("cannot open " + file.string());
  return fd;
}

void addToEpoll(int epoll, int fd, uint64_t token) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = token;
  if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) failErrno("epoll_ctl");
}

}  // namespace

struct OomWatcher::Watch {
  std::string ns, id;
  std::filesystem::path memoryDir;
  bool unified = false;
  UniqueFd eventFd;     // v1: signalled on OOM and on the cgroup's removal
  UniqueFd oomControl;  // v1: the file the eventfd is registered for
  int inotifyWatch = -1;  // v2: the watch on memory.events
  uint64_t signalled = 0;  // v1 notifications, the count on kernels without oom_kill (before 4.13)
  uint64_t reported = 0;   // kills published (or there before the watch began)

  // The kill counter; nullopt once the cgroup is gone.
  std::optional<uint64_t> kills() const {
    auto text = readCgroupFile(memoryDir, unified ? "memory.events" : "memory.oom_control");
    if (!text) return std::nullopt;
    auto counter = keyed(parseFlatKeyed(*text), "oom_kill");
    return counter ? *counter : signalled;
  }
};

OomWatcher::OomWatcher(Publish publish, Warn warn)
    : publish_(std::move(publish)),
      warn_(std::move(warn)),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      inotify_(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)),
      stop_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!epoll_ || !inotify_ || !stop_) failErrno("cannot set up the OOM watcher");
  addToEpoll(epoll_.get(), stop_.get(), kStopToken);
  addToEpoll(epoll_.get(), inotify_.get(), kInotifyToken);
  thread_ = std::thread([this] { run(); });
}

OomWatcher::~OomWatcher() {
  uint64_t one = 1;
  if (::write(stop_.get(), &one, sizeof one) != sizeof one) std::terminate();  // cannot stop the thread otherwise
  thread_.join();
}

void OomWatcher::watch(const std::string& ns, const std::string& id, const CgroupDirs& dirs) {
  auto watch = std::make_unique<Watch>();
  watch->ns = ns;
  watch->id = id;
  watch->unified = dirs.unified;
  watch->memoryDir = dirs.dirOf("memory");
  if (watch->memoryDir.empty()) fail(TENON_UNAVAILABLE, "the memory controller is not mounted");
  std::lock_guard lock(mutex_);
  if (byTask_.count({ns, id})) return;
  watch->reported = watch->kills().value_or(0);
  uint64_t token = nextToken_++;
  if (watch->unified) {
    watch->inotifyWatch = ::inotify_add_watch(inotify_.get(), (watch->memoryDir / "memory.events").c_str(), IN_MODIFY);
    if (watch->inotifyWatch < 0) failErrno("cannot watch " + (watch->memoryDir / "memory.events").string());
    byInotifyWatch_[watch->inotifyWatch] = token;
  } else {
    watch->eventFd = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!watch->eventFd) failErrno("eventfd");
    watch->oomControl = openOrFail(watch->memoryDir / "memory.oom_control", O_RDONLY);
    UniqueFd control = openOrFail(watch->memoryDir / "cgroup.event_control", O_WRONLY);
    std::string line = std::to_string(watch->eventFd.get()) + " " + std::to_string(watch->oomControl.get());
    if (::write(control.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      failErrno("cannot register for OOM notifications in " + watch->memoryDir.string());
    addToEpoll(epoll_.get(), watch->eventFd.get(), token);
  }
  byTask_[{ns, id}] = token;
  watches_[token] = std::move(watch);
}

void OomWatcher::unwatch(const std::string& ns, const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = byTask_.find({ns, id});
  if (found == byTask_.end()) return;
  checkLocked(*watches_.at(found->second));
  dropLocked(found->second);
}

bool OomWatcher::checkLocked(Watch& watch) {
  std::optional<uint64_t> kills = watch.kills();
  if (!kills) return false;
  // One event per wake-up that saw kills, however many processes died: one OOM, as containerd reports it.
  if (*kills > watch.reported) {
    watch.reported = *kills;
    try {
      publish_(watch.ns, watch.id);
    } catch (const std::exception& e) {
      warn_("cannot publish /tasks/oom for " + watch.ns + "/" + watch.id + ": " + e.what());
    }
  }
  return true;
}

void OomWatcher::dropLocked(uint64_t token) {
  auto found = watches_.find(token);
  if (found == watches_.end()) return;
  Watch& watch = *found->second;
  if (watch.inotifyWatch >= 0) {
    ::inotify_rm_watch(inotify_.get(), watch.inotifyWatch);
    byInotifyWatch_.erase(watch.inotifyWatch);
  }
  byTask_.erase({watch.ns, watch.id});
  watches_.erase(found);  // closing the eventfd takes it out of the epoll set
}

void OomWatcher::onReady(uint64_t token) {
  std::lock_guard lock(mutex_);
  auto found = watches_.find(token);
  if (found == watches_.end()) return;  // unwatched meanwhile
  uint64_t count = 0;
  if (::read(found->second->eventFd.get(), &count, sizeof count) == sizeof count) found->second->signalled += count;
  if (!checkLocked(*found->second)) dropLocked(token);  // the cgroup was removed
}

void OomWatcher::onInotify() {
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    ssize_t n = ::read(inotify_.get(), buffer, sizeof buffer);
    if (n <= 0) return;
    for (char* at = buffer; at < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + event->len;
      std::lock_guard lock(mutex_);
      auto found = byInotifyWatch_.find(event->wd);
      if (found == byInotifyWatch_.end()) continue;
      uint64_t token = found->second;
      Watch& watch = *watches_.at(token);
      if (event->mask & IN_IGNORED) {  // the kernel removed the watch with the file: the cgroup is gone
        byInotifyWatch_.erase(found);
        watch.inotifyWatch = -1;
        dropLocked(token);
      } else if (!checkLocked(watch)) {
        dropLocked(token);
      }
    }
  }
}

void OomWatcher::run() {
  epoll_event events[16];
  for (;;) {
    int n = ::epoll_wait(epoll_.get(), events, 16, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      warn_(std::string("the OOM watcher stops: epoll_wait: ") + std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == kStopToken) return;
      if (events[i].data.u64 == kInotifyToken)
        onInotify();
      else
        onReady(events[i].data.u64);
    }
  }
}

}  // namespace tenon::metrics_cgroup
