#include "app/vm/opportunity_card_vm.h"

#include <algorithm>

#include "app/vm/sync_client.h"
#include "core/codec.h"
#include "core/settings.h"
#include "core/sha256.h"
#include "core/templates.h"

namespace cl::app {
namespace {

int stage_of(const Opportunity& o) { return o.stages.empty() ? 0 : o.stages.back().stage; }

std::vector<StageDef> stage_defs(const Settings& s) {
  return s.stages.empty() ? default_settings().stages : s.stages;
}

}  // namespace

void OpportunityCardVM::load(const LocalReplica& replica, const Settings& settings, const Id& id, Instant now) {
  if (id != loaded_id_) {
    attached_.clear();
    attached_bytes_.clear();
    problems_.clear();
    summary_.clear();
    loaded_id_ = id;
    move_back_to = id == preset_id_ ? preset_to_ : -1;
    move_back_reason.clear();
    preset_id_.clear();
  }
  settings_ = settings;
  const Opportunity* o = replica.opportunity(id);
  found_ = o != nullptr;
  stages_.clear();
  if (!o) return;
  opp_ = *o;
  const Customer* c = replica.customer(o->customer_id);
  customer_name_ = c ? c->name : std::string();
  current_ = stage_of(*o);
  // The summary describes a move that happened: gone once the record says otherwise (the server
  // rejected the move, or someone else moved or closed the opportunity meanwhile).
  if (!summary_.empty() && (current_ != summary_stage_ || (o->status == OpportunityStatus::Lost))) summary_.clear();
  auto defs = stage_defs(settings);
  for (int i = 0; i < static_cast<int>(defs.size()); ++i) {
    StageCell cell{i, defs[i].name_zh, defs[i].name_en, StageState::Todo, 0};
    if (i < current_) cell.state = StageState::Done;
    if (i == current_) cell.state = o->status == OpportunityStatus::Open ? StageState::Current : StageState::Done;
    for (const auto& v : o->stages)
      if (v.stage == i) cell.dwell_ms += (v.left_at ? v.left_at : (o->closed_at ? o->closed_at : now)) - v.entered_at;
    stages_.push_back(cell);
  }
  evidence_kinds_ = current_ < static_cast<int>(defs.size()) ? defs[current_].evidence_kinds : std::vector<std::string>{};
  recorded_evidence_ = o->stages.empty() ? std::vector<EvidenceRef>{} : o->stages.back().evidence;
}

void OpportunityCardVM::open_move_back(const Id& id, int to_stage) {
  if (id == loaded_id_) {
    move_back_to = to_stage;
    return;
  }
  preset_id_ = id;
  preset_to_ = to_stage;
}

void OpportunityCardVM::handle(const AttachEvidence& in, Instant) {
  AttachedFile f;
  f.sha256 = sha256_hex(in.bytes);
  f.file_name = in.file_name;
  f.mime_type = in.mime_type;
  f.size_bytes = static_cast<std::int64_t>(in.bytes.size());
  f.kind = !in.kind.empty() ? in.kind : (evidence_kinds_.empty() ? std::string("证据") : evidence_kinds_.front());
  for (const auto& a : attached_)
    if (a.sha256 == f.sha256) return;  // the same file twice is one piece of evidence
  attached_.push_back(f);
  attached_bytes_.push_back(in.bytes);
  problems_.clear();
}

void OpportunityCardVM::handle(const RemoveEvidence& in) {
  for (std::size_t i = 0; i < attached_.size(); ++i)
    if (attached_[i].sha256 == in.sha256) {
      attached_.erase(attached_.begin() + static_cast<long>(i));
      attached_bytes_.erase(attached_bytes_.begin() + static_cast<long>(i));
      return;
    }
}

bool OpportunityCardVM::handle(const AdvanceStage&, const LocalReplica& replica, SyncClient& sync,
                               const Id& user_id, const std::string& rep_name, Instant now) {
  problems_.clear();
  if (!found_) {
    problems_.push_back({"not_found", "id", "商机不存在", "No such opportunity"});
    return false;
  }
  if (attached_.empty()) {
    // R10: said before anything is queued, in the words the rep needs.
    std::string kinds_zh;
    for (const auto& k : evidence_kinds_) kinds_zh += (kinds_zh.empty() ? "" : "、") + k;
    problems_.push_back({"evidence_required", "evidence",
                         "推进阶段需要先上传证据文件" + (kinds_zh.empty() ? std::string() : "（" + kinds_zh + "）"),
                         "Attach an evidence file before advancing the stage"});
    return false;
  }
  nlohmann::json evidence = nlohmann::json::array();
  std::vector<PendingEvidence> uploads;
  for (std::size_t i = 0; i < attached_.size(); ++i) {
    const auto& a = attached_[i];
    EvidenceRef ref;
    ref.sha256 = a.sha256;
    ref.file_name = a.file_name;
    ref.mime_type = a.mime_type;
    ref.size_bytes = a.size_bytes;
    ref.kind = a.kind;
    ref.uploaded_by = user_id;
    ref.uploaded_at = now;
    evidence.push_back(encode(ref));
    uploads.push_back({a.sha256, a.file_name, a.mime_type, attached_bytes_[i]});
  }
  nlohmann::json args{{"id", opp_.meta.id}, {"from_stage", current_}, {"evidence", evidence}};
  auto r = sync.submit("opportunity.advance", args, opp_.meta.version, now, std::move(uploads));
  if (!r.ok()) {
    problems_ = r.problems;
    return false;
  }
  attached_.clear();
  attached_bytes_.clear();
  // R12: the summary of the move just made, from the optimistic record.
  if (const Opportunity* moved = replica.opportunity(opp_.meta.id)) {
    const Customer* c = replica.customer(moved->customer_id);
    Customer customer = c ? *c : Customer{};
    summary_ = stage_summary_text(settings_, customer, *moved, rep_name).text;
    summary_stage_ = stage_of(*moved);
  }
  return true;
}

bool OpportunityCardVM::handle(const MoveBackStage& in, const LocalReplica& replica, SyncClient& sync,
                               const std::string& rep_name, Instant now) {
  problems_.clear();
  if (!can_move_back()) {
    problems_.push_back({"invalid_stage", "to_stage", "该商机不能退回阶段", "This opportunity cannot move back"});
    return false;
  }
  if (in.to_stage < 0 || in.to_stage >= current_) {
    problems_.push_back({"invalid_stage", "to_stage", "请选择一个更早的阶段", "Choose an earlier stage"});
    return false;
  }
  std::string reason = in.reason;
  while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\n')) reason.pop_back();
  if (reason.empty()) {
    // R10: moving back is allowed with a reason — said before anything is queued.
    problems_.push_back({"reason_required", "reason", "退回阶段需要填写原因", "Moving back needs a reason"});
    return false;
  }
  nlohmann::json args{{"id", opp_.meta.id}, {"from_stage", current_}, {"to_stage", in.to_stage}, {"reason", reason}};
  auto r = sync.submit("opportunity.move_back", args, opp_.meta.version, now);
  if (!r.ok()) {
    problems_ = r.problems;
    return false;
  }
  move_back_to = -1;
  move_back_reason.clear();
  // No customer summary for a step back: the R12 template speaks of progress ("推进到…"), which
  // would misinform the customer; the reason is on the record and in the audit trail.
  summary_.clear();
  return true;
}

bool OpportunityCardVM::handle(const UpdateExpectedAmount& in, SyncClient& sync, Instant now) {
  problems_.clear();
  if (!found_) return false;
  if (in.amount.fen < 0) {
    problems_.push_back({"out_of_range", "expected_amount_fen", "金额不能为负", "The amount cannot be negative"});
    return false;
  }
  if (in.amount.fen == opp_.expected_amount.fen) return true;
  nlohmann::json args{{"id", opp_.meta.id},
                      {"set", {{"expected_amount_fen", in.amount.fen}}},
                      {"base", {{"expected_amount_fen", opp_.expected_amount.fen}}}};
  auto r = sync.submit("opportunity.update", args, opp_.meta.version, now);
  if (!r.ok()) {
    problems_ = r.problems;
    return false;
  }
  return true;
}

std::vector<OpportunityRow> opportunity_rows(const LocalReplica& replica, const Settings& settings,
                                             const Id& owner_filter) {
  auto defs = stage_defs(settings);
  std::vector<OpportunityRow> rows;
  for (const auto& [id, o] : replica.opportunities()) {
    if (!owner_filter.empty() && o.meta.owner_id != owner_filter) continue;
    OpportunityRow r;
    r.id = id;
    r.title = o.title;
    const Customer* c = replica.customer(o.customer_id);
    r.customer_name = c ? c->name : std::string();
    r.stage = stage_of(o);
    if (r.stage < static_cast<int>(defs.size())) {
      r.stage_name_zh = defs[r.stage].name_zh;
      r.stage_name_en = defs[r.stage].name_en;
    }
    r.expected_amount = o.expected_amount;
    r.status = o.status;
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const OpportunityRow& a, const OpportunityRow& b) {
    bool ao = a.status == OpportunityStatus::Open, bo = b.status == OpportunityStatus::Open;
    if (ao != bo) return ao;
    if (a.expected_amount != b.expected_amount) return a.expected_amount > b.expected_amount;
    return a.id < b.id;
  });
  return rows;
}

}  // namespace cl::app
