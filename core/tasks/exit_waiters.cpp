#include "tasks/exit_waiters.hpp"

namespace tenon::tasks {

kj::Promise<void> ExitWaiters::next(const std::string& ns, const std::string& id) {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  std::lock_guard lock(mutex_);
  auto& list = waiting_[{ns, id}];
  // Drop waiters whose callers went away (their promises were cancelled).
  std::erase_if(list, [](const auto& f) { return !f->isWaiting(); });
  list.push_back(kj::mv(paf.fulfiller));
  return kj::mv(paf.promise);
}

void ExitWaiters::exited(const std::string& ns, const std::string& id) {
  std::vector<kj::Own<kj::CrossThreadPromiseFulfiller<void>>> woken;
  {
    std::lock_guard lock(mutex_);
    auto found = waiting_.find({ns, id});
    if (found == waiting_.end()) return;
    woken = kj::mv(found->second);
    waiting_.erase(found);
  }
  for (auto& f : woken) f->fulfill();
}

void ExitWaiters::wakeAll() {
  std::map<Key, std::vector<kj::Own<kj::CrossThreadPromiseFulfiller<void>>>> all;
  {
    std::lock_guard lock(mutex_);
    all.swap(waiting_);
  }
  for (auto& [key, list] : all)
    for (auto& f : list) f->fulfill();
}

}  // namespace tenon::tasks
