#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "app/i18n.h"
#include "sync/mutations.h"

using namespace cl::app;

TEST_CASE("every i18n key has a non-empty Chinese and English text") {
  REQUIRE(!i18n_entries().empty());
  for (const auto& e : i18n_entries()) {
    CAPTURE(e.key);
    CHECK(std::string(e.zh).size() > 0);
    CHECK(std::string(e.en).size() > 0);
  }
}

TEST_CASE("i18n keys are unique so a later entry cannot silently shadow an earlier one") {
  std::set<std::string> seen;
  for (const auto& e : i18n_entries()) {
    CAPTURE(e.key);
    CHECK(seen.insert(e.key).second);
  }
}

TEST_CASE("the Chinese text of a key contains Chinese characters, so an untranslated copy is caught") {
  // A key whose zh text is pure ASCII was probably never translated (lang.toggle and the
  // English-language option are the deliberate exceptions: they name the other language).
  const std::set<std::string> ascii_ok = {"lang.toggle", "settings.lang_en", "app.name_full"};
  for (const auto& e : i18n_entries()) {
    if (ascii_ok.count(e.key)) continue;
    CAPTURE(e.key);
    bool has_non_ascii = false;
    for (const char* p = e.zh; *p; ++p) has_non_ascii |= (static_cast<unsigned char>(*p) >= 0x80);
    CHECK(has_non_ascii);
  }
}

TEST_CASE("tr picks the language asked for and shows the key itself when it is unknown") {
  CHECK(std::string(tr("nav.customers", Lang::Zh)) == "客户");
  CHECK(std::string(tr("nav.customers", Lang::En)) == "Customers");
  CHECK(std::string(tr("no.such.key", Lang::Zh)) == "no.such.key");
}

TEST_CASE("an unknown key is remembered so tests can list untranslated labels") {
  tr("test.unknown.key.for.missing.list", Lang::En);
  const auto keys = i18n_missing_keys();
  CHECK(std::find(keys.begin(), keys.end(), "test.unknown.key.for.missing.list") != keys.end());
  const auto before = i18n_missing_keys().size();
  tr("nav.customers", Lang::En);
  CHECK(i18n_missing_keys().size() == before);   // known keys are not listed
}

TEST_CASE("the current language defaults to Chinese and follows the toggle") {
  const Lang before = current_lang();
  set_current_lang(Lang::Zh);
  CHECK(std::string(tr("nav.workbench")) == "工作台");
  set_current_lang(Lang::En);
  CHECK(std::string(tr("nav.workbench")) == "Workbench");
  set_current_lang(before);
}

TEST_CASE("every sync mutation the protocol knows has a Chinese and an English label for the outbox and rejection list") {
  for (std::string_view name : cl::sync::mutation_names()) {
    const std::string key = "mutation." + std::string(name);
    CAPTURE(key);
    bool found = false;
    for (const auto& e : cl::app::i18n_entries())
      if (key == e.key) found = std::string(e.zh) != "" && std::string(e.en) != "";
    CHECK(found);
  }
}
