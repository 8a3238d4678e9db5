// Progress of a long transfer on one line of stderr, rewritten in place: bytes so far and
// the average speed. Only on a terminal: scripts and logs see nothing.
#ifndef TENON_CTR_PROGRESS_HPP
#define TENON_CTR_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <string>

namespace tenon::ctr {

class Progress {
 public:
  // `label` starts the line (an ingest's ref, say).
  explicit Progress(std::string label);
  // clear(): an error that ends the transfer starts on a clean line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `bytes` have been moved so far; redraws at most a few times a second.
  void update(int64_t bytes);
  // Erases the line, before the result is printed; update() draws it again.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;

  bool enabled_;
  std::string label_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point drawn_{};
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_PROGRESS_HPP
