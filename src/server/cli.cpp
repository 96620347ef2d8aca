#include "server/cli.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/codec.h"
#include "core/phone.h"
#include "core/settings.h"
#include "server/context.h"
#include "server/customer_csv_import.h"
#include "server/extras_records.h"
#include "server/ids.h"
#include "server/lead_csv_import.h"
#include "server/demo_seed.h"
#include "server/sqlite_store.h"
#include "server/user_admin.h"

namespace cl::server {

namespace {

void print_problems(const Problems& problems) {
  for (const auto& p : problems)
    std::fprintf(stderr, "  %s%s%s: %s\n", p.field.c_str(), p.field.empty() ? "" : " ", p.code.c_str(), p.message_en.c_str());
}

bool require(const Config& cfg, std::initializer_list<const char*> keys) {
  bool ok = true;
  for (const char* k : keys)
    if (!cfg.has_option(k) || cfg.option(k).empty()) {
      std::fprintf(stderr, "error: --%s is required\n", k);
      ok = false;
    }
  return ok;
}

}  // namespace

bool ensure_data_dir(const Config& cfg, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  if (ec) {
    error = "cannot create data folder " + cfg.data_dir + ": " + ec.message();
    return false;
  }
  return true;
}

int run_create_user(const Config& cfg) {
  if (!require(cfg, {"username", "password", "role"})) return 2;
  std::string error;
  if (!ensure_data_dir(cfg, error)) return std::fprintf(stderr, "error: %s\n", error.c_str()), 1;
  SqliteStore store(cfg.db_path(), system_now());
  NewUser in;
  in.username = cfg.option("username");
  in.password = cfg.option("password");
  in.role = cfg.option("role");
  in.display_name = cfg.option("display-name");
  in.phone = cfg.option("phone");
  in.email = cfg.option("email");
  // --team takes a team id or a team name.
  const std::string team = cfg.option("team");
  if (!team.empty()) {
    in.team_id = team;
    if (!store.find_team(team))
      for (const Team& t : store.list_teams())
        if (t.name == team) in.team_id = t.id;
  }
  auto created = create_user(store, cfg, in, system_now(), "cli");
  if (!created) {
    std::fprintf(stderr, "error: user not created:\n");
    print_problems(created.problems);
    return 1;
  }
  std::printf("created user %s (%s) id=%s\n", created.value.username.c_str(), cfg.option("role").c_str(),
              created.value.id.c_str());
  return 0;
}

int run_reset_password(const Config& cfg) {
  if (!require(cfg, {"username", "password"})) return 2;
  SqliteStore store(cfg.db_path(), system_now());
  auto user = store.find_user_by_username(cfg.option("username"));
  if (!user) return std::fprintf(stderr, "error: no user named %s\n", cfg.option("username").c_str()), 1;
  auto problems = reset_password(store, cfg, user->user.id, cfg.option("password"), system_now(), "cli");
  if (!problems.empty()) {
    std::fprintf(stderr, "error: password not changed:\n");
    print_problems(problems);
    return 1;
  }
  std::printf("password of %s reset; their sessions were ended\n", user->user.username.c_str());
  return 0;
}

int run_seed_demo(const Config& cfg) {
  std::string error;
  if (!ensure_data_dir(cfg, error)) return std::fprintf(stderr, "error: %s\n", error.c_str()), 1;
  SqliteStore store(cfg.db_path(), system_now());
  SeedSummary summary;
  if (!seed_demo(store, cfg, system_now(), summary, error)) return std::fprintf(stderr, "error: %s\n", error.c_str()), 1;
  std::printf("seeded %d users, %d teams, %d records (scale %s)\n", summary.users, summary.teams, summary.records,
              cfg.demo_scale.c_str());
  return 0;
}

namespace {

// R35 customer ledgers: the same rules as POST /api/v1/customers/import (customer_csv_import.h), run
// as an admin; --owner names the user who gets rows without an owner column value.
int run_import_customers(const Config& cfg, SqliteStore& store, const std::string& bytes, bool apply, Instant now) {
  if (!require(cfg, {"owner"})) return 2;
  auto owner = store.find_user_by_username(cfg.option("owner"));
  if (!owner || !owner->user.active) return std::fprintf(stderr, "error: no active user %s\n", cfg.option("owner").c_str()), 1;
  User as_admin = owner->user;
  as_admin.role = Role::Admin;  // the operator at the console may assign any active owner
  Settings settings = default_settings();
  if (auto row = store.get_record("settings", "global"); row && !row->deleted)
    if (auto s = decode_text<Settings>(row->body); s.ok()) settings = s.value;
  CustomerImportOutcome outcome;
  store.transaction([&] {
    outcome = import_customer_csv(store, store.db().raw(), as_admin, settings, bytes, apply, now,
                                  [&] { return new_uuid_v7(now); });
    return outcome.status == 201;
  });
  std::printf("%s\n", outcome.body.dump(2).c_str());
  if (outcome.status >= 400) return std::fprintf(stderr, "error: the file has problems; nothing imported\n"), 1;
  if (!apply) return std::printf("dry run: %d rows would be imported (add --apply to import)\n", outcome.body.value("valid_rows", 0)), 0;
  std::printf("imported %d customers\n", outcome.body.value("imported", 0));
  return 0;
}

}  // namespace

int run_import_csv(const Config& cfg) {
  // R1 lead lists, with the extras module's parser (lead_csv_import.h) — the same preview and
  // all-or-nothing apply as POST /api/v1/leads/import. Default is a dry run; --apply writes.
  if (!require(cfg, {"file"})) return 2;
  const std::string type = cfg.option("type", "leads");
  if (type != "leads" && type != "customers")
    return std::fprintf(stderr, "error: --type %s is not supported; leads or customers\n", type.c_str()), 2;
  std::ifstream in(cfg.option("file"), std::ios::binary);
  if (!in) return std::fprintf(stderr, "error: cannot read %s\n", cfg.option("file").c_str()), 1;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const bool apply = cfg.has_option("apply") && !cfg.has_option("dry-run");
  SqliteStore store(cfg.db_path(), system_now());
  const Instant now = system_now();
  if (type == "customers") return run_import_customers(cfg, store, bytes.str(), apply, now);
  // --team: the team that sees the unassigned leads (id or name); empty = admin only until assigned.
  std::string team_id = cfg.option("team");
  if (!team_id.empty() && !store.find_team(team_id))
    for (const Team& t : store.list_teams())
      if (t.name == team_id) team_id = t.id;
  LeadImportPreview preview;
  int imported = 0;
  store.transaction([&] {
    std::vector<std::string> phones;
    for (const auto& l : load_records<Lead>(store.db().raw(), "lead", {RecordFilter::Kind::All, ""}))
      if (auto np = normalize_phone(l.phone); np.valid()) phones.push_back(np.digits);
    preview = preview_lead_csv(bytes.str(), phones);
    if (!apply || !preview.ok()) return false;
    const std::string batch_id = new_uuid_v7(now);
    for (const auto& row : preview.rows) {
      Lead l = row.lead;
      l.meta.id = new_uuid_v7(now);
      l.meta.created_at = l.meta.updated_at = now;
      l.meta.version = 1;
      l.status = LeadStatus::Imported;
      l.import_batch_id = batch_id;
      l.imported_at = now;
      RecordRow rec;
      rec.type = "lead";
      rec.id = l.meta.id;
      rec.team_id = team_id;
      rec.region = l.region;
      rec.seq = store.next_seq();
      rec.version = 1;
      rec.body = encode(l).dump();
      rec.updated_at = now;
      store.put_record(rec);
      ++imported;
    }
    return true;
  });
  std::printf("%s\n", lead_import_preview_json(preview, 50).dump(2).c_str());
  if (!preview.ok()) return std::fprintf(stderr, "error: the file has problems; nothing imported\n"), 1;
  if (!apply) return std::printf("dry run: %zu rows would be imported (add --apply to import)\n", preview.rows.size()), 0;
  std::printf("imported %d leads\n", imported);
  return 0;
}

int run_backup(const Config& cfg) {
  if (!require(cfg, {"to"})) return 2;
  struct stat st {};
  if (::stat(cfg.db_path().c_str(), &st) != 0)
    return std::fprintf(stderr, "error: no database at %s\n", cfg.db_path().c_str()), 1;
  const std::string to = cfg.option("to");
  if (::stat(to.c_str(), &st) == 0) return std::fprintf(stderr, "error: %s exists; refusing to overwrite\n", to.c_str()), 1;
  SqliteStore store(cfg.db_path(), system_now());
  store.backup_to(to);
  std::printf("backup written to %s\n", to.c_str());
  return 0;
}

int run_check(const Config& cfg) {
  struct stat st {};
  if (::stat(cfg.db_path().c_str(), &st) != 0)
    return std::fprintf(stderr, "error: no database at %s\n", cfg.db_path().c_str()), 1;
  SqliteStore store(cfg.db_path(), system_now());
  auto problems = store.check();
  if (problems.empty()) {
    std::printf("ok: integrity_check and foreign_key_check passed (schema %d, %lld users)\n", store.schema_version(),
                static_cast<long long>(store.count_users()));
    return 0;
  }
  for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.c_str());
  return 1;
}

}  // namespace cl::server
