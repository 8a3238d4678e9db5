// A bounded number of blocking tasks at once, for uploads: each blob is one
// task, and `width` of them (the daemon's max_concurrent_uploads) run in
// parallel, each on a thread of its own since registry calls block.
#pragma once

#include <cstddef>
#include <functional>
#include <stop_token>

namespace tenon::push {

// Runs task(i, stop) for every i in [0, count) on up to `width` threads (the
// calling one among them; 0 counts as 1), and returns once all are done.
// The first task to throw stops the rest (their token fires; tasks not
// started are skipped) and its error is rethrown. When `stop` fires, tasks
// not started are skipped and, unless a task failed, cancelled is thrown.
void runInParallel(std::size_t count, unsigned width, std::stop_token stop,
                   const std::function<void(std::size_t, std::stop_token)>& task);

}  // namespace tenon::push
