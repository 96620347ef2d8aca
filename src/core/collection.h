// R22: monthly collection (回款) against targets — the reference FMCG distributor's "below 78% for
// five months". Collected = payments whose received_on falls in the Beijing month, credited to the
// payment's owner (the rep). A team's collection is its reps' sum; its target is the team's own
// CollectionTarget when one is set, otherwise the sum of its reps' targets. Achievement rate is in
// basis points (ratio_bp: 10000 = 100 %, rounded half up), 0 when there is no target.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace cl {

struct CollectionRow {
  Id id;                      // rep id or team id; "" for the company row
  std::string name;           // display name / team name
  Id team_id;                 // for rep rows
  Money collected;
  Money target;
  bool has_target = false;
  int achievement_bp = 0;
};

struct CollectionDashboard {
  std::string month;          // "2026-11"
  std::vector<CollectionRow> reps;    // every rep (active or with payments), sorted by achievement desc
  std::vector<CollectionRow> teams;   // team order as given
  CollectionRow company;
};

Money collected_in_month(const std::vector<Payment>& payments, const std::string& month, const Id& rep_id);

CollectionDashboard collection_dashboard(const std::string& month, const std::vector<Payment>& payments,
                                         const std::vector<CollectionTarget>& targets,
                                         const std::vector<User>& users, const std::vector<Team>& teams);

}  // namespace cl
