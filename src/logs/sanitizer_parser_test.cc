// Tests of the ASan/LSan/TSan/UBSan and valgrind parsers (sanitizer_parser.cc), on real
// reports under testdata/tests/ (see test_parsers_test_util.h for the helpers).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "logs/parser.h"
#include "logs/parser_groups.h"
#include "logs/test_parsers_test_util.h"

namespace lq::logs {
namespace {

using namespace parser_testing;  // NOLINT

// ---------------------------------------------------------------------------------------
// Sanitizers

TEST(SanitizerTest, AddressSanitizer) {
  ExpectFixture("asan_uaf_gcc.log", "asan",
                {{kError, "/home/dev/proj/san/uaf.c", 2, 0, "asan", "heap-use-after-free",
                  "heap-use-after-free on address 0x602000000014", 2, 53}});
  ExpectFixture("asan_uaf_clang.log", "asan",
                {{kError, "/home/dev/proj/san/uaf.c", 2, 26, "asan", "heap-use-after-free",
                  "heap-use-after-free on address 0x602000000014", 2, 53}});
  ExpectFixture("asan_stack_ubsan.log", "asan",
                {{kError, "/home/dev/proj/san/stack.c", 3, 0, "asan", "stack-buffer-overflow",
                  "stack-buffer-overflow on address 0x7ffcbc3a89e4", 7, 53}});
  ExpectFixture("asan_segv.log", "asan",
                {{kError, "/home/dev/proj/san/segv.c", 1, 0, "asan", "SEGV",
                  "SEGV on unknown address 0x000000000000", 4, 14}});
}

TEST(SanitizerTest, AsanUserFrameSkipsRuntimeAndLibc) {
  std::
      string
          log =
              "==7==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread "
              "T0:\n"  // 1
              "    #0 0x7f12 in __interceptor_free "
              "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52\n"  // 2
              "    #1 0x7f13 in std::vector<int>::~vector() "
              "/usr/include/c++/12/bits/stl_vector.h:730\n"             // 3
              "    #2 0x5555 in Cache::Drop(int) /src/cache.cc:88:5\n"  // 4
              "    #3 0x5556 in main /src/main.cc:12:3\n"               // 5
              "\n"                                                      // 6
              "SUMMARY: AddressSanitizer: double-free "
              "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52 in "
              "__interceptor_free\n"  // 7
              "==7==ABORTING\n"       // 8
              "after\n";              // 9
  ExpectEvents(Parse(log, "asan"),
               {{kError, "/src/cache.cc", 88, 5, "asan", "double-free",
                 "attempting double-free on 0x602000000010 in thread T0", 1, 8}});
}

TEST(SanitizerTest, LeakSanitizer) {
  ExpectFixture("lsan_gcc.log", "lsan",
                {{kError, "/home/dev/proj/san/leak.c", 6, 0, "lsan", "direct-leak",
                  "Direct leak of 100 byte(s) in 1 object(s)", 5, 8},
                 {kError, "/home/dev/proj/san/leak.c", 3, 0, "lsan", "direct-leak",
                  "Direct leak of 6 byte(s) in 1 object(s)", 10, 14}});
  ExpectFixture("lsan_clang.log", "lsan",
                {{kError, "/home/dev/proj/san/leak.c", 6, 13, "lsan", "direct-leak",
                  "Direct leak of 100 byte(s) in 1 object(s)", 5, 8},
                 {kError, "/home/dev/proj/san/leak.c", 3, 38, "lsan", "direct-leak",
                  "Direct leak of 6 byte(s) in 1 object(s)", 10, 14}});
  std::string indirect =
      "==9==ERROR: LeakSanitizer: detected memory leaks\n"
      "\n"
      "Indirect leak of 8 byte(s) in 1 object(s) allocated from:\n"
      "    #0 0x1 in malloc (/lib/libasan.so.8+0xb9cf)\n"
      "    #1 0x2 in make_node /src/list.c:14:20\n"
      "\n"
      "SUMMARY: AddressSanitizer: 8 byte(s) leaked in 1 allocation(s).\n";
  ExpectEvents(Parse(indirect, "lsan"), {{kWarning, "/src/list.c", 14, 20, "lsan", "indirect-leak",
                                          "Indirect leak of 8 byte(s) in 1 object(s)", 3, 5}});
}

TEST(SanitizerTest, ReportsCutShortReleaseTheFollowingLines) {
  std::string log =
      "==9==ERROR: LeakSanitizer: detected memory leaks\n"         // 1
      "\n"                                                         // 2
      "Direct leak of 4 byte(s) in 1 object(s) allocated from:\n"  // 3
      "    #0 0x1 in malloc (/lib/libasan.so.8+0xb9cf)\n"          // 4
      "    #1 0x2 in main /src/m.c:3:5\n"                          // 5
      "\n"                                                         // 6
      "make: *** [Makefile:3: test] Error 1\n"                     // 7: no SUMMARY line
      "WARNING: ThreadSanitizer: data race (pid=5)\n"              // 8
      "  Write of size 4 at 0x1 by thread T1:\n"                   // 9
      "    #0 work /src/r.c:3:5 (r+0x1)\n"                         // 10
      "make: *** [Makefile:4: race] Error 66\n";                   // 11
  ExpectEvents(OnlyOurs(Parse(log, "auto")),
               {{kError, "/src/m.c", 3, 5, "lsan", "direct-leak",
                 "Direct leak of 4 byte(s) in 1 object(s)", 3, 5},
                {kError, "/src/r.c", 3, 5, "tsan", "data-race", "data race", 8, 10}});
  ParserList list;
  AddTestParsers(&list);
  CollectingSink sink;
  ToolParser* active = nullptr;
  int64_t n = 0;
  for (size_t i = 0; i < log.size();) {
    size_t nl = log.find('\n', i);
    Line line{std::string_view(log).substr(i, nl - i), ++n};
    i = nl + 1;
    if (active != nullptr && active->Feed(line, sink)) continue;
    if (active != nullptr) active->Flush(sink);
    ToolParser* previous = active;
    active = nullptr;
    for (auto& p : list) {
      if (p.get() != previous && p->Feed(line, sink)) {
        active = p.get();
        break;
      }
    }
    if ((n == 7 || n == 11) && active != nullptr)
      ADD_FAILURE() << "line " << n << " claimed by " << active->name();
  }
}

TEST(SanitizerTest, ThreadSanitizer) {
  ExpectFixture(
      "tsan.log", "tsan",
      {{kError, "/home/dev/proj/san/race.c", 3, 32, "tsan", "data-race", "data race", 2, 20}});
}

TEST(SanitizerTest, UndefinedBehaviorSanitizer) {
  ExpectFixture(
      "ubsan.log", "ubsan",
      {{kError, "overflow.c", 5, 5, "ubsan", "signed-integer-overflow",
        "signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'", 1, 1},
       {kError, "overflow.c", 9, 13, "ubsan", "shift-exponent",
        "shift exponent 32 is too large for 32-bit type 'int'", 2, 2}});
  ExpectFixture(
      "ubsan_stacktrace.log", "ubsan",
      {{kError, "overflow.c", 5, 5, "ubsan", "signed-integer-overflow",
        "signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'", 1, 5},
       {kError, "overflow.c", 9, 13, "ubsan", "shift-exponent",
        "shift exponent 32 is too large for 32-bit type 'int'", 7, 11}});
  ExpectFixture(
      "ubsan_summary.log", "ubsan",
      {{kError, "overflow.c", 5, 5, "ubsan", "signed-integer-overflow",
        "signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'", 1, 2},
       {kError, "overflow.c", 9, 13, "ubsan", "shift-exponent",
        "shift exponent 32 is too large for 32-bit type 'int'", 3, 4}});
  ExpectFixture("asan_segv.log", "ubsan",
                {{kError, "segv.c", 1, 46, "ubsan", "null",
                  "load of null pointer of type 'volatile int'", 1, 1}});
}

TEST(SanitizerTest, UbsanChecksAreNamed) {
  struct Case {
    const char* message;
    const char* check;
  } cases[] = {
      {"division by zero", "integer-divide-by-zero"},
      {"left shift of negative value -1", "shift-base"},
      {"load of misaligned address 0x01 for type 'int', which requires 4 byte alignment",
       "alignment"},
      {"member access within null pointer of type 'struct S'", "null"},
      {"load of value 7, which is not a valid value for type 'bool'", "bool"},
      {"execution reached the end of a value-returning function without returning a value",
       "return"},
      {"applying non-zero offset 8 to null pointer", "pointer-overflow"},
      {"1e+10 is outside the range of representable values of type 'int'", "float-cast-overflow"},
      {"something new in a later compiler", "undefined-behavior"},
  };
  for (const Case& c : cases) {
    std::vector<Event> events =
        Parse(std::string("a.cc:1:2: runtime error: ") + c.message + "\n", "ubsan");
    ASSERT_EQ(events.size(), 1u) << c.message;
    EXPECT_EQ(events[0].error_code, c.check) << c.message;
    EXPECT_EQ(events[0].message, c.message);
  }
}

// ---------------------------------------------------------------------------------------
// valgrind

TEST(ValgrindTest, MemcheckErrorsAndLeaks) {
  ExpectFixture("valgrind.log", "valgrind",
                {{kError, "vg.c", 5, 0, "valgrind", "InvalidRead", "Invalid read of size 4", 6, 10},
                 {kError, "vg.c", 7, 0, "valgrind", "UninitCondition",
                  "Conditional jump or move depends on uninitialised value(s)", 12, 13},
                 {kError, "vg.c", 9, 0, "valgrind", "InvalidFree",
                  "Invalid free() / delete / delete[] / realloc()", 15, 23},
                 {kError, "vg.c", 10, 0, "valgrind", "Leak_DefinitelyLost",
                  "10 bytes in 1 blocks are definitely lost in loss record 1 of 1", 31, 33}});
  std::vector<Event> events = Parse(Fixture("valgrind.log"), "valgrind");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].raw_text,
            "==15015== Invalid read of size 4\n"
            "==15015==    at 0x109187: main (vg.c:5)\n"
            "==15015==  Address 0x4a42050 is 0 bytes after a block of size 16 alloc'd\n"
            "==15015==    at 0x48417B4: malloc (in "
            "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)\n"
            "==15015==    by 0x10917A: main (vg.c:4)");
}

}  // namespace
}  // namespace lq::logs
