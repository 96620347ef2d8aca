// The one i18n table of the app (TEAM.md: every user-visible string goes through it). Chinese is
// the default; English is available through the toggle. Keys are stable ids "area.thing".
// Screens add their keys here (zh and en both non-empty: tests/unit/i18n_test.cpp checks).
#include <atomic>
#include <mutex>
#include <set>
#include <string_view>
#include <unordered_map>

#include "app/i18n.h"

namespace cl::app {
namespace {

const std::vector<I18nEntry> kTable = {
    // --- app / shell -----------------------------------------------------------------------
    {"app.name", "闭环", "Closeloop"},
    {"app.name_full", "闭环 Closeloop", "Closeloop 闭环"},
    {"app.loading", "正在加载…", "Loading…"},
    {"app.coming_soon", "此功能即将推出", "Coming soon"},
    {"app.not_found", "页面不存在", "Page not found"},
    {"app.back_home", "返回工作台", "Back to the workbench"},
    {"lang.toggle", "English", "中文"},
    {"lang.toggle_hint", "切换语言", "Switch language"},
    {"topbar.logout", "退出登录", "Log out"},
    {"topbar.more", "更多", "More"},
    {"role.rep", "销售代表", "Sales rep"},
    {"role.manager", "销售经理", "Sales manager"},
    {"role.admin", "管理员", "Administrator"},
    // --- sync indicator (issue 5) ----------------------------------------------------------
    {"sync.online", "在线", "Online"},
    {"sync.offline", "离线", "Offline"},
    {"sync.syncing", "同步中", "Syncing"},
    {"sync.pending", "待同步", "pending"},
    {"sync.first_sync", "首次同步", "First sync"},
    // --- navigation areas --------------------------------------------------------------------
    {"nav.workbench", "工作台", "Workbench"},
    {"nav.leads", "线索", "Leads"},
    {"nav.customers", "客户", "Customers"},
    {"nav.opportunities", "商机", "Opportunities"},
    {"nav.quotes", "报价/合同", "Quotes & contracts"},
    {"nav.collections", "回款", "Collections"},
    {"nav.reminders", "提醒", "Reminders"},
    {"nav.reports", "报表", "Reports"},
    {"nav.settings", "设置", "Settings"},
    // --- workbench -----------------------------------------------------------------------------
    {"title.workbench", "工作台", "Workbench"},
    {"workbench.greeting", "你好，", "Hello, "},
    {"workbench.profile", "我的账号", "My account"},
    {"workbench.username", "用户名", "Username"},
    {"workbench.display_name", "姓名", "Name"},
    {"workbench.role", "角色", "Role"},
    {"workbench.team", "团队", "Team"},
    {"workbench.no_team", "无", "None"},
    {"workbench.loading_me", "正在从服务器读取账号信息…", "Loading your account from the server…"},
    {"workbench.me_failed", "无法读取账号信息", "Could not load your account"},
    {"workbench.offline_cached", "离线：显示本机保存的信息", "Offline: showing what this device saved"},
    {"workbench.retry", "重试", "Retry"},
    {"workbench.quick_note", "随手记", "Quick note"},
    {"workbench.quick_note_hint", "输入拜访要点…", "Type visit notes…"},
    {"workbench.server_version", "服务器版本", "Server version"},
    // --- settings ------------------------------------------------------------------------------
    {"title.settings", "设置", "Settings"},
    {"settings.language", "界面语言", "Language"},
    {"settings.lang_zh", "中文", "Chinese"},
    {"settings.lang_en", "English", "English"},
    {"settings.device", "本设备", "This device"},
    {"settings.pixel_ratio", "像素密度", "Pixel ratio"},
    {"settings.pointer", "输入方式", "Pointer"},
    {"settings.pointer_touch", "触屏", "Touch"},
    {"settings.pointer_mouse", "鼠标", "Mouse"},
    // --- placeholder titles of areas not built yet -----------------------------------------
    {"title.leads", "线索", "Leads"},
    {"title.customers", "客户", "Customers"},
    {"title.opportunities", "商机", "Opportunities"},
    {"title.quotes", "报价/合同", "Quotes & contracts"},
    {"title.collections", "回款", "Collections"},
    {"title.reminders", "提醒", "Reminders"},
    {"title.reports", "报表", "Reports"},
    {"title.not_found", "页面不存在", "Not found"},
    // --- common widgets -----------------------------------------------------------------------
    {"common.copy", "复制", "Copy"},
    {"common.copied", "已复制", "Copied"},
    {"common.dial", "拨打", "Call"},
    {"common.back", "返回", "Back"},
    {"common.save", "保存", "Save"},
    {"common.cancel", "取消", "Cancel"},
    {"common.retry", "重试", "Retry"},
    {"common.download", "下载", "Download"},
    {"common.pick_file", "选择文件", "Choose file"},
    {"common.take_photo", "拍照", "Take photo"},
};

std::atomic<Lang> g_lang{Lang::Zh};
std::mutex g_missing_mutex;
std::set<std::string>& missing() {
  static auto* m = new std::set<std::string>();
  return *m;
}

const std::unordered_map<std::string_view, const I18nEntry*>& index() {
  static const auto* idx = [] {
    auto* m = new std::unordered_map<std::string_view, const I18nEntry*>();
    for (const auto& e : kTable) m->emplace(e.key, &e);
    return m;
  }();
  return *idx;
}

}  // namespace

const std::vector<I18nEntry>& i18n_entries() { return kTable; }

std::vector<std::string> i18n_missing_keys() {
  std::lock_guard<std::mutex> lock(g_missing_mutex);
  return {missing().begin(), missing().end()};
}

const char* tr(std::string_view key, Lang lang) {
  const auto& idx = index();
  auto it = idx.find(key);
  if (it == idx.end()) {
    std::lock_guard<std::mutex> lock(g_missing_mutex);
    // Keep the text alive: key.data() may point into a temporary std::string.
    return missing().emplace(key).first->c_str();   // visible gap rather than an empty label
  }
  return lang == Lang::En ? it->second->en : it->second->zh;
}

const char* tr(std::string_view key) { return tr(key, g_lang.load()); }
Lang current_lang() { return g_lang.load(); }
void set_current_lang(Lang lang) { g_lang.store(lang); }
const char* lang_code(Lang lang) { return lang == Lang::En ? "en" : "zh"; }

}  // namespace cl::app
