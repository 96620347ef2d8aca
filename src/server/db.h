// A thin RAII layer over the SQLite C API: prepared statements with typed bind/column helpers and
// a statement cache for hot paths. Errors throw DbError (they are bugs or I/O failures, not user
// input problems); store.transaction rolls back on them.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

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
  explicit Db(const std::string& path);   // opens (creates) the file; WAL, foreign keys, busy_timeout
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);        // one or more statements, no results
  Stmt prepare(std::string_view sql);
  // A cached prepared statement (reset before it is returned). Keyed by the SQL text.
  Stmt& cached(const std::string& sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* raw() { return db_; }

  // Serialises all use of the connection (cpp-httplib runs handlers on a thread pool).
  std::recursive_mutex& mutex() { return mutex_; }

 private:
  sqlite3* db_ = nullptr;
  std::recursive_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

}  // namespace cl::server
