#include "sync/mem/mem_destination.h"

#include "sync/conformance_suite.h"

namespace lq::sync {
namespace {

using conformance::ConformanceTarget;
using conformance::DestinationConformance;

std::unique_ptr<Destination> MakeMem(Env* env, const std::string& root) {
  return std::make_unique<MemDestination>(env, root);
}

INSTANTIATE_TEST_SUITE_P(Mem, DestinationConformance, ::testing::Values(ConformanceTarget{"mem", MakeMem, false}));

}  // namespace
}  // namespace lq::sync
