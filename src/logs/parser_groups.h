// The parser families, grouped by the file that registers them. Each group appends
// its parsers in priority order; MakeAllParsers() calls the groups in a fixed order.
#pragma once

#include <memory>
#include <vector>

#include "logs/parser.h"

namespace lq::logs {

using ParserList = std::vector<std::unique_ptr<ToolParser>>;

// Test frameworks and runtime reports: pytest, unittest, Python tracebacks, GoogleTest,
// ctest, Catch2, Node stack traces, ASan/UBSan/valgrind. (test_parsers.cc)
void AddTestParsers(ParserList* out);
// Language tools: rustc/cargo, go, tsc, eslint, mypy, flake8/ruff/pylint, shellcheck,
// javac/Maven/Gradle, MSVC, GitHub Actions annotations. (language_parsers.cc)
void AddLanguageToolParsers(ParserList* out);
// Compilers, linkers and build tools: gcc/g++/clang, GNU ld/lld, make, ninja, cmake.
// (build_parsers.cc)
void AddBuildToolParsers(ParserList* out);
// .NET: dotnet build/msbuild/csc diagnostics ("dotnet") and dotnet test results ("vstest").
// Called by AddLanguageToolParsers just before MSVC, whose line shape it shares.
// (dotnet_parser.cc)
void AddDotnetParsers(ParserList* out);

}  // namespace lq::logs
