#include "server/db.h"

#include <sqlite3.h>

namespace cl::server {

namespace {
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw DbError(rc, msg);
}
}  // namespace

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, std::string("prepare `") + std::string(sql.substr(0, 80)) + "`");
}

Stmt::~Stmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

Stmt& Stmt::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, double v) {
  int rc = sqlite3_bind_double(stmt_, i, v);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind_static(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  int rc = sqlite3_bind_null(stmt_, i);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind_blob(int i, const void* data, std::size_t size) {
  int rc = sqlite3_bind_blob64(stmt_, i, data, size, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, "step");
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Stmt::col_int(int i) const { return sqlite3_column_int64(stmt_, i); }
double Stmt::col_double(int i) const { return sqlite3_column_double(stmt_, i); }
std::string Stmt::col_text(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
}
bool Stmt::col_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

namespace {

// This thread's active routes, innermost last: {owner, target}. Usually empty or one entry long.
struct RouteEntry {
  const Db* owner;
  Db* to;  // nullptr: routed to the owner itself (a write scope inside a read scope)
};
thread_local std::vector<RouteEntry> t_routes;

const RouteEntry* find_route(const Db* owner) {
  for (auto it = t_routes.rbegin(); it != t_routes.rend(); ++it)
    if (it->owner == owner) return &*it;
  return nullptr;
}

}  // namespace

void Db::push_route(Db* to) { t_routes.push_back({this, to}); }
void Db::pop_route() { t_routes.pop_back(); }

Db& Db::target() {
  if (t_routes.empty()) return *this;  // the common case: one compare
  const RouteEntry* r = find_route(this);
  return r && r->to ? *r->to : *this;
}

bool Db::routed() const { return find_route(this) != nullptr; }
Db* Db::routed_to() const {
  const RouteEntry* r = find_route(this);
  return r ? r->to : nullptr;
}

namespace {
// SQLite's memory statistics take a global mutex around every allocation and free (a sync push makes
// ~60 of each per mutation, ~4 % of its instructions); nothing here reads them (sqlite3_memory_used,
// soft heap limits). Must run before SQLite initialises, i.e. before the first connection opens; if
// something opened one earlier, sqlite3_config refuses harmlessly.
const bool g_sqlite_configured = [] {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return true;
}();
}  // namespace

Db::Db(const std::string& path, Access access) {
  (void)g_sqlite_configured;
  const bool read_only = access == Access::ReadOnly;
  // Pool readers are used by one thread at a time (leased), so they skip SQLite's own mutexes; the
  // writer keeps FULLMUTEX because modules may touch `raw()` from the scheduler and HTTP threads.
  const int flags = read_only ? (SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)
                              : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    throw DbError(rc, msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Page cache per connection (negative = KiB): the writer keeps the hot index pages of `records`
  // resident (the push path's inserts touch five indexes); readers share the OS page cache through
  // mmap, so each needs less of its own.
  const char* cache = read_only ? "PRAGMA cache_size=-4096;" : "PRAGMA cache_size=-65536;";
  if (read_only) {
    exec(std::string("PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456; ") + cache);
    wal_ = true;  // a reader is only opened on a WAL database (SqliteStore checks the writer)
    return;
  }
  // WAL: readers never block the writer and the writer never blocks readers. synchronous=NORMAL
  // under WAL syncs the WAL at checkpoints, not at every commit: a commit survives an application
  // crash (kill -9) intact; on power loss or an OS crash the last commits before it may be lost, never
  // corrupted — and clients still hold those mutations in their outbox and re-push them (SYNC.md §3).
  // wal_autocheckpoint 4000 pages (16 MB, default 1000): a push rewrites the same hot index pages
  // batch after batch, and a checkpoint copies each page once however often the WAL holds it, so
  // rarer checkpoints copy less in all (a checkpoint was 3 % of push CPU at the default).
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
       "PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456; "
       "PRAGMA wal_autocheckpoint=4000;");
  exec(cache);
  {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      wal_ = mode && std::string_view(mode) == "wal";
    }
    sqlite3_finalize(st);
  }
}

Db::~Db() {
  cache_.clear();  // finalize statements before closing
  literal_cache_.clear();
  if (db_) sqlite3_close_v2(db_);
}

bool Db::in_transaction() { return sqlite3_get_autocommit(raw()) == 0; }

void Db::exec(std::string_view sql) {
  Db& t = target();
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(t.db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw DbError(rc, "exec: " + msg);
  }
}

Stmt Db::prepare(std::string_view sql) { return Stmt(target().db_, sql); }

Stmt& Db::cached(const std::string& sql) {
  Db& t = target();
  auto it = t.cache_.find(sql);
  if (it == t.cache_.end()) it = t.cache_.emplace(sql, std::make_unique<Stmt>(t.db_, sql)).first;
  it->second->reset();
  return *it->second;
}

Stmt& Db::cached_literal(const char* sql, std::size_t len) {
  auto it = literal_cache_.find(sql);
  if (it == literal_cache_.end())
    it = literal_cache_.emplace(sql, std::make_unique<Stmt>(db_, std::string_view(sql, len))).first;
  it->second->reset();
  return *it->second;
}

std::int64_t Db::last_insert_rowid() { return sqlite3_last_insert_rowid(target().db_); }
int Db::changes() { return sqlite3_changes(target().db_); }

void Db::quiesce() {
  for (sqlite3_stmt* st = sqlite3_next_stmt(db_, nullptr); st; st = sqlite3_next_stmt(db_, st))
    if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace cl::server
