#include <doctest/doctest.h>

#include <kj/async.h>

#include <atomic>
#include <string>
#include <tenon/error.hpp>
#include <thread>

#include "transfer/byte_pipe.hpp"

using namespace tenon;
using namespace tenon::transfer;

namespace {

kj::ArrayPtr<const kj::byte> bytesOf(const std::string& text) {
  return kj::arrayPtr(reinterpret_cast<const kj::byte*>(text.data()), text.size());
}

}  // namespace

TEST_CASE("the loop's writes reach the thread's reads in order, and a full pipe holds the writer back") {
  kj::EventLoop loop;
  kj::WaitScope waitScope(loop);
  BytePipe pipe(8);
  std::string received;
  std::thread reader([&] {
    char buffer[3];
    for (size_t n; (n = pipe.read(buffer, sizeof buffer)) > 0;) received.append(buffer, n);
  });
  auto first = pipe.writeAsync(bytesOf("abcd"));
  CHECK(first.poll(waitScope));  // under capacity: ready at once
  first.wait(waitScope);
  for (int i = 0; i < 100; ++i) pipe.writeAsync(bytesOf("0123456789")).wait(waitScope);  // each past capacity
  pipe.close();
  reader.join();
  std::string expected = "abcd";
  for (int i = 0; i < 100; ++i) expected += "0123456789";
  CHECK(received == expected);
}

TEST_CASE("a failure on the thread's side fails the loop's waiting write with its code and message") {
  kj::EventLoop loop;
  kj::WaitScope waitScope(loop);
  BytePipe pipe(4);
  auto waiting = pipe.writeAsync(bytesOf("more than four"));
  CHECK_FALSE(waiting.poll(waitScope));
  std::thread([&] { pipe.fail(TENON_INVALID_ARGUMENT, "bad archive"); }).join();
  try {
    waiting.wait(waitScope);
    FAIL("the write should fail");
  } catch (const kj::Exception& e) {
    CHECK(std::string(e.getDescription().cStr()) == "invalid_argument: bad archive");
  }
  char buffer[4];
  CHECK_THROWS_AS(pipe.read(buffer, sizeof buffer), Error);
}

TEST_CASE("the thread's writes reach the loop's reader, then the end") {
  kj::EventLoop loop;
  kj::WaitScope waitScope(loop);
  BytePipe pipe(4);
  std::thread writer([&] {
    for (int i = 0; i < 50; ++i) pipe.write("xyz", 3);  // blocks while the loop is behind
    pipe.close();
  });
  std::string received;
  for (;;) {
    pipe.whenReadable().wait(waitScope);
    auto chunk = pipe.take(5);
    if (chunk.empty() && pipe.atEnd()) break;
    received.append(chunk.begin(), chunk.end());
  }
  writer.join();
  CHECK(received.size() == 150);
}
