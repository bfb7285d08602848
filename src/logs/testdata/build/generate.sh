#!/bin/sh
# Regenerates the build-tool fixtures in this directory from the installed tools
# (recorded with Debian 12: gcc 12.2, clang 14, binutils 2.40 ld/gold, lld 14, GNU make
# 4.3, ninja 1.11, cmake 3.25). Each *.log is the combined stdout+stderr of the commands,
# with the temporary directory replaced by /src/demo so that fixtures are stable.
# The tests in ../../build_parsers_test.cc assert the exact events of each fixture, so
# regenerating with other tool versions means updating those expectations.
set -u
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

cat > undeclared.c <<'SRC'
#include <stdio.h>

int main(void) {
  int x = y;
  printf("%d\n", x + z);
  return 0;
}
SRC
cat > unused.c <<'SRC'
int f(int a) {
  int unused_var = 3;
  return a;
}
int g(int b) {
  if (b = 2) return 1;
  return 0;
}
SRC
cat > missing_include.c <<'SRC'
#include "does_not_exist.h"
int main(void) { return 0; }
SRC
mkdir -p inc
cat > inc/bad.h <<'SRC'
static inline int h(void) { return undefined_in_header; }
SRC
cat > included.c <<'SRC'
#include "inc/bad.h"
int main(void) { return h(); }
SRC
cat > conflict.c <<'SRC'
int main(void) {
  foo();
  return 0;
}
void foo(void) {}
#pragma message "hello from pragma"
SRC
cat > macro.c <<'SRC'
#define X(a) ((a) + undefined_macro_var)
int g(void) { return X(1); }
SRC
cat > tmpl.cc <<'SRC'
#include <vector>
#include <string>

template <typename T>
int twice(const T& t) {
  return t * 2;
}

struct Foo {};

int main() {
  std::string s = "x";
  int r = twice(s);
  std::vector<int> v;
  v.push_back("str");
  return r;
}
SRC
cat > concepts.cc <<'SRC'
template <typename T>
concept HasFoo = requires(T t) { t.foo(); };

template <typename T>
  requires HasFoo<T>
void f(T) {}

int main() { f(1); }
SRC
cat > undef.c <<'SRC'
void missing_function(void);
extern int missing_var;
int main(void) { missing_function(); return missing_var; }
SRC
echo 'int f(void) { return 0; }' > nomain.c
cat > dup1.c <<'SRC'
int dup_symbol = 1;
int helper(void) { return 1; }
SRC
cat > dup2.c <<'SRC'
int dup_symbol = 2;
int helper(void) { return 2; }
int main(void) { return helper(); }
SRC

run() { echo "\$ $*"; "$@" 2>&1; }
fix() { sed "s|$work|/src/demo|g" > "$out/$1"; }

# Compilers: C with -Wall (UTF-8 quotes), C++ (templates, concepts), colors, -Werror.
{
  for f in undeclared.c unused.c missing_include.c included.c conflict.c macro.c; do
    run gcc -Wall -c $f -o /dev/null
  done
  run gcc -c nofile.c
} | fix gcc_c.log
{
  run g++ -c tmpl.cc -o /dev/null
  run g++ -std=c++20 -c concepts.cc -o /dev/null
} | fix gcc_cxx.log
{
  LC_ALL=C run gcc -Wall -Werror -c unused.c -o /dev/null
  LC_ALL=C run gcc -Wbogus -c unused.c -o /dev/null
} | fix gcc_werror.log
{
  run gcc -Wall -fdiagnostics-color=always -fdiagnostics-urls=always -c undeclared.c -o /dev/null
  run gcc -Wall -fdiagnostics-color=always -fdiagnostics-urls=always -c unused.c -o /dev/null
  run g++ -fdiagnostics-color=always -c tmpl.cc -o /dev/null
} | fix gcc_color.log
{
  for f in undeclared.c unused.c missing_include.c included.c conflict.c macro.c; do
    run clang -Wall -c $f -o /dev/null
  done
  run clang++ -c tmpl.cc -o /dev/null
  run clang -Wall -Werror -Wbogus -c unused.c -o /dev/null
  run clang -c nofile.c
} | fix clang.log
{
  run clang -Wall -fcolor-diagnostics -c unused.c -o /dev/null
  run clang++ -fcolor-diagnostics -c tmpl.cc -o /dev/null
} | fix clang_color.log

# Linkers: GNU ld (bfd), gold, lld; undefined reference, multiple definition, missing -l.
gcc -c undef.c dup1.c dup2.c nomain.c
gcc -g -c undef.c -o undef_g.o
{
  run gcc undef.o -o a.out
  run gcc undef_g.o -o a.out
  run gcc dup1.o dup2.o -o a.out
  run gcc undef.o -lfoo_missing -o a.out
  run gcc nomain.o -o a.out
} | fix ld_bfd.log
{
  run gcc -fuse-ld=gold undef.o -o a.out
  run gcc -fuse-ld=gold undef_g.o -o a.out
  run gcc -fuse-ld=gold dup1.o dup2.o -o a.out
  run gcc -fuse-ld=gold undef.o -lfoo_missing -o a.out
  run gcc -fuse-ld=gold nomain.o -o a.out
} | fix ld_gold.log
{
  run gcc -fuse-ld=lld undef_g.o -o a.out
  run gcc -fuse-ld=lld dup1.o dup2.o -o a.out
  run gcc -fuse-ld=lld undef.o -lfoo_missing -o a.out
  run clang -fuse-ld=lld undef.o -o a.out
  run gcc -fuse-ld=lld nomain.o -o a.out
} | fix ld_lld.log

# GNU make: recipe failure (with -k), no rule, missing separator, recursion, ignored error.
mkdir -p mk/subdir && cp undeclared.c unused.c mk/ && cd mk || exit 1
printf 'all: prog\n\nprog: undeclared.o unused.o\n\tcc -o prog undeclared.o unused.o\n\n%%.o: %%.c\n\tcc -Wall -c $< -o $@\n\nsub:\n\t$(MAKE) -C subdir\n\nnorule: missing.c\n\ndup:\n\t@echo one\ndup:\n\t@echo two\nignored:\n\t-false\n' > Makefile
printf 'all:\n\tfalse\n' > subdir/Makefile
printf 'all:\n    echo bad\n' > bad.mk
printf 'include foo.mk\nall:\n\ttrue\n' > inc.mk
{
  run make -k
  run make norule
  run make ignored
  run make sub
  run make -f bad.mk
  run make -f inc.mk
} | fix make.log
cd "$work" || exit 1

# CMake + ninja / make on the same broken project.
mkdir -p nj && cp undeclared.c unused.c nj/
cat > nj/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 3.10)
project(demo C)
add_executable(demo undeclared.c unused.c)
target_compile_options(demo PRIVATE -Wall)
SRC
cmake -S nj -B nj/b -G Ninja > /dev/null 2>&1
cmake -S nj -B nj/m -G "Unix Makefiles" > /dev/null 2>&1
{
  # -j1: a deterministic order; the first run stops at the first failure, the second
  # (-k 0) goes on and ends with "cannot make progress".
  run cmake --build nj/b -- -j1
  run ninja -C nj/b -j1 -k 0
  run ninja -C nj/b nonexistent_target
  run ninja -C nodir
} | fix ninja.log
run cmake --build nj/m -- -j1 | fix cmake_make.log

mkdir -p cm/cmake
cat > cm/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 2.8)
project(demo C)
cmake_policy(SET CMP0000 OLD)
include(cmake/helper.cmake)
message(AUTHOR_WARNING "author says hi")
message(WARNING "plain warning text")
message(DEPRECATION "this is deprecated")
find_package(FooBarBaz REQUIRED)
SRC
echo 'message(SEND_ERROR "error from helper")' > cm/cmake/helper.cmake
mkdir -p cm2
cat > cm2/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 3.10)
project(demo C)
find_package(Jasper REQUIRED)
SRC
mkdir -p cm3
cat > cm3/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 3.10)
project(demo C)
add_executable(demo main.c)
target_link_libraries(demo PRIVATE nonexistent::target)
SRC
echo 'int main(void){return 0;}' > cm3/main.c
{
  run cmake -S cm -B cm/b -G Ninja
  run cmake -S cm2 -B cm2/b -G Ninja
  run cmake -S cm3 -B cm3/b -G Ninja -DUNUSED_VAR=1
  run cmake -S /nonexistent -B nowhere
} | fix cmake.log
