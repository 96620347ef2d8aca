// Push and pull (sync_service.h). Replicache's rule, kept to the letter (SYNC.md §3–5): mids ≤ last_mid
// are skipped, every processed mutation — applied or rejected — advances last_mid in the same
// transaction as its effects, and every committed change gets the next server sequence number from the
// counter inside that transaction, so a pull cursor (a sequence, never a timestamp) misses nothing.
#include "server/sync_service.h"

#include <algorithm>
#include <limits>

#include "core/codec.h"
#include "core/settings.h"
#include "server/catalog_scope.h"
#include "server/db.h"
#include "server/ids.h"
#include "server/json_text.h"
#include "server/push_lane.h"
#include "server/push_record_cache.h"
#include "server/scope.h"
#include "server/store.h"
#include "server/sync_rules_view.h"
#include "core/ids.h"
#include "sync/mutations.h"

namespace cl::server {

namespace {

using sync::Json;

constexpr int kMaxPullLimit = 5000;
constexpr int kMaxMutationsPerPush = 5000;
constexpr std::size_t kMaxClientIdLength = 128;

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url(const std::string& in) {
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(buf >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kB64[(buf << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string> b64url_decode(const std::string& in) {
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    const char* p = std::char_traits<char>::find(kB64, 64, c);
    if (!p) return std::nullopt;
    buf = (buf << 6) | static_cast<std::uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

SyncError error(int status, std::string_view code, std::string message, Problems fields = {}) {
  return SyncError{status, std::string(code), std::move(message), std::move(fields)};
}

std::string region_of(const sync::StoredRecord& w) {
  if (w.type == sync::kTypeCustomer && w.data.contains("tags") && w.data["tags"].is_object()) {
    const auto& tags = w.data["tags"];
    if (tags.contains("region") && tags["region"].is_string()) return tags["region"].get<std::string>();
  }
  if (w.type == sync::kTypeLead && w.data.contains("region") && w.data["region"].is_string())
    return w.data["region"].get<std::string>();
  return {};
}

Json problems_json(const Problems& ps) {
  Json a = Json::array();
  for (const auto& p : ps) a.push_back(sync::problem_to_json(p));
  return a;
}

Problems problems_from(const std::string& text) {
  Problems out;
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& pj : j) {
    auto p = sync::problem_from_json(pj);
    if (p.ok()) out.push_back(p.value);
  }
  return out;
}

// A pull page as the wire needs it (type, id, seq, version, deleted, body): the hot path of 200 tablets
// pulling at once, so no owner/team/region/updated_at strings are copied per row. Same filter and order
// as SqliteStore::records_since.
std::vector<RecordRow> page_since(Db& db, const Scope& scope, std::int64_t after_seq, int limit) {
  Stmt* st = nullptr;
  switch (scope.kind) {
    case Scope::Kind::All:
      st = &db.cached("SELECT type, id, seq, version, deleted, body FROM records WHERE seq > ? ORDER BY seq LIMIT ?");
      st->bind_all(after_seq, limit);
      break;
    case Scope::Kind::Team:
      st = &db.cached("SELECT type, id, seq, version, deleted, body FROM records WHERE seq > ? AND team_id = ? ORDER BY seq LIMIT ?");
      st->bind_all(after_seq, scope.team_id, limit);
      break;
    case Scope::Kind::Own:
      st = &db.cached("SELECT type, id, seq, version, deleted, body FROM records WHERE seq > ? AND owner_id = ? ORDER BY seq LIMIT ?");
      st->bind_all(after_seq, scope.user_id, limit);
      break;
  }
  std::vector<RecordRow> out;
  out.reserve(static_cast<std::size_t>(std::min(limit, 512)));
  while (st->step()) {
    RecordRow& r = out.emplace_back();
    r.type = st->col_text(0);
    r.id = st->col_text(1);
    r.seq = st->col_int(2);
    r.version = st->col_int(3);
    r.deleted = st->col_int(4) != 0;
    r.body = st->col_text(5);
  }
  st->reset();
  return out;
}

// A tombstone's record on the wire: {"id": …} (what a deleted change carries, SYNC.md).
std::string tombstone_text(const Id& id) { return json_text(Json{{"id", id}}); }

std::int64_t read_last_mid(Db& db, const Id& user_id, const std::string& client_id) {
  auto& st = db.cached("SELECT last_mid FROM sync_clients WHERE user_id = ? AND client_id = ?");
  st.bind_all(user_id, client_id);
  std::int64_t last = st.step() ? st.col_int(0) : 0;
  st.reset();
  return last;
}

// What an audit reader needs to know about a synced change (R30): who, what, which mutation, evidence.
AuditEvent audit_event(const sync::Mutation& m, const sync::StoredRecord& w, const Id& actor, Instant now) {
  AuditEvent e;
  e.id = new_uuid_v7(now);
  e.at = now;
  e.actor_id = actor;
  e.entity_type = w.type;
  e.entity_id = w.id;
  e.action = m.name;
  if (m.name == sync::kOpportunityAdvance && m.args.contains("evidence") && m.args["evidence"].is_array())
    for (const auto& ev : m.args["evidence"])
      if (ev.is_object() && ev.contains("sha256") && ev["sha256"].is_string())
        e.evidence_sha256.push_back(ev["sha256"].get<std::string>());
  if (m.args.contains("set") && m.args["set"].is_object())
    for (const auto& [k, v] : m.args["set"].items()) e.changes.push_back(FieldChange{k, "", json_text(v)});
  return e;
}

// Thrown inside a pipelined push's transaction (rolling it back) when a create's id turned out taken
// after the rules had gone on as if it were free; the push then runs again without the helper.
struct SpeculationFailed {};

// The record a create mutation makes (its first write): the args object it comes in and its type.
struct NewRecord {
  std::string_view type;
  Id id;
};
std::optional<NewRecord> new_record_of(const sync::Mutation& m) {
  static const std::pair<std::string_view, std::pair<const char*, std::string_view>> kCreates[] = {
      {sync::kActivityLog, {"activity", sync::kTypeActivity}},
      {sync::kCustomerCreate, {"customer", sync::kTypeCustomer}},
      {sync::kOpportunityCreate, {"opportunity", sync::kTypeOpportunity}},
      {sync::kQuoteCreate, {"quote", sync::kTypeQuote}}};
  for (const auto& [name, what] : kCreates) {
    if (m.name != name) continue;
    auto rec = m.args.find(what.first);
    if (rec == m.args.end() || !rec->is_object()) return std::nullopt;
    auto id = rec->find("id");
    if (id == rec->end() || !id->is_string()) return std::nullopt;
    return NewRecord{what.second, id->get<std::string>()};
  }
  return std::nullopt;
}

}  // namespace

std::string encode_cursor(std::int64_t seq) { return b64url("cl1:" + std::to_string(seq)); }

std::optional<std::int64_t> decode_cursor(const std::string& cursor) {
  if (cursor.empty()) return 0;
  if (cursor.size() > 64) return std::nullopt;
  auto text = b64url_decode(cursor);
  if (!text || text->rfind("cl1:", 0) != 0 || text->size() == 4 || text->size() > 24) return std::nullopt;
  std::int64_t v = 0;
  for (std::size_t i = 4; i < text->size(); ++i) {
    char c = (*text)[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

Settings sync_settings(ServerContext& ctx) {
  auto row = ctx.store.get_record("settings", "global");
  if (row && !row->deleted) {
    auto s = decode_text<Settings>(row->body);
    if (s.ok()) return s.value;
  }
  return cl::default_settings();  // core/settings.h: the seed defaults (R4, R9, R10)
}

SyncOutcome<sync::PushResponse> SyncService::push(const User& user, const sync::PushRequest& req) {
  if (!sync::schema_version_supported(req.schema_version))
    return {std::nullopt, error(400, sync::kErrSchemaUnsupported,
                                "schema_version " + std::to_string(req.schema_version) + " is not supported; update the app")};
  if (req.client_id.empty() || req.client_id.size() > kMaxClientIdLength)
    return {std::nullopt, error(400, sync::kErrBadRequest, "client_id must be 1-128 characters")};
  if (req.mutations.size() > static_cast<std::size_t>(kMaxMutationsPerPush))
    return {std::nullopt, error(413, "too_many_mutations", "at most 5000 mutations per push")};
  if (!ctx_.db) return {std::nullopt, error(503, "unavailable", "sync store unavailable")};
  try {
    const Instant now = ctx_.now();
    const std::size_t min = ctx_.config.push_pipeline_min;
    const bool pipelined = min > 0 && req.mutations.size() >= min;
    if (pipelined) ++push_counts_.pipelined;
    try {
      return {push_in_transaction(user, req, now, pipelined), std::nullopt};
    } catch (const SpeculationFailed&) {
      // A create's id was taken after all: the whole batch runs again, rolled back, one thread.
      ++push_counts_.replayed;
      return {push_in_transaction(user, req, now, false), std::nullopt};
    }
  } catch (const DbError& e) {
    // Transient (busy, I/O, disk full): nothing was committed; the client retries with backoff.
    return {std::nullopt, error(503, "unavailable", std::string("storage unavailable, retry later: ") + e.what())};
  }
}

sync::PushResponse SyncService::push_in_transaction(const User& user, const sync::PushRequest& req, Instant now,
                                                    bool pipelined) {
  const sync::Actor actor{user.id, user.role, user.team_id};
  return ctx_.store.transaction([&]() -> sync::PushResponse {
    Db& db = *ctx_.db;
    const std::shared_ptr<const Settings> settings = settings_.get(ctx_.store);  // decoded once per stored version
    std::int64_t last = read_last_mid(db, user.id, req.client_id);
    // Pipelined, the rules (and everything below that is not a job) run on push_helper_; the jobs given to
    // lane.post and lane.call run here, on the transaction's thread, in the order they were given.
    DirectLane direct;
    PipelinedLane piped;
    PushLane& lane = pipelined ? static_cast<PushLane&>(piped) : direct;
    PushRecordCache view(ctx_.store, ctx_.db, lane);
    const SyncRulesView rules(view, ctx_.store, db, lane, user.id, req.client_id);  // R5/R33 checks a replica can't make
    sync::PushResponse out;
    bool id_taken = false;  // pipelined: a create's insert found its id taken (written by a job)

    auto apply = [&](const sync::Mutation& m) {
      Result<sync::MutationOutcome> applied;
      try {
        applied = sync::apply_mutation(m, actor, rules, *settings, now);
      } catch (const DbError&) {
        throw;  // storage, not the mutation: the push fails whole (503) and the client retries it
      } catch (const std::exception& e) {
        // A poison mutation must never block the outbox behind it (SYNC.md): reject and advance.
        applied.problems = {Problem{"internal_error", "", "服务器无法处理该操作", std::string("cannot apply: ") + e.what()}};
      }
      return applied;
    };
    // Stores an applied mutation's writes. With `fresh`, the first write must be that new record, and
    // it is inserted only if its key is free: false = taken (or not the first write), nothing written.
    // Pipelined, the insert runs later: the rules go on as if it succeeded, and if it did not, the job
    // stops the lane and the batch runs again without the helper (SpeculationFailed).
    auto write = [&](const sync::Mutation& m, sync::MutationOutcome& outcome, const NewRecord* fresh) -> bool {
      if (fresh && (outcome.writes.empty() || outcome.writes[0].type != fresh->type || outcome.writes[0].id != fresh->id))
        return false;
      for (std::size_t i = 0; i < outcome.writes.size(); ++i) {
        sync::StoredRecord& w = outcome.writes[i];
        const bool insert_only = fresh && i == 0;
        auto before = insert_only ? std::optional<std::pair<Id, Id>>() : view.owner_and_team(w.type, w.id);
        // An unowned record (an unassigned lead) keeps its team: there is no owner to take one from.
        const Id team = w.owner_id.empty() && before ? before->second : view.team_of(w.owner_id);
        if (before && (before->first != w.owner_id || before->second != team)) {
          // R33: the old owner and team must learn the record left their scope.
          lane.post([this, &db, type = w.type, id = w.id, old = *before] {
            db.cached("INSERT INTO sync_scope_exits(seq, type, id, old_owner_id, old_team_id) VALUES (?, ?, ?, ?, ?)")
                .bind_all(ctx_.store.next_seq(), type, id, old.first, old.second)
                .run();
          });
        }
        RecordRow row;
        row.type = w.type;
        row.id = w.id;
        row.owner_id = w.owner_id;
        row.team_id = team;
        row.region = region_of(w);
        row.version = w.version;
        row.deleted = w.deleted;
        // = dump(-1, ' ', false, replace), without nlohmann's per-character writer; a record the rules
        // wrote as text (store_for, keeps_text) is stored as it came.
        row.body = w.data.is_null() ? std::move(w.text) : json_text(w.data);
        row.updated_at = now;
        // The tree saves the store a parse of the body for a customer's match keys; a queued write
        // runs after view.wrote has taken the tree, so it parses the body instead.
        row.parsed = pipelined ? nullptr : &w.data;
        row.match_fields_unchanged = view.match_fields_unchanged(w);
        if (insert_only && !pipelined) {
          if (!ctx_.store.insert_new_record(row)) return false;  // the first write: nothing else written yet
        } else if (insert_only) {
          lane.post([this, &piped, &id_taken, row = std::move(row)]() mutable {
            if (!ctx_.store.insert_new_record(row)) {
              id_taken = true;
              piped.stop();
            }
          });
        } else {
          lane.post([this, row = std::move(row)]() mutable {
            row.seq = ctx_.store.next_seq();
            ctx_.store.put_record(row);
          });
        }
        if (m.name != sync::kActivityLog)
          lane.post([this, e = audit_event(m, w, user.id, now)] { ctx_.store.append_audit(e); });
        view.wrote(std::move(w), team);  // last use of w: the batch cache takes it without a deep copy
      }
      return true;
    };

    auto run_batch = [&] {
      for (const auto& m : req.mutations) {
        if (lane.stopped()) return;  // pipelined: the batch runs again (or fails); the rest is moot
        sync::PushResult r;
        r.mid = m.mid;
        if (m.mid <= last) {
          r.status = sync::PushStatus::Skipped;  // already processed: a replay applies nothing
          out.results.push_back(std::move(r));
          continue;
        }
        Result<sync::MutationOutcome> applied;
        bool written = false;
        if (!sync::schema_version_supported(m.schema_version)) {
          applied.problems = {Problem{std::string(sync::kErrSchemaUnsupported), "schema_version",
                                      "该操作来自不再支持的版本", "This mutation comes from an unsupported app version"}};
        } else if (const auto fresh = new_record_of(m)) {
          // The record a create makes is assumed new instead of looked up (most are: ids are minted on
          // the device), and the insert's primary key checks it. A taken id, or any refusal, runs the
          // rules again with the look-up, so the answer is always the one they give without the shortcut.
          view.assume_absent(fresh->type, fresh->id);
          applied = apply(m);
          view.stop_assuming();
          written = applied.ok() && write(m, applied.value, &*fresh);
          if (!written) applied = apply(m);
        } else {
          applied = apply(m);
        }
        if (!applied.ok()) {
          r.status = sync::PushStatus::Rejected;
          r.problems = applied.problems;
          lane.post([&db, &user, &req, mid = m.mid, name = m.name,
                     args = m.args.dump(-1, ' ', false, Json::error_handler_t::replace),
                     problems = problems_json(r.problems).dump(), now] {
            db.cached("INSERT OR REPLACE INTO sync_rejections(user_id, client_id, mid, name, args, problems, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind_all(user.id, req.client_id, mid, name, args, problems, now)
                .run();
          });
        } else {
          if (!written) write(m, applied.value, nullptr);
          for (const auto& c : applied.value.conflicts)
            lane.post([&db, &user, &req, mid = m.mid, body = sync::to_json(c).dump(), now] {
              db.cached("INSERT INTO sync_conflicts(user_id, client_id, mid, body, at) VALUES (?, ?, ?, ?, ?)")
                  .bind_all(user.id, req.client_id, mid, body, now)
                  .run();
            });
          r.status = sync::PushStatus::Applied;
          r.conflicts = applied.value.conflicts;
        }
        last = m.mid;
        out.results.push_back(std::move(r));
      }
    };

    if (pipelined) {
      push_helper_.start([&] { piped.run_helper(run_batch); });
      piped.serve();  // returns once the helper has finished and every job has run (or been skipped)
      push_helper_.join();
      piped.rethrow_error();
      if (id_taken) throw SpeculationFailed{};
    } else {
      run_batch();
    }
    db.cached(
          "INSERT INTO sync_clients(user_id, client_id, last_mid, updated_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(user_id, client_id) DO UPDATE SET last_mid = excluded.last_mid, updated_at = excluded.updated_at")
        .bind_all(user.id, req.client_id, last, now)
        .run();
    out.last_mid = last;
    return out;
  });
}

SyncOutcome<sync::PullResponse> SyncService::pull(const User& user, const sync::PullRequest& req,
                                                  std::vector<RawChange>* raw_changes) {
  if (!sync::schema_version_supported(req.schema_version))
    return {std::nullopt, error(400, sync::kErrSchemaUnsupported,
                                "schema_version " + std::to_string(req.schema_version) + " is not supported; update the app")};
  if (req.client_id.empty() || req.client_id.size() > kMaxClientIdLength)
    return {std::nullopt, error(400, sync::kErrBadRequest, "client_id must be 1-128 characters")};
  auto after = decode_cursor(req.cursor);
  if (!after) return {std::nullopt, error(400, sync::kErrBadCursor, "the cursor is not one this server issued; pull from the start")};
  if (!ctx_.db) return {std::nullopt, error(503, "unavailable", "sync store unavailable")};
  const int limit = std::clamp(req.limit, 1, kMaxPullLimit);
  const Scope scope = scope_for(user);
  try {
    return ctx_.store.read([&]() -> SyncOutcome<sync::PullResponse> {
      Db& db = *ctx_.db;
      const std::int64_t horizon = tombstone_horizon();
      if (*after > 0 && *after < horizon)
        return {std::nullopt, error(409, sync::kErrMustRefetch, "the cursor is older than the tombstone horizon; refetch everything")};
      const std::int64_t head = ctx_.store.current_seq();
      // The raw (HTTP) path reads only what a pull sends; Store::records_since fills every column.
      auto rows = raw_changes ? page_since(db, scope, *after, limit + 1) : ctx_.store.records_since(scope, *after, limit + 1);
      // Products, price lists and settings belong to everyone (catalog_scope.h): read-only for all roles.
      // The raw (HTTP) path takes them from the shared cache as the page reaches them (below) instead of
      // copying them into `rows` first.
      std::shared_ptr<const std::vector<RecordRow>> catalog;
      std::size_t ci = 0, catalog_end = 0;
      if (scope.kind != Scope::Kind::All) {
        if (!raw_changes) {
          catalog_.merge(db, rows, *after, limit + 1);
        } else if ((catalog = catalog_.snapshot(db, *after))) {
          ci = static_cast<std::size_t>(
              std::upper_bound(catalog->begin(), catalog->end(), *after, [](std::int64_t s, const RecordRow& r) { return s < r.seq; }) -
              catalog->begin());
          catalog_end = catalog->size();
        }
      }

      // Scope exits: records that left this caller's scope since the cursor (reassigned away).
      struct Exit { std::int64_t seq; std::string type, id; };
      std::vector<Exit> exits;
      if (scope.kind != Scope::Kind::All) {
        const bool own = scope.kind == Scope::Kind::Own;
        auto& st = db.cached(own ? "SELECT seq, type, id FROM sync_scope_exits WHERE old_owner_id = ? AND seq > ? ORDER BY seq LIMIT ?"
                                 : "SELECT seq, type, id FROM sync_scope_exits WHERE old_team_id = ? AND seq > ? ORDER BY seq LIMIT ?");
        st.bind_all(own ? scope.user_id : scope.team_id, *after, limit + 1);
        while (st.step()) exits.push_back({st.col_int(0), st.col_text(1), st.col_text(2)});
        st.reset();
      }

      sync::PullResponse out;
      std::size_t ri = 0, ei = 0, taken = 0;
      std::int64_t last_seq = *after;
      if (raw_changes)
        raw_changes->reserve(std::min(rows.size() + (catalog_end - ci) + exits.size(), static_cast<std::size_t>(limit)));
      constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
      while (taken < static_cast<std::size_t>(limit) && (ri < rows.size() || ci < catalog_end || ei < exits.size())) {
        // The lowest seq of the three sources next; a scope exit goes first on a tie (as before), and a
        // catalog row that is also in `rows` (it never is: no owner, no team) is sent once.
        const std::int64_t row_seq = ri < rows.size() ? rows[ri].seq : kNone;
        const std::int64_t catalog_seq = ci < catalog_end ? (*catalog)[ci].seq : kNone;
        const bool take_exit = ei < exits.size() && exits[ei].seq <= std::min(row_seq, catalog_seq);
        if (!take_exit && catalog_seq < row_seq) {
          const RecordRow& r = (*catalog)[ci++];  // shared: copied, never moved
          last_seq = r.seq;
          ++taken;
          raw_changes->push_back(RawChange{r.type, r.id, r.deleted, r.version, r.deleted ? tombstone_text(r.id) : r.body});
          continue;
        }
        if (!take_exit) {
          if (row_seq == catalog_seq) ++ci;
          RecordRow& r = rows[ri++];  // not used again: its strings are moved out
          last_seq = r.seq;
          ++taken;
          if (raw_changes) {
            std::string record = r.deleted ? tombstone_text(r.id) : std::move(r.body);
            raw_changes->push_back(RawChange{std::move(r.type), std::move(r.id), r.deleted, r.version, std::move(record)});
            continue;
          }
          sync::Change c;
          c.type = std::move(r.type);
          c.id = std::move(r.id);
          c.deleted = r.deleted;
          c.version = r.version;
          c.record = r.deleted ? Json{{"id", c.id}} : Json::parse(r.body, nullptr, false);
          if (c.record.is_discarded()) c.record = Json{{"id", c.id}};
          out.changes.push_back(std::move(c));
        } else {
          const Exit& e = exits[ei++];
          last_seq = e.seq;
          auto now_row = ctx_.store.get_record(e.type, e.id);
          if (now_row && in_scope(scope, now_row->owner_id, now_row->team_id)) continue;  // came back: the upsert covers it
          ++taken;
          const std::int64_t version = now_row ? now_row->version : 0;
          if (raw_changes) raw_changes->push_back(RawChange{e.type, e.id, true, version, tombstone_text(e.id)});
          else out.changes.push_back(sync::Change{e.type, e.id, true, version, Json{{"id", e.id}}});
        }
      }
      out.has_more = ri < rows.size() || ci < catalog_end || ei < exits.size();
      out.cursor = encode_cursor(out.has_more ? last_seq : std::max(last_seq, head));
      out.last_mid = read_last_mid(db, user.id, req.client_id);
      {
        auto& st = db.cached("SELECT mid, name, args, problems, at FROM sync_rejections WHERE user_id = ? AND client_id = ? ORDER BY mid DESC LIMIT 100");
        st.bind_all(user.id, req.client_id);
        while (st.step()) {
          sync::Rejection rej;
          rej.mid = st.col_int(0);
          rej.name = st.col_text(1);
          rej.args = Json::parse(st.col_text(2), nullptr, false);
          if (!rej.args.is_object()) rej.args = Json::object();
          rej.problems = problems_from(st.col_text(3));
          rej.at = st.col_int(4);
          out.rejections.push_back(std::move(rej));
        }
        st.reset();
      }
      {
        auto& st = db.cached("SELECT body FROM sync_conflicts WHERE user_id = ? AND client_id = ? ORDER BY id DESC LIMIT 20");
        st.bind_all(user.id, req.client_id);
        while (st.step()) {
          auto c = sync::conflict_from_json(Json::parse(st.col_text(0), nullptr, false));
          if (c.ok()) out.conflicts.push_back(c.value);
        }
        st.reset();
      }
      return {std::move(out), std::nullopt};
    });
  } catch (const DbError& e) {
    return {std::nullopt, error(503, "unavailable", std::string("storage unavailable, retry later: ") + e.what())};
  }
}

SyncOutcome<nlohmann::json> SyncService::register_device(const User& user, const std::string& client_id) {
  if (client_id.empty() || client_id.size() > kMaxClientIdLength)
    return {std::nullopt, error(400, sync::kErrBadRequest, "client_id must be 1-128 characters")};
  try {
    return ctx_.store.transaction([&]() -> SyncOutcome<nlohmann::json> {
      Db& db = *ctx_.db;
      auto& owner = db.cached("SELECT user_id FROM devices WHERE client_id = ?");
      owner.bind(1, client_id);
      std::optional<Id> registered_to;
      if (owner.step()) registered_to = owner.col_text(0);
      owner.reset();
      // A client id belongs to the user who registered it; another user gets a 409, not its number.
      if (registered_to && *registered_to != user.id)
        return {std::nullopt, error(409, "client_id_taken", "this client_id is registered to another user; make a new one")};
      const int n = ctx_.store.device_number(client_id, user.id, ctx_.now());
      // core/ids.h: customer codes are "KH-<device_code>-<sequence>", and push re-checks the device part.
      const std::string code = cl::device_code(static_cast<std::uint32_t>(n));
      return {nlohmann::json{{"client_id", client_id}, {"device_no", n}, {"device_code", code},
                             {"customer_code_prefix", "KH-" + code + "-"}},
              std::nullopt};
    });
  } catch (const DbError& e) {
    return {std::nullopt, error(503, "unavailable", std::string("storage unavailable, retry later: ") + e.what())};
  }
}

std::int64_t SyncService::tombstone_horizon() {
  return ctx_.store.read([&]() -> std::int64_t {
    auto& st = ctx_.db->cached("SELECT value FROM sync_state WHERE key = 'tombstone_horizon'");
    std::int64_t v = st.step() ? st.col_int(0) : 0;
    st.reset();
    return v;
  });
}

std::int64_t SyncService::purge_tombstones(std::int64_t up_to_seq) {
  return ctx_.store.transaction([&]() -> std::int64_t {
    Db& db = *ctx_.db;
    db.cached("DELETE FROM records WHERE deleted = 1 AND seq <= ?").bind(1, up_to_seq).run();
    std::int64_t n = db.changes();
    db.cached("DELETE FROM sync_scope_exits WHERE seq <= ?").bind(1, up_to_seq).run();
    n += db.changes();
    db.cached("UPDATE sync_state SET value = MAX(value, ?) WHERE key = 'tombstone_horizon'").bind(1, up_to_seq).run();
    return n;
  });
}

}  // namespace cl::server
