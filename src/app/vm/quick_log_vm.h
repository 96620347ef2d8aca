// Quick log (R8): a visit, call or message in two taps — tap the kind, tap save (the summary is
// optional; a sensible default per kind is filled in). Offline it is queued like everything else.
#pragma once

#include <string>
#include <vector>

#include "app/vm/id_source.h"
#include "app/vm/intents.h"
#include "core/problem.h"

namespace cl::app {

class SyncClient;

// The kinds offered as one-tap buttons, in order.
const std::vector<ActivityKind>& quick_log_kinds();
// i18n key of the default summary for a kind ("quicklog.default.visit").
std::string quick_log_default_key(ActivityKind kind);

class QuickLogVM {
 public:
  // First tap.
  void choose(ActivityKind kind) { chosen_ = kind; has_choice_ = true; }
  bool has_choice() const { return has_choice_; }
  ActivityKind chosen() const { return chosen_; }
  std::string summary;   // optional text field
  void cancel() { has_choice_ = false; summary.clear(); }

  // Second tap. `default_summary` is the translated default for the kind (the VM has no i18n).
  Result<Id> handle(const QuickLog& intent, const std::string& default_summary, SyncClient& sync, IdSource& ids,
                    const Id& owner_id, Instant now);

 private:
  ActivityKind chosen_ = ActivityKind::Visit;
  bool has_choice_ = false;
};

}  // namespace cl::app
