#include "server/pdf_quote.h"

#include <hpdf.h>

#include <filesystem>
#include <memory>

#include "core/money.h"
#include "core/quotes.h"
#include "core/time.h"
#include "server/text_encoding.h"

namespace cl::server {

namespace {

struct HarnessError {
  HPDF_STATUS error = 0;
  HPDF_STATUS detail = 0;
};

void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* e = static_cast<HarnessError*>(user_data);
  if (e->error == 0) *e = {error_no, detail_no};  // keep the first: later ones are consequences
}

// Splits UTF-8 into runs for the Latin font (what CP1252 can encode: ASCII, ¥, —, …) and the
// Chinese font (everything else: ideographs, full-width punctuation), each already converted to the
// font's encoding.
struct Run {
  bool cjk;
  std::string text;
};

std::vector<Run> split_runs(const std::string& s) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n > s.size()) n = 1;
    std::uint32_t cp = c;
    if (n == 2) cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    if (n == 3) cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    if (n == 4) cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    bool cjk = !in_cp1252(cp);
    if (runs.empty() || runs.back().cjk != cjk) runs.push_back({cjk, ""});
    runs.back().text.append(s, i, n);
    i += n;
  }
  for (auto& r : runs) r.text = from_utf8_lossy(r.text, r.cjk ? "GBK" : "CP1252");
  return runs;
}

class Writer {
 public:
  Writer(HPDF_Doc doc, HPDF_Font latin, HPDF_Font cjk) : doc_(doc), latin_(latin), cjk_(cjk) {}

  HPDF_Page new_page() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    return page_;
  }
  HPDF_Page page() const { return page_; }

  float width(const std::string& s, float size) {
    float w = 0;
    for (const auto& r : split_runs(s)) {
      HPDF_Page_SetFontAndSize(page_, r.cjk ? cjk_ : latin_, size);
      w += HPDF_Page_TextWidth(page_, r.text.c_str());
    }
    return w;
  }

  void text(float x, float y, const std::string& s, float size) {
    HPDF_Page_BeginText(page_);
    HPDF_Page_MoveTextPos(page_, x, y);
    for (const auto& r : split_runs(s)) {
      HPDF_Page_SetFontAndSize(page_, r.cjk ? cjk_ : latin_, size);
      HPDF_Page_ShowText(page_, r.text.c_str());
    }
    HPDF_Page_EndText(page_);
  }

  void text_right(float right_x, float y, const std::string& s, float size) { text(right_x - width(s, size), y, s, size); }
  void text_center(float center_x, float y, const std::string& s, float size) {
    text(center_x - width(s, size) / 2, y, s, size);
  }

  // Greedy wrap by codepoint (Chinese has no spaces to break at).
  std::vector<std::string> wrap(const std::string& s, float size, float max_width) {
    std::vector<std::string> lines;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
      std::string ch = s.substr(i, n);
      i += n;
      if (ch == "\n") {
        lines.push_back(cur);
        cur.clear();
        continue;
      }
      if (!cur.empty() && width(cur + ch, size) > max_width) {
        lines.push_back(cur);
        cur.clear();
      }
      cur += ch;
    }
    if (!cur.empty() || lines.empty()) lines.push_back(cur);
    return lines;
  }

  void line(float x1, float y1, float x2, float y2, float w = 0.6f) {
    HPDF_Page_SetLineWidth(page_, w);
    HPDF_Page_MoveTo(page_, x1, y1);
    HPDF_Page_LineTo(page_, x2, y2);
    HPDF_Page_Stroke(page_);
  }

  void fill_rect(float x, float y, float w, float h, float gray) {
    HPDF_Page_SetGrayFill(page_, gray);
    HPDF_Page_Rectangle(page_, x, y, w, h);
    HPDF_Page_Fill(page_);
    HPDF_Page_SetGrayFill(page_, 0);
  }

 private:
  HPDF_Doc doc_;
  HPDF_Font latin_, cjk_;
  HPDF_Page page_ = nullptr;
};

constexpr float kLeft = 40, kRight = 555, kTop = 800, kBottom = 60;

struct Column {
  const char* title;
  float width;
  bool right;
};
const Column kCols[] = {{"序号", 28, false},  {"型号", 92, false}, {"名称", 150, false}, {"数量", 40, true},
                        {"单价(元)", 72, true}, {"折扣", 48, true},  {"金额(元)", 85, true}};

void table_header(Writer& w, float& y) {
  w.fill_rect(kLeft, y - 6, kRight - kLeft, 20, 0.88f);
  float x = kLeft;
  for (const auto& c : kCols) {
    if (c.right) w.text_right(x + c.width - 4, y, c.title, 9.5f);
    else w.text(x + 4, y, c.title, 9.5f);
    x += c.width;
  }
  y -= 22;
}

}  // namespace

std::string format_discount(int bp) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d.%02d%%", bp / 100, bp % 100);
  return buf;
}

std::string yuan_in_words(Money amount) {
  static const char* digits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
  static const char* small_units[] = {"", "拾", "佰", "仟"};
  static const char* big_units[] = {"", "万", "亿", "万亿"};
  std::int64_t fen = amount.fen < 0 ? -amount.fen : amount.fen;
  std::int64_t yuan = fen / 100;
  int jiao = static_cast<int>(fen / 10 % 10), f = static_cast<int>(fen % 10);
  std::string out;
  if (yuan > 0) {
    // Groups of four digits from the top; a zero between non-zero digits (or after a group that
    // ended in zeros) is spoken once as 零.
    std::vector<int> groups;
    for (std::int64_t y = yuan; y > 0; y /= 10000) groups.push_back(static_cast<int>(y % 10000));
    bool skipped_group = false;
    for (int g = static_cast<int>(groups.size()) - 1; g >= 0; --g) {
      int v = groups[g];
      if (v == 0) {
        skipped_group = true;
        continue;
      }
      // One 零 where a lower group starts below its thousands or a whole group was zero;
      // zeros at the end of the higher group are not spoken (20101000 → 贰仟零壹拾万壹仟).
      bool pending_zero = !out.empty() && (skipped_group || v < 1000);
      skipped_group = false;
      int d[4] = {v / 1000, v / 100 % 10, v / 10 % 10, v % 10};
      for (int k = 0; k < 4; ++k) {
        if (d[k] == 0) {
          if (!out.empty()) pending_zero = true;
          continue;
        }
        if (pending_zero && !out.empty()) out += "零";
        pending_zero = false;
        out += digits[d[k]];
        out += small_units[3 - k];
      }
      out += big_units[g];
    }
    out += "元";
  }
  if (jiao == 0 && f == 0) return (yuan == 0 ? std::string("零元") : out) + "整";
  if (jiao > 0) {
    out += digits[jiao];
    out += "角";
  } else if (yuan > 0) {
    out += "零";
  }
  if (f > 0) {
    out += digits[f];
    out += "分";
  }
  return out;
}

Result<std::string> render_quote_pdf(const QuotePdfInput& in, const PdfFonts& fonts) {
  auto fail = [](const std::string& en, const std::string& zh) {
    return Result<std::string>::failure({Problem{"pdf_failed", "", zh, en}});
  };
  if (!std::filesystem::exists(fonts.latin_ttf))
    return fail("font not found: " + fonts.latin_ttf, "缺少字体文件：" + fonts.latin_ttf);

  HarnessError err;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> doc(HPDF_New(on_hpdf_error, &err), HPDF_Free);
  if (!doc) return fail("libharu: cannot create document", "无法创建 PDF");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  // Chinese: libharu's built-in CID font SimSun with GBK-EUC-H, not embedded — every Chinese PDF
  // reader has SimSun or substitutes a CJK font, text extraction maps through Adobe-GB1, and the
  // file stays small. (Embedding a subset TTF was tried first: libharu 2.3's subsetter dropped glyph
  // parts of DroidSansFallback and WenQuanYi — visible only when the page is looked at.)
  HPDF_UseCNSFonts(doc.get());
  HPDF_UseCNSEncodings(doc.get());
  const char* latin_name = HPDF_LoadTTFontFromFile(doc.get(), fonts.latin_ttf.c_str(), HPDF_TRUE);
  if (!latin_name || err.error) return fail("libharu: cannot load fonts", "无法加载字体");
  HPDF_Font latin = HPDF_GetFont(doc.get(), latin_name, "CP1252");
  HPDF_Font cjk = HPDF_GetFont(doc.get(), fonts.cjk_font.c_str(), "GBK-EUC-H");
  if (!latin || !cjk || err.error) return fail("libharu: font encoding", "字体编码失败");

  Writer w(doc.get(), latin, cjk);
  const Quote& q = in.quote;
  w.new_page();
  float y = kTop;

  // Company header.
  w.text(kLeft, y, in.company.name, 16);
  y -= 18;
  std::string contact_line;
  if (!in.company.address.empty()) contact_line += "地址：" + in.company.address + "  ";
  if (!in.company.phone.empty()) contact_line += "电话：" + in.company.phone + "  ";
  if (!in.company.email.empty()) contact_line += "邮箱：" + in.company.email;
  if (!contact_line.empty()) {
    w.text(kLeft, y, contact_line, 9);
    y -= 12;
  }
  w.line(kLeft, y, kRight, y, 1.2f);
  y -= 34;
  w.text_center((kLeft + kRight) / 2, y, "报 价 单", 20);
  w.text_center((kLeft + kRight) / 2, y - 16, "QUOTATION", 9);
  y -= 44;

  // Customer and quote facts, two columns.
  const float mid = 320;
  auto fact = [&](float x, float yy, const std::string& label, const std::string& value) {
    w.text(x, yy, label + "：" + value, 10);
  };
  fact(kLeft, y, "客户名称", in.customer_name);
  fact(mid, y, "报价单号", q.code);
  y -= 16;
  fact(kLeft, y, "联系人", in.customer_contact);
  fact(mid, y, "报价日期", to_iso_date(q.quote_date));
  y -= 16;
  fact(kLeft, y, "联系电话", in.customer_phone);
  fact(mid, y, "有效期至", to_iso_date(q.valid_until));
  y -= 16;
  if (!in.customer_address.empty()) fact(kLeft, y, "地址", in.customer_address);
  if (!in.price_list_name.empty()) fact(mid, y, "价格表", in.price_list_name);
  y -= 26;

  table_header(w, y);
  int index = 0;
  for (const auto& l : q.lines) {
    const float name_width = kCols[2].width - 8;
    auto name_lines = w.wrap(l.product_name, 9.5f, name_width);
    float row_h = 14.0f * static_cast<float>(name_lines.size()) + 4;
    if (y - row_h < kBottom + 80) {
      w.new_page();
      y = kTop;
      table_header(w, y);
    }
    ++index;
    const Money gross{l.unit_list_price.fen * l.quantity};
    const Money net = line_net(l.unit_list_price, l.quantity, l.discount_bp);
    (void)gross;
    float x = kLeft;
    const std::string cells[] = {std::to_string(index), l.model_code, "", std::to_string(l.quantity),
                                 format_plain(l.unit_list_price), l.discount_bp ? format_discount(l.discount_bp) : "—",
                                 format_plain(net)};
    for (int c = 0; c < 7; ++c) {
      if (c == 2) {
        float ly = y;
        for (const auto& nl : name_lines) {
          w.text(x + 4, ly, nl, 9.5f);
          ly -= 14;
        }
      } else if (kCols[c].right) {
        w.text_right(x + kCols[c].width - 4, y, cells[c], 9.5f);
      } else {
        w.text(x + 4, y, cells[c], 9.5f);
      }
      x += kCols[c].width;
    }
    y -= row_h;
    w.line(kLeft, y + 11, kRight, y + 11, 0.3f);
  }

  // Totals: sums of rounded lines (quotes.h), printed from fen.
  const QuoteTotals totals = quote_totals(q);
  y -= 8;
  w.text_right(kRight - 4, y, "原价合计：" + format_yuan(totals.gross), 10);
  y -= 15;
  w.text_right(kRight - 4, y, "优惠金额：" + format_yuan(totals.discount), 10);
  y -= 20;
  w.text_right(kRight - 4, y, "报价总计（含税）：" + format_yuan(totals.net) + " 元", 13);
  y -= 16;
  w.text_right(kRight - 4, y, "人民币大写：" + yuan_in_words(totals.net), 10);
  y -= 30;

  // Notes, validity, signature block.
  std::vector<std::string> notes = {"本报价有效期至 " + to_iso_date(q.valid_until) + "，逾期需重新报价。",
                                    "以上价格为含税价，单位：人民币元。"};
  if (!in.notes.empty()) notes.insert(notes.begin(), in.notes);
  w.text(kLeft, y, "备注：", 10);
  y -= 15;
  for (const auto& n : notes) {
    for (const auto& nl : w.wrap(n, 9.5f, kRight - kLeft - 20)) {
      if (y < kBottom) {
        w.new_page();
        y = kTop;
      }
      w.text(kLeft + 12, y, nl, 9.5f);
      y -= 13;
    }
  }
  y -= 20;
  if (y < kBottom + 20) {
    w.new_page();
    y = kTop;
  }
  std::string rep = "销售代表：" + in.rep_name + (in.rep_phone.empty() ? "" : "  " + in.rep_phone);
  w.text(kLeft, y, rep, 10);
  if (!in.approved_by_name.empty()) w.text(mid, y, "审批人：" + in.approved_by_name, 10);

  if (err.error) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "libharu error 0x%04X/%u", static_cast<unsigned>(err.error),
                  static_cast<unsigned>(err.detail));
    return fail(buf, std::string("生成 PDF 失败：") + buf);
  }
  if (HPDF_SaveToStream(doc.get()) != HPDF_OK) return fail("libharu: save failed", "保存 PDF 失败");
  HPDF_UINT32 size = HPDF_GetStreamSize(doc.get());
  std::string bytes(size, '\0');
  HPDF_UINT32 read = size;
  HPDF_ResetStream(doc.get());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read);
  bytes.resize(read);
  return Result<std::string>::success(std::move(bytes));
}

}  // namespace cl::server
