#include "core/csv.h"

namespace cl {

static constexpr std::string_view kBom = "\xEF\xBB\xBF";

CsvTable parse_csv(std::string_view text) {
  CsvTable out;
  if (text.substr(0, 3) == kBom) text.remove_prefix(3);
  CsvRow row;
  std::string field;
  bool in_quotes = false;
  bool record_started = false;  // anything seen since the last record end (so "a\n" is one record)
  bool field_quoted = false;
  size_t quote_opened_line = 0, line = 1;
  auto end_field = [&] { row.push_back(std::move(field)); field.clear(); field_quoted = false; };
  auto end_row = [&] {
    end_field();
    out.rows.push_back(std::move(row));
    row.clear();
    record_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
        else in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      if (record_started) end_row();  // blank lines are not records (Excel leaves them at the end)
      continue;
    }
    record_started = true;
    if (c == ',') {
      end_field();
    } else if (c == '"' && field.empty() && !field_quoted) {
      in_quotes = true;
      field_quoted = true;
      quote_opened_line = line;
    } else {
      // A quote inside an unquoted field is kept literally (lenient, like Excel) rather than
      // refusing the whole file.
      field += c;
    }
  }
  if (in_quotes)
    out.problems.push_back({"csv_unterminated_quote", "line " + std::to_string(quote_opened_line),
                            "第 " + std::to_string(quote_opened_line) + " 行的引号没有闭合",
                            "a quote opened on line " + std::to_string(quote_opened_line) + " is never closed"});
  if (record_started || in_quotes) end_row();
  if (!out.rows.empty()) {
    const size_t width = out.rows[0].size();
    for (size_t r = 1; r < out.rows.size(); ++r) {
      if (out.rows[r].size() == width) continue;
      std::string n = std::to_string(r + 1);
      out.problems.push_back({"csv_ragged_row", "row " + n,
                              "第 " + n + " 行有 " + std::to_string(out.rows[r].size()) + " 列，表头有 " +
                                  std::to_string(width) + " 列",
                              "row " + n + " has " + std::to_string(out.rows[r].size()) +
                                  " fields, the header has " + std::to_string(width)});
    }
  }
  return out;
}

std::string csv_escape(std::string_view field) {
  bool needs = field.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!needs) return std::string(field);
  std::string s = "\"";
  for (char c : field) {
    if (c == '"') s += '"';
    s += c;
  }
  s += '"';
  return s;
}

std::string write_csv(const std::vector<CsvRow>& rows, const CsvWriteOptions& options) {
  std::string out;
  if (options.bom) out += kBom;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += csv_escape(row[i]);
    }
    out += options.crlf ? "\r\n" : "\n";
  }
  return out;
}

CsvColumns map_csv_columns(const CsvTable& table, std::string (*field_for_header)(std::string_view)) {
  CsvColumns cols;
  for (const auto& prob : table.problems)
    if (prob.code == "csv_unterminated_quote") cols.file_problems.push_back(prob);
  if (table.rows.empty()) {
    cols.file_problems.push_back({"empty_file", "", "文件为空", "the file is empty"});
    return cols;
  }
  cols.headers = table.rows[0];
  for (size_t c = 0; c < cols.headers.size(); ++c) {
    std::string f = field_for_header(cols.headers[c]);
    if (f.empty() || cols.column_of.count(f)) cols.ignored_headers.push_back(cols.headers[c]);
    else cols.column_of[f] = static_cast<int>(c);
  }
  return cols;
}

}  // namespace cl
