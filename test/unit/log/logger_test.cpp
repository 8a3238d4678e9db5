#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "log/logger.hpp"

using namespace tenon::log;

TEST_CASE("log lines are logfmt with quoted values where needed") {
  char* text = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  Logger logger(Level::info, out);
  logger.info("plugin loaded", {{"plugin", "metrics.good"}, {"path", "/a b/\"c\""}});
  logger.debug("hidden at info");
  std::fflush(out);
  std::string line(text, size);
  std::fclose(out);
  std::free(text);
  CHECK(line.starts_with("time=\""));
  CHECK(line.find(" level=info msg=\"plugin loaded\" plugin=metrics.good path=\"/a b/\\\"c\\\"\"\n") !=
        std::string::npos);
  CHECK(line.find("hidden") == std::string::npos);
}

TEST_CASE("levels parse by name") {
  CHECK(parseLevel("debug") == Level::debug);
  CHECK(parseLevel("warning") == Level::warn);
  CHECK_FALSE(parseLevel("loud"));
  CHECK(quoteValue("") == "\"\"");
  CHECK(quoteValue("a\nb") == "\"a\\nb\"");
}
