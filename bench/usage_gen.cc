// Generates a realistic Claude Code corpus for bench/usage.sh:
//   usage_gen DIR MEGABYTES [SEED]
// or a small sample of the last two weeks (Claude Code and Codex CLI) for a demo:
//   usage_gen --sample DIR
// writes DIR/.claude/projects/<project>/<session>.jsonl (and some subagents/ files):
// thousands of files per GiB, file sizes log-normal around ~130 KB with a tail to several
// MB, compact JSON lines of 1.5-4 KB for most assistant messages, tool results with a few
// lines over 100 KB, streamed copies of the same message, sessions resumed into new files
// (copies across files), sidechains, agent-progress lines and a few malformed lines.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
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

// Two weeks ending today: a few Claude Code sessions a day (one resumed, one with a
// subagent) and Codex rollouts every other day.
int Sample(const std::filesystem::path& home) {
  rng.seed(7);
  const long long day_ms = 86'400'000LL;
  long long now = static_cast<long long>(time(nullptr)) * 1000;
  long long today = now - now % day_ms;
  size_t files = 0;
  for (int d = 13; d >= 0; --d) {
    int sessions = 1 + (d * 7 % 4);
    for (int k = 0; k < sessions; ++k) {
      Session s;
      s.id = Uuid();
      s.project = d % 3 == 0 ? "-home-dev-src-webapp" : "-home-dev-src-cli-tool";
      s.cwd = "/home/dev/src/" + s.project.substr(14);
      s.t = today - d * day_ms + (9 + 3 * k) * 3'600'000LL;
      auto lines = SessionLines(s, static_cast<size_t>(Int(20'000, 90'000)));
      WriteLines(home / ".claude/projects" / s.project / (s.id + ".jsonl"), lines);
      ++files;
      if (k == 0 && d % 4 == 1) {
        Session sub = s;
        sub.sidechain = true;
        WriteLines(home / ".claude/projects" / s.project / s.id / "subagents" / "agent-review.jsonl",
                   SessionLines(sub, 15'000));
        ++files;
      }
    }
    if (d % 2 == 0) {
      std::string ts = Ts(today - d * day_ms + 15 * 3'600'000LL);
      std::filesystem::path p = home / ".codex/sessions" / ts.substr(0, 4) / ts.substr(5, 2) / ts.substr(8, 2) /
                                ("rollout-" + ts.substr(0, 10) + "-" + Uuid() + ".jsonl");
      std::vector<std::string> lines = {"{\"timestamp\":\"" + ts + "\",\"type\":\"turn_context\",\"payload\":{\"model\":\"gpt-5-codex\"}}"};
      unsigned long long in = 0, cached = 0, out = 0;
      for (int turn = 0; turn < 6; ++turn) {
        unsigned long long di = static_cast<unsigned long long>(Int(4000, 30000)), dc = di * 3 / 4,
                           dout = static_cast<unsigned long long>(Int(200, 3000));
        in += di;
        cached += dc;
        out += dout;
        auto usage = [](unsigned long long i, unsigned long long c, unsigned long long o) {
          return "{\"input_tokens\":" + std::to_string(i) + ",\"cached_input_tokens\":" + std::to_string(c) +
                 ",\"output_tokens\":" + std::to_string(o) + ",\"reasoning_output_tokens\":0,\"total_tokens\":" +
                 std::to_string(i + o) + "}";
        };
        lines.push_back("{\"timestamp\":\"" + Ts(today - d * day_ms + 15 * 3'600'000LL + turn * 60'000LL) +
                        "\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{\"total_token_usage\":" +
                        usage(in, cached, out) + ",\"last_token_usage\":" + usage(di, dc, dout) + "}}}");
      }
      WriteLines(p, lines);
      ++files;
    }
  }
  std::printf("%zu sample files in %s\n", files, home.c_str());
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--sample") return Sample(argv[2]);
  if (argc < 3) {
    std::fprintf(stderr, "usage: usage_gen DIR MEGABYTES [SEED] | usage_gen --sample DIR\n");
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
