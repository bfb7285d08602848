#include "logs/run_recovery.h"

#include "logs/junit_xml.h"
#include "logs/parser.h"

namespace lq::logs {
namespace {

// Numbers events as the live capture does (1, 2, ...) and writes them in batches.
class EventFileWriter final : public EventSink {
 public:
  explicit EventFileWriter(WritableFile* file) : file_(file) {}
  void OnEvent(Event e) override {
    ++counts_.events;
    if (e.severity == Severity::kError) ++counts_.errors;
    if (e.severity == Severity::kWarning) ++counts_.warnings;
    buffer_ += EventToJsonLine(e, counts_.events);
    if (buffer_.size() >= (1 << 16)) Flush();
  }
  void Flush() {
    if (status_.ok() && !buffer_.empty()) status_ = file_->Append(buffer_);
    buffer_.clear();
  }
  const Status& status() const { return status_; }
  const RecoveredEvents& counts() const { return counts_; }

 private:
  WritableFile* file_;
  std::string buffer_;
  Status status_;
  RecoveredEvents counts_;
};

}  // namespace

Result<RecoveredEvents> RecoverEventsFromRawLog(Env* env, const RunPaths& paths, const std::string& format) {
  LQ_ASSIGN_OR_RETURN(std::string raw, env->ReadFile(paths.raw));
  std::string tmp = paths.events + ".recovered";
  LQ_ASSIGN_OR_RETURN(auto file, env->OpenWritable(tmp, Env::OpenMode::kTruncate));
  EventFileWriter writer(file.get());
  if (format == "junit") {
    (void)ParseJunitXml(raw, writer);  // a truncated report: the events before the cut
  } else {
    LogParser parser(format);
    parser.Feed(raw, writer);
    parser.Finish(writer);
  }
  writer.Flush();
  Status s = writer.status();
  Status closed = file->Close();
  if (s.ok()) s = closed;
  if (s.ok()) s = env->Rename(tmp, paths.events);
  if (!s.ok()) {
    env->RemoveFile(tmp);
    return s;
  }
  return writer.counts();
}

}  // namespace lq::logs
