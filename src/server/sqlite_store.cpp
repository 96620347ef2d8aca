#include "server/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "server/catalog_scope.h"
#include "server/customer_match_keys.h"
#include "server/json_text.h"
#include "server/migrations.h"

namespace cl::server {

namespace {

std::string role_text(Role r) {
  switch (r) {
    case Role::Rep: return "rep";
    case Role::Manager: return "manager";
    case Role::Admin: return "admin";
  }
  return "rep";
}

Role role_from(const std::string& s) {
  if (s == "admin") return Role::Admin;
  if (s == "manager") return Role::Manager;
  return Role::Rep;
}

// Column lists as macros so each query is one string literal: Db::cached keys literals by address
// (no SQL text built, hashed and compared per call on the hot paths — every request looks up a user).
#define CL_USER_COLS "id, username, display_name, role, COALESCE(team_id, ''), phone, email, active, password_hash"

StoredUser read_user(const Stmt& st) {
  StoredUser u;
  u.user.id = st.col_text(0);
  u.user.username = st.col_text(1);
  u.user.display_name = st.col_text(2);
  u.user.role = role_from(st.col_text(3));
  u.user.team_id = st.col_text(4);
  u.user.phone = st.col_text(5);
  u.user.email = st.col_text(6);
  u.user.active = st.col_int(7) != 0;
  u.password_hash = st.col_text(8);
  return u;
}


void bind_team_id(Stmt& st, int i, const Id& team_id) {
  if (team_id.empty()) st.bind_null(i); else st.bind(i, team_id);
}

}  // namespace

RecordRow read_record(const Stmt& st) {
  RecordRow r;
  r.type = st.col_text(0);
  r.id = st.col_text(1);
  r.owner_id = st.col_text(2);
  r.team_id = st.col_text(3);
  r.region = st.col_text(4);
  r.seq = st.col_int(5);
  r.version = st.col_int(6);
  r.deleted = st.col_int(7) != 0;
  r.body = st.col_text(8);
  r.updated_at = st.col_int(9);
  return r;
}

namespace {

// This thread's open scopes (store.transaction / store.read), innermost last.
enum class ScopeKind : std::uint8_t {
  WriterOuter,   // BEGIN IMMEDIATE on the writer
  WriterNested,  // SAVEPOINT on the writer (any scope inside a write transaction)
  ReaderOuter,   // BEGIN on a leased read-only connection
  ReaderNested,  // read() inside read(): the same snapshot
};
struct ScopeFrame {
  const SqliteStore* store;
  ScopeKind kind;
  Db* reader;
};
thread_local std::vector<ScopeFrame> t_scopes;

ScopeFrame* innermost(const SqliteStore* store) {
  for (auto it = t_scopes.rbegin(); it != t_scopes.rend(); ++it)
    if (it->store == store) return &*it;
  return nullptr;
}

}  // namespace

// One read outside any scope: a reader for the duration of the call, routed and returned after.
struct ReadLease {
  SqliteStore& store;
  Db* reader;
  explicit ReadLease(SqliteStore& s) : store(s), reader(s.lease_reader()) { s.db_.push_route(reader); }
  ~ReadLease() {
    Db::pop_route();
    store.return_reader(reader);
  }
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;
};

SqliteStore::SqliteStore(const std::string& path, Instant now, int readers) : path_(path), db_(path) {
  const std::vector<int> applied = migrate(db_, all_migrations(), now);
  if (std::find(applied.begin(), applied.end(), kCustomerMatchKeysMigration) != applied.end()) {
    std::lock_guard lock(db_.mutex());
    db_.exec("BEGIN IMMEDIATE");
    try {
      backfill_customer_match_keys(db_);
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  }
  max_readers_ = db_.wal() ? std::max(0, readers) : 0;
}

SqliteStore::~SqliteStore() {
  std::lock_guard lock(pool_mutex_);
  idle_.clear();
  readers_.clear();  // before db_ (declared earlier) closes; readers never outlive the store
}

Db* SqliteStore::lease_reader() {
  std::unique_lock lock(pool_mutex_);
  if (idle_.empty() && static_cast<int>(readers_.size()) < max_readers_) {
    readers_.push_back(std::make_unique<Db>(path_, Db::Access::ReadOnly));
    return readers_.back().get();
  }
  pool_cv_.wait(lock, [&] { return !idle_.empty(); });
  Db* r = idle_.back();
  idle_.pop_back();
  return r;
}

void SqliteStore::open_readers() {
  std::lock_guard lock(pool_mutex_);
  while (static_cast<int>(readers_.size()) < max_readers_) {
    readers_.push_back(std::make_unique<Db>(path_, Db::Access::ReadOnly));
    idle_.push_back(readers_.back().get());
  }
}

void SqliteStore::return_reader(Db* reader) {
  reader->quiesce();  // no statement or transaction may pin an old snapshot for the next lessee
  {
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(reader);
  }
  pool_cv_.notify_one();
}

bool SqliteStore::in_write_tx() const {
  const ScopeFrame* f = innermost(this);
  return f && (f->kind == ScopeKind::WriterOuter || f->kind == ScopeKind::WriterNested);
}

template <class F>
auto SqliteStore::reading(F&& f) {
  if (db_.routed()) {
    if (db_.routed_to()) return f();          // inside store.read: its snapshot
    std::lock_guard lock(db_.mutex());        // inside a write scope: already ours (recursive)
    return f();
  }
  if (max_readers_ == 0) {
    std::lock_guard lock(db_.mutex());
    return f();
  }
  ReadLease lease(*this);
  return f();
}

template <class F>
auto SqliteStore::writing(F&& f) {
  std::lock_guard lock(db_.mutex());
  Db::Route to_writer(db_, nullptr);  // even when called (wrongly) inside store.read
  return f();
}

void SqliteStore::begin(bool write) {
  const ScopeFrame* outer = innermost(this);
  const bool in_writer = outer && (outer->kind == ScopeKind::WriterOuter || outer->kind == ScopeKind::WriterNested);
  const bool in_reader = outer && !in_writer;
  if (!write && in_reader) {
    Db* reader = outer->reader;  // before push_back: it may move the frames `outer` points into
    t_scopes.push_back({this, ScopeKind::ReaderNested, reader});
    db_.push_route(reader);
    return;
  }
  if (!write && !in_writer && max_readers_ > 0) {
    Db* reader = lease_reader();
    try {
      reader->cached("BEGIN").run();  // a cached statement: exec() would parse and plan it on every pull
    } catch (...) {
      return_reader(reader);
      throw;
    }
    t_scopes.push_back({this, ScopeKind::ReaderOuter, reader});
    db_.push_route(reader);
    return;
  }
  // The writer: a write transaction, a scope nested in one, or (no pool) any read.
  db_.mutex().lock();
  db_.push_route(nullptr);
  try {
    if (depth_ == 0) {
      if (write) db_.cached("BEGIN IMMEDIATE").run();
      else db_.cached("BEGIN").run();
      seq_loaded_ = false;
    } else {
      db_.exec("SAVEPOINT sp" + std::to_string(depth_));
    }
  } catch (...) {
    Db::pop_route();
    db_.mutex().unlock();
    throw;
  }
  t_scopes.push_back({this, depth_ == 0 ? ScopeKind::WriterOuter : ScopeKind::WriterNested, nullptr});
  ++depth_;
}

void SqliteStore::commit() {
  ScopeFrame f = *innermost(this);
  switch (f.kind) {
    case ScopeKind::ReaderNested:
      break;
    case ScopeKind::ReaderOuter:
      f.reader->cached("COMMIT").run();  // if this throws, rollback() (the caller's catch) cleans up
      Db::pop_route();
      t_scopes.pop_back();
      return_reader(f.reader);
      return;
    case ScopeKind::WriterOuter:
    case ScopeKind::WriterNested: {
      // Leave the frame in place if this throws: the caller's catch calls rollback().
      if (depth_ == 1) {
        if (seq_loaded_)
          db_.cached("UPDATE server_seq SET value = ? WHERE id = 1").bind(1, seq_).run();
        db_.cached("COMMIT").run();
        seq_loaded_ = false;
      } else {
        db_.exec("RELEASE sp" + std::to_string(depth_ - 1));
      }
      --depth_;
      Db::pop_route();
      t_scopes.pop_back();
      db_.mutex().unlock();
      return;
    }
  }
  Db::pop_route();
  t_scopes.pop_back();
}

void SqliteStore::rollback() {
  ScopeFrame f = *innermost(this);
  switch (f.kind) {
    case ScopeKind::ReaderNested:
      Db::pop_route();
      t_scopes.pop_back();
      return;
    case ScopeKind::ReaderOuter:
      Db::pop_route();
      t_scopes.pop_back();
      return_reader(f.reader);  // quiesce() ends the read transaction
      return;
    case ScopeKind::WriterOuter:
    case ScopeKind::WriterNested:
      --depth_;
      try {
        if (depth_ == 0) {
          seq_loaded_ = false;  // the counter's increments are rolled back with everything else
          if (!sqlite3_get_autocommit(db_.raw())) db_.exec("ROLLBACK");
        } else {
          // Sequence numbers taken inside the savepoint stay consumed: a gap, never a reuse.
          db_.exec("ROLLBACK TO sp" + std::to_string(depth_) + "; RELEASE sp" + std::to_string(depth_));
        }
      } catch (...) {
        // Nothing sensible left to do; the connection stays usable after a failed ROLLBACK.
      }
      Db::pop_route();
      t_scopes.pop_back();
      db_.mutex().unlock();
      return;
  }
}

int SqliteStore::schema_version() {
  return reading([&]() -> int {
    auto& st = db_.cached("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    st.step();
    int v = static_cast<int>(st.col_int(0));
    st.reset();  // an unfinished statement would keep this connection's implicit transaction open
    return v;
  });
}

std::vector<Team> SqliteStore::list_teams() {
  return reading([&]() -> std::vector<Team> {
    std::vector<Team> out;
    auto& st = db_.cached("SELECT id, name, region, manager_id FROM teams ORDER BY name, id");
    while (st.step()) out.push_back({st.col_text(0), st.col_text(1), st.col_text(2), st.col_text(3)});
    return out;
  });
}

std::optional<Team> SqliteStore::find_team(const Id& id) {
  return reading([&]() -> std::optional<Team> {
    auto& st = db_.cached("SELECT id, name, region, manager_id FROM teams WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    Team t{st.col_text(0), st.col_text(1), st.col_text(2), st.col_text(3)};
    st.reset();
    return t;
  });
}

void SqliteStore::put_team(const Team& t) {
  return writing([&]() {
    db_.cached(
           "INSERT INTO teams(id, name, region, manager_id) VALUES (?, ?, ?, ?) "
           "ON CONFLICT(id) DO UPDATE SET name = excluded.name, region = excluded.region, "
           "manager_id = excluded.manager_id")
        .bind_all(t.id, t.name, t.region, t.manager_id)
        .run();
  });
}

std::optional<StoredUser> SqliteStore::find_user(const Id& id) {
  return reading([&]() -> std::optional<StoredUser> {
    auto& st = db_.cached("SELECT " CL_USER_COLS " FROM users WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    auto u = read_user(st);
    st.reset();
    return u;
  });
}

std::optional<StoredUser> SqliteStore::find_user_by_username(const std::string& username) {
  return reading([&]() -> std::optional<StoredUser> {
    auto& st = db_.cached("SELECT " CL_USER_COLS " FROM users WHERE username = ?");
    st.bind(1, username);
    if (!st.step()) return std::nullopt;
    auto u = read_user(st);
    st.reset();
    return u;
  });
}

std::vector<User> SqliteStore::list_users() {
  return reading([&]() -> std::vector<User> {
    std::vector<User> out;
    auto& st = db_.cached("SELECT " CL_USER_COLS " FROM users ORDER BY username");
    while (st.step()) out.push_back(read_user(st).user);
    return out;
  });
}

std::int64_t SqliteStore::count_users() {
  return reading([&]() -> std::int64_t {
    auto& st = db_.cached("SELECT COUNT(*) FROM users");
    st.step();
    auto n = st.col_int(0);
    st.reset();
    return n;
  });
}

void SqliteStore::insert_user(const User& u, const std::string& password_hash) {
  return writing([&]() {
    auto& st = db_.cached(
        "INSERT INTO users(id, username, display_name, role, team_id, phone, email, active, password_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind_all(u.id, u.username, u.display_name, role_text(u.role));
    bind_team_id(st, 5, u.team_id);
    st.bind(6, u.phone).bind(7, u.email).bind(8, u.active).bind(9, password_hash);
    st.run();
  });
}

void SqliteStore::update_user(const User& u) {
  return writing([&]() {
    auto& st = db_.cached(
        "UPDATE users SET username = ?, display_name = ?, role = ?, team_id = ?, phone = ?, email = ?, "
        "active = ? WHERE id = ?");
    st.bind_all(u.username, u.display_name, role_text(u.role));
    bind_team_id(st, 4, u.team_id);
    st.bind(5, u.phone).bind(6, u.email).bind(7, u.active).bind(8, u.id);
    st.run();
  });
}

void SqliteStore::set_password_hash(const Id& user_id, const std::string& hash) {
  return writing([&]() {
    db_.cached("UPDATE users SET password_hash = ? WHERE id = ?").bind_all(hash, user_id).run();
  });
}

void SqliteStore::insert_session(const SessionRow& s) {
  return writing([&]() {
    db_.cached(
           "INSERT INTO sessions(token_hash, user_id, created_at, expires_at, revoked_at, client_info, address) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind_all(s.token_hash, s.user_id, s.created_at, s.expires_at, s.revoked_at, s.client_info, s.address)
        .run();
  });
}

std::optional<SessionRow> SqliteStore::find_session(const std::string& token_hash) {
  return reading([&]() -> std::optional<SessionRow> {
    auto& st = db_.cached(
        "SELECT token_hash, user_id, created_at, expires_at, revoked_at, client_info, address "
        "FROM sessions WHERE token_hash = ?");
    st.bind(1, token_hash);
    if (!st.step()) return std::nullopt;
    SessionRow s{st.col_text(0), st.col_text(1), st.col_int(2), st.col_int(3),
                 st.col_int(4), st.col_text(5), st.col_text(6)};
    st.reset();
    return s;
  });
}

std::optional<StoredUser> SqliteStore::find_session_user(const std::string& token_hash, Instant now) {
  return reading([&]() -> std::optional<StoredUser> {
    // One read (one pool lease) instead of the session, then the user.
    auto& st = db_.cached(
        "SELECT u.id, u.username, u.display_name, u.role, COALESCE(u.team_id, ''), u.phone, u.email, u.active, "
        "u.password_hash FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ? AND s.revoked_at = 0 AND s.expires_at > ?");
    st.bind_static(1, token_hash).bind(2, now);
    if (!st.step()) return std::nullopt;
    auto u = read_user(st);
    st.reset();
    return u;
  });
}

void SqliteStore::revoke_session(const std::string& token_hash, Instant at) {
  return writing([&]() {
    db_.cached("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at = 0")
        .bind_all(at, token_hash)
        .run();
  });
}

void SqliteStore::revoke_user_sessions(const Id& user_id, Instant at) {
  return writing([&]() {
    db_.cached("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0")
        .bind_all(at, user_id)
        .run();
  });
}

void SqliteStore::record_login_attempt(const std::string& username, const std::string& address, Instant at,
                                       bool success) {
  return writing([&]() {
    db_.cached("INSERT INTO login_attempts(username, address, at, success) VALUES (?, ?, ?, ?)")
        .bind_all(username, address, at, success)
        .run();
  });
}

FailureWindow SqliteStore::account_failures(const std::string& username, Instant since) {
  return reading([&]() -> FailureWindow {
    auto& st = db_.cached(
        "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts "
        "WHERE username = ? AND at >= ? AND success = 0 AND cleared = 0");
    st.bind_all(username, since);
    st.step();
    FailureWindow w{static_cast<int>(st.col_int(0)), st.col_int(1)};
    st.reset();
    return w;
  });
}

FailureWindow SqliteStore::address_failures(const std::string& address, Instant since) {
  return reading([&]() -> FailureWindow {
    auto& st = db_.cached(
        "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts WHERE address = ? AND at >= ? AND success = 0");
    st.bind_all(address, since);
    st.step();
    FailureWindow w{static_cast<int>(st.col_int(0)), st.col_int(1)};
    st.reset();
    return w;
  });
}

void SqliteStore::clear_account_failures(const std::string& username) {
  return writing([&]() {
    // Only the per-account counter resets on success; the per-address history stays, so one good
    // account cannot be used to launder guesses against others from the same address.
    db_.cached("UPDATE login_attempts SET cleared = 1 WHERE username = ? AND success = 0 AND cleared = 0")
        .bind(1, username)
        .run();
  });
}

std::int64_t SqliteStore::purge_auth_history(Instant sessions_before, Instant attempts_before) {
  return writing([&]() -> std::int64_t {
    db_.cached("DELETE FROM sessions WHERE expires_at < ? OR (revoked_at != 0 AND revoked_at < ?)")
        .bind_all(sessions_before, sessions_before)
        .run();
    std::int64_t n = db_.changes();
    db_.cached("DELETE FROM login_attempts WHERE at < ?").bind(1, attempts_before).run();
    return n + db_.changes();
  });
}

int SqliteStore::device_number(const std::string& client_id, const Id& user_id, Instant now) {
  return writing([&]() -> int {
    auto& find = db_.cached("SELECT device_no FROM devices WHERE client_id = ?");
    find.bind(1, client_id);
    if (find.step()) {
      int n = static_cast<int>(find.col_int(0));
      find.reset();
      return n;
    }
    find.reset();
    db_.cached(
           "INSERT INTO devices(client_id, device_no, user_id, created_at) "
           "VALUES (?, (SELECT COALESCE(MAX(device_no), 0) + 1 FROM devices), ?, ?)")
        .bind_all(client_id, user_id, now)
        .run();
    auto& again = db_.cached("SELECT device_no FROM devices WHERE client_id = ?");
    again.bind(1, client_id);
    again.step();
    int n = static_cast<int>(again.col_int(0));
    again.reset();
    return n;
  });
}

// One integer from a statement that returns exactly one row (the server sequence counter).
static std::int64_t single_int(Db& db, const char* sql) {
  auto& st = db.cached(sql);
  st.step();
  auto v = st.col_int(0);
  st.reset();
  return v;
}

std::int64_t SqliteStore::next_seq() {
  return writing([&]() -> std::int64_t {
    // Outside a transaction: one atomic statement.
    if (depth_ == 0) return single_int(db_, "UPDATE server_seq SET value = value + 1 WHERE id = 1 RETURNING value");
    // Inside the write transaction (we hold the writer, so depth_ > 0 is ours): the counter is read
    // once, counted in memory, and written back by commit() before COMMIT — same transaction, one
    // UPDATE per push instead of one per record. Nothing reads server_seq behind the store's back.
    if (!seq_loaded_) {
      seq_ = single_int(db_, "SELECT value FROM server_seq WHERE id = 1");
      seq_loaded_ = true;
    }
    return ++seq_;
  });
}

std::int64_t SqliteStore::current_seq() {
  return reading([&]() -> std::int64_t {
    if (in_write_tx() && seq_loaded_) return seq_;  // this transaction's own, not yet written back
    return single_int(db_, "SELECT value FROM server_seq WHERE id = 1");
  });
}

std::optional<RecordRow> SqliteStore::get_record(const std::string& type, const Id& id) {
  return reading([&]() -> std::optional<RecordRow> {
    auto& st = db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE type = ? AND id = ?");
    st.bind_static(1, type).bind_static(2, id);  // both outlive the step; the next use resets
    if (!st.step()) return std::nullopt;
    auto r = read_record(st);
    st.reset();
    return r;
  });
}

// The columns every record write stores; the conflict clause is the caller's.
#define CL_RECORD_INSERT                                                                          \
  "INSERT INTO records(type, id, owner_id, team_id, region, seq, version, deleted, body, updated_at) " \
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(type, id) "

namespace {
// The row outlives run() and the next use resets the statement: no copies of the texts.
void bind_record(Stmt& st, const RecordRow& r) {
  st.bind_static(1, r.type).bind_static(2, r.id).bind_static(3, r.owner_id).bind_static(4, r.team_id)
      .bind_static(5, r.region).bind(6, r.seq).bind(7, r.version).bind(8, r.deleted).bind_static(9, r.body)
      .bind(10, r.updated_at);
}
}  // namespace

// Customers and catalog rows carry derived rows (match keys, catalog_state) that must change with the
// record, in the same transaction.
void SqliteStore::write_derived_rows(const RecordRow& r) {
  if (r.type == "customer" && !r.match_fields_unchanged) write_customer_match_keys(db_, r.id, r.deleted, r.body, r.parsed);  // R5
  if (is_shared_catalog_type(r.type)) note_catalog_write(db_, r.seq);                          // catalog_scope.h
}

void SqliteStore::put_record(const RecordRow& r) {
  return writing([&]() {
    // A caller outside a transaction gets one savepoint around the record and its derived rows.
    const bool derived = r.type == "customer" || is_shared_catalog_type(r.type);
    const bool own_savepoint = derived && !db_.in_transaction();
    if (own_savepoint) db_.exec("SAVEPOINT put_record");
    try {
      auto& st = db_.cached(CL_RECORD_INSERT
                            "DO UPDATE SET "
                            "owner_id = excluded.owner_id, team_id = excluded.team_id, region = excluded.region, "
                            "seq = excluded.seq, version = excluded.version, deleted = excluded.deleted, body = excluded.body, "
                            "updated_at = excluded.updated_at");
      bind_record(st, r);
      st.run();
      write_derived_rows(r);
    } catch (...) {
      if (own_savepoint) db_.exec("ROLLBACK TO put_record; RELEASE put_record");
      throw;
    }
    if (own_savepoint) db_.exec("RELEASE put_record");
  });
}

bool SqliteStore::insert_new_record(RecordRow& r) {
  return writing([&]() -> bool {
    // Inside store.transaction the seq counter is this transaction's, in memory (next_seq), and a seq
    // that found the key taken is handed back. Outside, next_seq is a statement of its own: a savepoint
    // takes it back with the insert.
    const bool own_savepoint = depth_ == 0;
    if (own_savepoint) db_.exec("SAVEPOINT insert_new_record");
    try {
      r.seq = next_seq();
      auto& st = db_.cached(CL_RECORD_INSERT "DO NOTHING");
      bind_record(st, r);
      st.run();
      if (db_.changes() == 0) {  // (type, id) is taken: nothing was written
        if (own_savepoint) db_.exec("ROLLBACK TO insert_new_record; RELEASE insert_new_record");
        else --seq_;
        return false;
      }
      write_derived_rows(r);
    } catch (...) {
      if (own_savepoint) db_.exec("ROLLBACK TO insert_new_record; RELEASE insert_new_record");
      throw;
    }
    if (own_savepoint) db_.exec("RELEASE insert_new_record");
    return true;
  });
}

std::vector<RecordRow> SqliteStore::records_since(const Scope& scope, std::int64_t after_seq, int limit) {
  return reading([&]() -> std::vector<RecordRow> {
    std::vector<RecordRow> out;
    Stmt* st = nullptr;
    switch (scope.kind) {
      case Scope::Kind::All:
        st = &db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE seq > ? ORDER BY seq LIMIT ?");
        st->bind_all(after_seq, limit);
        break;
      case Scope::Kind::Team:
        st = &db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE seq > ? AND team_id = ? ORDER BY seq LIMIT ?");
        st->bind_all(after_seq, scope.team_id, limit);
        break;
      case Scope::Kind::Own:
        st = &db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE seq > ? AND owner_id = ? ORDER BY seq LIMIT ?");
        st->bind_all(after_seq, scope.user_id, limit);
        break;
    }
    while (st->step()) out.push_back(read_record(*st));
    return out;
  });
}

std::vector<RecordRow> SqliteStore::records_of_type(const std::string& type, const Scope& scope) {
  return reading([&]() -> std::vector<RecordRow> {
    std::vector<RecordRow> out;
    Stmt* st = nullptr;
    switch (scope.kind) {
      case Scope::Kind::All:
        st = &db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE type = ? AND deleted = 0 ORDER BY seq");
        st->bind_all(type);
        break;
      case Scope::Kind::Team:
        st = &db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE type = ? AND deleted = 0 AND team_id = ? ORDER BY seq");
        st->bind_all(type, scope.team_id);
        break;
      case Scope::Kind::Own:
        st = &db_.cached("SELECT " CL_RECORD_COLS " FROM records WHERE type = ? AND deleted = 0 AND owner_id = ? ORDER BY seq");
        st->bind_all(type, scope.user_id);
        break;
    }
    while (st->step()) out.push_back(read_record(*st));
    return out;
  });
}

void SqliteStore::append_audit(const AuditEvent& e) {
  return writing([&]() {
    // [{"after":…,"before":…,"field":…}, …] and ["<sha256>", …]: the text nlohmann wrote for the same
    // arrays (keys in its sorted order), without building them as json values first (every audited
    // sync change comes through here).
    std::string changes = "[";
    for (const auto& c : e.changes) {
      if (changes.size() > 1) changes += ',';
      changes += "{\"after\":";
      append_json_string(changes, c.after);
      changes += ",\"before\":";
      append_json_string(changes, c.before);
      changes += ",\"field\":";
      append_json_string(changes, c.field);
      changes += '}';
    }
    changes += ']';
    std::string evidence = "[";
    for (const auto& sha : e.evidence_sha256) {
      if (evidence.size() > 1) evidence += ',';
      append_json_string(evidence, sha);
    }
    evidence += ']';
    db_.cached(
           "INSERT INTO audit_events(id, at, actor_id, entity_type, entity_id, action, changes, evidence) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_static(1, e.id).bind(2, e.at).bind_static(3, e.actor_id).bind_static(4, e.entity_type)
        .bind_static(5, e.entity_id).bind_static(6, e.action).bind_static(7, changes).bind_static(8, evidence)
        .run();
  });
}

void SqliteStore::backup_to(const std::string& path) {
  std::lock_guard lock(db_.mutex());
  sqlite3* dest = nullptr;
  int rc = sqlite3_open(path.c_str(), &dest);
  if (rc != SQLITE_OK) {
    std::string msg = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close(dest);
    throw DbError(rc, "backup: open " + path + ": " + msg);
  }
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", db_.raw(), "main");
  if (!b) {
    std::string msg = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    throw DbError(SQLITE_ERROR, "backup: " + msg);
  }
  // Copy in steps so a large database doesn't hold the lock in one piece (other processes'
  // writers would otherwise wait); within this process the mutex serialises anyway.
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  int final_rc = sqlite3_errcode(dest);
  sqlite3_close(dest);
  if (rc != SQLITE_DONE) throw DbError(rc, "backup: " + std::string(sqlite3_errstr(rc)));
  (void)final_rc;
}

std::vector<std::string> SqliteStore::check() {
  return reading([&]() -> std::vector<std::string> {
    std::vector<std::string> problems;
    {
      auto st = db_.prepare("PRAGMA integrity_check");
      while (st.step()) {
        auto line = st.col_text(0);
        if (line != "ok") problems.push_back("integrity: " + line);
      }
    }
    {
      auto st = db_.prepare("PRAGMA foreign_key_check");
      while (st.step())
        problems.push_back("foreign key: table " + st.col_text(0) + " rowid " + std::to_string(st.col_int(1)) +
                           " -> " + st.col_text(2));
    }
    return problems;
  });
}

}  // namespace cl::server
