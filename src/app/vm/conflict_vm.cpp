#include "app/vm/conflict_vm.h"

#include "app/vm/sync_client.h"
#include "sync/mutations.h"

namespace cl::app {
namespace {

bool is_update_field(const std::string& type, const std::string& field) {
  // Guarded fields a *.update can set (SYNC_PROTOCOL.md catalogue).
  if (type == sync::kTypeOpportunity) return field == "expected_amount_fen" || field == "owner_id" || field == "title";
  if (type == sync::kTypeCustomer) return field == "owner_id";
  return false;
}

}  // namespace

std::vector<ConflictRow> conflict_rows(const SyncClient& sync, const LocalReplica& replica) {
  std::vector<ConflictRow> rows;
  const auto& all = sync.conflicts();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const sync::Conflict& c = all[i];
    if (c.resolution != "server_kept") continue;   // ordinary last-writer-wins: nothing to decide
    ConflictRow r;
    r.index = i;
    r.conflict = c;
    if (c.type == sync::kTypeOpportunity) {
      if (const Opportunity* o = replica.opportunity(c.id)) {
        r.record_present = true;
        r.record_title = o->title;
      }
    } else if (c.type == sync::kTypeCustomer) {
      if (const Customer* cu = replica.customer(c.id)) {
        r.record_present = true;
        r.record_title = cu->name;
      }
    }
    if (c.field == "stage" && c.server_value.is_number_integer() && c.client_value.is_number_integer()) {
      r.server_stage = c.server_value.get<int>();
      r.mine_stage = c.client_value.get<int>();
      if (r.record_present && r.mine_stage != r.server_stage)
        r.reapply = r.mine_stage < r.server_stage ? ReapplyKind::MoveBack : ReapplyKind::Advance;
    } else if (r.record_present && is_update_field(c.type, c.field)) {
      r.reapply = ReapplyKind::Update;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

bool keep_server_value(SyncClient& sync, std::size_t index) { return sync.dismiss_conflict(index); }

Result<std::int64_t> reapply_update(SyncClient& sync, const LocalReplica& replica, std::size_t index, Instant now) {
  const auto& all = sync.conflicts();
  if (index >= all.size())
    return Result<std::int64_t>::failure({Problem{"not_found", "conflict", "该冲突已处理", "This conflict was already resolved"}});
  const sync::Conflict c = all[index];
  if (!is_update_field(c.type, c.field))
    return Result<std::int64_t>::failure({Problem{"invalid_args", c.field, "该字段需在记录页面重新操作", "Redo this change on the record's page"}});
  std::int64_t version = 0;
  std::string name;
  if (c.type == sync::kTypeOpportunity) {
    const Opportunity* o = replica.opportunity(c.id);
    if (!o) return Result<std::int64_t>::failure({Problem{"not_found", "id", "商机不存在", "No such opportunity"}});
    version = o->meta.version;
    name = std::string(sync::kOpportunityUpdate);
  } else {
    const Customer* cu = replica.customer(c.id);
    if (!cu) return Result<std::int64_t>::failure({Problem{"not_found", "id", "客户不存在", "No such customer"}});
    version = cu->meta.version;
    name = std::string(sync::kCustomerUpdate);
  }
  // base = what the server kept, i.e. what the user now saw and decided to overwrite.
  sync::Json args{{"id", c.id}, {"set", {{c.field, c.client_value}}}, {"base", {{c.field, c.server_value}}}};
  auto r = sync.submit(name, std::move(args), version, now);
  if (!r.ok()) return r;
  // Find it again: submit does not touch the conflict list, but be exact rather than trust the index.
  const auto& after = sync.conflicts();
  for (std::size_t i = 0; i < after.size(); ++i)
    if (after[i] == c) {
      sync.dismiss_conflict(i);
      break;
    }
  return r;
}

}  // namespace cl::app
