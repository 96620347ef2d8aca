// Every user-visible string of the app goes through this table (TEAM.md rule): stable ids
// ("nav.customers") → Chinese (default) and English. The table lives in src/app/vm/i18n_table.cpp
// so the unit tests (native and wasm) can check it without ImGui.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cl::app {

enum class Lang { Zh, En };

struct I18nEntry {
  const char* key;
  const char* zh;
  const char* en;
};

// All entries, in table order (for tests and tooling).
const std::vector<I18nEntry>& i18n_entries();

// The text for `key` in `lang`; an unknown key returns the key itself so a gap is visible on screen.
const char* tr(std::string_view key, Lang lang);
// The text in the current UI language.
const char* tr(std::string_view key);

// Keys asked for through tr() that the table doesn't have (shown as the key on screen); the browser
// test API reports them so a screen with an untranslated label fails its test.
std::vector<std::string> i18n_missing_keys();

Lang current_lang();
void set_current_lang(Lang lang);
const char* lang_code(Lang lang);  // "zh" / "en"

}  // namespace cl::app
