// R1/R35: RFC 4180 CSV over UTF-8 text — the format the marketing team's Excel exports and the
// managers take back to Excel. Pure: bytes in, rows out (GB18030 → UTF-8 is the server's job, iconv).
//
// Parsing: a leading UTF-8 BOM is stripped (Excel writes one); fields may be quoted, and quoted
// fields may hold commas, doubled quotes ("") and line breaks; records end with CRLF or LF (or a lone
// CR). Blank lines (and a final line break) make no record. Rows whose field count differs from the
// first row are reported as problems (ragged), but still returned so a preview can show them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/problem.h"

namespace cl {

using CsvRow = std::vector<std::string>;

struct CsvTable {
  std::vector<CsvRow> rows;       // rows[0] is the header when the file has one
  Problems problems;              // "csv_ragged_row" (field = "row 7"), "csv_unterminated_quote"
};

CsvTable parse_csv(std::string_view text);

// The first step every import shares (R1, R35): the file's problems that stop it (unterminated
// quote, empty file) and its header row mapped to field keys. A header that maps to nothing, or to a
// field an earlier column already took, is listed as ignored so the preview can show it.
struct CsvColumns {
  std::vector<std::string> headers;
  std::map<std::string, int> column_of;       // field → column index
  std::vector<std::string> ignored_headers;
  Problems file_problems;
};
CsvColumns map_csv_columns(const CsvTable& table, std::string (*field_for_header)(std::string_view));

struct CsvWriteOptions {
  bool bom = false;               // prefix U+FEFF so Excel opens UTF-8 Chinese text correctly
  bool crlf = true;               // RFC 4180 line ends
};

// Quotes a field only when it must (comma, quote, CR, LF, or leading/trailing space).
std::string csv_escape(std::string_view field);
std::string write_csv(const std::vector<CsvRow>& rows, const CsvWriteOptions& options = {});

}  // namespace cl
