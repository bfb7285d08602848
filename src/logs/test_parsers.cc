// Registers this group's parser families (see parser_groups.h).
#include "logs/parser_groups.h"

namespace lq::logs {

void AddTestParsers(ParserList* out) { (void)out; }

}  // namespace lq::logs
