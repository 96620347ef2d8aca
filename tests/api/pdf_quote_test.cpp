// R18: the quote PDF — Chinese text must come back out exactly (pdftotext is the oracle), totals
// add up to the fen, and a page is rendered with pdftoppm into build/pdf-check/ for a human look.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "extras_receivers.h"
#include "server/pdf_quote.h"

using namespace cl;
using namespace cl::server;
namespace fs = std::filesystem;

namespace {

QuotePdfInput sample_quote() {
  QuotePdfInput in;
  in.company = {"杭州示例医疗器械有限公司", "杭州市西湖区文三路 90 号", "0571-8888 6666", "sales@example.cn"};
  in.customer_name = "杭州市第一人民医院";
  in.customer_contact = "王主任（设备科）";
  in.customer_phone = "13812345678";
  in.customer_address = "杭州市上城区浣纱路 261 号";
  in.price_list_name = "2026 年度价格表";
  in.rep_name = "李明";
  in.rep_phone = "13900001111";
  in.approved_by_name = "张经理";
  in.notes = "含首次安装调试与操作培训；质保期两年。";
  Quote& q = in.quote;
  q.code = "Q-2026-0042";
  q.quote_date = {2026, 11, 27};
  q.valid_until = {2026, 12, 27};
  q.lines = {
      {"p1", "GK-ZR-2024", "骨科植入耗材（钛合金接骨板）", 2, Money{1'280'000}, 500},
      {"p2", "XD-300", "一次性无菌注射器 5ml", 10, Money{35'678}, 1250},
      {"p3", "JC-01", "检测试剂盒", 1, Money{9'999}, 0},
  };
  return in;
}

fs::path check_dir() {
  fs::path d = fs::path(CLOSELOOP_SOURCE_DIR) / "build" / "pdf-check";
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("amounts in Chinese capital numerals follow the banking rules for zeros") {
  CHECK(yuan_in_words(Money{10000}) == "壹佰元整");
  CHECK(yuan_in_words(Money{100005}) == "壹仟元零伍分");
  CHECK(yuan_in_words(Money{1000500}) == "壹万零伍元整");
  CHECK(yuan_in_words(Money{1050}) == "壹拾元伍角");
  CHECK(yuan_in_words(Money{101000000}) == "壹佰零壹万元整");
  CHECK(yuan_in_words(Money{10000000000}) == "壹亿元整");
  CHECK(yuan_in_words(Money{10000000500}) == "壹亿零伍元整");
  CHECK(yuan_in_words(Money{2010030400}) == "贰仟零壹拾万零叁佰零肆元整");
  CHECK(yuan_in_words(Money{2010100000}) == "贰仟零壹拾万壹仟元整");
  CHECK(yuan_in_words(Money{1234567}) == "壹万贰仟叁佰肆拾伍元陆角柒分");
  CHECK(yuan_in_words(Money{7}) == "柒分");
  CHECK(yuan_in_words(Money{0}) == "零元整");
}

TEST_CASE("a quote PDF renders Chinese that pdftotext extracts exactly, with totals to the fen") {
  auto in = sample_quote();
  auto pdf = render_quote_pdf(in);
  REQUIRE_MESSAGE(pdf.ok(), (pdf.problems.empty() ? "" : pdf.problems[0].message_en));
  CHECK(pdf.value.rfind("%PDF-", 0) == 0);
  // The Chinese font is not embedded and the Latin one is subset: the file stays small to e-mail.
  CHECK(pdf.value.size() < 100 * 1024);
  auto path = check_dir() / "quote-sample.pdf";
  std::ofstream(path, std::ios::binary) << pdf.value;
  auto text = test::run_capture("pdftotext -enc UTF-8 '" + path.string() + "' - 2>&1");
  for (const char* expected : {"杭州示例医疗器械有限公司", "客户名称：杭州市第一人民医院", "报价单号：Q-2026-0042",
                               "报价日期：2026-11-27", "有效期至：2026-12-27", "骨科植入耗材（钛合金接骨板）",
                               "一次性无菌注射器 5ml", "GK-ZR-2024", "含首次安装调试与操作培训；质保期两年。",
                               "销售代表：李明", "审批人：张经理", "12.50%"}) {
    CHECK_MESSAGE(text.find(expected) != std::string::npos, expected);
  }
  // No "Syntax Warning/Error" from poppler: the fonts and CMaps are well-formed.
  CHECK(text.find("Syntax") == std::string::npos);
  // Worked by hand: 2 × 12,800.00 − 5 % = 24,320.00; 10 × 356.78 − 12.5 % = 3,121.825 → 3,121.83;
  // 1 × 99.99. Sum 27,541.82.
  CHECK(text.find("24320.00") != std::string::npos);
  CHECK(text.find("3121.83") != std::string::npos);
  CHECK(text.find("¥27,541.82") != std::string::npos);
  CHECK(text.find("贰万柒仟伍佰肆拾壹元捌角贰分") != std::string::npos);
  // One page rendered for a human look (build/pdf-check/quote-sample-1.png).
  auto png_prefix = (check_dir() / "quote-sample").string();
  test::run_capture("pdftoppm -r 80 -png -f 1 -l 1 '" + path.string() + "' '" + png_prefix + "'");
  CHECK((fs::exists(png_prefix + "-1.png") || fs::exists(png_prefix + "-01.png")));
}

TEST_CASE("a long quote flows onto a second page and still adds up") {
  auto in = sample_quote();
  in.quote.lines.clear();
  for (int i = 0; i < 40; ++i)
    in.quote.lines.push_back({"p", "M-" + std::to_string(i), "耗材第" + std::to_string(i) + "项", 1, Money{100}, 0});
  auto pdf = render_quote_pdf(in);
  REQUIRE(pdf.ok());
  auto path = check_dir() / "quote-long.pdf";
  std::ofstream(path, std::ios::binary) << pdf.value;
  auto info = test::run_capture("pdfinfo '" + path.string() + "'");
  CHECK(info.find("Pages:           2") != std::string::npos);
  auto text = test::run_capture("pdftotext -enc UTF-8 '" + path.string() + "' - 2>&1");
  CHECK(text.find("耗材第39项") != std::string::npos);
  CHECK(text.find("¥40.00") != std::string::npos);
}

TEST_CASE("a missing font is reported as a problem, not a crash") {
  PdfFonts fonts;
  fonts.latin_ttf = "/nonexistent/font.ttf";
  auto pdf = render_quote_pdf(sample_quote(), fonts);
  CHECK_FALSE(pdf.ok());
  CHECK(pdf.problems.at(0).code == "pdf_failed");
}
