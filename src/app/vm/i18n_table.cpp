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
    {"app.tagline", "从线索到回款，每一单都不漏", "From lead to cash, no deal slips away"},
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
    {"sync.storage_full", "本机存储已满，请勿关闭此页", "Device storage full: keep this tab open"},
    {"sync.storage_error", "本机存储出错，请勿关闭此页", "Device storage error: keep this tab open"},
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
    // --- field screens: customers, opportunities, sync issues (issue 5, screens helper) -----
    {"title.customer_new", "新建客户", "New customer"},
    {"title.customer_profile", "客户档案", "Customer profile"},
    {"title.opportunity_card", "商机详情", "Opportunity"},
    {"field.loading_replica", "正在读取本地数据…", "Reading local data…"},
    {"field.dwell_fmt", "%lld天%lld小时", "%lldd %lldh"},
    {"sync.issues_title", "同步未通过", "Not accepted by the server"},
    {"sync.local_only_suffix", "（本地检查）", " (local check)"},
    {"sync.fix", "去修改", "Fix"},
    {"sync.dismiss", "放弃", "Discard"},
    {"mutation.customer.create", "新建客户", "New customer"},
    {"mutation.customer.update", "修改客户", "Customer change"},
    {"mutation.activity.log", "记录跟进", "Logged activity"},
    {"mutation.activity.delete", "删除跟进", "Deleted activity"},
    {"mutation.opportunity.create", "新建商机", "New opportunity"},
    {"mutation.opportunity.update", "修改商机", "Opportunity change"},
    {"mutation.opportunity.advance", "推进阶段", "Stage advance"},
    {"mutation.opportunity.move_back", "退回阶段", "Stage moved back"},
    {"mutation.opportunity.close", "关闭商机", "Opportunity closed"},
    {"mutation.lead.touch", "线索跟进", "Lead touched"},
    {"mutation.lead.convert", "线索转化", "Lead converted"},
    {"mutation.lead.assign", "分配线索", "Lead assigned"},
    {"mutation.quote.create", "新建报价", "New quote"},
    {"mutation.quote.submit", "提交报价审批", "Quote sent for approval"},
    {"mutation.quote.approve", "批准报价", "Quote approved"},
    {"mutation.quote.reject", "驳回报价", "Quote rejected"},
    {"activity.kind.visit", "拜访", "Visit"},
    {"activity.kind.call", "电话", "Call"},
    {"activity.kind.message_sent", "消息", "Message"},
    {"activity.kind.reply_received", "收到回复", "Reply received"},
    {"activity.kind.proposal_sent", "发送方案", "Proposal sent"},
    {"activity.kind.objection_handled", "处理异议", "Objection handled"},
    {"activity.kind.demo", "演示", "Demo"},
    {"activity.kind.quote_sent", "发送报价", "Quote sent"},
    {"activity.kind.contract_sent", "发送合同", "Contract sent"},
    {"activity.kind.payment_chased", "催款", "Payment chased"},
    {"activity.kind.note", "备注", "Note"},
    {"quicklog.default.visit", "现场拜访", "On-site visit"},
    {"quicklog.default.call", "电话沟通", "Phone call"},
    {"quicklog.default.message_sent", "发送消息", "Message sent"},
    {"customers.new", "新建客户", "New customer"},
    {"customers.search_hint", "搜索名称、编号、电话、决策人", "Search name, code, phone, decision maker"},
    {"customers.filter_region_all", "全部区域", "All regions"},
    {"customers.filter_owner_all", "全部负责人", "All owners"},
    {"customers.filter_type_all", "全部类型", "All types"},
    {"customers.count_fmt", "%d / %d 位客户", "%d of %d customers"},
    {"customers.first_sync", "正在首次同步客户数据…", "First sync of your customers…"},
    {"customers.col_name", "机构全称", "Organisation"},
    {"customers.col_code", "客户编号", "Code"},
    {"customers.col_decision_maker", "决策人", "Decision maker"},
    {"customers.col_phone", "联系电话", "Phone"},
    {"customers.col_region", "区域", "Region"},
    {"customer_form.problem_count_fmt", "还有 %d 项需要处理", "%d items need attention"},
    {"customer_form.duplicate_warning", "可能与以下已有客户重复：", "This may duplicate an existing customer:"},
    {"customer_form.not_duplicate", "不是重复，继续保存", "Not a duplicate, save anyway"},
    {"customer_form.save", "保存客户", "Save customer"},
    {"customer_form.saved", "已保存", "Saved"},
    {"customer_form.saved_offline", "已保存（离线，联网后自动同步）", "Saved offline; syncs when back online"},
    {"profile.not_found", "找不到该客户", "Customer not found"},
    {"profile.repurchase_prep", "复购预备期", "Repurchase prep"},
    {"profile.decision_maker", "决策人", "Decision maker"},
    {"profile.main_business", "主营业务", "Main business"},
    {"profile.address", "地址", "Address"},
    {"profile.quick_log", "快速记录", "Quick log"},
    {"profile.quick_log_hint", "补充说明（可不填）", "Note (optional)"},
    {"profile.quick_log_save", "记录", "Log it"},
    {"profile.quick_log_saved", "已记录", "Logged"},
    {"profile.last_interactions", "最近3次互动", "Last 3 interactions"},
    {"profile.none", "暂无", "None yet"},
    {"profile.open_opportunities", "进行中的商机", "Open opportunities"},
    {"profile.quotes", "报价", "Quotes"},
    {"profile.payments", "回款时间线", "Payment timeline"},
    {"profile.paid_fmt", "已回款 %s / 已开票 %s", "Paid %s of %s invoiced"},
    {"profile.timeline.invoice_issued", "开票", "Invoice issued"},
    {"profile.timeline.invoice_due", "到期", "Invoice due"},
    {"profile.timeline.payment", "回款", "Payment"},
    {"profile.owner_history", "负责人变更", "Owner history"},
    {"profile.owner_fmt", "负责人：%s（未变更）", "Owner: %s (unchanged)"},
    {"quote.status.draft", "草稿", "Draft"},
    {"quote.status.pending_approval", "待审批", "Pending approval"},
    {"quote.status.approved", "已批准", "Approved"},
    {"quote.status.rejected", "已驳回", "Rejected"},
    {"quote.status.sent", "已发送", "Sent"},
    {"quote.status.superseded", "已替换", "Superseded"},
    {"funnel.title", "我的销售漏斗", "My funnel"},
    {"funnel.avg_dwell", "平均停留", "avg. dwell"},
    {"opportunities.mine", "我的商机", "My opportunities"},
    {"opportunities.none", "暂无商机", "No opportunities yet"},
    {"opportunities.won", "赢单", "Won"},
    {"opportunities.lost", "输单", "Lost"},
    {"card.not_found", "找不到该商机", "Opportunity not found"},
    {"card.expected_amount", "预计金额", "Expected amount"},
    {"card.evidence", "推进证据", "Evidence"},
    {"card.evidence_needed", "推进到下一阶段需上传：", "To advance, attach:"},
    {"card.remove", "移除", "Remove"},
    {"card.advance", "推进阶段", "Advance"},
    {"card.advanced", "已推进，正在同步", "Advanced; syncing"},
    {"card.advanced_offline", "已推进，联网后同步", "Advanced; syncs when online"},
    {"card.last_stage", "已是最后阶段", "Already in the last stage"},
    {"card.summary", "阶段推进摘要", "Stage summary"},
    {"title.lifecycle_board", "客户生命周期", "Customer lifecycle"},
    {"board.region_hint", "区域，如 杭州", "Region, e.g. 杭州"},
    {"board.only_mine", "只看我的", "Only mine"},
    {"board.total_fmt", "共 %d 位客户", "%d customers"},
    {"board.more_fmt", "还有 %d 位…", "%d more…"},
    {"customers.board", "生命周期看板", "Lifecycle board"},
    // --- screens helper, session 2 (issue 5: conflicts, move back, export, context menu) ---------
    {"export.col_code", "客户编号", "Code"},
    {"export.col_name", "机构全称", "Organisation"},
    {"export.col_decision_maker", "决策人姓名", "Decision maker"},
    {"export.col_title", "职务", "Title"},
    {"export.col_phone", "联系电话", "Phone"},
    {"export.col_main_business", "主营业务", "Main business"},
    {"export.col_customer_type", "客户类型", "Customer type"},
    {"export.col_region", "所属区域", "Region"},
    {"export.col_first_channel", "首次接触渠道", "First-contact channel"},
    {"export.col_owner", "负责人", "Owner"},
    {"customers.export_csv", "导出CSV", "Export CSV"},
    {"customers.exported_fmt", "已导出 %d 位客户", "Exported %d customers"},
    {"customers.ctx_open", "打开客户档案", "Open profile"},
    {"customers.ctx_dial", "拨打电话", "Call"},
    {"customers.ctx_copy_phone", "复制电话", "Copy phone"},
    {"customers.ctx_log_visit", "记录一次拜访", "Log a visit"},
    {"customers.ctx_hint", "长按客户可拨号、复制电话、记录拜访", "Long-press a customer to call, copy the phone or log a visit"},
    {"conflict.title", "同步冲突：服务器保留了它的值", "Sync conflict: the server kept its value"},
    {"conflict.field.stage", "阶段", "Stage"},
    {"conflict.field.expected_amount_fen", "预计金额", "Expected amount"},
    {"conflict.field.owner_id", "负责人", "Owner"},
    {"conflict.field.status", "状态", "Status"},
    {"conflict.field.title", "标题", "Title"},
    {"conflict.field.other", "字段", "Field"},
    {"conflict.server", "服务器", "Server"},
    {"conflict.mine", "我的", "Mine"},
    {"conflict.keep_server", "保留服务器的值", "Keep the server's"},
    {"conflict.reapply", "重新应用我的", "Re-apply mine"},
    {"conflict.redo_on_card", "在商机卡片上重做", "Redo on the card"},
    {"conflict.kept", "已保留服务器的值", "Kept the server's value"},
    {"conflict.reapplied", "已重新应用，等待同步", "Re-applied; waiting to sync"},
    {"conflict.record_gone", "（记录已不在本机）", "(record no longer on this device)"},
    {"conflict.status.open", "进行中", "Open"},
    {"card.move_back", "退回阶段", "Move back"},
    {"card.move_back_to", "退回到：", "Back to:"},
    {"card.move_back_reason_hint", "退回原因（必填）", "Reason (required)"},
    {"card.move_back_confirm", "确认退回", "Confirm move back"},
    {"card.moved_back", "已退回，正在同步", "Moved back; syncing"},
    {"card.moved_back_offline", "已退回，联网后同步", "Moved back; syncs when online"},
    {"card.edit_amount", "修改金额", "Change amount"},
    {"card.amount_hint", "金额（元），如 120000", "Amount in yuan, e.g. 120000"},
    {"card.amount_saved", "金额已修改，正在同步", "Amount changed; syncing"},
    {"card.amount_saved_offline", "金额已修改，联网后同步", "Amount changed; syncs when online"},
    {"card.amount_invalid", "请输入有效的金额（元）", "Enter a valid amount in yuan"},
    {"card.download_summary", "下载摘要", "Download summary"},
    {"card.closed", "已关闭：", "Closed:"},
    {"board.filter_owner_all", "全部负责人", "All owners"},
    {"settings.company", "公司设置", "Company settings"},
    {"settings.source", "来源", "Source"},
    {"settings.source.defaults", "默认规则（尚未从服务器获取）", "Defaults (not yet from the server)"},
    {"settings.source.cache", "本机缓存（离线）", "Cached on this device (offline)"},
    {"settings.source.server", "服务器", "Server"},
    {"settings.required_fields", "必填字段", "Required fields"},
    {"settings.stages", "商机阶段", "Opportunity stages"},
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
