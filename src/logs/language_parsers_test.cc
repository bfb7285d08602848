// Tests of the language-tool parsers (rust_parser.cc, go_parser.cc, ..., msvc_parser.cc).
// Fixtures are under src/logs/testdata/lang/ (where each came from: README.md there); the
// expected events were checked by hand against the tools' output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "logs/parser.h"
#include "logs/parser_test_util.h"

namespace lq::logs {
namespace {

using namespace parser_testing;  // NOLINT

std::string ReadFixture(const std::string& name) { return parser_testing::ReadFixture("lang", name); }

std::vector<Event> Parse(const std::string& text, const std::string& format, size_t chunk = 0) {
  LogParser parser(format);
  CollectingSink sink;
  if (chunk == 0) {
    parser.Feed(text, sink);
  } else {
    for (size_t i = 0; i < text.size(); i += chunk)
      parser.Feed(std::string_view(text).substr(i, chunk), sink);
  }
  parser.Finish(sink);
  return std::move(sink.events);
}

std::vector<Event> ParseFixture(const std::string& name, const std::string& format) {
  return Parse(ReadFixture(name), format);
}

constexpr Severity E = Severity::kError;
constexpr Severity W = Severity::kWarning;
constexpr Severity N = Severity::kNote;

struct Want {
  Severity severity;
  std::string file;
  int64_t line;
  int64_t column;
  std::string message;
  std::string code;
  std::string category;
  int64_t start;
  int64_t end;
};

void ExpectEvents(const std::vector<Event>& got, const std::string& tool,
                  const std::vector<Want>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i) + ": " + got[i].message);
    const Event& e = got[i];
    const Want& w = want[i];
    EXPECT_EQ(SeverityName(e.severity), SeverityName(w.severity));
    EXPECT_EQ(e.file_path, w.file);
    EXPECT_EQ(e.line_number, w.line);
    EXPECT_EQ(e.column_number, w.column);
    EXPECT_EQ(e.message, w.message);
    EXPECT_EQ(e.error_code, w.code);
    EXPECT_EQ(e.category, w.category);
    EXPECT_EQ(e.tool_name, tool);
    EXPECT_EQ(e.log_line_start, w.start);
    EXPECT_EQ(e.log_line_end, w.end);
    EXPECT_FALSE(e.fingerprint.empty());
    EXPECT_FALSE(e.raw_text.empty());
  }
}

// The lines of `text` from `start` to `end` (1-based, inclusive), joined by '\n'.
std::string Lines(const std::string& text, int64_t start, int64_t end) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  std::string l;
  while (std::getline(ss, l)) lines.push_back(l);
  std::string out;
  for (int64_t i = start; i <= end && i <= static_cast<int64_t>(lines.size()); ++i) {
    if (i > start) out += "\n";
    out += lines[static_cast<size_t>(i - 1)];
  }
  return out;
}

// cargo build of a crate with two type errors (rustc 1.95).
TEST(RustParserTest, CargoBuildErrors) {
  ExpectEvents(ParseFixture("rust_cargo_build.txt", "rustc"), "rustc",
               {
                   {E, "src/main.rs", 7, 21, "mismatched types", "E0308", "compile", 2, 13},
                   {E, "src/main.rs", 9, 13, "cannot find function `undefined_fn` in this scope",
                    "E0425", "compile", 15, 19},
                   {E, "", 0, 0, "could not compile `foo` (bin \"foo\") due to 2 previous errors",
                    "", "compile", 23, 23},
               });
}

// cargo clippy: rustc lints and clippy lints (category "lint").
TEST(RustParserTest, LintWarningsTakeTheLintNameAsCode) {
  ExpectEvents(
      ParseFixture("rust_clippy.txt", "rustc"), "rustc",
      {
          {W, "src/lib.rs", 6, 9, "unused variable: `x`", "unused_variables", "compile", 2, 8},
          {W, "src/lib.rs", 2, 5, "unneeded `return` statement", "clippy::needless_return", "lint",
           10, 22},
          {W, "src/lib.rs", 5, 13,
           "writing `&Vec` instead of `&[_]` involves a new object where a slice will do",
           "clippy::ptr_arg", "lint", 24, 36},
      });
}

// rustc invoked directly: the first "warning:" is recognized by its " --> main.rs" line.
TEST(RustParserTest, PlainRustcWithoutCargoContext) {
  ExpectEvents(
      ParseFixture("rustc_plain.txt", "rustc"), "rustc",
      {
          {W, "main.rs", 5, 9, "unused variable: `y`", "unused_variables", "compile", 1, 7},
          {E, "main.rs", 5, 17, "literal out of range for `u8`", "overflowing_literals", "compile",
           9, 16},
      });
}

// cargo test with two failing tests (RUST_BACKTRACE=0).
TEST(CargoTestParserTest, FailedTestsAndTheirPanics) {
  ExpectEvents(
      ParseFixture("rust_cargo_test.txt", "rustc"), "rustc",
      {
          {W, "src/lib.rs", 2, 9, "unused variable: `x`", "unused_variables", "compile", 2, 8},
          {E, "src/lib.rs", 18, 18,
           "tests::it_panics: index out of bounds: the len is 0 but the index is 3", "", "test", 22,
           26},
          {E, "src/lib.rs", 12, 9, "tests::it_works: assertion `left == right` failed", "", "test",
           28, 33},
      });
}

// a panicking binary.
TEST(RustParserTest, RuntimePanic) {
  ExpectEvents(ParseFixture("rust_panic.txt", "rustc"), "rustc",
               {
                   {E, "run.rs", 3, 21, "index out of bounds: the len is 0 but the index is 7", "",
                    "runtime", 2, 4},
               });
}

// go build (go1.19) with its "# pkg" header.
TEST(GoParserTest, BuildErrors) {
  ExpectEvents(ParseFixture("go_build.txt", "go"), "go",
               {
                   {E, "./main.go", 5, 2, "imported and not used: \"os\"", "", "compile", 2, 2},
                   {E, "./main.go", 9, 2, "x declared but not used", "", "compile", 3, 3},
                   {E, "./main.go", 10, 14, "undefined: foo", "", "compile", 4, 4},
               });
}

// go vet: go1.19 prints only "# pkg"; newer versions add "# [pkg]".
TEST(GoParserTest, VetOldAndNewHeaders) {
  ExpectEvents(ParseFixture("go_vet.txt", "go"), "go",
               {
                   {E, "./main.go", 7, 2, "fmt.Printf format %d has arg s of wrong type string", "",
                    "lint", 2, 2},
               });
  ExpectEvents(ParseFixture("go_vet_new.txt", "go"), "go",
               {
                   {E, "./main.go", 7, 2, "fmt.Printf format %d has arg s of wrong type string", "",
                    "lint", 3, 3},
                   {E, "./main.go", 9, 2, "unreachable code", "", "lint", 4, 4},
               });
}

// golangci-lint lines: "(linter)" suffix; staticcheck codes win.
TEST(GoParserTest, GolangciLintSuffixIsTheCode) {
  ExpectEvents(ParseFixture("golangci_lint.txt", "go"), "go",
               {
                   {E, "main.go", 9, 2, "ineffectual assignment to x", "ineffassign", "lint", 1, 3},
                   {E, "util.go", 14, 6, "func `unusedHelper` is unused", "unused", "lint", 4, 4},
                   {E, "util.go", 20, 5, "this value of err is never used", "SA4006", "lint", 5, 7},
               });
}

// go test: a failing test, a failing subtest (its parent is not reported), a panic.
TEST(GoParserTest, TestFailuresSubtestsAndPanic) {
  ExpectEvents(ParseFixture("go_test.txt", "go"), "go",
               {
                   {E, "main_test.go", 7, 0, "TestAdd: Add(2, 2) = 4; want 5", "", "test", 1, 3},
                   {E, "main_test.go", 14, 0, "TestSub/neg: boom", "", "test", 5, 7},
                   {E, "/home/dev/m/main_test.go", 23, 0,
                    "TestPanic: panic: assignment to entry in nil map", "", "test", 8, 24},
               });
}

// go test -v: the message lines come before "--- FAIL".
TEST(GoParserTest, VerboseOutputComesBeforeTheFailLine) {
  ExpectEvents(ParseFixture("go_test_v.txt", "go"), "go",
               {
                   {E, "main_test.go", 7, 0, "TestAdd: Add(2, 2) = 4; want 5", "", "test", 2, 4},
                   {E, "main_test.go", 14, 0, "TestSub/neg: boom", "", "test", 7, 11},
                   {E, "/home/dev/m/main_test.go", 23, 0,
                    "TestPanic: panic: assignment to entry in nil map", "", "test", 16, 32},
               });
}

// go test whose test file does not compile: no extra package event.
TEST(GoParserTest, TestBuildFailureReportsOnlyTheCompileError) {
  ExpectEvents(ParseFixture("go_test_build_failed.txt", "go"), "go",
               {
                   {E, "./main_test.go", 6, 5, "undefined: Foo", "", "compile", 2, 2},
               });
}

// go run of a panicking program.
TEST(GoParserTest, RuntimePanicLocationSkipsRuntimeFrames) {
  ExpectEvents(
      ParseFixture("go_panic.txt", "go"), "go",
      {
          {E, "/home/dev/m/main.go", 9, 0,
           "panic: runtime error: index out of range [3] with length 0", "", "runtime", 2, 7},
      });
}

// tsc --pretty false (TypeScript 7.0.2): the message chain lines belong to the error.
TEST(TscParserTest, PlainFormat) {
  ExpectEvents(ParseFixture("tsc_plain.txt", "tsc"), "tsc",
               {
                   {E, "src/a.ts", 4, 7, "Type 'string' is not assignable to type 'number'.",
                    "TS2322", "type-check", 1, 1},
                   {E, "src/a.ts", 6, 12, "Property 'nmae' does not exist on type 'User'.",
                    "TS2339", "type-check", 2, 2},
                   {E, "src/a.ts", 8, 9, "Type 'number' is not assignable to type 'string'.",
                    "TS2322", "type-check", 3, 3},
                   {E, "src/b.ts", 1, 25,
                    "Cannot find module './nope' or its corresponding type declarations.", "TS2307",
                    "type-check", 4, 4},
                   {E, "src/c.ts", 2, 21, "Type 'string' is not assignable to type 'number'.",
                    "TS2322", "type-check", 5, 5},
                   {E, "src/c.ts", 3, 45, "Type 'string' is not assignable to type 'number'.",
                    "TS2322", "type-check", 6, 6},
                   {E, "src/c.ts", 5, 3,
                    "Argument of type '(s: string) => number' is not assignable to parameter of "
                    "type '(n: number) => string'.",
                    "TS2345", "type-check", 7, 9},
               });
}

// tsc --pretty (colors stripped by the driver): snippets and related locations belong to the error.
TEST(TscParserTest, PrettyFormatWithAnsiAndSnippets) {
  ExpectEvents(ParseFixture("tsc_pretty.txt", "tsc"), "tsc",
               {
                   {E, "src/a.ts", 4, 7, "Type 'string' is not assignable to type 'number'.",
                    "TS2322", "type-check", 1, 4},
                   {E, "src/a.ts", 6, 12, "Property 'nmae' does not exist on type 'User'.",
                    "TS2339", "type-check", 6, 9},
                   {E, "src/a.ts", 8, 9, "Type 'number' is not assignable to type 'string'.",
                    "TS2322", "type-check", 11, 18},
                   {E, "src/b.ts", 1, 25,
                    "Cannot find module './nope' or its corresponding type declarations.", "TS2307",
                    "type-check", 20, 23},
                   {E, "src/c.ts", 2, 21, "Type 'string' is not assignable to type 'number'.",
                    "TS2322", "type-check", 25, 32},
                   {E, "src/c.ts", 3, 45, "Type 'string' is not assignable to type 'number'.",
                    "TS2322", "type-check", 34, 41},
                   {E, "src/c.ts", 5, 3,
                    "Argument of type '(s: string) => number' is not assignable to parameter of "
                    "type '(n: number) => string'.",
                    "TS2345", "type-check", 43, 48},
               });
}

// ErrorWithoutLocation
TEST(TscParserTest, ErrorWithoutLocation) {
  ExpectEvents(ParseFixture("tsc_misc.txt", "tsc"), "tsc",
               {
                   {E, "src/index.ts", 3, 1, "';' expected.", "TS1005", "type-check", 1, 1},
                   {E, "", 0, 0, "The specified path does not exist: 'tsconfig.build.json'.",
                    "TS5058", "type-check", 2, 2},
               });
}

// eslint 8.57.1 default formatter; the parse error has no rule.
TEST(EslintParserTest, StylishGroupsByFileLine) {
  ExpectEvents(
      ParseFixture("eslint_stylish.txt", "eslint"), "eslint",
      {
          {E, "/home/dev/web/lib/a.js", 1, 7, "'fs' is assigned a value but never used",
           "no-unused-vars", "lint", 3, 3},
          {E, "/home/dev/web/lib/a.js", 2, 10, "'f' is defined but never used", "no-unused-vars",
           "lint", 4, 4},
          {E, "/home/dev/web/lib/a.js", 3, 7, "'unused' is assigned a value but never used",
           "no-unused-vars", "lint", 5, 5},
          {W, "/home/dev/web/lib/a.js", 4, 9, "Expected '===' and instead saw '=='", "eqeqeq",
           "lint", 6, 6},
          {E, "/home/dev/web/lib/a.js", 4, 27, "'undefined_var' is not defined", "no-undef", "lint",
           7, 7},
          {E, "/home/dev/web/lib/a.js", 5, 3, "Unexpected 'debugger' statement", "no-debugger",
           "lint", 8, 8},
          {E, "/home/dev/web/lib/b.js", 1, 10, "Missing semicolon", "semi", "lint", 11, 11},
          {E, "/home/dev/web/lib/b.js", 2, 1, "'x' is assigned a value but never used",
           "no-unused-vars", "lint", 12, 12},
          {E, "/home/dev/web/lib/b.js", 2, 7, "Unnecessary semicolon", "no-extra-semi", "lint", 13,
           13},
          {E, "/home/dev/web/lib2/bad.js", 1, 10, "Parsing error: Unexpected token (", "", "lint",
           16, 16},
      });
}

// eslint -f unix.
TEST(EslintParserTest, UnixFormat) {
  ExpectEvents(ParseFixture("eslint_unix.txt", "eslint"), "eslint",
               {
                   {E, "/home/dev/web/lib/a.js", 1, 7, "'fs' is assigned a value but never used.",
                    "no-unused-vars", "lint", 1, 1},
                   {E, "/home/dev/web/lib/a.js", 2, 10, "'f' is defined but never used.",
                    "no-unused-vars", "lint", 2, 2},
                   {E, "/home/dev/web/lib/a.js", 3, 7,
                    "'unused' is assigned a value but never used.", "no-unused-vars", "lint", 3, 3},
                   {W, "/home/dev/web/lib/a.js", 4, 9, "Expected '===' and instead saw '=='.",
                    "eqeqeq", "lint", 4, 4},
                   {E, "/home/dev/web/lib/a.js", 4, 27, "'undefined_var' is not defined.",
                    "no-undef", "lint", 5, 5},
                   {E, "/home/dev/web/lib/a.js", 5, 3, "Unexpected 'debugger' statement.",
                    "no-debugger", "lint", 6, 6},
                   {E, "/home/dev/web/lib/b.js", 1, 10, "Missing semicolon.", "semi", "lint", 7, 7},
                   {E, "/home/dev/web/lib/b.js", 2, 1, "'x' is assigned a value but never used.",
                    "no-unused-vars", "lint", 8, 8},
                   {E, "/home/dev/web/lib/b.js", 2, 7, "Unnecessary semicolon.", "no-extra-semi",
                    "lint", 9, 9},
                   {E, "/home/dev/web/lib2/bad.js", 1, 10, "Parsing error: Unexpected token (", "",
                    "lint", 10, 10},
               });
}

// eslint -f compact.
TEST(EslintParserTest, CompactFormat) {
  ExpectEvents(ParseFixture("eslint_compact.txt", "eslint"), "eslint",
               {
                   {E, "/home/dev/web/lib/a.js", 1, 7, "'fs' is assigned a value but never used.",
                    "no-unused-vars", "lint", 1, 1},
                   {E, "/home/dev/web/lib/a.js", 2, 10, "'f' is defined but never used.",
                    "no-unused-vars", "lint", 2, 2},
                   {E, "/home/dev/web/lib/a.js", 3, 7,
                    "'unused' is assigned a value but never used.", "no-unused-vars", "lint", 3, 3},
                   {W, "/home/dev/web/lib/a.js", 4, 9, "Expected '===' and instead saw '=='.",
                    "eqeqeq", "lint", 4, 4},
                   {E, "/home/dev/web/lib/a.js", 4, 27, "'undefined_var' is not defined.",
                    "no-undef", "lint", 5, 5},
                   {E, "/home/dev/web/lib/a.js", 5, 3, "Unexpected 'debugger' statement.",
                    "no-debugger", "lint", 6, 6},
                   {E, "/home/dev/web/lib/b.js", 1, 10, "Missing semicolon.", "semi", "lint", 7, 7},
                   {E, "/home/dev/web/lib/b.js", 2, 1, "'x' is assigned a value but never used.",
                    "no-unused-vars", "lint", 8, 8},
                   {E, "/home/dev/web/lib/b.js", 2, 7, "Unnecessary semicolon.", "no-extra-semi",
                    "lint", 9, 9},
               });
}

// mypy 1.0.1 without columns.
TEST(MypyParserTest, PlainOutput) {
  ExpectEvents(
      ParseFixture("mypy_plain.txt", "mypy"), "mypy",
      {
          {E, "a.py", 6, 0,
           "Incompatible types in assignment (expression has type \"str\", variable has type "
           "\"int\")",
           "assignment", "type-check", 1, 1},
          {E, "a.py", 7, 0, "Incompatible return value type (got \"int\", expected \"str\")",
           "return-value", "type-check", 2, 2},
          {E, "a.py", 15, 0, "Argument 1 to \"f\" has incompatible type \"str\"; expected \"int\"",
           "arg-type", "type-check", 3, 3},
      });
}

// mypy --show-column-numbers: a note at the error's line joins it, other notes stand alone.
TEST(MypyParserTest, ColumnsAndNotes) {
  ExpectEvents(
      ParseFixture("mypy_columns.txt", "mypy"), "mypy",
      {
          {N, "c.py", 4, 1, "\"f\" defined here", "", "type-check", 1, 1},
          {E, "c.py", 8, 1, "Unexpected keyword argument \"b\" for \"f\"", "call-arg", "type-check",
           2, 2},
          {N, "c.py", 10, 13, "Revealed type is \"builtins.list[builtins.int]\"", "", "type-check",
           3, 3},
          {E, "c.py", 11, 1,
           "Cannot find implementation or library stub for module named \"yaml_missing_mod\"",
           "import", "type-check", 4, 5},
          {E, "a.py", 6, 14,
           "Incompatible types in assignment (expression has type \"str\", variable has type "
           "\"int\")",
           "assignment", "type-check", 6, 6},
          {E, "a.py", 7, 12, "Incompatible return value type (got \"int\", expected \"str\")",
           "return-value", "type-check", 7, 7},
          {E, "a.py", 15, 9, "Argument 1 to \"f\" has incompatible type \"str\"; expected \"int\"",
           "arg-type", "type-check", 8, 8},
      });
}

// mypy --pretty: wrapped messages are joined, excerpts belong to the error.
TEST(MypyParserTest, PrettyWrapsMessages) {
  ExpectEvents(
      ParseFixture("mypy_pretty.txt", "mypy"), "mypy",
      {
          {E, "a.py", 6, 14,
           "Incompatible types in assignment (expression has type \"str\", variable has type "
           "\"int\")",
           "assignment", "type-check", 1, 4},
          {E, "a.py", 7, 12, "Incompatible return value type (got \"int\", expected \"str\")",
           "return-value", "type-check", 5, 8},
          {E, "a.py", 15, 9, "Argument 1 to \"f\" has incompatible type \"str\"; expected \"int\"",
           "arg-type", "type-check", 9, 12},
      });
}

// flake8 5.0.4: E9/F63/F7/F82 are errors, the rest warnings.
TEST(Flake8ParserTest, SeverityByCode) {
  ExpectEvents(ParseFixture("flake8.txt", "flake8"), "flake8",
               {
                   {W, "a.py", 1, 1, "'os' imported but unused", "F401", "lint", 1, 1},
                   {W, "a.py", 2, 1, "'sys' imported but unused", "F401", "lint", 2, 2},
                   {W, "a.py", 6, 5, "local variable 'y' is assigned to but never used", "F841",
                    "lint", 3, 3},
                   {E, "a.py", 12, 16, "undefined name 'undefined_name'", "F821", "lint", 4, 4},
                   {W, "a.py", 16, 1, "ambiguous variable name 'l'", "E741", "lint", 5, 5},
                   {W, "a.py", 16, 7, "missing whitespace after ','", "E231", "lint", 6, 6},
                   {W, "a.py", 16, 9, "whitespace before ','", "E203", "lint", 7, 7},
                   {W, "a.py", 16, 10, "missing whitespace after ','", "E231", "lint", 8, 8},
                   {W, "a.py", 17, 6, "comparison to None should be 'if cond is None:'", "E711",
                    "lint", 9, 9},
                   {E, "b.py", 2, 16, "SyntaxError: invalid syntax", "E999", "lint", 10, 10},
               });
}

// ruff concise lines (shape of ruff 0.x output, see testdata/lang/README.md).
TEST(RuffParserTest, ConciseFormat) {
  ExpectEvents(
      ParseFixture("ruff.txt", "ruff"), "ruff",
      {
          {W, "app/models.py", 3, 8, "`os` imported but unused", "F401", "lint", 1, 1},
          {W, "app/models.py", 17, 5, "Ambiguous variable name: `l`", "E741", "lint", 2, 2},
          {E, "app/models.py", 29, 1, "SyntaxError: unexpected indent", "E999", "lint", 3, 3},
          {E, "app/views.py", 2, 13, "Expected an expression", "", "lint", 4, 4},
      });
}

// ruff full format: location first (up to 0.12.9), code first with "-->" (0.12.10+).
TEST(RuffParserTest, FullFormatBeforeAndAfter0_12_10) {
  ExpectEvents(ParseFixture("ruff_full.txt", "ruff"), "ruff",
               {
                   {W, "app/models.py", 4, 12, "`package.a.b.e.module_c` imported but unused",
                    "F401", "lint", 1, 8},
               });
  ExpectEvents(ParseFixture("ruff_full_new.txt", "ruff"), "ruff",
               {
                   {W, "unused.py", 8, 19, "`pathlib` imported but unused", "F401", "lint", 1, 10},
                   {W, "unused.py", 14, 9, "Comparison to `None` should be `cond is None`", "E711",
                    "lint", 12, 18},
               });
}

// pylint 2.16.2: severity by message class, 0-based columns + 1.
TEST(PylintParserTest, ColumnsAreMadeOneBased) {
  ExpectEvents(
      ParseFixture("pylint.txt", "pylint"), "pylint",
      {
          {E, "b.py", 2, 16, "Parsing failed: 'invalid syntax (<unknown>, line 2)'", "E0001",
           "lint", 2, 2},
          {N, "a.py", 1, 1, "Missing module docstring", "C0114", "lint", 4, 4},
          {N, "a.py", 5, 1, "Missing function or method docstring", "C0116", "lint", 5, 5},
          {N, "a.py", 5, 1, "Function name \"f\" doesn't conform to snake_case naming style",
           "C0103", "lint", 6, 6},
          {N, "a.py", 5, 7, "Argument name \"x\" doesn't conform to snake_case naming style",
           "C0103", "lint", 7, 7},
          {N, "a.py", 6, 5, "Variable name \"y\" doesn't conform to snake_case naming style",
           "C0103", "lint", 8, 8},
          {W, "a.py", 6, 5, "Unused variable 'y'", "W0612", "lint", 9, 9},
          {N, "a.py", 10, 1, "Missing class docstring", "C0115", "lint", 10, 10},
          {N, "a.py", 11, 5, "Missing function or method docstring", "C0116", "lint", 11, 11},
          {N, "a.py", 11, 5, "Method name \"m\" doesn't conform to snake_case naming style",
           "C0103", "lint", 12, 12},
          {E, "a.py", 12, 16, "Undefined variable 'undefined_name'", "E0602", "lint", 13, 13},
          {N, "a.py", 10, 1, "Too few public methods (1/2)", "R0903", "lint", 14, 14},
          {N, "a.py", 17, 4, "Comparison 'l == None' should be 'l is None'", "C0121", "lint", 15,
           15},
          {W, "a.py", 1, 1, "Unused import os", "W0611", "lint", 16, 16},
          {W, "a.py", 2, 1, "Unused import sys", "W0611", "lint", 17, 17},
      });
}

// shellcheck 0.9.0 -f gcc.
TEST(ShellcheckParserTest, GccFormat) {
  ExpectEvents(
      ParseFixture("shellcheck_gcc.txt", "shellcheck"), "shellcheck",
      {
          {N, "a.sh", 2, 6, "Double quote to prevent globbing and word splitting.", "SC2086",
           "lint", 1, 1},
          {E, "a.sh", 3, 10, "Iterating over ls output is fragile. Use globs.", "SC2045", "lint", 2,
           2},
          {N, "a.sh", 3, 15, "Use ./*glob* or -- *glob* so names with dashes won't become options.",
           "SC2035", "lint", 3, 3},
          {N, "a.sh", 4, 7, "Double quote to prevent globbing and word splitting.", "SC2086",
           "lint", 4, 4},
          {W, "a.sh", 6, 1, "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
           "SC2164", "lint", 5, 5},
          {W, "a.sh", 7, 3, "x is referenced but not assigned.", "SC2154", "lint", 6, 6},
          {N, "a.sh", 7, 3, "Double quote to prevent globbing and word splitting.", "SC2086",
           "lint", 7, 7},
      });
}

// shellcheck 0.9.0 default output: same diagnostics, columns from the carets.
TEST(ShellcheckParserTest, TtyFormatGivesTheSameEvents) {
  ExpectEvents(
      ParseFixture("shellcheck_tty.txt", "shellcheck"), "shellcheck",
      {
          {N, "a.sh", 2, 6, "Double quote to prevent globbing and word splitting.", "SC2086",
           "lint", 2, 4},
          {E, "a.sh", 3, 10, "Iterating over ls output is fragile. Use globs.", "SC2045", "lint",
           10, 12},
          {N, "a.sh", 3, 15, "Use ./*glob* or -- *glob* so names with dashes won't become options.",
           "SC2035", "lint", 10, 13},
          {N, "a.sh", 4, 7, "Double quote to prevent globbing and word splitting.", "SC2086",
           "lint", 16, 18},
          {W, "a.sh", 6, 1, "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
           "SC2164", "lint", 24, 26},
          {W, "a.sh", 7, 3, "x is referenced but not assigned.", "SC2154", "lint", 32, 34},
          {N, "a.sh", 7, 3, "Double quote to prevent globbing and word splitting.", "SC2086",
           "lint", 32, 35},
      });
}

// javac 17 -Xlint:all.
TEST(JavaParserTest, JavacErrorsAndLintWarnings) {
  ExpectEvents(
      ParseFixture("javac.txt", "javac"), "javac",
      {
          {E, "Main.java", 5, 17, "incompatible types: String cannot be converted to int", "",
           "compile", 1, 3},
          {E, "Main.java", 6, 9, "cannot find symbol: method foo()", "", "compile", 4, 8},
          {W, "Main.java", 7, 9, "found raw type: List", "rawtypes", "compile", 9, 14},
          {W, "Main.java", 7, 33, "found raw type: ArrayList", "rawtypes", "compile", 15, 20},
          {W, "Main.java", 8, 16, "unchecked call to add(E) as a member of the raw type List",
           "unchecked", "compile", 21, 25},
          {E, "Main.java", 9, 9, "cannot find symbol: class Strin", "", "compile", 26, 30},
      });
}

// kotlinc through Gradle (file:// URIs, old "(L, C)" form) and on the command line.
TEST(JavaParserTest, KotlinForms) {
  ExpectEvents(
      ParseFixture("kotlin.txt", "kotlinc"), "kotlinc",
      {
          {E, "/home/dev/app/src/main/kotlin/com/a/Dialog.kt", 79, 33,
           "Unresolved reference: FileUtils", "", "compile", 2, 2},
          {W, "/home/dev/app/src/main/kotlin/com/a/Main.kt", 3, 9, "Variable 'x' is never used", "",
           "compile", 3, 3},
          {E, "/home/dev/app/src/main/kotlin/com/a/Old.kt", 12, 5,
           "Type mismatch: inferred type is String but Int was expected", "", "compile", 4, 4},
          {E, "src/hello.kt", 2, 5, "unresolved reference: printn", "", "compile", 5, 7},
      });
}

// real mvn 3.8.7 run without network.
TEST(MavenParserTest, OfflinePluginResolutionFailure) {
  ExpectEvents(ParseFixture("maven_offline.txt", "maven"), "maven",
               {
                   {E, "", 0, 0,
                    "Plugin org.apache.maven.plugins:maven-resources-plugin:2.6 or one of its "
                    "dependencies could not be resolved: Failed to read artifact descriptor for "
                    "org.apache.maven.plugins:maven-resources-plugin:jar:2.6: Could not transfer "
                    "artifact org.apache.maven.plugins:maven-resources-plugin:pom:2.6 from/to "
                    "central (https://repo.maven.apache.org/maven2): transfer failed for "
                    "https://repo.maven.apache.org/maven2/org/apache/maven/plugins/"
                    "maven-resources-plugin/2.6/maven-resources-plugin-2.6.pom: Unknown host "
                    "repo.maven.apache.org: Name or service not known",
                    "", "build", 13, 13},
               });
}

// maven-compiler-plugin errors; the build summary repeats them.
TEST(MavenParserTest, CompilerErrorsAreNotRepeatedFromTheSummary) {
  ExpectEvents(
      ParseFixture("maven_compile.txt", "maven"), "maven",
      {
          {W, "/home/dev/demo/src/main/java/com/a/Main.java", 8, 9,
           "found raw type: java.util.List", "rawtypes", "compile", 4, 5},
          {E, "/home/dev/demo/src/main/java/com/a/Main.java", 6, 17,
           "incompatible types: java.lang.String cannot be converted to int", "", "compile", 9, 9},
          {E, "/home/dev/demo/src/main/java/com/a/Main.java", 7, 9,
           "cannot find symbol: method foo()", "", "compile", 10, 12},
          {E, "", 0, 0,
           "Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile "
           "(default-compile) on project demo: Compilation failure: Compilation failure:",
           "", "build", 21, 21},
      });
}

// Surefire: per-test failures; the Results section repeats them.
TEST(MavenParserTest, SurefireFailuresAndErrors) {
  ExpectEvents(
      ParseFixture("maven_surefire.txt", "maven"), "maven",
      {
          {E, "CalcTest.java", 14, 0,
           "com.a.CalcTest.adds: java.lang.AssertionError: expected:<4> but was:<5>", "", "test", 6,
           11},
          {E, "CalcTest.java", 19, 0,
           "divides(com.a.CalcTest): java.lang.ArithmeticException: / by zero", "", "test", 13, 16},
          {E, "", 0, 0,
           "Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test "
           "(default-test) on project demo: There are test failures.",
           "", "build", 31, 31},
      });
}

// Gradle: javac output in the task, then the failure summary.
TEST(GradleParserTest, CompileJavaFailure) {
  ExpectEvents(ParseFixture("gradle_java.txt", "gradle"), "gradle",
               {
                   {E, "", 0, 0,
                    "Execution failed for task ':compileJava'. Compilation failed; see the "
                    "compiler error output for details.",
                    "", "build", 11, 13},
               });
  ExpectEvents(ParseFixture("gradle_java.txt", "javac"), "javac",
               {
                   {E, "/home/dev/app/src/main/java/com/a/App.java", 5, 24,
                    "cannot find symbol: class Generated", "", "compile", 2, 6},
               });
}

// Gradle test failure; "* Where:" gives the build file location.
TEST(GradleParserTest, TestFailureAndWhereLocation) {
  ExpectEvents(
      ParseFixture("gradle_test.txt", "gradle"), "gradle",
      {
          {E, "CalcTest.java", 14, 0,
           "CalcTest > adds(): org.opentest4j.AssertionFailedError: expected: <4> but was: <5>", "",
           "test", 3, 7},
          {E, "", 0, 0,
           "Execution failed for task ':test'. There were failing tests. See the report at: "
           "file:///home/dev/app/build/reports/tests/test/index.html",
           "", "build", 13, 15},
      });
  ExpectEvents(ParseFixture("gradle_where.txt", "gradle"), "gradle",
               {
                   {E, "/home/dev/app/build.gradle", 12, 0,
                    "A problem occurred evaluating root project 'app'. Could not find method "
                    "implementtion() for arguments [org.slf4j:slf4j-api:2.0.9] on object of type "
                    "org.gradle.api.internal.artifacts.dsl.dependencies.DefaultDependencyHandler.",
                    "", "build", 6, 8},
               });
}

// cl/link through MSBuild and directly.
TEST(MsvcParserTest, CompilerAndLinker) {
  ExpectEvents(ParseFixture("msvc.txt", "msvc"), "msvc",
               {
                   {E, "C:\\work\\app\\src\\main.cpp", 12, 9, "'counter': undeclared identifier",
                    "C2065", "compile", 2, 2},
                   {W, "C:\\work\\app\\src\\main.cpp", 20, 0, "'tmp': unreferenced local variable",
                    "C4101", "compile", 3, 4},
                   {E, "main.obj", 0, 0,
                    "unresolved external symbol \"int __cdecl helper(void)\" (?helper@@YAHXZ) "
                    "referenced in function main",
                    "LNK2019", "link", 6, 6},
                   {E, "", 0, 0, "cannot open file 'zlib.lib'", "LNK1104", "link", 7, 7},
                   {W, "", 0, 0, "ignoring unknown option '-Wall'", "D9002", "compile", 8, 8},
               });
}

// workflow commands (escaped properties and data) and "##[error]" lines.
TEST(ActionsParserTest, WorkflowCommandsAndRenderedLines) {
  ExpectEvents(ParseFixture("actions.txt", "github-actions"), "github-actions",
               {
                   {E, "app.js", 10, 15, "Something went wrong", "", "build", 2, 2},
                   {W, "src/a,b.py", 3, 0, "Unused import", "", "build", 3, 3},
                   {N, "", 0, 0, "Deploy skipped: 100% of checks: ok", "", "build", 4, 4},
                   {E, "/home/runner/work/app/app/models.py", 3, 8,
                    "models.py:3:8: F401 `os` imported but unused", "", "build", 6, 6},
                   {E, "", 0, 0, "Process completed with exit code 1.", "", "build", 8, 8},
                   {W, "", 0, 0, "Node.js 16 actions are deprecated.", "", "build", 9, 9},
               });
}

// ---------------------------------------------------------------- edge cases

TEST(RustParserTest, PlainErrorLinesNeedRustContext) {
  // Another tool's "error:" line is not rustc's...
  EXPECT_TRUE(
      Parse("error: pathspec 'x' did not match any file(s) known to git\ndone\n", "rustc").empty());
  // ...but in a cargo log it is (a build script failure has no location).
  std::string log =
      "   Compiling foo v0.1.0 (/home/dev/foo)\n"
      "error: failed to run custom build command for `foo v0.1.0 (/home/dev/foo)`\n"
      "\n"
      "Caused by:\n"
      "  process didn't exit successfully: "
      "`/home/dev/foo/target/debug/build/foo-1/build-script-build`\n";
  ExpectEvents(Parse(log, "rustc"), "rustc",
               {{E, "", 0, 0, "failed to run custom build command for `foo v0.1.0 (/home/dev/foo)`",
                 "", "compile", 2, 2}});
}

TEST(RustParserTest, RawTextIsTheDiagnosticsLines) {
  std::string text = ReadFixture("rust_cargo_build.txt");
  std::vector<Event> events = Parse(text, "rustc");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].raw_text, Lines(text, 2, 13));
  EXPECT_EQ(events[1].raw_text, Lines(text, 15, 19));
}

TEST(GoParserTest, PackageSummaryOnlyWithoutOtherFailures) {
  ExpectEvents(Parse("ok  \texample.com/a\t0.010s\nFAIL\texample.com/m\t0.005s\nFAIL\n", "go"),
               "go", {{E, "", 0, 0, "example.com/m: tests failed", "", "test", 2, 2}});
  ExpectEvents(Parse("# example.com/m\n./a.go:3:1: undefined: x\n./a.go:9:1: too many errors\n"
                     "FAIL\texample.com/m [build failed]\n",
                     "go"),
               "go", {{E, "./a.go", 3, 1, "undefined: x", "", "compile", 2, 2}});
  // Compile errors go on on tab-indented lines.
  ExpectEvents(
      Parse("./a.go:5:4: too many arguments in call to f\n\thave (int)\n\twant ()\nok\n", "go"),
      "go", {{E, "./a.go", 5, 4, "too many arguments in call to f", "", "compile", 1, 3}});
}

TEST(GoParserTest, VerboseOutputIsOnlyClaimedNextToTestLines) {
  std::unique_ptr<ToolParser> p = MakeParser("go");
  CollectingSink sink;
  const char* lines[] = {
      "=== RUN   TestA", "    a_test.go:3: hello", "--- PASS: TestA (0.00s)",
      "=== RUN   TestB", "other output",           "    indented line of another tool"};
  const bool claimed[] = {true, true, true, true, false, false};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(p->Feed(Line{lines[i], i + 1}, sink), claimed[i]) << lines[i];
  }
  p->Flush(sink);
  EXPECT_TRUE(sink.events.empty());
}

TEST(GoParserTest, RawTextOfATestFailure) {
  std::string text = ReadFixture("go_test.txt");
  std::vector<Event> events = Parse(text, "go");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].raw_text, Lines(text, 1, 3));
  EXPECT_EQ(events[2].raw_text, Lines(text, 8, 24));
}

TEST(TscParserTest, OtherToolsParenLinesAreNotTsc) {
  EXPECT_TRUE(Parse("main.cpp(3,5): error C2065: 'x': undeclared identifier\n"
                    "src/a.ts(3,5): note: not a tsc line\n",
                    "tsc")
                  .empty());
}

TEST(EslintParserTest, StylishWithoutFileLine) {
  ExpectEvents(Parse("  3:5  warning  Unexpected console statement  no-console\n", "eslint"),
               "eslint",
               {{W, "", 3, 5, "Unexpected console statement", "no-console", "lint", 1, 1}});
}

TEST(MypyParserTest, RawTextOfAPrettyError) {
  std::string text = ReadFixture("mypy_pretty.txt");
  std::vector<Event> events = Parse(text, "mypy");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].raw_text, Lines(text, 1, 4));
}

TEST(PylintParserTest, ParseableFormat) {
  ExpectEvents(
      Parse("************* Module app\napp.py:1: [C0111(missing-docstring), ] Missing docstring\n"
            "app.py:7: [E1101(no-member), Foo.run] Instance of 'Foo' has no 'bar' member\n",
            "pylint"),
      "pylint",
      {{N, "app.py", 1, 0, "Missing docstring", "C0111", "lint", 2, 2},
       {E, "app.py", 7, 0, "Instance of 'Foo' has no 'bar' member", "E1101", "lint", 3, 3}});
}

TEST(Flake8ParserTest, PluginCodesAndNoColumnLessLines) {
  ExpectEvents(Parse("a.py:3:1: SIM102 Use a single if-statement instead of nested if-statements\n"
                     "a.py:3: error: not flake8\n",
                     "flake8"),
               "flake8",
               {{W, "a.py", 3, 1, "Use a single if-statement instead of nested if-statements",
                 "SIM102", "lint", 1, 1}});
}

TEST(ShellcheckParserTest, ScriptWithoutExtension) {
  ExpectEvents(
      Parse("scripts/install:3:5: warning: Quote this to prevent word splitting. [SC2046]\n"
            "src/main.c:3:5: warning: unused variable 'x' [-Wunused-variable]\n",
            "shellcheck"),
      "shellcheck",
      {{W, "scripts/install", 3, 5, "Quote this to prevent word splitting.", "SC2046", "lint", 1,
        1}});
}

TEST(MsvcParserTest, ClangClAndCSharpLinesAreNotMsvc) {
  EXPECT_TRUE(
      Parse("main.cpp(3,5): error: use of undeclared identifier 'x'\n"
            "Program.cs(3,5): error CS0103: The name 'x' does not exist in the current context\n"
            "C:\\Program Files (x86)\\app\\x.cpp: In function 'int main()':\n",
            "msvc")
          .empty());
  // A path with "(x86)" in it.
  ExpectEvents(
      Parse("C:\\Program Files (x86)\\Windows Kits\\10\\Include\\um\\winnt.h(1234): warning C4005: "
            "'X': macro redefinition\n",
            "msvc"),
      "msvc",
      {{W, "C:\\Program Files (x86)\\Windows Kits\\10\\Include\\um\\winnt.h", 1234, 0,
        "'X': macro redefinition", "C4005", "compile", 1, 1}});
}

TEST(ActionsParserTest, CommandNamesAreCaseInsensitive) {
  ExpectEvents(
      Parse("::ERROR file=a.c,line=2::boom\n::not a command\n::group::x\n", "github-actions"),
      "github-actions", {{E, "a.c", 2, 0, "boom", "", "build", 1, 1}});
}

// ---------------------------------------------------------------- all families

struct FixtureTool {
  const char* fixture;
  const char* tool;
};

const FixtureTool kFixtures[] = {
    {"actions.txt", "github-actions"},
    {"eslint_compact.txt", "eslint"},
    {"eslint_stylish.txt", "eslint"},
    {"eslint_unix.txt", "eslint"},
    {"flake8.txt", "flake8"},
    {"go_build.txt", "go"},
    {"go_panic.txt", "go"},
    {"go_test.txt", "go"},
    {"go_test_build_failed.txt", "go"},
    {"go_test_v.txt", "go"},
    {"go_vet.txt", "go"},
    {"go_vet_new.txt", "go"},
    {"golangci_lint.txt", "go"},
    {"gradle_java.txt", "gradle"},
    {"gradle_java.txt", "javac"},
    {"gradle_test.txt", "gradle"},
    {"gradle_where.txt", "gradle"},
    {"javac.txt", "javac"},
    {"kotlin.txt", "kotlinc"},
    {"maven_compile.txt", "maven"},
    {"maven_offline.txt", "maven"},
    {"maven_surefire.txt", "maven"},
    {"msvc.txt", "msvc"},
    {"mypy_columns.txt", "mypy"},
    {"mypy_plain.txt", "mypy"},
    {"mypy_pretty.txt", "mypy"},
    {"pylint.txt", "pylint"},
    {"ruff.txt", "ruff"},
    {"ruff_full.txt", "ruff"},
    {"ruff_full_new.txt", "ruff"},
    {"rust_cargo_build.txt", "rustc"},
    {"rust_cargo_test.txt", "rustc"},
    {"rust_clippy.txt", "rustc"},
    {"rust_panic.txt", "rustc"},
    {"rustc_plain.txt", "rustc"},
    {"shellcheck_gcc.txt", "shellcheck"},
    {"shellcheck_tty.txt", "shellcheck"},
    {"tsc_misc.txt", "tsc"},
    {"tsc_plain.txt", "tsc"},
    {"tsc_pretty.txt", "tsc"},
};

std::string Summary(const Event& e) {
  return std::string(SeverityName(e.severity)) + "|" + e.tool_name + "|" + e.file_path + ":" +
         std::to_string(e.line_number) + ":" + std::to_string(e.column_number) + "|" +
         e.error_code + "|" + e.message + "|" + std::to_string(e.log_line_start) + "-" +
         std::to_string(e.log_line_end);
}

std::vector<std::string> Summaries(const std::vector<Event>& events, const std::string& tool) {
  std::vector<std::string> out;
  for (const Event& e : events) {
    if (e.tool_name == tool) out.push_back(Summary(e));
  }
  return out;
}

// With every parser on ("auto"), each fixture still gives its tool the same events: no
// other parser takes its lines, and the order of the group does not matter for it.
TEST(LanguageParsersTest, AutoFormatGivesEachToolItsEvents) {
  for (const FixtureTool& f : kFixtures) {
    SCOPED_TRACE(f.fixture);
    std::string text = ReadFixture(f.fixture);
    std::vector<std::string> alone = Summaries(Parse(text, f.tool), f.tool);
    EXPECT_FALSE(alone.empty());
    EXPECT_EQ(Summaries(Parse(text, "auto"), f.tool), alone);
  }
}

// CRLF line ends and input arriving in small chunks change nothing.
TEST(LanguageParsersTest, ChunkedCrlfInputGivesTheSameEvents) {
  for (const FixtureTool& f : kFixtures) {
    SCOPED_TRACE(f.fixture);
    std::string text = ReadFixture(f.fixture);
    std::string crlf;
    for (char c : text) {
      if (c == '\n') crlf.push_back('\r');
      crlf.push_back(c);
    }
    EXPECT_EQ(Summaries(Parse(crlf, f.tool, 7), f.tool), Summaries(Parse(text, f.tool), f.tool));
  }
}

// gcc, clang, ld and make output: no language-tool parser may claim any of its lines (they
// run before the gcc parser).
TEST(LanguageParsersTest, NeverClaimCompilerLines) {
  std::string text = ReadFixture("c_compilers.txt");
  std::vector<std::string_view> lines;
  for (size_t i = 0; i < text.size();) {
    size_t nl = text.find('\n', i);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(std::string_view(text).substr(i, nl - i));
    i = nl + 1;
  }
  for (const char* name :
       {"github-actions", "rustc", "go", "tsc", "eslint", "mypy", "ruff", "pylint", "flake8",
        "shellcheck", "javac", "maven", "gradle", "kotlinc", "msvc"}) {
    SCOPED_TRACE(name);
    std::unique_ptr<ToolParser> p = MakeParser(name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name(), name);
    CollectingSink sink;
    int64_t n = 0;
    for (std::string_view l : lines) {
      Line line{l, ++n};
      EXPECT_FALSE(p->Feed(line, sink)) << l;
    }
    p->Flush(sink);
    EXPECT_TRUE(sink.events.empty());
  }
}

// All families are registered under the names their events carry.
TEST(LanguageParsersTest, FamiliesAreRegistered) {
  std::vector<std::string> names = ParserNames();
  for (const char* name :
       {"github-actions", "rustc", "go", "tsc", "eslint", "mypy", "ruff", "pylint", "flake8",
        "shellcheck", "javac", "maven", "gradle", "kotlinc", "msvc"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

}  // namespace
}  // namespace lq::logs
