// JUnit XML reports (pytest --junitxml, gtest --gtest_output=xml, ctest --output-junit,
// Catch2 -r junit, Maven Surefire, jest-junit, ...) as events.
#pragma once

#include <string_view>

#include "core/status.h"
#include "logs/parser.h"

namespace lq::logs {

// Emits one event per <testcase> with a <failure> or <error> child (tool "junit",
// category "test", severity error; <skipped> and passing cases are not events):
//   message     "<classname>.<name> - <failure message>" (the message attribute, else the
//               first lines of the element's text; joined on one line)
//   file/line   where the failure happened when the text says so (gtest's "path:N" first
//               line, Catch2's "at path:N", pytest's last "path:N: Error" line, a Java
//               "at pkg.Test.m(Test.java:N)" frame), else the testcase's file/line
//               attributes
//   error_code  the failure's type attribute
//   raw_text    the failure/error text (entities decoded)
//   log_line_*  the <testcase> element's lines in the XML
// Events carry their fingerprint. A tolerant scanner, not a validating parser: unknown
// elements, namespaces, DOCTYPE, comments and CDATA are skipped or read as text. Returns
// InvalidArgument when the input has no <testsuite>/<testcase> element or ends inside a
// tag, comment or CDATA section (events found before that point are still emitted).
Status ParseJunitXml(std::string_view xml, EventSink& sink);

}  // namespace lq::logs
