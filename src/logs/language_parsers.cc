// Registers this group's parser families (see parser_groups.h), in priority order: the
// unambiguous line shapes first (workflow commands, rustc headers), then tools whose lines
// look like gcc's "file:line:col:" but carry a signal of their own (a .go/.ts/.py/.sh file,
// a tool code), JVM tools, .NET, MSVC last. All of them run before the gcc/clang parsers.
//
// The parsers share one LineScan: a line nobody claims is offered to each of them, and most
// start by locating the line's first ':'; the scan does that once per line.
#include "logs/language_parsers.h"

#include <memory>

#include "logs/parser_groups.h"

namespace lq::logs {

void AddLanguageToolParsers(ParserList* out) {
  auto scan = std::make_shared<lang::LineScan>();
  out->push_back(MakeActionsParser());
  out->push_back(MakeRustParser());
  out->push_back(MakeGoParser(scan));
  out->push_back(MakeTypeScriptParser(scan));
  out->push_back(MakeEslintParser(scan));
  out->push_back(MakeMypyParser(scan));
  out->push_back(MakeRuffParser(scan));
  out->push_back(MakePylintParser(scan));
  out->push_back(MakeFlake8Parser(scan));
  out->push_back(MakeShellcheckParser(scan));
  out->push_back(MakeJavacParser(scan));
  out->push_back(MakeMavenParser());
  out->push_back(MakeGradleParser());
  out->push_back(MakeKotlinParser(scan));
  AddDotnetParsers(out);
  out->push_back(MakeMsvcParser(scan));
}

}  // namespace lq::logs
