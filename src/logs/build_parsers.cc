// Registers this group's parser families (see parser_groups.h).
#include "logs/parser_groups.h"

namespace lq::logs {

void AddBuildToolParsers(ParserList* out) { (void)out; }

}  // namespace lq::logs
