#include <doctest/doctest.h>

#include "core/collection.h"
#include "core/money.h"

using namespace cl;

namespace {
User rep(const char* id, const char* team) {
  User u;
  u.id = id;
  u.display_name = id;
  u.role = Role::Rep;
  u.team_id = team;
  return u;
}
Payment pay(const char* rep_id, Money m, Date d) {
  Payment p;
  p.meta.owner_id = rep_id;
  p.amount = m;
  p.received_on = d;
  return p;
}
}  // namespace

TEST_CASE("monthly collection counts only payments received in that Beijing month") {
  std::vector<Payment> ps = {pay("r1", yuan(100), {2026, 11, 1}), pay("r1", yuan(50), {2026, 11, 30}),
                             pay("r1", yuan(999), {2026, 12, 1}), pay("r2", yuan(7), {2026, 11, 5})};
  CHECK(collected_in_month(ps, "2026-11", "r1") == yuan(150));
}

TEST_CASE("achievement rates per rep and team come from targets, team falling back to its reps' sum") {
  std::vector<User> users = {rep("r1", "t1"), rep("r2", "t1"), rep("r3", "t2")};
  std::vector<Team> teams = {{"t1", "杭州一组", "杭州", "m1"}, {"t2", "宁波组", "宁波", "m2"}};
  std::vector<CollectionTarget> targets = {{"x1", "2026-11", "r1", "", yuan(1000)},
                                           {"x2", "2026-11", "r2", "", yuan(1000)},
                                           {"x3", "2026-11", "", "t2", yuan(400)},
                                           {"x4", "2026-10", "r3", "", yuan(1)}};
  std::vector<Payment> ps = {pay("r1", yuan(780), {2026, 11, 3}), pay("r2", yuan(1200), {2026, 11, 3}),
                             pay("r3", yuan(100), {2026, 11, 3})};
  auto d = collection_dashboard("2026-11", ps, targets, users, teams);
  REQUIRE(d.reps.size() == 3);
  CHECK(d.reps[0].id == "r2");  // best first
  CHECK(d.reps[0].achievement_bp == 12000);
  CHECK(d.reps[1].achievement_bp == 7800);
  CHECK_FALSE(d.reps[2].has_target);
  CHECK(d.teams[0].target == yuan(2000));
  CHECK(d.teams[0].achievement_bp == 9900);
  CHECK(d.teams[1].target == yuan(400));
  CHECK(d.teams[1].achievement_bp == 2500);
  CHECK(d.company.collected == yuan(2080));
  CHECK(d.company.target == yuan(2400));
  CHECK(d.company.achievement_bp == 8667);
}
