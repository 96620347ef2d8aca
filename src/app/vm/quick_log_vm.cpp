#include "app/vm/quick_log_vm.h"

#include "app/vm/sync_client.h"
#include "core/codec.h"
#include "core/enum_names.h"

namespace cl::app {

const std::vector<ActivityKind>& quick_log_kinds() {
  static const std::vector<ActivityKind> k = {ActivityKind::Visit, ActivityKind::Call, ActivityKind::MessageSent};
  return k;
}

std::string quick_log_default_key(ActivityKind kind) { return "quicklog.default." + std::string(enum_name(kind)); }

Result<Id> QuickLogVM::handle(const QuickLog& intent, const std::string& default_summary, SyncClient& sync,
                              IdSource& ids, const Id& owner_id, Instant now) {
  Activity a;
  a.meta.id = ids.new_id(now);
  a.meta.owner_id = owner_id;
  a.kind = intent.kind;
  a.at = now;
  a.customer_id = intent.customer_id;
  a.opportunity_id = intent.opportunity_id;
  a.summary = intent.summary.empty() ? default_summary : intent.summary;
  auto r = sync.submit("activity.log", nlohmann::json{{"activity", encode(a)}}, 0, now);
  if (!r.ok()) return Result<Id>::failure(r.problems);
  cancel();
  return Result<Id>::success(a.meta.id);
}

}  // namespace cl::app
