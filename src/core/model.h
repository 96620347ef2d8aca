// Closeloop domain model: the nouns of the brief (../shared/BRIEF.md), as plain data.
//
// [SECTION] Basics: Instant, Money, ids, record metadata
// [SECTION] People: users, teams
// [SECTION] Settings (admin-configurable, "zero-code")
// [SECTION] Leads (R1–R3)
// [SECTION] Customers (R4–R8)
// [SECTION] Opportunities, stages, evidence (R9–R14)
// [SECTION] Activities (R8, R24, R25)
// [SECTION] Products, price lists (R15, R20)
// [SECTION] Quote → contract → invoice → payment (R20–R22)
// [SECTION] Reminders, share links, audit (R11, R27, R30)
//
// Rules live in their own files (one noun or rule per file); this header only holds data.
// Every struct here is a value: copyable, comparable where it matters, no pointers between records —
// records refer to each other by Id, so the same structs serve the browser replica and the server store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cl {

// ============================================================================================
// [SECTION] Basics
// ============================================================================================

// Milliseconds since the Unix epoch, UTC. Core never reads a clock: callers pass `now`.
using Instant = std::int64_t;
constexpr Instant kMinute = 60'000;
constexpr Instant kHour = 60 * kMinute;
constexpr Instant kDay = 24 * kHour;

// Record ids are made on the client (UUIDv7 text, see ids.h) so records can be created offline.
using Id = std::string;

// Money in integer fen (分). Never floating point. Arithmetic helpers and rounding rules: money.h.
struct Money {
  std::int64_t fen = 0;
  friend bool operator==(Money a, Money b) { return a.fen == b.fen; }
  friend auto operator<=>(Money a, Money b) { return a.fen <=> b.fen; }
  friend Money operator+(Money a, Money b) { return {a.fen + b.fen}; }
  friend Money operator-(Money a, Money b) { return {a.fen - b.fen}; }
  Money& operator+=(Money o) { fen += o.fen; return *this; }
  Money& operator-=(Money o) { fen -= o.fen; return *this; }
};

// A civil date in Beijing time (business days, monthly targets, due dates). See time.h.
struct Date {
  int year = 1970, month = 1, day = 1;
  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Common to every replicated record: identity, ownership (scopes, R33), times, version and a
// tombstone flag (sync pulls deletions as tombstones, SYNC.md).
struct RecordMeta {
  Id id;
  Id owner_id;               // the rep (or manager) responsible; scopes are computed from it
  Instant created_at = 0;
  Instant updated_at = 0;
  std::int64_t version = 0;  // bumped by the server on every accepted change
  bool deleted = false;
  friend bool operator==(const RecordMeta&, const RecordMeta&) = default;
};

// ============================================================================================
// [SECTION] People
// ============================================================================================

enum class Role { Rep, Manager, Admin };

struct User {
  Id id;
  std::string username;
  std::string display_name;
  Role role = Role::Rep;
  Id team_id;                // reps and managers belong to one team; admin may have none
  std::string phone;
  std::string email;
  bool active = true;        // false after a handover (R28): can no longer log in, owns nothing
};

struct Team {
  Id id;
  std::string name;
  std::string region;        // e.g. 杭州, 宁波 — share links may be scoped by region (R27)
  Id manager_id;
};

// ============================================================================================
// [SECTION] Settings (admin-configurable)
// ============================================================================================

struct TagGroup {
  std::string key;           // stable key: "customer_type", "region", "first_channel"
  std::string name_zh, name_en;
  std::vector<std::string> values;
  bool required = false;     // R4: the three seed tag groups are required by default
};

struct StageDef {
  std::string key;                          // "need_confirmed", …
  std::string name_zh, name_en;             // 需求确认, Need confirmed
  std::vector<std::string> evidence_kinds;  // R10: kinds that satisfy the gate to LEAVE this stage
  int stall_hours = 48;                     // R11: level-1 reminder after this long in the stage
};

struct MessageTemplate {
  std::string key;           // "repurchase_start", "stage_summary", "second_touch", …
  std::string name_zh, name_en;
  std::string body;          // placeholders: {客户名称} {产品型号} {推荐型号} {阶段} {销售} …
};

struct Settings {
  // R4: customer-form fields that must be filled (keys: "name", "decision_maker",
  // "decision_maker_title", "phone", "main_business", or "custom.<key>").
  std::vector<std::string> required_customer_fields;
  std::vector<TagGroup> tag_groups;
  std::vector<StageDef> stages;             // R9: the five seed stages by default
  std::vector<MessageTemplate> templates;
  int escalation_hours = 24;                // R11: level 2 (manager) this long after level 1
  int untouched_lead_hours = 48;            // R2
  int fake_talk_days = 14;                  // R14
  int no_reply_hours = 24;                  // R24
  int repurchase_lead_days = 60;            // R15: prep window opens this long before due
  int discount_approval_bp = 1000;          // R20: discount above 10.00% needs the manager
  int quote_validity_days = 30;
  int invoice_due_days = 30;                // R21: payment term for overdue tracking
  int dormant_days = 180;                   // R7: no action this long and nothing open -> dormant
};

// ============================================================================================
// [SECTION] Leads (R1–R3)
// ============================================================================================

enum class LeadStatus { Imported, Assigned, Touched, Qualified, Converted, Dropped };

struct Lead {
  RecordMeta meta;           // owner_id = assigned rep (empty while unassigned)
  std::string company;
  std::string contact_name;
  std::string phone;
  std::string source;        // marketing campaign / list name
  std::string region;
  std::string note;
  LeadStatus status = LeadStatus::Imported;
  Id import_batch_id;
  Instant imported_at = 0;
  Instant assigned_at = 0;
  Instant first_touched_at = 0;   // 0 = never touched
  Id first_touched_by;
  std::string last_outcome;
  Instant qualified_at = 0;
  Instant converted_at = 0;
  Id converted_customer_id;
  Id converted_opportunity_id;
  std::string drop_reason;
};

// ============================================================================================
// [SECTION] Customers (R4–R8)
// ============================================================================================

struct Contact {
  std::string name;
  std::string title;
  std::string phone;
  bool decision_maker = false;
  friend bool operator==(const Contact&, const Contact&) = default;
};

struct OwnerChange {
  Id from_owner, to_owner;
  Instant at = 0;
  Id by;
  std::string reason;        // "handover", "reassign", …
  friend bool operator==(const OwnerChange&, const OwnerChange&) = default;
};

struct Customer {
  RecordMeta meta;
  std::string code;                            // human-readable, unique, offline-safe (R5, ids.h)
  std::string name;                            // 机构全称
  std::string decision_maker;                  // 决策人姓名
  std::string decision_maker_title;            // 职务
  std::string phone;                           // 联系电话
  std::string main_business;                   // 主营业务
  std::string address;
  std::vector<Contact> contacts;               // further contacts besides the decision maker
  std::map<std::string, std::string> tags;     // tag group key -> value (R4, R7 filters)
  std::map<std::string, std::string> custom;   // admin-defined extra fields
  bool contact_authorised = false;             // R12: may we send the customer messages?
  Id source_lead_id;
  std::vector<OwnerChange> owner_history;      // R6, R28
  // Field by field, every field: the same answer as comparing the encoded JSON (codec_test checks
  // that), without encoding twice on every customer.update a push applies.
  friend bool operator==(const Customer&, const Customer&) = default;
};

// Lifecycle stage is derived from facts (lifecycle.h), never typed (R7).
enum class Lifecycle { New, Contacted, Opportunity, Customer, RepurchasePrep, Dormant };

// ============================================================================================
// [SECTION] Opportunities (R9–R14)
// ============================================================================================

enum class OpportunityStatus { Open, Won, Lost };

// A file that proves a stage's work (R10). Content-addressed: the bytes live in the server's
// evidence store under their sha256; records only hold the reference.
struct EvidenceRef {
  std::string sha256;        // 64 lowercase hex
  std::string file_name;
  std::string mime_type;     // application/pdf, image/jpeg, image/png, image/heic
  std::int64_t size_bytes = 0;
  std::string kind;          // "需求确认书", "报价截图", "合同扫描件", "银行回单", …
  Id uploaded_by;
  Instant uploaded_at = 0;
};

// One stay in one stage. The current stay has left_at == 0.
struct StageVisit {
  int stage = 0;                       // index into Settings::stages
  Instant entered_at = 0;
  Instant left_at = 0;
  Id entered_by;
  std::vector<EvidenceRef> evidence;   // evidence attached while in this stage (gates leaving it)
  std::string reason;                  // why we came here when moving back
  // R11: stall reminders already sent for this stay, so they are never repeated.
  Instant level1_sent_at = 0;
  Instant level2_sent_at = 0;
  Instant acknowledged_at = 0;
  Id acknowledged_by;
};

struct Opportunity {
  RecordMeta meta;
  Id customer_id;
  std::string title;
  Money expected_amount;
  std::vector<Id> product_ids;
  OpportunityStatus status = OpportunityStatus::Open;
  std::string close_reason;            // won/lost reason
  Instant closed_at = 0;
  std::vector<StageVisit> stages;      // history; back() is the current stay
};

// ============================================================================================
// [SECTION] Activities (R8, R24, R25)
// ============================================================================================

// Objective actions. R24 statuses and R25 daily reports are derived from these — never typed.
enum class ActivityKind {
  Visit, Call, MessageSent, ReplyReceived, ProposalSent, ObjectionHandled, Demo, QuoteSent,
  ContractSent, PaymentChased, Note
};

struct Activity {
  RecordMeta meta;           // owner_id = the rep who did it
  ActivityKind kind = ActivityKind::Note;
  Instant at = 0;            // when it happened (may be before it was logged, offline)
  Id customer_id;
  Id opportunity_id;
  Id lead_id;
  std::string summary;       // short text; R6 shows the last three
  std::string outcome;
};

// ============================================================================================
// [SECTION] Products and price lists (R15, R20)
// ============================================================================================

struct Product {
  Id id;
  std::string model_code;             // e.g. "GK-ZR-2024"
  std::string name;                   // 骨科植入耗材 …
  std::string category;
  int usage_cycle_months = 12;        // R15: e.g. 14 for the orthopedic implant consumable
  std::string replacement_model_code; // R16/R19: suggested new/replacement model
  bool active = true;
};

struct PriceItem {
  Id product_id;
  Money list_price;                   // per unit, tax included
};

struct PriceList {
  Id id;
  std::string name;
  Date valid_from;                    // inclusive, Beijing dates
  Date valid_to;                      // inclusive
  std::vector<PriceItem> items;
};

// ============================================================================================
// [SECTION] Quote → contract → invoice → payment (R20–R22)
// ============================================================================================

struct QuoteLine {
  Id product_id;
  std::string model_code;
  std::string product_name;
  std::int64_t quantity = 1;
  Money unit_list_price;              // copied from the price list valid on the quote day
  int discount_bp = 0;                // basis points: 1250 = 12.50 % off
};

enum class QuoteStatus { Draft, PendingApproval, Approved, Rejected, Sent, Superseded };

struct Quote {
  RecordMeta meta;
  std::string code;
  Id customer_id;
  Id opportunity_id;
  Id price_list_id;
  Date quote_date;
  Date valid_until;
  std::vector<QuoteLine> lines;
  QuoteStatus status = QuoteStatus::Draft;
  Id approved_by;                     // R30: quotes approved by whom
  Instant approved_at = 0;
  std::string approval_note;
  Id based_on_quote_id;               // R20: reused from a similar past quote
};

enum class ContractStatus { Draft, Signed, Cancelled };

struct Contract {
  RecordMeta meta;
  std::string code;
  Id quote_id;
  Id customer_id;
  Id opportunity_id;
  std::vector<QuoteLine> lines;       // copied from the approved quote
  Money amount;
  ContractStatus status = ContractStatus::Draft;
  Date signed_on;                     // R15: purchase date for the repurchase engine
};

enum class InvoiceStatus { Requested, Issued, Paid, Cancelled };

struct Invoice {
  RecordMeta meta;
  std::string code;
  Id contract_id;
  Id customer_id;
  Money amount;
  InvoiceStatus status = InvoiceStatus::Requested;
  Date requested_on;
  Date issued_on;
  Date due_on;                        // overdue when unpaid after this date (R21)
};

struct Payment {
  RecordMeta meta;                    // owner_id = the rep credited with the collection (R22)
  Id invoice_id;
  Id customer_id;
  Money amount;
  Date received_on;
  std::string method;                 // 银行转账, 承兑汇票, …
  std::string reference;              // bank slip number
};

// R22: monthly collection target for a rep or a team ("YYYY-MM" in Beijing time).
struct CollectionTarget {
  Id id;
  std::string month;                  // "2026-11"
  Id rep_id;                          // exactly one of rep_id / team_id is set
  Id team_id;
  Money amount;
};

// ============================================================================================
// [SECTION] Reminders, share links, audit
// ============================================================================================

enum class ReminderKind { StallLevel1, StallLevel2, UntouchedLead, RepurchaseWindow, InvoiceOverdue, SecondTouch };

struct Reminder {
  Id id;
  ReminderKind kind = ReminderKind::StallLevel1;
  Id recipient_id;
  std::string subject_type;           // "opportunity", "lead", "customer", "invoice"
  Id subject_id;
  Instant due_at = 0;
  std::string dedupe_key;             // the same reminder is never created twice
  std::string text_zh, text_en;
  Instant acknowledged_at = 0;
  Id acknowledged_by;
};

// R27: what a shared link may show. The token itself is random and stored hashed on the server.
struct ShareScope {
  Id id;
  Id created_by;
  Id team_id;                         // exactly one of team_id / region is set
  std::string region;
  Instant created_at = 0;
  Instant expires_at = 0;
  Instant revoked_at = 0;             // 0 = active
  std::string label;
};

// R30: who changed what and when.
struct FieldChange {
  std::string field;
  std::string before, after;
};

struct AuditEvent {
  Id id;
  Instant at = 0;
  Id actor_id;
  std::string entity_type;            // "customer", "opportunity", "quote", …
  Id entity_id;
  std::string action;                 // "create", "update", "advance_stage", "approve", …
  std::vector<FieldChange> changes;
  std::vector<std::string> evidence_sha256;
};

}  // namespace cl
