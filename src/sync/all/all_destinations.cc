#include "sync/all/all_destinations.h"

#include "sync/local/local_destination.h"
#include "sync/s3/s3_destination.h"

namespace lq::sync {

const DestinationRegistry& AllDestinations() {
  static const DestinationRegistry* registry = [] {
    auto* r = new DestinationRegistry;  // never destroyed, like Env::Default()
    RegisterLocalDestination(r);
    RegisterS3Destination(r);
    return r;
  }();
  return *registry;
}

}  // namespace lq::sync
