// Registers this group's parser families (see parser_groups.h).
#include "logs/parser_groups.h"

namespace lq::logs {

void AddLanguageToolParsers(ParserList* out) { (void)out; }

}  // namespace lq::logs
