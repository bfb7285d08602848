// Defaults for the variables tests read, so a test binary works the same run by ctest
// or by hand: $LQ_SOURCE_DIR (fixtures) and $LQ_BINARY (the built lq). An explicit
// value in the environment wins.
#include <cstdlib>

namespace {

struct TestEnvDefaults {
  TestEnvDefaults() {
    setenv("LQ_SOURCE_DIR", LQ_SOURCE_DIR_DEFAULT, 0);
    setenv("LQ_BINARY", LQ_BINARY_DEFAULT, 0);
  }
} defaults;

}  // namespace
