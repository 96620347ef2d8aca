// The SQLite implementation of Store (connection model in docs/ARCHITECTURE.md):
//   - ONE writer connection, serialised by a recursive mutex held from begin() to commit()/rollback(),
//     so a request's write transaction is never interleaved (SQLite has one writer anyway);
//   - a pool of read-only connections (WAL lets readers run beside the writer): store.read(…) leases one
//     for a snapshot, and a read method called outside any transaction (auth's token lookup, …) leases
//     one for that call. Reads never wait for a push; a read inside store.transaction uses the writer
//     (it must see the transaction's own writes).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/db.h"
#include "server/store.h"

namespace cl::server {

// The `records` columns in the order read_record expects (a macro so queries stay one literal:
// Db::cached keys statements by the literal's address).
#define CL_RECORD_COLS "type, id, owner_id, team_id, region, seq, version, deleted, body, updated_at"
RecordRow read_record(const Stmt& st);  // one row selected with CL_RECORD_COLS

class SqliteStore final : public Store {
 public:
  static constexpr int kDefaultReaders = 8;
  // Opens (creates) the database and applies pending migrations. `readers`: the size of the read pool
  // (0 = every read goes through the writer, as on a database without WAL).
  SqliteStore(const std::string& path, Instant now, int readers = kDefaultReaders);
  ~SqliteStore() override;
  Db& db() { return db_; }
  // Opens every connection of the read pool now. `serve` calls it before listening: opened on demand,
  // the first burst of requests after a start (200 tablets reconnecting) queued behind each opening,
  // which runs under the pool's lock — the pull p99 outliers right after a restart.
  void open_readers();

  int schema_version() override;
  std::vector<Team> list_teams() override;
  std::optional<Team> find_team(const Id& id) override;
  void put_team(const Team& team) override;
  std::optional<StoredUser> find_user(const Id& id) override;
  std::optional<StoredUser> find_user_by_username(const std::string& username) override;
  std::vector<User> list_users() override;
  std::int64_t count_users() override;
  void insert_user(const User& user, const std::string& password_hash) override;
  void update_user(const User& user) override;
  void set_password_hash(const Id& user_id, const std::string& hash) override;
  void insert_session(const SessionRow& s) override;
  std::optional<SessionRow> find_session(const std::string& token_hash) override;
  std::optional<StoredUser> find_session_user(const std::string& token_hash, Instant now) override;
  void revoke_session(const std::string& token_hash, Instant at) override;
  void revoke_user_sessions(const Id& user_id, Instant at) override;
  void record_login_attempt(const std::string& username, const std::string& address, Instant at,
                            bool success) override;
  FailureWindow account_failures(const std::string& username, Instant since) override;
  FailureWindow address_failures(const std::string& address, Instant since) override;
  void clear_account_failures(const std::string& username) override;
  std::int64_t purge_auth_history(Instant sessions_before, Instant attempts_before) override;
  int device_number(const std::string& client_id, const Id& user_id, Instant now) override;
  std::int64_t next_seq() override;
  std::int64_t current_seq() override;
  std::optional<RecordRow> get_record(const std::string& type, const Id& id) override;
  void put_record(const RecordRow& row) override;
  bool insert_new_record(RecordRow& row) override;
  std::vector<RecordRow> records_since(const Scope& scope, std::int64_t after_seq, int limit) override;
  std::vector<RecordRow> records_of_type(const std::string& type, const Scope& scope) override;
  void append_audit(const AuditEvent& e) override;
  void backup_to(const std::string& path) override;
  std::vector<std::string> check() override;

 protected:
  void begin(bool write) override;
  void commit() override;
  void rollback() override;

 private:
  template <class F> auto reading(F&& f);   // a read: pool reader, or the writer inside a write scope
  template <class F> auto writing(F&& f);   // a write: the writer, under its lock
  Db* lease_reader();                        // blocks while every reader is leased
  void return_reader(Db* reader);
  bool in_write_tx() const;                  // this thread holds the writer inside transaction()
  void write_derived_rows(const RecordRow& r);  // customer match keys, catalog state
  friend struct ReadLease;

  std::string path_;
  Db db_;
  int depth_ = 0;   // nesting depth of the writer's scopes; >0 only on the thread holding the lock

  // R32/SYNC.md §4: the server sequence is read once per write transaction and written back just
  // before COMMIT, inside the same transaction (guarded by the writer's lock).
  bool seq_loaded_ = false;
  std::int64_t seq_ = 0;

  // The read pool: opened lazily up to max_readers_, or all at once by open_readers().
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Db>> readers_;
  std::vector<Db*> idle_;
  int max_readers_ = 0;
};

}  // namespace cl::server
