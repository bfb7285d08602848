#include "store/database.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include <utility>

#include "store/duckdb_api.h"

namespace lq::store {

// libduckdb.so is loaded with dlopen on first use instead of being linked: linking it
// costs every lq process ~13 ms of dynamic relocation before main(), and the capture
// path (lq exec/run) must start in well under that. Only commands that query or write
// Parquet pay for DuckDB. Every function lq calls is listed in duckdb_api.h.

namespace {

std::string SelfDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<size_t>(n));
  size_t slash = exe.rfind('/');
  return slash == std::string::npos ? "" : exe.substr(0, slash);
}

// Candidates, in order: $LQ_DUCKDB_LIBRARY; <bin>/../lib/lq/libduckdb.so (make install,
// the .deb); the build tree's third_party copy; the dynamic loader's default search.
std::vector<std::string> LibraryCandidates() {
  std::vector<std::string> c;
  if (const char* env = std::getenv("LQ_DUCKDB_LIBRARY"); env && *env) c.emplace_back(env);
  std::string self = SelfDir();
  if (!self.empty()) c.push_back(self + "/../lib/lq/libduckdb.so");
#ifdef LQ_DUCKDB_BUILD_LIBRARY
  c.emplace_back(LQ_DUCKDB_BUILD_LIBRARY);
#endif
  c.emplace_back("libduckdb.so");
  return c;
}

struct LoadedApi {
  DuckDbApi api;
  Status status;
};

const LoadedApi& Load() {
  static const LoadedApi* loaded = [] {
    auto* l = new LoadedApi;
    void* handle = nullptr;
    std::string errors;
    for (const auto& path : LibraryCandidates()) {
      if (path.find('/') != std::string::npos && ::access(path.c_str(), R_OK) != 0) continue;
      handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle) break;
      const char* e = ::dlerror();
      errors += std::string("; ") + (e ? e : path);
    }
    if (!handle) {
      l->status = Status::Unavailable("cannot load DuckDB (libduckdb.so)" + errors +
                                      "; reinstall lq or set LQ_DUCKDB_LIBRARY to its path");
      return l;
    }
#define LQ_RESOLVE(name)                                                              \
    l->api.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name));         \
    if (!l->api.name && l->status.ok()) l->status = Status::Unavailable("libduckdb.so lacks " #name);
    LQ_DUCKDB_FUNCTIONS(LQ_RESOLVE)
#undef LQ_RESOLVE
    return l;
  }();
  return *loaded;
}

}  // namespace

// Only called after Database::Open (or LibraryVersion) has checked Load().status.
const DuckDbApi& Api() { return Load().api; }

Status LoadDuckDb() { return Load().status; }
namespace {

template <typename T>
T Take(T& p) {
  return std::exchange(p, nullptr);
}

duckdb_database AsDb(void* p) { return static_cast<duckdb_database>(p); }
duckdb_connection AsConn(void* p) { return static_cast<duckdb_connection>(p); }
duckdb_prepared_statement AsStmt(void* p) { return static_cast<duckdb_prepared_statement>(p); }
duckdb_appender AsApp(void* p) { return static_cast<duckdb_appender>(p); }

// DuckDB repeats the "LINE 1: ..." caret block of some errors; show it once.
std::string ErrorText(const char* err, const char* fallback) {
  std::string in = err && *err ? err : fallback;
  std::string out, last;
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t end = in.find("\n\n", pos);
    if (end == std::string::npos) end = in.size();
    std::string para = in.substr(pos, end - pos);
    if (para != last || para.find('^') == std::string::npos) {
      out += (out.empty() ? "" : "\n\n") + para;
    }
    last = para;
    pos = end + 2;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

// ---- Database ----

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, const Options& options) {
  LQ_RETURN_IF_ERROR(LoadDuckDb());
  duckdb_config config = nullptr;
  if (Api().duckdb_create_config(&config) == DuckDBError) return Status::Internal("duckdb: cannot create config");
  auto set = [&](const char* key, const std::string& value) {
    return Api().duckdb_set_config(config, key, value.c_str()) == DuckDBSuccess;
  };
  bool ok = true;
  if (options.read_only) ok &= set("access_mode", "READ_ONLY");
  if (options.threads > 0) ok &= set("threads", std::to_string(options.threads));
  if (!options.memory_limit.empty()) ok &= set("memory_limit", options.memory_limit);
  // lq never loads extensions from the network: telemetry stays local.
  ok &= set("autoinstall_known_extensions", "false");
  if (!ok) {
    Api().duckdb_destroy_config(&config);
    return Status::InvalidArgument("duckdb: invalid database option");
  }
  std::unique_ptr<Database> db(new Database);
  duckdb_database handle = nullptr;
  char* error = nullptr;
  const char* p = (path.empty() || path == ":memory:") ? nullptr : path.c_str();
  duckdb_state state = Api().duckdb_open_ext(p, &handle, config, &error);
  Api().duckdb_destroy_config(&config);
  if (state == DuckDBError) {
    std::string msg = error ? error : "unknown error";
    if (error) Api().duckdb_free(error);
    return Status::IOError("cannot open database " + (p ? path : std::string(":memory:")) + ": " + msg);
  }
  db->db_ = handle;
  return db;
}

Database::~Database() {
  if (db_) {
    duckdb_database h = AsDb(Take(db_));
    Api().duckdb_close(&h);
  }
}

// ---- Connection ----

Result<Connection> Connection::Open(Database& db) {
  duckdb_connection handle = nullptr;
  if (Api().duckdb_connect(AsDb(db.db_), &handle) == DuckDBError) {
    return Status::Internal("duckdb: cannot connect");
  }
  Connection c;
  c.conn_ = handle;
  return c;
}

Connection::Connection(Connection&& o) noexcept : conn_(Take(o.conn_)) {}
Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    this->~Connection();
    conn_ = Take(o.conn_);
  }
  return *this;
}
Connection::~Connection() {
  if (conn_) {
    duckdb_connection h = AsConn(Take(conn_));
    Api().duckdb_disconnect(&h);
  }
}

Status Connection::Execute(std::string_view sql) {
  auto r = Query(sql);
  return r.status();
}

Result<QueryResult> Connection::Query(std::string_view sql) {
  QueryResult result;
  std::string text(sql);
  if (Api().duckdb_query(AsConn(conn_), text.c_str(), &result.rep_->result) == DuckDBError) {
    return Status::InvalidArgument(ErrorText(Api().duckdb_result_error(&result.rep_->result), "query failed"));
  }
  result.rep_->Load();
  return result;
}

Result<size_t> Connection::QueryEach(std::string_view sql, const std::function<Status(QueryResult&)>& each) {
  std::string text(sql);
  duckdb_extracted_statements extracted = nullptr;
  idx_t count = Api().duckdb_extract_statements(AsConn(conn_), text.c_str(), &extracted);
  struct Destroy {
    duckdb_extracted_statements* e;
    ~Destroy() { Api().duckdb_destroy_extracted(e); }
  } destroy{&extracted};
  if (count == 0) {
    const char* err = extracted ? Api().duckdb_extract_statements_error(extracted) : nullptr;
    if (err && *err) return Status::InvalidArgument(ErrorText(err, "cannot parse the query"));
    return size_t{0};
  }
  for (idx_t k = 0; k < count; ++k) {
    PreparedStatement stmt;
    duckdb_prepared_statement handle = nullptr;
    duckdb_state state = Api().duckdb_prepare_extracted_statement(AsConn(conn_), extracted, k, &handle);
    stmt.stmt_ = handle;  // destroyed by ~PreparedStatement even on error
    if (state == DuckDBError) {
      return Status::InvalidArgument(ErrorText(Api().duckdb_prepare_error(handle), "prepare failed"));
    }
    LQ_ASSIGN_OR_RETURN(QueryResult result, stmt.Execute());
    LQ_RETURN_IF_ERROR(each(result));
  }
  return static_cast<size_t>(count);
}

Result<PreparedStatement> Connection::Prepare(std::string_view sql) {
  PreparedStatement stmt;
  duckdb_prepared_statement handle = nullptr;
  std::string text(sql);
  duckdb_state state = Api().duckdb_prepare(AsConn(conn_), text.c_str(), &handle);
  stmt.stmt_ = handle;  // destroyed by ~PreparedStatement even on error
  if (state == DuckDBError) {
    return Status::InvalidArgument(ErrorText(Api().duckdb_prepare_error(handle), "prepare failed"));
  }
  return stmt;
}

Result<Appender> Connection::NewAppender(const std::string& table, const std::string& schema) {
  Appender app;
  duckdb_appender handle = nullptr;
  duckdb_state state = Api().duckdb_appender_create(AsConn(conn_), schema.empty() ? nullptr : schema.c_str(),
                                              table.c_str(), &handle);
  app.app_ = handle;
  if (state == DuckDBError) {
    const char* err = handle ? Api().duckdb_appender_error(handle) : nullptr;
    return Status::InvalidArgument("appender for " + table + ": " + (err ? err : "failed"));
  }
  return app;
}

// ---- PreparedStatement ----

PreparedStatement::PreparedStatement(PreparedStatement&& o) noexcept : stmt_(Take(o.stmt_)) {}
PreparedStatement& PreparedStatement::operator=(PreparedStatement&& o) noexcept {
  if (this != &o) {
    this->~PreparedStatement();
    stmt_ = Take(o.stmt_);
  }
  return *this;
}
PreparedStatement::~PreparedStatement() {
  if (stmt_) {
    duckdb_prepared_statement h = AsStmt(Take(stmt_));
    Api().duckdb_destroy_prepare(&h);
  }
}

namespace {
Status BindState(duckdb_state state, duckdb_prepared_statement stmt, size_t index) {
  if (state == DuckDBSuccess) return Status::OK();
  const char* err = Api().duckdb_prepare_error(stmt);
  return Status::InvalidArgument("bind parameter " + std::to_string(index) + ": " +
                                 (err ? err : "out of range or wrong type"));
}
}  // namespace

Status PreparedStatement::Bind(size_t index, int64_t value) {
  return BindState(Api().duckdb_bind_int64(AsStmt(stmt_), index, value), AsStmt(stmt_), index);
}
Status PreparedStatement::Bind(size_t index, double value) {
  return BindState(Api().duckdb_bind_double(AsStmt(stmt_), index, value), AsStmt(stmt_), index);
}
Status PreparedStatement::Bind(size_t index, bool value) {
  return BindState(Api().duckdb_bind_boolean(AsStmt(stmt_), index, value), AsStmt(stmt_), index);
}
Status PreparedStatement::Bind(size_t index, std::string_view value) {
  return BindState(Api().duckdb_bind_varchar_length(AsStmt(stmt_), index, value.data(), value.size()),
                   AsStmt(stmt_), index);
}
Status PreparedStatement::BindNull(size_t index) {
  return BindState(Api().duckdb_bind_null(AsStmt(stmt_), index), AsStmt(stmt_), index);
}
Status PreparedStatement::ClearBindings() {
  if (Api().duckdb_clear_bindings(AsStmt(stmt_)) == DuckDBError) return Status::Internal("clear bindings");
  return Status::OK();
}

Result<QueryResult> PreparedStatement::Execute() {
  QueryResult result;
  if (Api().duckdb_execute_prepared(AsStmt(stmt_), &result.rep_->result) == DuckDBError) {
    return Status::InvalidArgument(ErrorText(Api().duckdb_result_error(&result.rep_->result), "execute failed"));
  }
  result.rep_->Load();
  return result;
}

// ---- Appender ----

Appender::Appender(Appender&& o) noexcept : app_(Take(o.app_)) {}
Appender& Appender::operator=(Appender&& o) noexcept {
  if (this != &o) {
    this->~Appender();
    app_ = Take(o.app_);
  }
  return *this;
}
Appender::~Appender() {
  if (app_) {
    duckdb_appender h = AsApp(Take(app_));
    Api().duckdb_appender_destroy(&h);
  }
}

Status Appender::Check(int state) {
  if (state == DuckDBSuccess) return Status::OK();
  const char* err = Api().duckdb_appender_error(AsApp(app_));
  return Status::InvalidArgument(std::string("append: ") + (err ? err : "failed"));
}

Status Appender::Append(int64_t v) { return Check(Api().duckdb_append_int64(AsApp(app_), v)); }
Status Appender::Append(double v) { return Check(Api().duckdb_append_double(AsApp(app_), v)); }
Status Appender::Append(bool v) { return Check(Api().duckdb_append_bool(AsApp(app_), v)); }
Status Appender::Append(std::string_view v) {
  return Check(Api().duckdb_append_varchar_length(AsApp(app_), v.data(), v.size()));
}
Status Appender::AppendNull() { return Check(Api().duckdb_append_null(AsApp(app_))); }
Status Appender::AppendTimestampMicros(int64_t micros) {
  duckdb_timestamp ts{micros};
  return Check(Api().duckdb_append_timestamp(AsApp(app_), ts));
}
Status Appender::EndRow() { return Check(Api().duckdb_appender_end_row(AsApp(app_))); }
Status Appender::Flush() { return Check(Api().duckdb_appender_flush(AsApp(app_))); }
Status Appender::Close() {
  if (!app_) return Status::OK();
  Status s = Check(Api().duckdb_appender_close(AsApp(app_)));
  duckdb_appender h = AsApp(Take(app_));
  Api().duckdb_appender_destroy(&h);
  return s;
}

std::string LibraryVersion() {
  if (!LoadDuckDb().ok()) return "unavailable";
  return Api().duckdb_library_version();
}

std::string SqlList(const std::vector<std::string>& values) {
  std::string list = "[";
  for (size_t i = 0; i < values.size(); ++i) list += (i ? ", " : "") + SqlQuote(values[i]);
  return list + "]";
}

namespace {
std::string QuoteWith(std::string_view s, char quote) {
  std::string out(1, quote);
  for (char c : s) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}
}  // namespace

std::string SqlQuote(std::string_view s) { return QuoteWith(s, '\''); }
std::string SqlQuoteIdentifier(std::string_view s) { return QuoteWith(s, '"'); }

}  // namespace lq::store
