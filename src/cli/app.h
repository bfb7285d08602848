#pragma once

namespace lq::cli {

// The whole lq command line: parses argv, runs the chosen command, returns the exit code
// (0 ok, 1 the command failed, 2 usage error). Never throws.
int Main(int argc, char** argv);

}  // namespace lq::cli
