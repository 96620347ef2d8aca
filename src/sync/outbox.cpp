// Outbox bookkeeping (outbox.h).
#include "sync/outbox.h"

#include <algorithm>

#include "sync/json_read.h"

namespace cl::sync {

Outbox::Outbox(std::string client_id, std::int64_t next_mid) : client_id_(std::move(client_id)), next_mid_(next_mid) {}

const Mutation& Outbox::enqueue(std::string name, Json args, std::int64_t base_version, Instant at, int schema_version) {
  OutboxEntry e;
  e.mutation.client_id = client_id_;
  e.mutation.mid = next_mid_++;
  e.mutation.name = std::move(name);
  e.mutation.schema_version = schema_version;
  e.mutation.base_version = base_version;
  e.mutation.args = std::move(args);
  e.mutation.at = at;
  entries_.push_back(std::move(e));
  return entries_.back().mutation;
}

std::vector<Mutation> Outbox::next_batch(std::size_t max) const {
  std::vector<Mutation> batch;
  for (const auto& e : entries_) {
    if (batch.size() >= max) break;
    if (e.state == OutboxState::Pending) batch.push_back(e.mutation);
  }
  return batch;
}

void Outbox::on_push_response(const PushResponse& response) {
  for (const auto& r : response.results) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const OutboxEntry& e) { return e.mutation.mid == r.mid; });
    if (it == entries_.end()) continue;
    for (const auto& c : r.conflicts) conflicts_.push_back(c);
    if (r.status == PushStatus::Rejected) {
      it->state = OutboxState::Rejected;
      it->problems = r.problems;
    } else {
      entries_.erase(it);
    }
  }
  // Anything still pending at or below last_mid was processed earlier (a replay): it is done.
  on_pull(response.last_mid, {});
}

void Outbox::on_pull(std::int64_t last_mid, const std::vector<Rejection>& rejections) {
  for (const auto& rej : rejections) {
    for (auto& e : entries_)
      if (e.mutation.mid == rej.mid) {
        e.state = OutboxState::Rejected;
        e.problems = rej.problems;
      }
  }
  std::erase_if(entries_, [&](const OutboxEntry& e) { return e.state == OutboxState::Pending && e.mutation.mid <= last_mid; });
  // A reloaded client that lost its counter must never reuse a mid the server has seen.
  if (next_mid_ <= last_mid) next_mid_ = last_mid + 1;
}

bool Outbox::dismiss(std::int64_t mid) {
  auto n = std::erase_if(entries_, [&](const OutboxEntry& e) { return e.state == OutboxState::Rejected && e.mutation.mid == mid; });
  return n > 0;
}

bool Outbox::dismiss_conflict(std::size_t index) {
  if (index >= conflicts_.size()) return false;
  conflicts_.erase(conflicts_.begin() + static_cast<std::ptrdiff_t>(index));
  return true;
}

std::size_t Outbox::pending_count() const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(), [](const OutboxEntry& e) { return e.state == OutboxState::Pending; }));
}

std::size_t Outbox::rejected_count() const { return entries_.size() - pending_count(); }

Json Outbox::entry_to_json(const OutboxEntry& e) {
  Json p = Json::array();
  for (const auto& pr : e.problems) p.push_back(problem_to_json(pr));
  return Json{{"mutation", sync::to_json(e.mutation)},
              {"state", e.state == OutboxState::Pending ? "pending" : "rejected"},
              {"problems", p}};
}

Result<OutboxEntry> Outbox::entry_from_json(const Json& ej) {
  if (!ej.is_object() || !ej.contains("mutation"))
    return Result<OutboxEntry>::failure({Problem{"invalid_args", "entries", "待同步记录损坏", "Corrupt outbox entry"}});
  auto m = mutation_from_json(ej["mutation"]);
  if (!m.ok()) return Result<OutboxEntry>::failure(std::move(m.problems));
  OutboxEntry e;
  e.mutation = std::move(m.value);
  e.state = ej.contains("state") && ej["state"] == "rejected" ? OutboxState::Rejected : OutboxState::Pending;
  if (ej.contains("problems") && ej["problems"].is_array())
    for (const auto& pj : ej["problems"]) {
      auto p = problem_from_json(pj);
      if (p.ok()) e.problems.push_back(p.value);
    }
  return Result<OutboxEntry>::success(std::move(e));
}

void Outbox::adopt(OutboxEntry e) {
  const auto mid = e.mutation.mid;
  if (mid >= next_mid_) next_mid_ = mid + 1;
  auto it = std::lower_bound(entries_.begin(), entries_.end(), mid,
                             [](const OutboxEntry& x, std::int64_t m) { return x.mutation.mid < m; });
  if (it != entries_.end() && it->mutation.mid == mid) *it = std::move(e);
  else entries_.insert(it, std::move(e));
}

void Outbox::replace_entries(std::vector<OutboxEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const OutboxEntry& a, const OutboxEntry& b) { return a.mutation.mid < b.mutation.mid; });
  for (const auto& e : entries)
    if (e.mutation.mid >= next_mid_) next_mid_ = e.mutation.mid + 1;
  entries_ = std::move(entries);
}

Json Outbox::to_json() const {
  Json entries = Json::array();
  for (const auto& e : entries_) entries.push_back(entry_to_json(e));
  Json conflicts = Json::array();
  for (const auto& c : conflicts_) conflicts.push_back(sync::to_json(c));
  return Json{{"client_id", client_id_}, {"next_mid", next_mid_}, {"entries", entries}, {"conflicts", conflicts}};
}

Result<Outbox> Outbox::from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  Outbox box(r.str("client_id"), r.i64("next_mid"));
  const Json& entries = r.array("entries");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto parsed = entry_from_json(entries[i]);
    if (!parsed.ok()) {
      for (auto& p : parsed.problems) {
        if (p.field == "entries") p.field = "entries[" + std::to_string(i) + "]";
        out.push_back(p);
      }
      continue;
    }
    OutboxEntry e = std::move(parsed.value);
    if (e.mutation.mid >= box.next_mid_) box.next_mid_ = e.mutation.mid + 1;
    box.entries_.push_back(std::move(e));
  }
  for (const auto& cj : r.array("conflicts", false)) {
    auto c = conflict_from_json(cj);
    if (c.ok()) box.conflicts_.push_back(c.value);
  }
  if (!out.empty()) return Result<Outbox>::failure(std::move(out));
  return Result<Outbox>::success(std::move(box));
}

}  // namespace cl::sync
