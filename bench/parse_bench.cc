// Log-parse throughput: every tool parser enabled, one core.
//
//   parse_bench --generate FILE MB   writes a gcc-heavy build log of about MB megabytes
//   parse_bench FILE                 parses FILE (after one warm-up pass), prints MB/s
//
// bench/parse.sh runs both and compares with grep on the same file.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "logs/parser.h"

namespace {

class CountingSink : public lq::logs::EventSink {
 public:
  void OnEvent(lq::logs::Event e) override { events += e.severity == lq::logs::Severity::kError ? 1 : 0; ++all; }
  long events = 0, all = 0;
};

// A build log shaped like a real gcc/make build: progress lines, compile commands,
// warnings with source excerpts and carets, notes, an error now and then.
std::string Block(int i) {
  std::string n = std::to_string(i);
  std::string s;
  s += "[ " + std::to_string(i % 100) + "%] Building CXX object src/CMakeFiles/app.dir/module" + n + ".cc.o\n";
  s += "/usr/bin/c++ -DFMT_SHARED -I/home/dev/project/src -O2 -g -DNDEBUG -Wall -Wextra -std=c++20 -MD -MT "
       "src/CMakeFiles/app.dir/module" + n + ".cc.o -c /home/dev/project/src/module" + n + ".cc\n";
  if (i % 3 == 0) {
    s += "/home/dev/project/src/module" + n + ".cc: In function 'int compute" + n + "(int)':\n";
    s += "/home/dev/project/src/module" + n + ".cc:" + std::to_string(10 + i % 90) +
         ":9: warning: unused variable 'tmp' [-Wunused-variable]\n";
    s += "   42 |     int tmp = value * 2;\n      |         ^~~\n";
  }
  if (i % 17 == 0) {
    s += "/home/dev/project/src/module" + n + ".cc:" + std::to_string(5 + i % 50) +
         ":12: error: 'undefined_thing' was not declared in this scope\n";
    s += "   17 |     return undefined_thing + x;\n      |            ^~~~~~~~~~~~~~~\n";
    s += "/home/dev/project/src/module" + n + ".cc:3:1: note: 'undefined_thing' declared here\n";
  }
  if (i % 50 == 0) s += "make[2]: *** [src/CMakeFiles/app.dir/build.make:76: module.o] Error 1\n";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--generate") {
    size_t target = static_cast<size_t>(std::atol(argv[3])) * 1000 * 1000;
    std::ofstream out(argv[2], std::ios::binary);
    size_t written = 0;
    for (int i = 0; written < target; ++i) {
      std::string b = Block(i);
      out << b;
      written += b.size();
    }
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: parse_bench FILE | parse_bench --generate FILE MB\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string log = ss.str();
  double best = 1e9;
  CountingSink sink;
  for (int pass = 0; pass < 3; ++pass) {
    CountingSink s;
    auto t0 = std::chrono::steady_clock::now();
    lq::logs::LogParser parser;
    const size_t kChunk = 1 << 16;  // as capture delivers it
    for (size_t i = 0; i < log.size(); i += kChunk) parser.Feed(std::string_view(log).substr(i, kChunk), s);
    parser.Finish(s);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (secs < best) best = secs;
    sink = s;
  }
  double mb = static_cast<double>(log.size()) / 1e6;
  std::printf("{\"bytes\": %zu, \"seconds\": %.4f, \"mb_per_s\": %.1f, \"events\": %ld, \"errors\": %ld}\n",
              log.size(), best, mb / best, sink.all, sink.events);
  return 0;
}
