// Generates a realistic Claude Code corpus for bench/usage.sh:
//   usage_gen DIR MEGABYTES [SEED]
// writes DIR/.claude/projects/<project>/<session>.jsonl (and some subagents/ files):
// thousands of files per GiB, file sizes log-normal around ~130 KB with a tail to several
// MB, compact JSON lines of 1.5-4 KB for most assistant messages, tool results with a few
// lines over 100 KB, streamed copies of the same message, sessions resumed into new files
// (copies across files), sidechains, agent-progress lines and a few malformed lines.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

std::mt19937_64 rng;

double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng); }
int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

const char* kWords[] = {"the", "function", "return", "value", "error", "test", "build", "const", "auto",
                        "parser", "struct", "include", "vector", "string", "file", "line", "token",
                        "refactor", "module", "import", "class", "async", "await", "result", "status"};

std::string Text(size_t bytes) {
  std::string s;
  s.reserve(bytes + 16);
  while (s.size() < bytes) {
    s += kWords[Int(0, 24)];
    s += Uniform() < 0.1 ? "\\n" : " ";
  }
  s.resize(bytes);
  if (!s.empty() && s.back() == '\\') s.back() = ' ';
  return s;
}

std::string Uuid() {
  char b[40];
  std::snprintf(b, sizeof b, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(rng()), Int(0, 0xffff), Int(0, 0xfff),
                Int(0, 0xfff), static_cast<unsigned long long>(rng() & 0xffffffffffffull));
  return b;
}

std::string MsgId() {
  static const char kAlpha[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
  std::string s = "msg_01";
  for (int i = 0; i < 22; ++i) s += kAlpha[Int(0, 57)];
  return s;
}

std::string Ts(long long ms) {
  time_t t = static_cast<time_t>(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char b[96];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
  return b;
}

struct Session {
  std::string id, cwd, project;
  long long t;
  std::string parent = "null";
  bool sidechain = false;
};

std::string Head(Session& s, const char* type) {
  std::string uuid = Uuid();
  std::string h = "{\"parentUuid\":" + (s.parent == "null" ? s.parent : "\"" + s.parent + "\"") +
                  ",\"isSidechain\":" + (s.sidechain ? "true" : "false") +
                  ",\"userType\":\"external\",\"cwd\":\"" + s.cwd + "\",\"sessionId\":\"" + s.id +
                  "\",\"version\":\"1.0.83\",\"gitBranch\":\"main\",\"type\":\"" + type + "\"";
  s.parent = uuid;
  return h + ",\"uuid\":\"" + uuid + "\"";
}

std::string Assistant(Session& s, const std::string& mid, const std::string& rid, size_t text, int out,
                      bool tool) {
  s.t += Int(500, 20000);
  int in = Int(1, 40), cw = Int(0, 6000), cr = Int(10000, 150000);
  std::string content = tool ? "[{\"type\":\"tool_use\",\"id\":\"toolu_01" + MsgId().substr(6) +
                                   "\",\"name\":\"Edit\",\"input\":{\"file_path\":\"" + s.cwd +
                                   "/src/main.cc\",\"old_string\":\"" + Text(text / 2) + "\",\"new_string\":\"" +
                                   Text(text / 2) + "\"}}]"
                             : "[{\"type\":\"text\",\"text\":\"" + Text(text) + "\"}]";
  return Head(s, "assistant") + ",\"message\":{\"id\":\"" + mid +
         "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":" +
         content + ",\"stop_reason\":" + (tool ? "\"tool_use\"" : "\"end_turn\"") +
         ",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + std::to_string(in) +
         ",\"cache_creation_input_tokens\":" + std::to_string(cw) + ",\"cache_read_input_tokens\":" +
         std::to_string(cr) + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + std::to_string(cw) +
         ",\"ephemeral_1h_input_tokens\":0},\"output_tokens\":" + std::to_string(out) +
         ",\"service_tier\":\"standard\"}},\"requestId\":\"" + rid + "\",\"timestamp\":\"" + Ts(s.t) + "\"}";
}

std::string ToolResult(Session& s, size_t bytes) {
  s.t += Int(100, 5000);
  std::string body = Text(bytes);
  return Head(s, "user") + ",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"toolu_01" +
         MsgId().substr(6) + "\",\"type\":\"tool_result\",\"content\":\"" + body +
         "\"}]},\"toolUseResult\":{\"stdout\":\"" + body.substr(0, bytes / 4) +
         "\",\"stderr\":\"\",\"interrupted\":false},\"timestamp\":\"" + Ts(s.t) + "\"}";
}

std::string Prompt(Session& s) {
  s.t += Int(30000, 900000);
  return Head(s, "user") + ",\"message\":{\"role\":\"user\",\"content\":\"" + Text(static_cast<size_t>(Int(40, 900))) +
         "\"},\"timestamp\":\"" + Ts(s.t) + "\"}";
}

size_t ToolResultSize() {
  double u = Uniform();
  if (u < 0.03) return static_cast<size_t>(Int(100'000, 400'000));  // big file reads, test logs
  std::lognormal_distribution<double> d(7.3, 1.0);                    // median ~1.5 KB
  return std::min<size_t>(static_cast<size_t>(d(rng)), 60'000);
}

// Lines of one session until it holds about `bytes`.
std::vector<std::string> SessionLines(Session& s, size_t bytes) {
  std::vector<std::string> lines;
  size_t size = 0;
  auto add = [&](std::string l) {
    size += l.size() + 1;
    lines.push_back(std::move(l));
  };
  add("{\"type\":\"summary\",\"summary\":\"" + Text(60) + "\",\"leafUuid\":\"" + Uuid() + "\"}");
  while (size < bytes) {
    add(Prompt(s));
    for (int step = Int(1, 8); step > 0 && size < bytes; --step) {
      std::string mid = MsgId(), rid = "req_011C" + MsgId().substr(8);
      int copies = Uniform() < 0.4 ? Int(2, 3) : 1;  // streamed blocks of one message
      for (int c = 0; c < copies; ++c) {
        add(Assistant(s, mid, rid, static_cast<size_t>(Int(900, 3200)), Int(5, 400) * (c + 1), step > 1));
      }
      if (Uniform() < 0.05) {  // an agent-progress line replaying a subagent message
        add("{\"type\":\"progress\",\"sessionId\":\"" + s.id + "\",\"data\":{\"type\":\"agent_progress\",\"message\":" +
            Assistant(s, MsgId(), "req_011C" + MsgId().substr(8), 800, 50, false) + "},\"timestamp\":\"" + Ts(s.t) +
            "\"}");
      }
      if (step > 1) add(ToolResult(s, ToolResultSize()));
    }
    if (Uniform() < 0.002) {  // a line cut short by a crash
      std::string l = Assistant(s, MsgId(), "req_x", 1500, 10, false);
      add(l.substr(0, l.size() / 2));
    }
  }
  return lines;
}

void WriteLines(const std::filesystem::path& p, const std::vector<std::string>& lines, size_t from = 0) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  for (size_t i = from; i < lines.size(); ++i) f << lines[i] << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: usage_gen DIR MEGABYTES [SEED]\n");
    return 2;
  }
  std::filesystem::path root = std::filesystem::path(argv[1]) / ".claude/projects";
  const size_t target = static_cast<size_t>(std::atof(argv[2]) * 1024 * 1024);
  rng.seed(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42);
  std::lognormal_distribution<double> file_size(std::log(130'000.0), 0.9);
  size_t written = 0, files = 0;
  long long t0 = 1'735'689'600'000LL;  // 2025-01-01
  std::vector<std::string> projects;
  for (int i = 0; i < 40; ++i) projects.push_back("-home-dev-src-project" + std::to_string(i));
  while (written < target) {
    Session s;
    s.id = Uuid();
    s.project = projects[static_cast<size_t>(Int(0, 39))];
    s.cwd = "/home/dev/src/" + s.project.substr(14);
    s.t = t0 + static_cast<long long>(Uniform() * 200.0 * 86'400'000.0);
    size_t bytes = std::min<size_t>(static_cast<size_t>(file_size(rng)), 8u << 20);
    auto lines = SessionLines(s, bytes);
    WriteLines(root / s.project / (s.id + ".jsonl"), lines);
    for (const auto& l : lines) written += l.size() + 1;
    ++files;
    if (Uniform() < 0.08) {  // a subagent transcript: sidechain lines
      Session sub = s;
      sub.sidechain = true;
      auto sl = SessionLines(sub, bytes / 4);
      WriteLines(root / s.project / s.id / "subagents" / ("agent-" + Uuid().substr(0, 8) + ".jsonl"), sl);
      for (const auto& l : sl) written += l.size() + 1;
      ++files;
    }
    if (Uniform() < 0.1) {  // resumed into a new session: the history is copied
      Session r = s;
      r.id = Uuid();
      std::vector<std::string> copy(lines.begin(), lines.begin() + static_cast<long>(lines.size() / 2));
      for (auto& l : copy) {
        size_t p = l.find(s.id);
        if (p != std::string::npos) l.replace(p, s.id.size(), r.id);
      }
      auto more = SessionLines(r, bytes / 3);
      copy.insert(copy.end(), more.begin(), more.end());
      WriteLines(root / s.project / (r.id + ".jsonl"), copy);
      for (const auto& l : copy) written += l.size() + 1;
      ++files;
    }
  }
  std::printf("%zu files, %.1f MB\n", files, static_cast<double>(written) / (1024.0 * 1024.0));
  return 0;
}
