#include "app/vm/sync_client.h"

#include <algorithm>
#include <limits>

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

Problems SyncClient::restore(const StoredState& state) {
  Problems problems;
  replica_.clear();
  shadows_.clear();
  for (const auto& page : state.pages) {
    auto arr = sync::Json::parse(page, nullptr, false);
    if (!arr.is_array()) {
      problems.push_back({"invalid_json", "pages", "本地数据页损坏", "A stored page is corrupt"});
      continue;
    }
    for (const auto& cj : arr) {
      auto ch = sync::change_from_json(cj);
      if (!ch.ok()) { problems.insert(problems.end(), ch.problems.begin(), ch.problems.end()); continue; }
      auto p = apply_change(replica_, ch.value);
      problems.insert(problems.end(), p.begin(), p.end());
    }
  }
  cursor_ = state.cursor;
  last_mid_ = state.last_mid;
  if (!state.outbox_json.empty()) {
    auto j = sync::Json::parse(state.outbox_json, nullptr, false);
    auto box = sync::Outbox::from_json(j);
    if (box.ok()) {
      outbox_ = std::move(box.value);
    } else {
      problems.insert(problems.end(), box.problems.begin(), box.problems.end());
    }
  }
  if (outbox_.client_id().empty()) outbox_ = sync::Outbox(config_.client_id, outbox_.next_mid());
  outbox_.on_pull(last_mid_, {});
  evidence_ = state.evidence;
  status_.first_sync = cursor_.empty();
  replay_pending(0);
  update_counts();
  pull_wanted_ = true;
  return problems;
}

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
}

Result<std::int64_t> SyncClient::submit(const std::string& name, sync::Json args, std::int64_t base_version,
                                        Instant now, std::vector<PendingEvidence> evidence) {
  sync::Mutation m;
  m.client_id = outbox_.client_id();
  m.mid = outbox_.next_mid();
  m.name = name;
  m.schema_version = kSchemaVersion;
  m.base_version = base_version;
  m.args = args;
  m.at = now;
  Problems problems;
  if (!apply_optimistic(m, now, &problems)) return Result<std::int64_t>::failure(std::move(problems));
  const auto& queued = outbox_.enqueue(name, std::move(args), base_version, now, kSchemaVersion);
  for (auto& e : evidence) {
    bool known = std::any_of(evidence_.begin(), evidence_.end(), [&](const PendingEvidence& x) { return x.sha256 == e.sha256; });
    if (!known) evidence_.push_back(e);
  }
  persist_outbox(evidence);
  update_counts();
  // A write is worth trying at once, even mid-backoff: the user just acted and may be back online.
  status_.next_attempt_at = now;
  return Result<std::int64_t>::success(queued.mid);
}

void SyncClient::persist_outbox(const std::vector<PendingEvidence>& new_evidence) {
  storage_.save_outbox(outbox_.to_json().dump(), new_evidence);
}

void SyncClient::update_counts() {
  status_.pending = outbox_.pending_count();
  status_.rejected = outbox_.rejected_count();
  status_.evidence_pending = evidence_.size();
  status_.first_sync = cursor_.empty();
  if (in_flight_) status_.connectivity = Connectivity::Syncing;
  else if (!browser_online_ || status_.last_error == "offline") status_.connectivity = Connectivity::Offline;
  else status_.connectivity = Connectivity::Online;
}

Instant SyncClient::next_wake_at() const {
  if (in_flight_ || !browser_online_) return kNever;
  bool work = !evidence_.empty() || outbox_.pending_count() > 0 || pull_wanted_;
  if (work) return status_.next_attempt_at;
  return std::max(status_.next_attempt_at, next_poll_at_);
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
  if (in_flight_ || !browser_online_) { update_counts(); return; }
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
  transport_.put_bytes("/api/v1/evidence/" + sha, e.mime_type.empty() ? "application/octet-stream" : e.mime_type,
                       e.bytes, [this, seq, sha, now](const HttpReply& r) {
                         if (seq != request_seq_) return;
                         on_evidence_reply(sha, r, now);
                       });
}

void SyncClient::push(Instant now) {
  sync::PushRequest req;
  req.client_id = outbox_.client_id();
  req.schema_version = kSchemaVersion;
  req.mutations = outbox_.next_batch(config_.push_batch);
  in_flight_ = true;
  status_.phase = SyncPhase::Pushing;
  auto seq = ++request_seq_;
  transport_.post_json("/api/v1/sync/push", sync::to_json(req).dump(), [this, seq, now](const HttpReply& r) {
    if (seq != request_seq_) return;
    on_push_reply(r, now);
  });
}

void SyncClient::pull(Instant now) {
  std::string path = "/api/v1/sync/pull?client_id=" + url_encode(outbox_.client_id()) +
                     "&schema_version=" + std::to_string(kSchemaVersion) + "&cursor=" + url_encode(cursor_) +
                     "&limit=" + std::to_string(config_.pull_limit);
  in_flight_ = true;
  status_.phase = SyncPhase::Pulling;
  auto seq = ++request_seq_;
  transport_.get(path, [this, seq, now](const HttpReply& r) {
    if (seq != request_seq_) return;
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
  outbox_.on_push_response(resp.value);
  if (resp.value.last_mid > last_mid_) last_mid_ = resp.value.last_mid;
  persist_outbox();
  pull_wanted_ = true;  // fetch the authoritative records and rebase what is left
  on_success(now);
}

void SyncClient::on_pull_reply(const HttpReply& r, Instant now) {
  if (r.status == 409 && error_code_of(r.body) == sync::kErrMustRefetch) {
    // The cursor is older than the tombstone horizon: start over, keeping the outbox (SYNC §5).
    revert_optimistic();
    replica_.clear();
    cursor_.clear();
    storage_.clear_records();
    status_.records_received = 0;
    status_.pages_received = 0;
    replay_pending(now);
    pull_wanted_ = true;
    on_success(now);
    return;
  }
  if (r.status == 401) return on_failure("unauthorized", false, now);
  if (!is_success(r.status)) return on_failure("http " + std::to_string(r.status), r.status == 0, now);
  auto j = sync::Json::parse(r.body, nullptr, false);
  auto resp = sync::pull_response_from_json(j);
  if (!resp.ok()) return on_failure("bad pull response", false, now);
  const auto& page = resp.value;

  revert_optimistic();
  for (const auto& ch : page.changes) apply_change(replica_, ch);
  cursor_ = page.cursor;
  last_mid_ = std::max(last_mid_, page.last_mid);
  outbox_.on_pull(last_mid_, page.rejections);
  replay_pending(now);

  if (!page.changes.empty()) {
    sync::Json changes = sync::Json::array();
    for (const auto& ch : page.changes) changes.push_back(sync::to_json(ch));
    storage_.append_page(changes.dump(), cursor_, last_mid_, outbox_.to_json().dump());
  } else {
    // An empty poll writes no page (storage would fill with "[]" values every 30 s); a stale stored
    // cursor only means re-pulling a page after a reload, which upserts idempotently.
    persist_outbox();
  }

  status_.records_received += page.changes.size();
  ++status_.pages_received;
  pull_wanted_ = page.has_more;
  if (!page.has_more) next_poll_at_ = now + config_.poll_interval_ms;
  on_success(now);
}

bool SyncClient::dismiss(std::int64_t mid, Instant now) {
  if (!outbox_.dismiss(mid)) return false;
  persist_outbox();
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
  return out;
}

}  // namespace cl::app
