// A thin RAII layer over the SQLite C API: prepared statements with typed bind/column helpers and
// a statement cache for hot paths. Errors throw DbError (they are bugs or I/O failures, not user
// input problems); store.transaction rolls back on them.
//
// Read routing (the connection model, docs/ARCHITECTURE.md): the server has ONE writer connection and
// a small pool of read-only connections (sqlite_store.h). While a thread is inside store.read(…) its
// calls on the writer Db (exec, prepare, cached, raw, changes) are routed to the read-only connection
// it leased, so modules that write `ctx.db->raw()` inside store.read get a consistent WAL snapshot
// without holding the writer's lock. Db::Route is that per-thread switch.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace cl::server {

struct DbError : std::runtime_error {
  int code;
  DbError(int c, const std::string& what) : std::runtime_error(what), code(c) {}
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, like SQLite's.
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  // Text SQLite reads in place, not copied: only for values that outlive the statement's run/step
  // and when the statement is reset before its next use (Db::cached does that).
  Stmt& bind_static(int i, std::string_view v);
  Stmt& bind_null(int i);
  Stmt& bind_blob(int i, const void* data, std::size_t size);
  template <class... A>
  Stmt& bind_all(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  bool step();          // true while a row is available
  void run();           // step to completion (INSERT/UPDATE/DELETE)
  void reset();         // ready for re-use; clears bindings

  std::int64_t col_int(int i) const;   // 0-based, like SQLite's
  double col_double(int i) const;
  std::string col_text(int i) const;
  bool col_null(int i) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  enum class Access { ReadWrite, ReadOnly };
  // Opens (creates, for ReadWrite) the file; WAL, foreign keys, busy_timeout, page cache and mmap.
  // ReadOnly connections are the read pool's: they never write and see committed data only.
  explicit Db(const std::string& path, Access access = Access::ReadWrite);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);        // one or more statements, no results
  bool in_transaction();                  // inside BEGIN … COMMIT (not autocommit)
  Stmt prepare(std::string_view sql);
  // A cached prepared statement (reset before it is returned). Keyed by the SQL text.
  Stmt& cached(const std::string& sql);
  // Same for a string literal, keyed by its address: no hashing or allocation on the hot paths.
  template <std::size_t N>
  Stmt& cached(const char (&sql)[N]) { return target().cached_literal(sql, N - 1); }
  std::int64_t last_insert_rowid();
  int changes();
  sqlite3* raw() { return target().db_; }
  bool wal() const { return wal_; }       // false for :memory: or a file system without WAL support

  // Serialises all use of the writer connection (cpp-httplib runs handlers on a thread pool).
  std::recursive_mutex& mutex() { return mutex_; }

  // While alive, this thread's calls on `owner` go to `to` (a leased read-only connection), or to
  // `owner` itself when `to` is null (a write scope nested inside a read scope). Scopes nest (a stack).
  class Route {
   public:
    Route(Db& owner, Db* to) { owner.push_route(to); }
    ~Route() { pop_route(); }
    Route(const Route&) = delete;
    Route& operator=(const Route&) = delete;
  };
  void push_route(Db* to);    // what Route does, for scopes that begin and end in different calls
  static void pop_route();    // ends this thread's innermost route
  // The connection this thread's calls on this Db currently go to (this Db itself when not routed),
  // and whether a Route is active at all for this Db on this thread.
  Db& target();
  bool routed() const;
  Db* routed_to() const;  // the leased reader, or nullptr (not routed, or routed to the writer)

  // Read pool hygiene: reset every statement still stepping and end any open transaction, so the
  // next lessee starts from a fresh snapshot.
  void quiesce();

 private:
  Stmt& cached_literal(const char* sql, std::size_t len);

  sqlite3* db_ = nullptr;
  bool wal_ = false;
  std::recursive_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
  std::unordered_map<const char*, std::unique_ptr<Stmt>> literal_cache_;
};

}  // namespace cl::server
