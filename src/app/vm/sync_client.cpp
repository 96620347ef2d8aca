#include "app/vm/sync_client.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

#include "app/vm/pull_page.h"
#include "app/vm/replica_codec.h"
#include "core/version.h"
#include "sync/mutations.h"

namespace cl::app {
namespace {

constexpr Instant kNever = std::numeric_limits<Instant>::max();

bool is_success(int status) { return status >= 200 && status < 300; }
// Worth retrying: no answer, overload, server trouble. Anything else is permanent for this request.
bool is_transient(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

std::string error_code_of(const std::string& body) {
  auto j = sync::Json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("code") &&
      j["error"]["code"].is_string())
    return j["error"]["code"].get<std::string>();
  return {};
}

std::string url_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string text_arg(const sync::Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The texts of the top-level members `keys` of the JSON object `body` ("" when absent), in one pass
// (a pull page is 0.5 MB and its small members come after the changes). Strings are skipped with
// their escapes; on text that is not valid JSON the views are meaningless (callers parse it too and
// drop what they derived if the parse fails). Issue 5: a pulled page is stored as the server sent it
// — re-encoding 1,000 parsed changes only to store them cost about as much as parsing them in wasm —
// and the next page is requested from the cursor read here, before the parse.
template <std::size_t N>
std::array<std::string_view, N> raw_members(std::string_view body, const std::array<std::string_view, N>& keys) {
  std::array<std::string_view, N> found{};
  std::size_t missing = N;
  int depth = 0;
  std::size_t i = 0;
  const std::size_t n = body.size();
  auto skip_string = [&](std::size_t at) {  // at = opening quote; returns the index after the closing one
    for (std::size_t k = at + 1; k < n; ++k) {
      if (body[k] == '\\') ++k;
      else if (body[k] == '"') return k + 1;
    }
    return n;
  };
  auto skip_ws = [&](std::size_t at) {
    while (at < n && (body[at] == ' ' || body[at] == '\n' || body[at] == '\r' || body[at] == '\t')) ++at;
    return at;
  };
  while (i < n) {
    const char c = body[i];
    if (c == '"') {
      const std::size_t end = skip_string(i);
      if (depth == 1) {
        const std::size_t colon = skip_ws(end);
        const std::string_view name = body.substr(i + 1, end - i - 2);
        std::size_t which = N;
        for (std::size_t w = 0; w < N; ++w)
          if (found[w].empty() && name == keys[w]) which = w;
        if (colon < n && body[colon] == ':' && which < N) {
          const std::size_t start = skip_ws(colon + 1);
          std::size_t k = start;
          int d = 0;
          while (k < n) {
            const char v = body[k];
            if (v == '"') { k = skip_string(k); if (d == 0) break; continue; }
            if (v == '[' || v == '{') ++d;
            else if (v == ']' || v == '}') {
              if (d == 0) break;   // the object's own end after a scalar: not part of the value
              if (--d == 0) { ++k; break; }
            }
            else if (d == 0 && (v == ',')) break;
            ++k;
          }
          std::size_t stop = k;
          while (stop > start && (body[stop - 1] == ' ' || body[stop - 1] == '\n' || body[stop - 1] == '\r' || body[stop - 1] == '\t')) --stop;
          found[which] = body.substr(start, stop - start);
          if (--missing == 0) break;
          i = k;   // on at depth 1, after the value
          continue;
        }
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
    ++i;
  }
  return found;
}

// R32: a rejection comes with a way to fix it — the record to open, or the form to retry.
std::string fix_route_for(const sync::Mutation& m) {
  const auto& a = m.args;
  if (m.name == sync::kCustomerCreate) return "customers/new/retry/" + std::to_string(m.mid);
  if (m.name == sync::kCustomerUpdate) return "customers/" + text_arg(a, "id");
  if (m.name.rfind("opportunity.", 0) == 0) {
    if (a.contains("opportunity") && a["opportunity"].is_object()) return "opportunities/" + text_arg(a["opportunity"], "id");
    return "opportunities/" + text_arg(a, "id");
  }
  if (m.name == sync::kActivityLog && a.contains("activity") && a["activity"].is_object()) {
    auto c = text_arg(a["activity"], "customer_id");
    if (!c.empty()) return "customers/" + c;
  }
  return {};
}

}  // namespace

SyncClient::SyncClient(SyncClientConfig config, LocalReplica& replica, SyncTransport& transport,
                       ReplicaStorage& storage, std::function<double()> jitter)
    : config_(std::move(config)),
      replica_(replica),
      transport_(transport),
      storage_(storage),
      jitter_(std::move(jitter)),
      outbox_(config_.client_id) {
  status_.first_sync = true;
}

// --- storage -> memory ---------------------------------------------------------------------------

void SyncClient::index_page(std::int64_t key, const std::vector<PulledChange>& changes) {
  StoredPageInfo info;
  info.key = key;
  info.changes.reserve(changes.size());
  for (const auto& ch : changes) info.changes.push_back({record_hash(ch.type, ch.id), ch.deleted});
  pages_.push_back(std::move(info));
  max_page_key_ = std::max(max_page_key_, key);
}

Problems SyncClient::absorb(StoredState& state, Instant now) {
  Problems problems;
  revert_optimistic();
  bool skip_pages = false;
  if (state.all_pages) {
    replica_.clear();
    pages_.clear();
    full_reload_wanted_ = false;
    status_.snapshot_loaded = false;
    last_change_at_ = now;   // a snapshot written now would only repeat what was just read
    if (state.snapshot.empty()) {
      have_snapshot_ = false;   // none stored, or stale: the policy writes a new one
    } else if (!absorb_snapshot(state, problems)) {
      // The later pages alone would be a partial replica: show none until every page is read.
      skip_pages = true;
    }
  }
  for (const auto& page : state.pages) {
    if (skip_pages) break;
    if (!state.all_pages && page.key <= max_page_key_) continue;  // already applied
    // Streamed straight into records (pull_page.h), or through the DOM when that path declines.
    auto decoded = decode_stored_changes(page.changes_json);
    problems.insert(problems.end(), decoded.problems.begin(), decoded.problems.end());
    if (!decoded.problems.empty() && decoded.problems.front().code == "invalid_json") continue;   // not an array
    for (auto& ch : decoded.value) {
      auto p = apply_pulled(replica_, ch);
      problems.insert(problems.end(), p.begin(), p.end());
    }
    index_page(page.key, decoded.value);
  }
  page_generation_ = state.page_generation;
  // The stored cursor matches the stored pages. The syncing tab keeps its own when it only read the
  // newer pages: its cursor may be ahead after an empty poll, which writes no page.
  if (state.all_pages || !leader_) {
    cursor_ = state.cursor;
    caught_up_ = state.caught_up;
  }
  last_mid_ = std::max(last_mid_, state.last_mid);

  const std::size_t pending_before = outbox_.pending_count();
  std::vector<sync::OutboxEntry> entries;
  if (!state.outbox_json.empty()) {
    auto arr = sync::Json::parse(state.outbox_json, nullptr, false);
    if (!arr.is_array()) {
      problems.push_back({"invalid_json", "outbox", "本地待同步记录损坏", "The stored outbox is corrupt"});
    } else {
      for (const auto& ej : arr) {
        auto e = sync::Outbox::entry_from_json(ej);
        if (e.ok()) entries.push_back(std::move(e.value));
        else problems.insert(problems.end(), e.problems.begin(), e.problems.end());
      }
    }
  }
  outbox_.replace_entries(std::move(entries));
  if (!state.conflicts_json.empty()) {
    std::vector<sync::Conflict> conflicts;
    auto arr = sync::Json::parse(state.conflicts_json, nullptr, false);
    if (arr.is_array())
      for (const auto& cj : arr)
        if (auto c = sync::conflict_from_json(cj); c.ok()) conflicts.push_back(c.value);
    outbox_.set_conflicts(std::move(conflicts));
  }
  auto unsaved_needs = [&](const std::string& sha) {
    for (const auto& u : unsaved_)
      for (const auto& e : u.evidence)
        if (e.sha256 == sha) return true;
    return false;
  };
  if (state.evidence_loaded) {
    evidence_ = state.evidence;
    for (const auto& u : unsaved_)
      for (const auto& e : u.evidence)
        if (std::none_of(evidence_.begin(), evidence_.end(), [&](const PendingEvidence& x) { return x.sha256 == e.sha256; }))
          evidence_.push_back(e);
  } else {
    // A following tab keeps only files still waiting in storage (the leader uploads them).
    std::erase_if(evidence_, [&](const PendingEvidence& e) {
      return !unsaved_needs(e.sha256) &&
             std::find(state.evidence_shas.begin(), state.evidence_shas.end(), e.sha256) == state.evidence_shas.end();
    });
  }
  replay_pending(now);
  // Another tab queued something: worth pushing at once, even mid-backoff.
  if (outbox_.pending_count() > pending_before) status_.next_attempt_at = std::min(status_.next_attempt_at, now);
  update_counts();
  return problems;
}

// Replaces the replica with the snapshot's records and the page index with its; false (replica
// empty, every page to be read again) when the bytes can't be trusted or don't match what the
// storage said they cover.
bool SyncClient::absorb_snapshot(StoredState& state, Problems& problems) {
  // The replica keeps the bytes its deferred activities are decoded from: no copy of them.
  auto decoded = decode_snapshot(state.snapshot, replica_, &state.snapshot);
  if (!decoded || decoded->info.page_key != state.snapshot_page_key ||
      decoded->info.page_generation != state.page_generation) {
    replica_.clear();
    problems.push_back({"snapshot_unreadable", "snapshot", "本地快照不可用，正在重新读取数据",
                        "The local snapshot is unusable; reading the stored pages again"});
    have_snapshot_ = false;
    snapshot_broken_ = true;
    full_reload_wanted_ = true;
    refresh_wanted_ = true;
    next_refresh_at_ = 0;
    return false;
  }
  pages_ = std::move(decoded->pages);
  max_page_key_ = std::max(max_page_key_, decoded->info.page_key);
  for (const auto& p : pages_) max_page_key_ = std::max(max_page_key_, p.key);
  snapshot_ = decoded->info;
  have_snapshot_ = true;
  status_.snapshot_loaded = true;
  return true;
}

LoadRequest SyncClient::startup_request() const {
  LoadRequest r;
  r.snapshot_tag = snapshot_broken_ ? std::string() : snapshot_format_tag();
  return r;
}

Problems SyncClient::restore(StoredState state, Instant now) {
  shadows_.clear();
  pending_records_.clear();
  local_rejections_.clear();
  state.all_pages = true;
  auto problems = absorb(state, now);
  status_.first_sync = !caught_up_;
  pull_wanted_ = true;
  compact_due_ = true;   // tick() plans it once the start is over (compact_after_start_ms)
  compact_not_before_ = now + config_.compact_after_start_ms;
  return problems;
}

LoadRequest SyncClient::incremental(bool evidence) const {
  LoadRequest r;
  r.after_page_key = max_page_key_;
  r.page_generation = full_reload_wanted_ ? -1 : page_generation_;
  r.evidence = evidence;
  r.snapshot_tag = snapshot_broken_ ? std::string() : snapshot_format_tag();
  return r;
}

void SyncClient::refresh(Instant now, bool then_push) {
  loading_ = true;
  refresh_wanted_ = false;
  const bool with_evidence = leader_;
  std::weak_ptr<bool> alive = alive_;
  storage_.load(incremental(with_evidence), [this, alive, now, then_push](StoredState state, std::string error) {
    if (alive.expired()) return;
    loading_ = false;
    const Instant at = std::max(now, last_now_);
    if (!error.empty()) {
      status_.storage_error = error;
      // A push must never go out from memory alone (another tab's lower mid may be missing): retry.
      if (then_push) on_failure("storage: " + error, false, at);
      refresh_wanted_ = leader_;
      next_refresh_at_ = at + config_.storage_retry_ms;
      update_counts();
      return;
    }
    absorb(state, at);
    if (unsaved_.empty()) status_.storage_error.clear();
    next_refresh_at_ = full_reload_wanted_ ? at : at + config_.follower_refresh_ms;
    if (leader_ && compact_due_ && at >= compact_not_before_) maybe_compact();
    if (then_push) post_push(at);
  });
}

void SyncClient::set_leader(bool leader, Instant now) {
  if (leader && !leader_) {
    refresh_wanted_ = true;   // read what the previous leader left (pages, outbox, evidence)
    next_refresh_at_ = now;
    compact_due_ = true;
    pull_wanted_ = true;
    status_.next_attempt_at = now;
    status_.failed_attempts = 0;
  }
  leader_ = leader;
  update_counts();
}

void SyncClient::storage_changed(Instant now) {
  refresh_wanted_ = true;
  next_refresh_at_ = std::min(next_refresh_at_, now);
}

// --- optimistic layer ----------------------------------------------------------------------------

bool SyncClient::apply_optimistic(const sync::Mutation& m, Instant now, Problems* problems) {
  ReplicaView view(replica_);
  for (const auto& [user, team] : config_.user_teams) view.set_team(user, team);
  auto r = sync::apply_mutation(m, config_.actor, view, config_.settings, now);
  if (!r.ok()) {
    if (problems) *problems = r.problems;
    return false;
  }
  if (r.value.writes.empty() && !r.value.conflicts.empty()) {
    // The record moved since the user looked at it (e.g. stage changed on another device).
    if (problems)
      problems->push_back({"stale_record", r.value.conflicts.front().field, "记录已被他人修改，请刷新后重试",
                           "The record changed meanwhile; refresh and try again"});
    return false;
  }
  for (const auto& w : r.value.writes) {
    Key key{w.type, w.id};
    if (!shadows_.count(key)) shadows_[key] = stored_record(replica_, w.type, w.id);
    apply_stored(replica_, w);
    pending_records_[key] = m.mid;
  }
  return true;
}

void SyncClient::revert_optimistic() {
  for (auto& [key, base] : shadows_) {
    RecordKind kind;
    if (!parse_record_kind(key.first, kind)) continue;
    if (base) apply_stored(replica_, *base);
    else replica_.erase(kind, key.second);
  }
  shadows_.clear();
  pending_records_.clear();
  local_rejections_.clear();
}

void SyncClient::replay_pending(Instant now) {
  for (const auto& m : outbox_.pending()) {
    Problems p;
    if (!apply_optimistic(m, now > 0 ? now : m.at, &p)) local_rejections_[m.mid] = std::move(p);
  }
  for (const auto& u : unsaved_) {
    Problems p;
    if (!apply_optimistic(u.mutation, now > 0 ? now : u.mutation.at, &p)) local_rejections_[u.mutation.mid] = std::move(p);
  }
}

// --- intents -------------------------------------------------------------------------------------

Result<std::int64_t> SyncClient::submit(const std::string& name, sync::Json args, std::int64_t base_version,
                                        Instant now, std::vector<PendingEvidence> evidence) {
  last_now_ = std::max(last_now_, now);
  sync::Mutation m;
  m.client_id = outbox_.client_id();
  m.mid = next_temp_mid_--;
  m.name = name;
  m.schema_version = kSchemaVersion;
  m.base_version = base_version;
  m.args = std::move(args);
  m.at = now;
  Problems problems;
  if (!apply_optimistic(m, now, &problems)) return Result<std::int64_t>::failure(std::move(problems));
  for (auto& e : evidence) {
    bool known = std::any_of(evidence_.begin(), evidence_.end(), [&](const PendingEvidence& x) { return x.sha256 == e.sha256; });
    if (!known) evidence_.push_back(e);
  }
  const std::int64_t temp = m.mid;
  unsaved_.push_back(Unsaved{std::move(m), std::move(evidence), false});
  update_counts();
  // A write is worth trying at once, even mid-backoff: the user just acted and may be back online.
  status_.next_attempt_at = now;
  save_unsaved(temp);
  return Result<std::int64_t>::success(temp);
}

void SyncClient::save_unsaved(std::int64_t temp_mid) {
  auto it = std::find_if(unsaved_.begin(), unsaved_.end(), [&](const Unsaved& u) { return u.mutation.mid == temp_mid; });
  if (it == unsaved_.end() || it->writing) return;
  it->writing = true;
  sync::OutboxEntry entry;
  entry.mutation = it->mutation;
  entry.mutation.mid = 0;  // the storage numbers it
  std::weak_ptr<bool> alive = alive_;
  storage_.add_intent(sync::Outbox::entry_to_json(entry).dump(), it->evidence,
                      [this, alive, temp_mid](std::int64_t mid, std::string error) {
                        if (alive.expired()) return;
                        on_saved(temp_mid, mid, error);
                      });
}

void SyncClient::on_saved(std::int64_t temp_mid, std::int64_t mid, const std::string& error) {
  auto it = std::find_if(unsaved_.begin(), unsaved_.end(), [&](const Unsaved& u) { return u.mutation.mid == temp_mid; });
  if (it == unsaved_.end()) return;
  if (!error.empty() || mid <= 0) {
    // Nothing was written (the transaction aborted): keep it in memory, say so, try again soon.
    it->writing = false;
    status_.storage_error = error.empty() ? "storage refused the write" : error;
    next_save_at_ = last_now_ + config_.storage_retry_ms;
    update_counts();
    return;
  }
  status_.storage_error.clear();
  sync::OutboxEntry e;
  e.mutation = std::move(it->mutation);
  e.mutation.mid = mid;
  unsaved_.erase(it);
  outbox_.adopt(std::move(e));
  // Re-key the optimistic layer from the provisional id to the real one.
  revert_optimistic();
  replay_pending(last_now_);
  update_counts();
}

void SyncClient::update_counts() {
  status_.pending = outbox_.pending_count() + unsaved_.size();
  status_.unsaved = unsaved_.size();
  status_.rejected = outbox_.rejected_count();
  status_.evidence_pending = evidence_.size();
  status_.first_sync = !caught_up_;
  status_.leader = leader_;
  status_.stored_pages = pages_.size();
  status_.stored_changes = stored_changes(pages_);
  if (in_flight_) status_.connectivity = Connectivity::Syncing;
  else if (!browser_online_ || status_.last_error == "offline") status_.connectivity = Connectivity::Offline;
  else status_.connectivity = Connectivity::Online;
}

// Entries that became rejected since `before` (removals travel as drop_pending_through / remove).
OutboxChanges SyncClient::outbox_changes_since(const std::vector<sync::OutboxEntry>& before) const {
  OutboxChanges ch;
  for (const auto& e : outbox_.entries()) {
    if (e.state != sync::OutboxState::Rejected) continue;
    auto it = std::find_if(before.begin(), before.end(),
                           [&](const sync::OutboxEntry& b) { return b.mutation.mid == e.mutation.mid; });
    if (it == before.end() || !(*it == e)) ch.put.emplace_back(e.mutation.mid, sync::Outbox::entry_to_json(e).dump());
  }
  return ch;
}

std::string SyncClient::conflicts_json() const {
  sync::Json arr = sync::Json::array();
  for (const auto& c : outbox_.conflicts()) arr.push_back(sync::to_json(c));
  return arr.dump();
}

// --- the cycle -----------------------------------------------------------------------------------

Instant SyncClient::next_wake_at() const {
  Instant wake = kNever;
  if (std::any_of(unsaved_.begin(), unsaved_.end(), [](const Unsaved& u) { return !u.writing; }))
    wake = std::min(wake, next_save_at_);
  if (loading_) return wake;
  if (refresh_wanted_) return std::min(wake, next_refresh_at_);
  if (!leader_) return std::min(wake, next_refresh_at_);
  if (in_flight_ || !browser_online_) return wake;
  bool work = !evidence_.empty() || outbox_.pending_count() > 0 || pull_wanted_;
  if (work) return std::min(wake, status_.next_attempt_at);
  return std::min(wake, std::max(status_.next_attempt_at, next_poll_at_));
}

void SyncClient::set_browser_online(bool online, Instant now) {
  if (online && !browser_online_) {
    status_.next_attempt_at = now;  // back online: do not sit out the backoff
    status_.failed_attempts = 0;
    pull_wanted_ = true;
  }
  browser_online_ = online;
  if (!online) status_.last_error = "offline";
  update_counts();
}

void SyncClient::request_pull(Instant now) {
  pull_wanted_ = true;
  if (status_.failed_attempts == 0) status_.next_attempt_at = std::min(status_.next_attempt_at, now);
}

void SyncClient::tick(Instant now) {
  last_now_ = std::max(last_now_, now);
  if (now >= next_save_at_)
    for (const auto& u : std::vector<Unsaved>(unsaved_))
      if (!u.writing) save_unsaved(u.mutation.mid);
  if (loading_ || in_flight_) { update_counts(); return; }
  if (leader_ && compact_due_ && now >= compact_not_before_ && !full_reload_wanted_) maybe_compact();
  if ((refresh_wanted_ || !leader_) && now >= next_refresh_at_) refresh(now, false);
  if (loading_ || !leader_ || !browser_online_) { update_counts(); return; }
  maybe_snapshot(now);
  if (now < next_wake_at()) return;
  if (now >= next_poll_at_) pull_wanted_ = true;
  start_next(now);
  update_counts();
}

void SyncClient::start_next(Instant now) {
  if (!evidence_.empty()) upload_next_evidence(now);
  else if (outbox_.pending_count() > 0) push(now);
  else if (pull_wanted_) pull(now);
}

void SyncClient::upload_next_evidence(Instant now) {
  const PendingEvidence& e = evidence_.front();
  in_flight_ = true;
  status_.phase = SyncPhase::Uploading;
  auto seq = ++request_seq_;
  std::string sha = e.sha256;
  std::weak_ptr<bool> alive = alive_;
  transport_.put_bytes("/api/v1/evidence/" + sha, e.mime_type.empty() ? "application/octet-stream" : e.mime_type,
                       e.bytes, [this, alive, seq, sha, now](const HttpReply& r) {
                         if (alive.expired() || seq != request_seq_) return;
                         on_evidence_reply(sha, r, now);
                       });
}

// Push = read the outbox back from storage, then send what it holds (see the header: the snapshot
// can't miss a lower mid another tab allocated; memory can).
void SyncClient::push(Instant now) {
  status_.phase = SyncPhase::Pushing;
  refresh(now, true);
}

void SyncClient::post_push(Instant now) {
  if (!leader_ || !browser_online_) { status_.phase = SyncPhase::Idle; update_counts(); return; }
  if (!evidence_.empty()) { upload_next_evidence(now); return; }  // another tab's file goes first
  if (outbox_.pending_count() == 0) {
    status_.phase = SyncPhase::Idle;
    if (pull_wanted_) pull(now);
    update_counts();
    return;
  }
  sync::PushRequest req;
  req.client_id = outbox_.client_id();
  req.schema_version = kSchemaVersion;
  req.mutations = outbox_.next_batch(config_.push_batch);
  in_flight_ = true;
  status_.phase = SyncPhase::Pushing;
  auto seq = ++request_seq_;
  std::weak_ptr<bool> alive = alive_;
  transport_.post_json("/api/v1/sync/push", sync::to_json(req).dump(), [this, alive, seq, now](const HttpReply& r) {
    if (alive.expired() || seq != request_seq_) return;
    on_push_reply(r, now);
  });
  update_counts();
}

void SyncClient::pull(Instant now) { pull_from(cursor_, now, more_); }

void SyncClient::pull_from(const std::string& cursor, Instant now, bool follow_up) {
  const int limit = follow_up && config_.catch_up_pull_limit > 0 ? config_.catch_up_pull_limit : config_.pull_limit;
  std::string path = "/api/v1/sync/pull?client_id=" + url_encode(outbox_.client_id()) +
                     "&schema_version=" + std::to_string(kSchemaVersion) + "&cursor=" + url_encode(cursor) +
                     "&limit=" + std::to_string(limit);
  in_flight_ = true;
  status_.phase = SyncPhase::Pulling;
  auto seq = ++request_seq_;
  std::weak_ptr<bool> alive = alive_;
  if (config_.clock) idle_since_ = config_.clock();
  transport_.get(path, [this, alive, seq, now](const HttpReply& r) {
    if (alive.expired() || seq != request_seq_) return;
    on_pull_reply(r, now);
  });
}

void SyncClient::on_success(Instant now) {
  in_flight_ = false;
  status_.phase = SyncPhase::Idle;
  status_.failed_attempts = 0;
  status_.last_error.clear();
  status_.last_success_at = now;
  status_.next_attempt_at = now;  // continue the cycle at the next tick
  update_counts();
}

void SyncClient::on_failure(const std::string& why, bool offline, Instant now) {
  in_flight_ = false;
  status_.phase = SyncPhase::Idle;
  status_.last_error = offline ? "offline" : why;
  status_.next_attempt_at = now + sync::backoff_delay(status_.failed_attempts, jitter_ ? jitter_() : 0.5, config_.backoff);
  ++status_.failed_attempts;
  update_counts();
}

void SyncClient::on_evidence_reply(const std::string& sha, const HttpReply& r, Instant now) {
  if (is_transient(r.status)) return on_failure("http " + std::to_string(r.status), r.status == 0, now);
  // Stored (2xx) — or refused for good (too large, bad type): either way it leaves the queue; a refusal
  // surfaces when the server rejects the mutation that references the missing file.
  std::erase_if(evidence_, [&](const PendingEvidence& e) { return e.sha256 == sha; });
  storage_.drop_evidence(sha);
  if (!is_success(r.status)) status_.last_error = "evidence http " + std::to_string(r.status);
  on_success(now);
}

void SyncClient::on_push_reply(const HttpReply& r, Instant now) {
  if (r.status == 401) return on_failure("unauthorized", false, now);
  if (!is_success(r.status)) return on_failure("http " + std::to_string(r.status) + " " + error_code_of(r.body),
                                               r.status == 0, now);
  auto j = sync::Json::parse(r.body, nullptr, false);
  auto resp = sync::push_response_from_json(j);
  if (!resp.ok()) return on_failure("bad push response", false, now);
  const auto before = outbox_.entries();
  const auto conflicts_before = outbox_.conflicts().size();
  outbox_.on_push_response(resp.value);
  if (resp.value.last_mid > last_mid_) last_mid_ = resp.value.last_mid;
  // Rejections are stored now; accepted entries leave storage with the pull that brings their effect
  // (their optimistic copy stays on screen meanwhile, here and in the other tabs).
  auto changes = outbox_changes_since(before);
  if (outbox_.conflicts().size() != conflicts_before) changes.conflicts_json = conflicts_json();
  if (!changes.empty()) storage_.update_outbox(changes);
  pull_wanted_ = true;  // fetch the authoritative records and rebase what is left
  on_success(now);
}

void SyncClient::on_pull_reply(const HttpReply& r, Instant now) {
  if (r.status == 409 && error_code_of(r.body) == sync::kErrMustRefetch) {
    // The cursor is older than the tombstone horizon: start over, keeping the outbox (SYNC §5).
    revert_optimistic();
    replica_.clear();
    cursor_.clear();
    caught_up_ = false;
    storage_.clear_records();   // the snapshot goes with the pages
    have_snapshot_ = false;
    pages_.clear();
    ++page_generation_;   // mirrors the storage's bump
    status_.records_received = 0;
    status_.pages_received = 0;
    more_ = false;
    replay_pending(now);
    pull_wanted_ = true;
    on_success(now);
    return;
  }
  if (r.status == 401) return on_failure("unauthorized", false, now);
  if (!is_success(r.status)) return on_failure("http " + std::to_string(r.status), r.status == 0, now);
  // Stage timings (issue 5 benchmark): each mark() adds the time since the previous one to a stage.
  PullTimings& tm = status_.pull_timings;
  const bool timed = static_cast<bool>(config_.clock);
  double t_mark = timed ? config_.clock() : 0;
  const double t_start = t_mark;
  auto mark = [&](double PullTimings::*stage) {
    if (!timed) return;
    const double t = config_.clock();
    tm.*stage += t - t_mark;
    t_mark = t;
  };
  if (timed) {
    ++tm.pages;
    if (idle_since_ > 0) tm.wait_ms += std::max(0.0, t_start - idle_since_);
  }
  struct Finish {   // whatever way the handler leaves, the client's own work ends here
    SyncClient* c; bool timed; double start;
    ~Finish() {
      if (!timed) return;
      c->idle_since_ = c->config_.clock();
      c->status_.pull_timings.total_ms += c->idle_since_ - start;
    }
  } finish_timing{this, timed, t_start};
  // Issue 5 first sync: ask for the next page before working on this one, so the server and the
  // network prepare page n+1 while this tab parses, applies and stores page n (about a third of a
  // page's time). Cursor and has_more are read from the raw text; only with nothing to push (pushes
  // go first) and never on a reply that later turns out unreadable (the prefetch is then dropped).
  const auto raw = raw_members<3>(r.body, {"changes", "cursor", "has_more"});
  std::string prefetched;
  if (leader_ && browser_online_ && evidence_.empty() && unsaved_.empty() && outbox_.pending_count() == 0 &&
      raw[2] == "true") {
    const std::string_view cur = raw[1];
    if (cur.size() >= 2 && cur.front() == '"' && cur.back() == '"' && cur.find('\\') == std::string_view::npos) {
      prefetched.assign(cur.substr(1, cur.size() - 2));
      pull_from(prefetched, now, true);
    }
  }
  mark(&PullTimings::scan_ms);
  auto fail_bad_reply = [&] {
    if (!prefetched.empty()) ++request_seq_;   // its reply will be ignored
    on_failure("bad pull response", false, now);
  };
  // Issue 5: the page is streamed straight into records (pull_page.h: nlohmann's SAX parser, the
  // same lexer, with the DOM path as the reference whenever the stream holds anything unusual).
  // Only when the changes could be cut out of the text, since that text is what gets stored.
  const std::string_view changes_text = raw[0];
  const bool cut = !changes_text.empty() && changes_text.front() == '[';
  auto decoded = cut ? decode_pull_page(r.body) : decode_pull_page_dom(r.body);
  if (!decoded.ok()) return fail_bad_reply();
  PulledPage& pulled = decoded.value;
  sync::PullResponse& page = pulled.rest;
  mark(&PullTimings::parse_ms);

  // Stored as received (an array of wire Changes, what a load parses); re-encoded only if the
  // member can't be cut out of the body (then every record is still JSON: the DOM path read it).
  std::string text;
  if (!pulled.changes.empty()) {
    if (cut) {
      text.assign(changes_text);
    } else {
      sync::Json arr = sync::Json::array();
      for (const auto& ch : pulled.changes) {
        sync::Change c{ch.type, ch.id, ch.deleted, ch.version, std::get<sync::Json>(ch.record)};
        arr.push_back(sync::to_json(c));
      }
      text = arr.dump();
    }
  }

  const auto before = outbox_.entries();
  revert_optimistic();
  for (auto& ch : pulled.changes) apply_pulled(replica_, ch);
  cursor_ = page.cursor;
  last_mid_ = std::max(last_mid_, page.last_mid);
  outbox_.on_pull(last_mid_, page.rejections);
  replay_pending(now);
  auto changes = outbox_changes_since(before);
  changes.drop_pending_through = last_mid_;
  changes.last_mid = last_mid_;
  // The first sync ends when the server says so, not at the first page (which already sets a cursor).
  if (!page.has_more && !caught_up_) {
    caught_up_ = true;
    changes.caught_up = true;
  }

  if (!pulled.changes.empty()) {
    const std::int64_t key = max_page_key_ + 1;
    mark(&PullTimings::apply_ms);
    storage_.append_page(key, text, cursor_, changes);
    mark(&PullTimings::store_ms);
    last_change_at_ = now;
    index_page(key, pulled.changes);
    mark(&PullTimings::index_ms);
    // Planning walks the whole index: not while a first sync streams full pages in (has_more).
    if (++pages_since_plan_ >= config_.compact_every_pages && !page.has_more) maybe_compact();
  } else {
    // An empty poll writes no page (storage would fill with "[]" values every 30 s); a stale stored
    // cursor only means re-pulling a page after a reload, which upserts idempotently.
    mark(&PullTimings::apply_ms);
    storage_.update_outbox(changes);
    mark(&PullTimings::store_ms);
  }

  status_.records_received += pulled.changes.size();
  ++status_.pages_received;
  pull_wanted_ = page.has_more;
  more_ = page.has_more;
  if (!page.has_more) next_poll_at_ = now + config_.poll_interval_ms;
  if (!prefetched.empty()) {
    if (page.has_more && page.cursor == prefetched) {
      // The next page is already on its way: still pulling, nothing to start at the next tick.
      on_success(now);
      in_flight_ = true;
      status_.phase = SyncPhase::Pulling;
      update_counts();
      return;
    }
    ++request_seq_;   // asked with a cursor the parsed page contradicts: ignore that reply
  }
  on_success(now);
}

void SyncClient::maybe_compact() {
  pages_since_plan_ = 0;
  compact_due_ = false;
  if (compacting_ || full_reload_wanted_ || pages_.size() < 2) return;
  auto plan = plan_compaction(pages_, config_.compaction);
  if (plan.empty()) return;
  compacting_ = true;
  pages_ = apply_compaction(pages_, plan);
  for (auto k : plan.new_keys) max_page_key_ = std::max(max_page_key_, k);
  ++page_generation_;   // mirrors the storage's bump
  ++status_.compactions;
  std::weak_ptr<bool> alive = alive_;
  storage_.compact_pages(plan, [this, alive](std::string error) {
    if (alive.expired()) return;
    compacting_ = false;
    if (!error.empty()) {
      // Nothing changed in storage: our index is wrong now. The generation we expect no longer
      // matches, so the next read reloads every page and rebuilds the index from what is stored.
      status_.storage_error = "compaction: " + error;
      refresh_wanted_ = true;
      pages_since_plan_ = -4 * config_.compact_every_pages;  // don't hammer a full disk
    }
    update_counts();
  });
  update_counts();
}

std::size_t SyncClient::changes_after_snapshot() const {
  const bool valid = have_snapshot_ && snapshot_.page_generation == page_generation_;
  std::size_t n = 0;
  for (const auto& p : pages_)
    if (!valid || p.key > snapshot_.page_key) n += p.changes.size();
  return n;
}

// Issue 5 cold start: the leader keeps a snapshot of the base replica in storage once enough stored
// changes are not covered by one. Only while nothing is pending or unsaved — then the replica IS the
// base (no optimistic write to leave out) — and not while pages still stream in, a read is out, a
// compaction runs or every page must be read again.
void SyncClient::maybe_snapshot(Instant now) {
  if (!leader_ || loading_ || in_flight_ || compacting_ || full_reload_wanted_ || pull_wanted_ || !caught_up_) return;
  if (!shadows_.empty() || !unsaved_.empty() || outbox_.pending_count() > 0) return;
  if (now < last_change_at_ + config_.snapshot_quiet_ms) return;
  if (changes_after_snapshot() < config_.snapshot_after_changes) return;
  const SnapshotInfo info{max_page_key_, page_generation_};
  storage_.write_snapshot(encode_snapshot(replica_, pages_, info), info, snapshot_format_tag());
  snapshot_ = info;
  have_snapshot_ = true;
  ++status_.snapshots_written;
}

// R32: the user resolved one conflict (screens helper); the list is stored like any conflict change.
bool SyncClient::dismiss_conflict(std::size_t index) {
  if (!outbox_.dismiss_conflict(index)) return false;
  OutboxChanges ch;
  ch.conflicts_json = conflicts_json();
  storage_.update_outbox(ch);
  return true;
}

bool SyncClient::dismiss(std::int64_t mid, Instant now) {
  if (!outbox_.dismiss(mid)) return false;
  OutboxChanges ch;
  ch.remove.push_back(mid);
  storage_.update_outbox(ch);
  revert_optimistic();
  replay_pending(now);
  update_counts();
  return true;
}

bool SyncClient::is_pending_record(std::string_view type, const Id& id) const {
  return pending_records_.count(Key{std::string(type), id}) > 0;
}

std::vector<SyncIssue> SyncClient::issues() const {
  std::vector<SyncIssue> out;
  for (const auto& e : outbox_.entries()) {
    if (e.state == sync::OutboxState::Rejected) {
      out.push_back({e.mutation.mid, e.mutation.name, e.mutation.args, e.problems, false, fix_route_for(e.mutation)});
    } else if (auto it = local_rejections_.find(e.mutation.mid); it != local_rejections_.end()) {
      out.push_back({e.mutation.mid, e.mutation.name, e.mutation.args, it->second, true, fix_route_for(e.mutation)});
    }
  }
  for (const auto& u : unsaved_)
    if (auto it = local_rejections_.find(u.mutation.mid); it != local_rejections_.end())
      out.push_back({u.mutation.mid, u.mutation.name, u.mutation.args, it->second, true, fix_route_for(u.mutation)});
  return out;
}

}  // namespace cl::app
