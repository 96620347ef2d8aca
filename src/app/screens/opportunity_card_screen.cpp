// 商机卡片 Opportunity card (R9, R10, R12): the five-stage bar with dwell per stage; evidence for the
// current stage — pick a PDF or take a photo (hashed in wasm, uploaded before the move syncs); the
// advance button, refused without evidence with the reason; the stage summary with a copy button.
#include <imgui.h>

#include <string>

#include "app/i18n.h"
#include "app/screens/field_common.h"
#include "app/screens/screen.h"
#include "app/ui/widgets.h"
#include "core/money.h"
#include "platform/files.h"

namespace cl::app {
namespace {

std::string g_amount_text;     // the amount editor's text (yuan)
Id g_amount_for;               // card it belongs to ("" = editor closed)

std::string stage_name(const OpportunityCardVM& card, int i) {
  const auto& s = card.stages()[static_cast<std::size_t>(i)];
  return std::to_string(i + 1) + " " + (current_lang() == Lang::En ? s.name_en : s.name_zh);
}

// Guarded money field: sent with the amount shown (the conflict rule compares it with the server's).
void amount_row(ScreenContext& ctx, FieldApp& app, OpportunityCardVM& card) {
  const Opportunity& o = card.opportunity();
  ImGui::AlignTextToFramePadding();
  ImGui::Text("%s: %s", tr("card.expected_amount"), format_yuan(o.expected_amount).c_str());
  if (app.sync.is_pending_record("opportunity", o.meta.id)) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.8f, 0.5f, 0.0f, 1), "· %s", tr("sync.pending"));
  }
  if (o.status != OpportunityStatus::Open) return;
  ImGui::SameLine();
  if (g_amount_for != o.meta.id) {
    if (ui::touch_button(tr("card.edit_amount"))) {
      g_amount_for = o.meta.id;
      g_amount_text = format_plain(o.expected_amount);
    }
    ui::mark_target("card.edit_amount");
    return;
  }
  ImGui::SetNextItemWidth(ctx.compact ? 180.0f : 220.0f);
  ui::input_text_with_hint("##amount", tr("card.amount_hint"), g_amount_text, ImGuiInputTextFlags_CharsDecimal);
  ui::mark_target("card.amount_input");
  ImGui::SameLine();
  if (ui::touch_button(tr("common.save"))) {
    auto amount = parse_yuan(g_amount_text);
    if (!amount) {
      ui::toast(tr("card.amount_invalid"));
    } else if (card.handle(UpdateExpectedAmount{*amount}, app.sync, field::now())) {
      field::toast_queued(app, "card.amount_saved");
      g_amount_for.clear();
    }
  }
  ui::mark_target("card.save_amount");
  ImGui::SameLine();
  if (ui::touch_button(tr("common.cancel"))) g_amount_for.clear();
}

// R10: back to an earlier stage, with a reason (the VM refuses without one and says so).
void move_back_panel(ScreenContext& ctx, FieldApp& app, OpportunityCardVM& card) {
  if (!card.can_move_back()) return;
  if (card.move_back_to < 0) {
    if (ui::touch_button(tr("card.move_back"))) card.move_back_to = card.current_stage() - 1;
    ui::mark_target("card.move_back");
    return;
  }
  ImGui::SeparatorText(tr("card.move_back"));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("card.move_back_to"));
  for (int i = 0; i < card.current_stage(); ++i) {
    ImGui::SameLine();
    const bool on = card.move_back_to == i;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.43f, 0.78f, 1));
    if (on) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    if (ui::touch_button((stage_name(card, i) + "##back" + std::to_string(i)).c_str())) card.move_back_to = i;
    ui::mark_target("card.move_back_to." + std::to_string(i));
    if (on) ImGui::PopStyleColor(2);
  }
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 560.0f));
  ui::input_text_with_hint("##back_reason", tr("card.move_back_reason_hint"), card.move_back_reason);
  ui::mark_target("card.move_back_reason");
  if (ui::touch_button(tr("card.move_back_confirm"), ImVec2(ctx.compact ? ImGui::GetContentRegionAvail().x * 0.6f : 0, 0))) {
    if (card.handle(MoveBackStage{card.move_back_to, card.move_back_reason}, app.replica, app.sync, app.user_name, field::now()))
      field::toast_queued(app, "card.moved_back");
  }
  ui::mark_target("card.move_back_confirm");
  ImGui::SameLine();
  if (ui::touch_button((std::string(tr("common.cancel")) + "##back_cancel").c_str())) card.move_back_to = -1;
}

void stage_bar(ScreenContext& ctx, const OpportunityCardVM& card) {
  const auto& stages = card.stages();
  const int n = static_cast<int>(stages.size());
  if (n == 0) return;
  const float spacing = 4.0f;
  const float w = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(n - 1)) / static_cast<float>(n);
  const float h = ctx.compact ? 56.0f : 48.0f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  for (int i = 0; i < n; ++i) {
    const auto& s = stages[static_cast<std::size_t>(i)];
    ImU32 fill = s.state == StageState::Done      ? IM_COL32(76, 160, 90, 255)
                 : s.state == StageState::Current ? IM_COL32(40, 110, 200, 255)
                                                  : IM_COL32(215, 218, 224, 255);
    ImU32 text = s.state == StageState::Todo ? IM_COL32(70, 70, 70, 255) : IM_COL32(255, 255, 255, 255);
    ImVec2 a(p.x + static_cast<float>(i) * (w + spacing), p.y), b(a.x + w, a.y + h);
    dl->AddRectFilled(a, b, fill, 6.0f);
    std::string name = std::to_string(i + 1) + " " + (current_lang() == Lang::En ? s.name_en : s.name_zh);
    ImVec2 ts = ImGui::CalcTextSize(name.c_str());
    const float line = ImGui::GetTextLineHeight();
    ImGui::PushClipRect(a, b, true);
    dl->AddText(ImVec2(a.x + std::max(4.0f, (w - ts.x) / 2), a.y + h / 2 - line), text, name.c_str());
    if (s.state != StageState::Todo) {
      std::string dwell = field::format_dwell(s.dwell_ms);
      ImVec2 ds = ImGui::CalcTextSize(dwell.c_str());
      dl->AddText(ImVec2(a.x + std::max(4.0f, (w - ds.x) / 2), a.y + h / 2), text, dwell.c_str());
    }
    ImGui::PopClipRect();
  }
  ImGui::Dummy(ImVec2(0, h));
  ui::mark_target("card.stage_bar");
}

void draw_opportunity_card(ScreenContext& ctx) {
  FieldApp* app = field::require(ctx);
  if (!app) return;
  field::issues_banner(ctx, *app);
  const Id id = ctx.route.param("id");
  OpportunityCardVM& card = app->card;
  card.load(app->replica, app->settings, id, field::now());
  if (!card.found()) {
    ImGui::TextDisabled("%s", tr("card.not_found"));
    if (ui::touch_button(tr("common.back"))) ctx.navigate("opportunities");
    return;
  }
  const Opportunity& o = card.opportunity();
  ImGui::BeginChild("##card", ImVec2(0, 0));
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.3f);
  ImGui::TextWrapped("%s", o.title.c_str());
  ImGui::PopFont();
  if (ImGui::Selectable(card.customer_name().c_str(), false, 0, ImVec2(0, 0))) ctx.navigate("customers/" + o.customer_id);
  amount_row(ctx, *app, card);
  if (o.status != OpportunityStatus::Open) {   // closed meanwhile (maybe on another device): say so
    ImGui::TextColored(o.status == OpportunityStatus::Won ? ImVec4(0.2f, 0.55f, 0.25f, 1) : ImVec4(0.6f, 0.3f, 0.1f, 1),
                       "%s %s  %s", tr("card.closed"), tr(o.status == OpportunityStatus::Won ? "opportunities.won" : "opportunities.lost"),
                       o.close_reason.c_str());
  }
  ImGui::Spacing();
  stage_bar(ctx, card);
  ImGui::Spacing();

  if (card.can_advance()) {
    // R10: the evidence that gates leaving the current stage.
    std::string kinds;
    for (const auto& k : card.evidence_kinds()) kinds += (kinds.empty() ? "" : " / ") + k;
    ImGui::SeparatorText(tr("card.evidence"));
    ImGui::TextWrapped("%s %s", tr("card.evidence_needed"), kinds.c_str());
    for (const auto& e : card.recorded_evidence())
      ImGui::BulletText("%s (%s) %.8s…", e.file_name.c_str(), e.kind.c_str(), e.sha256.c_str());
    for (const auto& a : card.attached()) {
      ImGui::PushID(a.sha256.c_str());
      ImGui::BulletText("%s  %lld KB  sha256 %.12s…", a.file_name.c_str(), static_cast<long long>((a.size_bytes + 1023) / 1024),
                        a.sha256.c_str());
      ImGui::SameLine();
      // A finger needs a full-height target; a mouse is happy with the small one.
      if (ctx.touch ? ui::touch_button(tr("card.remove")) : ImGui::SmallButton(tr("card.remove"))) card.handle(RemoveEvidence{a.sha256});
      ImGui::PopID();
    }
    auto on_file = [id](platform::PickedFile f) {
      FieldApp* a = field_app();
      if (!a || a->card.opportunity().meta.id != id) return;
      a->card.handle(AttachEvidence{f.name, f.mime, std::string(f.bytes.begin(), f.bytes.end()), ""}, field::now());
    };
    if (ui::touch_button(tr("common.pick_file"))) platform::pick_file("application/pdf,image/*", false, on_file);
    ui::mark_target("card.pick_file");
    if (ctx.touch) {   // tablets and phones: straight to the back camera (capture="environment")
      ImGui::SameLine();
      if (ui::touch_button(tr("common.take_photo"))) platform::pick_file("image/*", true, on_file);
      ui::mark_target("card.take_photo");
    }
    ImGui::Spacing();
    std::string advance = std::string(tr("card.advance")) + " → " +
                          (current_lang() == Lang::En ? card.stages()[card.current_stage() + 1].name_en
                                                      : card.stages()[card.current_stage() + 1].name_zh);
    if (ui::touch_button(advance.c_str(), ImVec2(ctx.compact ? ImGui::GetContentRegionAvail().x : 0, 0))) {
      if (card.handle(AdvanceStage{}, app->replica, app->sync, app->user_id, app->user_name, field::now()))
        field::toast_queued(*app, "card.advanced");
    }
    ui::mark_target("card.advance");
  } else if (o.status == OpportunityStatus::Open) {
    ImGui::TextDisabled("%s", tr("card.last_stage"));
  }
  if (!ctx.compact && card.can_advance() && card.move_back_to < 0 && card.can_move_back()) ImGui::SameLine();
  move_back_panel(ctx, *app, card);
  for (const auto& p : card.problems()) field::field_error(&p);

  // R12: the summary for the customer after the latest move.
  if (!card.summary_text().empty()) {
    ImGui::SeparatorText(tr("card.summary"));
    ImGui::TextWrapped("%s", card.summary_text().c_str());
    ui::copy_button("##copy_summary", card.summary_text());
    ui::mark_target("card.copy_summary");
    ImGui::SameLine();
    if (ui::touch_button(tr("card.download_summary"))) {
      const std::string& text = card.summary_text();
      platform::download_file(o.title + ".txt", "text/plain;charset=utf-8", text.data(), text.size());
    }
    ui::mark_target("card.download_summary");
  }
  ImGui::EndChild();
}

}  // namespace
}  // namespace cl::app

CL_SCREEN("opportunities/:id", "opportunities", "title.opportunity_card", cl::app::draw_opportunity_card);
