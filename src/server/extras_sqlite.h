// A tiny RAII layer over sqlite3 for the extras modules (notifications, evidence, share links, …).
// Kept in its own namespace so it never collides with the foundation store's own helpers; every
// module takes a plain `sqlite3*`, so it works with whatever connection the store hands out.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cl::server::xsql {

struct SqlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, std::int64_t v);
  Stmt& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
  Stmt& bind(int index, std::string_view v);
  Stmt& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
  Stmt& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
  Stmt& bind_blob(int index, std::string_view bytes);
  Stmt& bind_null(int index);
  Stmt& bind_opt(int index, std::optional<std::int64_t> v) { return v ? bind(index, *v) : bind_null(index); }

  // true while a row is available; false when done. Throws SqlError on failure.
  bool step();
  void run() { while (step()) {} }
  void reset();

  std::int64_t i64(int col) const;
  std::string text(int col) const;
  // The column's bytes in SQLite's buffer: valid until the next step() or reset(), no copy.
  std::string_view text_view(int col) const;
  bool is_null(int col) const;
  std::optional<std::int64_t> opt_i64(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Runs one or more statements without results (schema, pragmas).
void exec(sqlite3* db, std::string_view sql);

// Changes made by the last statement on this connection.
int changes(sqlite3* db);

// A SAVEPOINT, not BEGIN: it nests inside the request transaction the store may already hold,
// and starts a transaction of its own when there is none. Rolls back unless commit() was called.
class Savepoint {
 public:
  explicit Savepoint(sqlite3* db, const char* name = "extras");
  ~Savepoint();
  void commit();

 private:
  sqlite3* db_;
  std::string name_;
  bool done_ = false;
};

}  // namespace cl::server::xsql
