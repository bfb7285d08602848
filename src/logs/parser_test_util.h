// Shared by the parser tests: a sink that keeps events, and the fixture reader.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "logs/parser.h"
#include "testing/temp_dir.h"

namespace lq::logs::parser_testing {

class CollectingSink : public EventSink {
 public:
  void OnEvent(Event e) override { events.push_back(std::move(e)); }
  std::vector<Event> events;
};

// src/logs/testdata/<family>/<name>, from $LQ_SOURCE_DIR (set by ctest; export
// LQ_SOURCE_DIR=/path/to/lq when running a test binary by hand).
inline std::string ReadFixture(std::string_view family, const std::string& name) {
  const char* dir = std::getenv("LQ_SOURCE_DIR");
  if (dir == nullptr || *dir == '\0') {
    ADD_FAILURE() << "LQ_SOURCE_DIR is not set (ctest sets it; export LQ_SOURCE_DIR=<the lq checkout>)";
    return {};
  }
  return lq::testing::ReadFileOrDie(std::string(dir) + "/src/logs/testdata/" + std::string(family) + "/" + name);
}

}  // namespace lq::logs::parser_testing
