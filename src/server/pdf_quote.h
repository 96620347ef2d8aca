// R18: the quote PDF a customer receives. libharu with two fonts: DejaVu Sans (embedded, CP1252)
// for Latin letters, digits and ¥, and the built-in CID font SimSun (GBK-EUC-H, not embedded) for
// Chinese — so Chinese renders in every reader and text extraction (pdftotext, a customer's
// copy-paste) gives back exactly the Chinese we wrote, with ASCII digits rather than full-width ones. Money is printed from integer fen
// (money.h), totals are sums of the rounded lines (quotes.h), so the printed quote always adds up.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::server {

struct QuotePdfCompany {
  std::string name = "杭州示例医疗器械有限公司";
  std::string address;
  std::string phone;
  std::string email;
};

struct QuotePdfInput {
  QuotePdfCompany company;
  std::string customer_name, customer_contact, customer_phone, customer_address;
  Quote quote;
  std::string price_list_name;
  std::string rep_name, rep_phone;
  std::string approved_by_name;  // R30: shown when a manager approved it
  std::string notes;
};

struct PdfFonts {
  std::string latin_ttf = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::string cjk_font = "SimSun";  // libharu built-in CID font (HPDF_UseCNSFonts): SimSun | SimHei
};

// The PDF bytes, or a problem (fonts missing, libharu error).
Result<std::string> render_quote_pdf(const QuotePdfInput& input, const PdfFonts& fonts = {});

// 人民币大写 for a total, as Chinese invoices and quotes print it: 12345.67 → "壹万贰仟叁佰肆拾伍元陆角柒分",
// 100 → "壹佰元整", 1000.05 → "壹仟元零伍分". Non-negative amounts only (a quote has no negative total).
std::string yuan_in_words(Money amount);

// "12.50%" for 1250 bp.
std::string format_discount(int discount_bp);

}  // namespace cl::server
