// R35: the lists a manager takes to Excel — customers, leads, opportunities, quotes, invoices and
// payments (collections) — as one table shape written two ways: CSV with a BOM (opens right in Excel
// in China) and XLSX (libxlsxwriter, numbers as numbers). Rows come from records already filtered by
// the caller's scope; this file only lays them out.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::server {

// Text, money (exact fen: CSV prints "1234.56", XLSX a number formatted #,##0.00) or an integer.
using ExportCell = std::variant<std::string, Money, std::int64_t>;

struct ExportTable {
  std::string name;                     // "customers" (file name) …
  std::string sheet_title;              // "客户" (XLSX sheet)
  std::vector<std::string> headers;
  std::vector<std::vector<ExportCell>> rows;
};

struct ExportData {
  std::vector<User> users;
  std::vector<Team> teams;
  Settings settings;
  std::vector<Customer> customers;
  std::vector<Lead> leads;
  std::vector<Opportunity> opportunities;
  std::vector<Quote> quotes;
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;
};

// The list names the export endpoint accepts.
const std::vector<std::string>& export_list_names();
// nullopt for an unknown list name.
std::optional<ExportTable> build_export_table(const std::string& list, const ExportData& data, Instant now);

// CSV text: UTF-8 BOM, CRLF, RFC 4180 quoting; text cells that start with = + - @ are prefixed with
// ' so a spreadsheet never runs them as formulas (CSV injection).
std::string export_csv(const ExportTable& table);

// XLSX bytes, written through a temporary file in `tmp_dir` (removed afterwards).
Result<std::string> export_xlsx(const ExportTable& table, const std::filesystem::path& tmp_dir);

}  // namespace cl::server
