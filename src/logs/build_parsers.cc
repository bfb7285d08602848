// Registers this group's parser families (see parser_groups.h): compilers, linkers and
// build tools. One file per family: gcc_parser.cc (gcc/g++ and clang), linker_parser.cc
// (GNU ld, gold, lld, ld64), make_parser.cc, ninja_parser.cc, cmake_parser.cc.
#include "logs/build_parsers.h"

#include <cstring>

#include "logs/parser_groups.h"

namespace lq::logs {

namespace buildtools {

CompilerKind ClassifyCompiler(std::string_view name) {
  name = Basename(name);
  if (name.size() < 2) return CompilerKind::kNone;
  char last = name.back();
  if (last == 'e' && EndsWith(name, ".exe")) {
    name.remove_suffix(4);
    if (name.empty()) return CompilerKind::kNone;
    last = name.back();
  }
  if (IsDigit(last)) {  // version suffix: "gcc-12", "clang++-14", "clang-17.0"
    size_t i = name.size();
    while (i > 0 && (IsDigit(name[i - 1]) || name[i - 1] == '.')) --i;
    if (i > 1 && name[i - 1] == '-') {
      name = name.substr(0, i - 1);
    } else if (name != "cc1" && name != "lto1") {
      return CompilerKind::kNone;
    }
    last = name.back();
  }
  // The program's own name, after an optional "target-" prefix ("x86_64-linux-gnu-gcc").
  auto named = [name](std::string_view program) {
    return EndsWith(name, program) &&
           (name.size() == program.size() || name[name.size() - program.size() - 1] == '-');
  };
  switch (last) {
    case 'g':
      return named("clang") ? CompilerKind::kClang : CompilerKind::kNone;
    case '+':
      if (named("clang++")) return CompilerKind::kClang;
      if (named("g++") || name == "xg++") return CompilerKind::kGcc;
      return name == "c++" ? CompilerKind::kGeneric : CompilerKind::kNone;
    case 'c':
      if (named("gcc") || name == "xgcc") return CompilerKind::kGcc;
      return name == "cc" ? CompilerKind::kGeneric : CompilerKind::kNone;
    case '1':
      return name == "cc1" || name == "lto1" ? CompilerKind::kGcc : CompilerKind::kNone;
    case 's':
      return name == "cc1plus" || name == "cc1objplus" ? CompilerKind::kGcc : CompilerKind::kNone;
    case 'j':
      return name == "cc1obj" ? CompilerKind::kGcc : CompilerKind::kNone;
    case 'r':
      return name == "lto-wrapper" ? CompilerKind::kGcc : CompilerKind::kNone;
    default:
      return CompilerKind::kNone;
  }
}

CompilerKind CompilerOfCommand(std::string_view s) {
  if (s.size() < 4) return CompilerKind::kNone;
  // Cheap rejection: commands start with a path or a lowercase program name (or one of
  // the prefixes below).
  char c0 = s[0];
  if (!(c0 == '/' || c0 == '.' || (c0 >= 'a' && c0 <= 'z') || c0 == '[' || c0 == '$' ||
        c0 == '+')) {
    return CompilerKind::kNone;
  }
  if (c0 == '[') {  // ninja -v progress: "[3/10] /usr/bin/c++ ..."
    size_t close = 1;
    while (close < s.size() && close < 24 && s[close] != ']') ++close;
    if (close + 1 >= s.size() || s[close] != ']' || s[close + 1] != ' ') return CompilerKind::kNone;
    s.remove_prefix(close + 2);
  } else if (StartsWith(s, "$ ") || StartsWith(s, "+ ")) {
    s.remove_prefix(2);
  }
  if (StartsWith(s, "cd ")) {  // CMake's Makefile generator: "cd /build/src && /usr/bin/cc ..."
    size_t amp = s.find(" && ");
    if (amp == std::string_view::npos || amp > 4096) return CompilerKind::kNone;
    s.remove_prefix(amp + 4);
  }
  for (int word = 0; word < 3; ++word) {
    if (s.empty() || !(s[0] == '/' || s[0] == '.' || (s[0] >= 'a' && s[0] <= 'z')))
      return CompilerKind::kNone;
    size_t sp = s.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp > 512)
      return CompilerKind::kNone;  // a command has arguments
    std::string_view prog = s.substr(0, sp);
    std::string_view base = Basename(prog);
    if (base == "ccache" || base == "sccache" || base == "distcc" || base == "icecc" ||
        base == "buildcache") {
      s.remove_prefix(sp + 1);
      continue;
    }
    CompilerKind k = ClassifyCompiler(prog);
    if (k == CompilerKind::kNone) return k;
    // Prose such as "gcc version 12.2.0" is not a command: require an option (" -x").
    for (size_t i = sp; i < s.size();) {
      const char* dash = static_cast<const char*>(std::memchr(s.data() + i, '-', s.size() - i));
      if (dash == nullptr) return CompilerKind::kNone;
      if (dash[-1] == ' ') return k;
      i = static_cast<size_t>(dash - s.data()) + 1;
    }
    return CompilerKind::kNone;
  }
  return CompilerKind::kNone;
}

}  // namespace buildtools

void AddBuildToolParsers(ParserList* out) {
  // Priority order. cmake, ninja and make first: their lines carry a fixed prefix
  // ("CMake ", "FAILED: ", "ninja: ", "make: ", "Makefile:12: ***") and are rejected on
  // the first bytes; make must also precede gcc because "Makefile:17: warning: ..." has the
  // compiler's shape. The linker comes before gcc because gold prints
  // "file.c:3: error: undefined reference to 'f'" and clang "clang: error: linker command
  // failed", both compiler-shaped. gcc/clang last: the generic "file:line:col: severity:".
  auto context = std::make_shared<buildtools::BuildContext>();
  out->push_back(buildtools::MakeCmakeParser());
  out->push_back(buildtools::MakeNinjaParser(context));
  out->push_back(buildtools::MakeMakeParser(context));
  out->push_back(buildtools::MakeLinkerParser(context));
  out->push_back(buildtools::MakeGccParser(context));
}

}  // namespace lq::logs
