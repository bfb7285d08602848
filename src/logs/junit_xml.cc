#include "logs/junit_xml.h"

#include <string>
#include <vector>

#include "logs/test_parsers.h"

namespace lq::logs {
namespace {

using namespace tp;

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes &lt; &gt; &amp; &quot; &apos; &#NN; &#xHH; (anything else is kept as written).
void AppendDecoded(std::string_view in, std::string* out) {
  size_t i = 0;
  while (i < in.size()) {
    size_t amp = in.find('&', i);
    if (amp == std::string_view::npos) {
      out->append(in.substr(i));
      return;
    }
    out->append(in.substr(i, amp - i));
    size_t semi = in.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) {
      out->push_back('&');
      i = amp + 1;
      continue;
    }
    std::string_view ent = in.substr(amp + 1, semi - amp - 1);
    bool ok = true;
    if (ent == "lt") {
      out->push_back('<');
    } else if (ent == "gt") {
      out->push_back('>');
    } else if (ent == "amp") {
      out->push_back('&');
    } else if (ent == "quot") {
      out->push_back('"');
    } else if (ent == "apos") {
      out->push_back('\'');
    } else if (ent.size() >= 2 && ent[0] == '#') {
      uint32_t cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      size_t k = hex ? 2 : 1;
      ok = k < ent.size();
      for (; ok && k < ent.size(); ++k) {
        char c = ent[k];
        uint32_t d;
        if (IsDigit(c)) {
          d = static_cast<uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
          d = static_cast<uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
          d = static_cast<uint32_t>(c - 'A' + 10);
        } else {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) ok = false;
      }
      if (ok) AppendUtf8(cp, out);
    } else {
      ok = false;
    }
    if (!ok) {
      out->push_back('&');
      i = amp + 1;
      continue;
    }
    i = semi + 1;
  }
}

std::string Decoded(std::string_view in) {
  std::string out;
  AppendDecoded(in, &out);
  return out;
}

struct Attribute {
  std::string_view name;
  std::string_view raw_value;
};

struct Failure {
  std::string message;
  std::string type;
  std::string text;
};

struct TestCase {
  std::string name, classname, file;
  int64_t line = 0;
  int64_t start = 0, end = 0;
  size_t start_pos = 0;  // of "<testcase" in the XML
  std::vector<Failure> failures;
};

// Splits s into lines and calls f(line) until it returns true.
template <typename F>
bool ForEachLine(std::string_view s, F f) {
  while (!s.empty()) {
    size_t nl = s.find('\n');
    std::string_view line = TrimRight(s.substr(0, nl));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (f(line)) return true;
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return false;
}

// "path:N" alone (gtest's first line of a failure).
bool BareLocation(std::string_view s, std::string* file, int64_t* line) {
  Location loc;
  if (!ParseLocationPrefix(Trim(s), &loc) || loc.terminated) return false;
  file->assign(loc.file);
  *line = loc.line;
  return true;
}

bool IsFrameworkJavaFrame(std::string_view frame) {
  static constexpr std::string_view kPackages[] = {"org.junit.",
                                                   "junit.framework.",
                                                   "java.",
                                                   "javax.",
                                                   "jdk.",
                                                   "sun.",
                                                   "org.opentest4j.",
                                                   "org.assertj.",
                                                   "org.hamcrest.",
                                                   "kotlin.",
                                                   "org.apache.maven."};
  for (std::string_view p : kPackages) {
    if (StartsWith(frame, p)) return true;
  }
  return false;
}

// Where the failure happened, from a failure's message or text.
bool LocationFromText(std::string_view s, std::string* file, int64_t* line) {
  // gtest: the first line is "path:N".
  std::string_view first = s.substr(0, s.find('\n'));
  if (BareLocation(first, file, line)) return true;
  // Catch2: "at path:N".
  if (ForEachLine(s, [&](std::string_view l) {
        l = TrimLeft(l);
        return StartsWith(l, "at ") && BareLocation(l.substr(3), file, line);
      })) {
    return true;
  }
  // Java: "at pkg.Class.method(Class.java:42)", the first frame outside the frameworks.
  if (ForEachLine(s, [&](std::string_view l) {
        l = TrimLeft(l);
        if (!StartsWith(l, "at ") || l.back() != ')' || IsFrameworkJavaFrame(l.substr(3)))
          return false;
        size_t open = l.rfind('(');
        return open != std::string_view::npos &&
               BareLocation(l.substr(open + 1, l.size() - open - 2), file, line);
      })) {
    return true;
  }
  // pytest: the last "path:N: Error" line.
  bool found = false;
  ForEachLine(s, [&](std::string_view l) {
    Location loc;
    if (!l.empty() && l[0] != ' ' && ParseLocationPrefix(l, &loc) && loc.terminated) {
      file->assign(loc.file);
      *line = loc.line;
      found = true;
    }
    return false;
  });
  return found;
}

// The one-line message part: the message attribute without a leading location line, else
// the text's first lines that are not locations or Catch2's "FAILED:".
std::string MessageOf(const Failure& f) {
  std::string out;
  for (std::string_view src : {std::string_view(f.message), std::string_view(f.text)}) {
    int n = 0;
    ForEachLine(src, [&](std::string_view l) {
      std::string scratch;
      int64_t num = 0;
      std::string_view t = Trim(l);
      if (n == 0 && (BareLocation(t, &scratch, &num) || t == "unknown file")) return false;
      if (t.empty() || t == "FAILED:" ||
          (StartsWith(t, "at ") && BareLocation(t.substr(3), &scratch, &num))) {
        return false;
      }
      ++n;
      AppendMessagePart(&out, t);
      return n >= 8 || out.size() >= 240;
    });
    if (!out.empty()) break;
  }
  return out;
}

class JunitReader {
 public:
  JunitReader(std::string_view xml, EventSink& sink) : xml_(xml), sink_(sink) {}

  Status Run() {
    if (StartsWith(xml_, "\xEF\xBB\xBF")) pos_ = 3;
    while (pos_ < xml_.size()) {
      size_t lt = xml_.find('<', pos_);
      if (lt == std::string_view::npos) {
        Text(xml_.substr(pos_));
        break;
      }
      Text(xml_.substr(pos_, lt - pos_));
      std::string_view at = xml_.substr(lt);
      if (StartsWith(at, "<!--")) {
        if (!Skip(lt, "-->", "comment")) return status_;
      } else if (StartsWith(at, "<![CDATA[")) {
        size_t end = xml_.find("]]>", lt + 9);
        if (end == std::string_view::npos) return Truncated(lt, "CDATA section");
        if (failure_ != nullptr) failure_->text.append(xml_.substr(lt + 9, end - lt - 9));
        pos_ = end + 3;
      } else if (StartsWith(at, "<?")) {
        if (!Skip(lt, "?>", "processing instruction")) return status_;
      } else if (StartsWith(at, "<!")) {
        if (!Skip(lt, ">", "declaration")) return status_;
      } else if (!Tag(lt)) {
        return status_;
      }
    }
    if (case_ != nullptr) FinishCase(xml_.size());
    if (!saw_test_element_) {
      return Status::InvalidArgument(
          "not a JUnit XML report: no <testsuite> or <testcase> element");
    }
    return Status::OK();
  }

 private:
  int64_t LineAt(size_t pos) {
    while (line_pos_ < pos) {
      const void* nl = std::memchr(xml_.data() + line_pos_, '\n', pos - line_pos_);
      if (nl == nullptr) {
        line_pos_ = pos;
        break;
      }
      line_pos_ = static_cast<size_t>(static_cast<const char*>(nl) - xml_.data()) + 1;
      ++line_;
    }
    return line_;
  }

  Status Truncated(size_t at, std::string_view what) {
    if (case_ != nullptr) FinishCase(at);
    status_ = Status::InvalidArgument("truncated JUnit XML: unterminated " + std::string(what) +
                                      " at line " + std::to_string(LineAt(at)));
    return status_;
  }

  bool Skip(size_t lt, std::string_view terminator, std::string_view what) {
    size_t end = xml_.find(terminator, lt + 2);
    if (end == std::string_view::npos) {
      Truncated(lt, what);
      return false;
    }
    pos_ = end + terminator.size();
    return true;
  }

  void Text(std::string_view s) {
    if (failure_ != nullptr && !s.empty()) AppendDecoded(s, &failure_->text);
  }

  static std::string_view LocalName(std::string_view name) {
    size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
  }

  // An element tag at xml_[lt]; false (status_ set) when it is cut off.
  bool Tag(size_t lt) {
    size_t i = lt + 1;
    bool closing = i < xml_.size() && xml_[i] == '/';
    if (closing) ++i;
    size_t name_start = i;
    while (i < xml_.size() && !IsSpace(xml_[i]) && xml_[i] != '>' && xml_[i] != '/') ++i;
    std::string_view name = LocalName(xml_.substr(name_start, i - name_start));
    attributes_.clear();
    bool self_closing = false;
    while (true) {
      while (i < xml_.size() && IsSpace(xml_[i])) ++i;
      if (i >= xml_.size()) {
        Truncated(lt, "tag");
        return false;
      }
      char c = xml_[i];
      if (c == '>') {
        ++i;
        break;
      }
      if (c == '/') {
        self_closing = true;
        ++i;
        continue;
      }
      size_t an = i;
      while (i < xml_.size() && !IsSpace(xml_[i]) && xml_[i] != '=' && xml_[i] != '>' &&
             xml_[i] != '/')
        ++i;
      std::string_view attr = xml_.substr(an, i - an);
      while (i < xml_.size() && IsSpace(xml_[i])) ++i;
      std::string_view value;
      if (i < xml_.size() && xml_[i] == '=') {
        ++i;
        while (i < xml_.size() && IsSpace(xml_[i])) ++i;
        if (i < xml_.size() && (xml_[i] == '"' || xml_[i] == '\'')) {
          char q = xml_[i];
          size_t end = xml_.find(q, i + 1);
          if (end == std::string_view::npos) {
            Truncated(lt, "attribute value");
            return false;
          }
          value = xml_.substr(i + 1, end - i - 1);
          i = end + 1;
        } else {  // unquoted (not XML, but seen in hand-made reports)
          size_t vs = i;
          while (i < xml_.size() && !IsSpace(xml_[i]) && xml_[i] != '>') ++i;
          value = xml_.substr(vs, i - vs);
        }
      }
      if (!attr.empty()) attributes_.push_back({LocalName(attr), value});
    }
    pos_ = i;
    if (closing) {
      Close(name, i);
    } else {
      Open(name, lt);
      if (self_closing) Close(name, i);
    }
    return true;
  }

  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  std::string Attr(std::string_view name) const {
    for (const Attribute& a : attributes_) {
      if (a.name == name) return Decoded(a.raw_value);
    }
    return {};
  }

  void Open(std::string_view name, size_t at) {
    if (name == "testsuite" || name == "testsuites") {
      saw_test_element_ = true;
      if (name == "testsuite") suite_files_.push_back(Attr("file"));
      return;
    }
    if (name == "testcase") {
      saw_test_element_ = true;
      if (case_ != nullptr) FinishCase(at);
      case_ = std::make_unique<TestCase>();
      case_->name = Attr("name");
      case_->classname = Attr("classname");
      case_->file = Attr("file");
      std::string line = Attr("line");
      size_t p = 0;
      ParseDigits(line, &p, &case_->line);
      case_->start = LineAt(at);
      case_->start_pos = at;
      return;
    }
    if ((name == "failure" || name == "error") && case_ != nullptr && failure_ == nullptr) {
      case_->failures.push_back({Attr("message"), Attr("type"), {}});
      failure_ = &case_->failures.back();
    }
  }

  void Close(std::string_view name, size_t at) {
    if (name == "failure" || name == "error") {
      failure_ = nullptr;
    } else if (name == "testcase") {
      if (case_ != nullptr) FinishCase(at);
    } else if (name == "testsuite") {
      if (!suite_files_.empty()) suite_files_.pop_back();
    }
  }

  void FinishCase(size_t end_pos) {
    int64_t end_line = LineAt(end_pos > 0 ? end_pos - 1 : 0);
    std::unique_ptr<TestCase> tc = std::move(case_);
    failure_ = nullptr;
    if (tc->failures.empty()) return;
    const Failure& first = tc->failures.front();
    Event e = MakeEvent("junit", "test");
    for (const Failure& f : tc->failures) {
      if (LocationFromText(f.message, &e.file_path, &e.line_number) ||
          LocationFromText(f.text, &e.file_path, &e.line_number)) {
        break;
      }
    }
    if (e.file_path.empty()) {
      e.file_path = tc->file;
      e.line_number = tc->file.empty() ? 0 : tc->line;
      if (e.file_path.empty() && !suite_files_.empty()) e.file_path = suite_files_.back();
    }
    std::string id = tc->name;
    if (!tc->classname.empty() && tc->classname != tc->name) id = tc->classname + "." + tc->name;
    e.message = id;
    e.message += " - ";
    std::string msg = MessageOf(first);
    e.message += msg.empty() ? "failed" : msg;
    e.error_code = first.type;
    for (const Failure& f : tc->failures) {
      std::string_view t = f.text;
      while (!t.empty() && (t.front() == '\n' || t.front() == '\r')) t.remove_prefix(1);
      t = TrimRight(t);
      while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' '))
        t.remove_suffix(1);
      if (t.empty()) t = f.message;
      if (t.empty()) continue;
      AppendRaw(&e.raw_text, t);
    }
    if (e.raw_text.empty()) {  // no text at all (ctest's <failure message=""/>): the element itself
      AppendRaw(&e.raw_text, Trim(xml_.substr(tc->start_pos, end_pos - tc->start_pos)));
    }
    e.log_line_start = tc->start;
    e.log_line_end = std::max(end_line, tc->start);
    e.fingerprint = ErrorFingerprint(e);
    sink_.OnEvent(std::move(e));
  }

  std::string_view xml_;
  EventSink& sink_;
  size_t pos_ = 0;
  size_t line_pos_ = 0;  // LineAt's cursor: line_ is the line of xml_[line_pos_]
  int64_t line_ = 1;
  Status status_;
  bool saw_test_element_ = false;
  std::vector<Attribute> attributes_;
  std::vector<std::string> suite_files_;
  std::unique_ptr<TestCase> case_;
  Failure* failure_ = nullptr;  // the <failure>/<error> whose text is being read
};

}  // namespace

Status ParseJunitXml(std::string_view xml, EventSink& sink) { return JunitReader(xml, sink).Run(); }

}  // namespace lq::logs
