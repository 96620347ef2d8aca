// R1/R35: what Excel in China writes — UTF-8 with a BOM, or GB18030 — comes in as UTF-8. The
// GB18030 bytes are made by the iconv command line, an independent oracle.
#include <doctest/doctest.h>

#include <string>

#include "core/csv.h"
#include "extras_receivers.h"
#include "server/text_encoding.h"

using namespace cl;
using namespace cl::server;

namespace {
const std::string kCsv = "公司,联系人,电话,备注\r\n杭州市第一人民医院,王主任,13812345678,\"骨科, 心内科\n两个科室\"\r\n";

std::string iconv_to(const std::string& charset, const std::string& utf8) {
  return test::run_capture("printf '%s' '" + utf8 + "' | iconv -f UTF-8 -t " + charset);
}
}  // namespace

TEST_CASE("GB18030 bytes made by iconv are detected and converted back to the exact UTF-8 text") {
  auto gb = iconv_to("GB18030", kCsv);
  REQUIRE(gb.size() > 10);
  CHECK(gb != kCsv);
  CHECK(detect_text_encoding(gb) == TextEncoding::Gb18030);
  CHECK(to_utf8(gb) == kCsv);
  // The converted text parses with core's CSV parser: quoted comma and line break survive.
  auto table = parse_csv(*to_utf8(gb));
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[1][0] == "杭州市第一人民医院");
  CHECK(table.rows[1][3] == "骨科, 心内科\n两个科室");
}

TEST_CASE("UTF-8 with and without a BOM is recognised and the BOM is dropped") {
  CHECK(detect_text_encoding(kCsv) == TextEncoding::Utf8);
  auto bom = "\xEF\xBB\xBF" + kCsv;
  CHECK(detect_text_encoding(bom) == TextEncoding::Utf8Bom);
  CHECK(to_utf8(bom) == kCsv);
  CHECK(to_utf8(kCsv) == kCsv);
}

TEST_CASE("GBK text from an older Excel is GB18030 too, and a truncated multibyte sequence is refused") {
  auto gbk = iconv_to("GBK", "客户名称");
  CHECK(to_utf8(gbk) == "客户名称");
  CHECK_FALSE(to_utf8(gbk.substr(0, gbk.size() - 1), TextEncoding::Gb18030).has_value());
}

TEST_CASE("invalid UTF-8 is recognised: overlong forms, surrogates and stray continuation bytes") {
  CHECK(is_valid_utf8("正常文本 ok"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
  CHECK_FALSE(is_valid_utf8("\x80"));
  CHECK_FALSE(to_utf8("\xC0\xAF", TextEncoding::Utf8).has_value());
}

TEST_CASE("UTF-8 to GBK for the PDF font replaces what GBK cannot encode instead of failing") {
  CHECK(from_utf8_lossy("报价单", "GBK") == iconv_to("GBK", "报价单"));
  CHECK(from_utf8_lossy("a😀b", "GBK") == "a?b");
  CHECK(from_utf8_lossy("¥12", "CP1252") == "\xA5" "12");
}
