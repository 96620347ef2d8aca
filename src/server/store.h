// The storage interface. SqliteStore (sqlite_store.h) implements it; a PostgreSQL store could
// implement the same interface later (the SQL is plain, ids are text, times are UTC ms integers).
//
// One transaction per request for writes:
//     auto problems = ctx.store.transaction([&]() -> Problems { …; return {}; });
// commits when the function returns normally — and rolls back when it throws, or returns a
// non-empty Problems, a failed Result<T>, or false. Nested calls become savepoints.
// Reads that need a consistent view across several queries (paged pulls) use store.read([&]{…}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model.h"
#include "core/problem.h"
#include "server/scope.h"

namespace cl::server {

struct StoredUser {
  User user;
  std::string password_hash;
};

struct SessionRow {
  std::string token_hash;      // SHA-256 hex of the bearer token; the token itself is never stored
  Id user_id;
  Instant created_at = 0;
  Instant expires_at = 0;
  Instant revoked_at = 0;      // 0 = active
  std::string client_info;     // User-Agent, truncated
  std::string address;
};

struct FailureWindow {
  int count = 0;
  Instant oldest = 0;          // the oldest failure inside the window (for Retry-After)
};

// A replicated entity as stored: the body is the record's JSON (sync/wire.h codecs); the other
// columns are what scopes and pulls filter on.
struct RecordRow {
  std::string type;            // "customer", "opportunity", "lead", …
  Id id;
  Id owner_id;
  Id team_id;
  std::string region;
  std::int64_t seq = 0;        // server sequence of the last change (pull cursor, SYNC.md §4)
  std::int64_t version = 0;
  bool deleted = false;        // tombstone
  std::string body;            // JSON text
  Instant updated_at = 0;
  // The body already parsed, when the writer has it (a sync push does): the store reads derived
  // columns (customer match keys) from it instead of parsing `body` again. Not owned; may be null.
  const nlohmann::json* parsed = nullptr;
  // Set by a writer that knows this customer write leaves name, phone, contacts and code as they were (a
  // sync push compares with the record it loaded): the store then skips re-deriving the match keys.
  bool match_fields_unchanged = false;
};

namespace detail {
inline bool tx_failed(const Problems& p) { return !p.empty(); }
inline bool tx_failed(bool ok) { return !ok; }
template <class T> bool tx_failed(const Result<T>& r) { return !r.ok(); }
template <class T> bool tx_failed(const T&) { return false; }
}  // namespace detail

class Store {
 public:
  virtual ~Store() = default;

  template <class F>
  auto transaction(F&& fn) -> std::invoke_result_t<F&> { return run_in_tx(true, fn); }
  template <class F>
  auto read(F&& fn) -> std::invoke_result_t<F&> { return run_in_tx(false, fn); }

  virtual int schema_version() = 0;

  // Teams
  virtual std::vector<Team> list_teams() = 0;
  virtual std::optional<Team> find_team(const Id& id) = 0;
  virtual void put_team(const Team& team) = 0;                          // insert or update

  // Users
  virtual std::optional<StoredUser> find_user(const Id& id) = 0;
  virtual std::optional<StoredUser> find_user_by_username(const std::string& username) = 0;
  virtual std::vector<User> list_users() = 0;
  virtual std::int64_t count_users() = 0;
  virtual void insert_user(const User& user, const std::string& password_hash) = 0;
  virtual void update_user(const User& user) = 0;                      // all but the password
  virtual void set_password_hash(const Id& user_id, const std::string& hash) = 0;

  // Sessions (R33)
  virtual void insert_session(const SessionRow& s) = 0;
  virtual std::optional<SessionRow> find_session(const std::string& token_hash) = 0;
  // The user of a session that is neither revoked nor expired at `now` (and the user still exists):
  // the check every request makes, in one look-up.
  virtual std::optional<StoredUser> find_session_user(const std::string& token_hash, Instant now) = 0;
  virtual void revoke_session(const std::string& token_hash, Instant at) = 0;
  virtual void revoke_user_sessions(const Id& user_id, Instant at) = 0;

  // Login throttling (R33)
  virtual void record_login_attempt(const std::string& username, const std::string& address,
                                    Instant at, bool success) = 0;
  virtual FailureWindow account_failures(const std::string& username, Instant since) = 0;
  virtual FailureWindow address_failures(const std::string& address, Instant since) = 0;
  virtual void clear_account_failures(const std::string& username) = 0;
  // Housekeeping: drop sessions that ended before `sessions_before` and attempts older than
  // `attempts_before` (the throttle only looks at its window). Returns rows removed.
  virtual std::int64_t purge_auth_history(Instant sessions_before, Instant attempts_before) = 0;

  // Devices: a short number per sync client, for offline-safe human-readable codes (R5).
  virtual int device_number(const std::string& client_id, const Id& user_id, Instant now) = 0;

  // Replicated records (SYNC.md). next_seq must be called inside the write transaction.
  virtual std::int64_t next_seq() = 0;
  virtual std::int64_t current_seq() = 0;
  virtual std::optional<RecordRow> get_record(const std::string& type, const Id& id) = 0;
  virtual void put_record(const RecordRow& row) = 0;                    // upsert by (type, id)
  // Inserts a record whose (type, id) is not taken, giving it the next seq (row.seq is set). False when
  // the key is taken: then nothing is written and no seq is used. A sync push creates records with it
  // instead of looking each new id up first (sync_service.cpp).
  virtual bool insert_new_record(RecordRow& row) = 0;
  virtual std::vector<RecordRow> records_since(const Scope& scope, std::int64_t after_seq, int limit) = 0;
  virtual std::vector<RecordRow> records_of_type(const std::string& type, const Scope& scope) = 0;

  // R30
  virtual void append_audit(const AuditEvent& e) = 0;

  // Operations (CLI)
  virtual void backup_to(const std::string& path) = 0;                // online backup
  virtual std::vector<std::string> check() = 0;                       // empty = healthy

 protected:
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

 private:
  template <class F>
  auto run_in_tx(bool write, F& fn) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    begin(write);
    try {
      if constexpr (std::is_void_v<R>) {
        fn();
        commit();
      } else {
        R r = fn();
        if (detail::tx_failed(r)) rollback(); else commit();
        return r;
      }
    } catch (...) {
      rollback();
      throw;
    }
  }
};

}  // namespace cl::server
