// The scheduler judges on a read snapshot and writes afterwards (scheduler.h): what it judged may have
// moved on in between. In-process against a real SQLite store, so the gap can be staged exactly.
#include <doctest/doctest.h>

#include <filesystem>

#include "core/codec.h"
#include "core/settings.h"
#include "core/time.h"
#include "server/context.h"
#include "server/extras_records.h"
#include "server/notify_inbox.h"
#include "server/scheduler.h"
#include "server/sqlite_store.h"
#include "extras_server.h"
#include "server_harness.h"

using namespace cl;
using namespace cl::server;

namespace {

Opportunity stalled_opportunity(const std::string& id, Instant entered) {
  return test::open_opportunity(id, "u-rep", entered, "c-1");
}

void put_opportunity(SqliteStore& store, const Opportunity& o) {
  store.transaction([&] {
    RecordRow r;
    r.type = "opportunity";
    r.id = o.meta.id;
    r.owner_id = o.meta.owner_id;
    r.team_id = "t-1";
    r.seq = store.next_seq();
    r.version = o.meta.version;
    r.body = encode(o).dump();
    r.updated_at = 1;
    store.put_record(r);
  });
}

}  // namespace

TEST_CASE("a stall judged on the snapshot is neither stamped nor sent when the opportunity moved on before the write") {
  const std::string dir = apitest::make_temp_dir("closeloop-sched");
  {
    const Instant t0 = *parse_iso_instant("2026-11-20T02:00:00Z");
    SqliteStore store(dir + "/closeloop.db", t0);
    store.transaction([&] {
      store.put_team(Team{"t-1", "一组", "杭州", "u-mgr"});
      store.insert_user(User{"u-rep", "rep", "陈鹏", Role::Rep, "t-1", "13800000001", "", true}, "x");
      store.insert_user(User{"u-mgr", "mgr", "王芳", Role::Manager, "t-1", "13800000002", "", true}, "x");
    });
    ServerContext ctx{Config{}, store, &store.db()};
    put_opportunity(store, stalled_opportunity("o-moves", t0));
    put_opportunity(store, stalled_opportunity("o-stays", t0));

    // The snapshot half of a tick 48 h later: both opportunities are stalled at level 1.
    const Instant now = t0 + 48 * kHour;
    DueWork work;
    store.read([&] {
      SchedulerData d;
      d.settings = default_settings();
      d.users = load_users(store.db().raw());
      d.teams = load_teams(store.db().raw());
      d.opportunities = load_records<Opportunity>(store.db().raw(), "opportunity", {RecordFilter::Kind::All, ""});
      work = due_notices(d, now);
    });
    REQUIRE(work.stall_updates.size() == 2);

    // Meanwhile the rep advances one of them (a push): its stalled stay is closed, a new one open.
    Opportunity moved = stalled_opportunity("o-moves", t0);
    moved.stages[0].left_at = now - kMinute;
    StageVisit next;
    next.stage = 1;
    next.entered_at = now - kMinute;
    next.entered_by = "u-rep";
    moved.stages.push_back(next);
    moved.meta.version = 2;
    put_opportunity(store, moved);

    const SchedulerReport report = apply_due_work(ctx, work, now);
    CHECK(report.inbox_added == 1);
    std::vector<InboxItem> items;
    store.read([&] { items = inbox_list(store.db().raw(), "u-rep", false, 50, 0); });
    REQUIRE(items.size() == 1);
    CHECK(items[0].subject_id == "o-stays");
    auto body_of = [&](const std::string& id) {
      auto row = store.get_record("opportunity", id);
      REQUIRE(row);
      return decode<Opportunity>(nlohmann::json::parse(row->body)).value;
    };
    const Opportunity stays = body_of("o-stays"), moves = body_of("o-moves");
    CHECK(stays.stages[0].level1_sent_at == now);   // stamped (R11)
    CHECK(stays.meta.version == 2);
    REQUIRE(moves.stages.size() == 2);
    CHECK(moves.stages[0].level1_sent_at == 0);     // the stay it left: untouched
    CHECK(moves.stages[1].level1_sent_at == 0);
    CHECK(moves.meta.version == 2);                 // the rep's version, not overwritten
  }
  std::filesystem::remove_all(dir);
}
