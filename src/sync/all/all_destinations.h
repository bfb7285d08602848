// Every destination backend linked into lq, registered once (rclone's backend/all).
// Adding a backend: its folder under src/sync/, a RegisterXDestination beside its
// class, one line in all_destinations.cc and one in CMakeLists.txt.
#pragma once

#include "sync/registry.h"

namespace lq::sync {

// The registry with every backend; built on first use, then read-only (thread-safe).
const DestinationRegistry& AllDestinations();

}  // namespace lq::sync
