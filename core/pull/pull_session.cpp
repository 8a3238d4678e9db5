#include "pull/pull_session.hpp"

namespace tenon::pull {

PullSession::PullSession(PullStores stores, PullRequest request, rpc::Credentials::Client credentials,
                         rpc::ProgressSink::Client progress, std::function<void()> afterPull)
    : stores_(stores),
      request_(std::move(request)),
      afterPull_(std::move(afterPull)),
      credentials_(kj::mv(credentials)),
      progress_(kj::mv(progress)),
      thread_(progress_) {
  thread_.start(
      [this](std::stop_token stop) {
        return Puller(stores_, request_, progress_, credentials_.lookup(), std::move(stop)).run();
      },
      afterPull_);
}

kj::Promise<PulledImage> PullSession::result() { return thread_.result(); }

}  // namespace tenon::pull
