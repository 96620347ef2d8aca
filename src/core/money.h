// Money in integer fen (分): exact totals and discounts, never floating point (Ledger's lesson).
//
// Rounding rule (documented once, used everywhere): a percentage applied to an amount is computed
// in integer arithmetic and rounded half away from zero to the nearest fen (四舍五入), per line.
// Totals are sums of already-rounded lines, so a printed quote always adds up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace cl {

inline Money yuan(std::int64_t y) { return {y * 100}; }

// amount × numerator / denominator, rounded half away from zero (exact: 128-bit intermediate).
std::int64_t mul_div_round(std::int64_t amount, std::int64_t numerator, std::int64_t denominator);

// Line amount: unit × quantity, then the discount in basis points (1 bp = 0.01 %), rounded per line.
Money apply_discount(Money gross, int discount_bp);
Money line_net(Money unit_price, std::int64_t quantity, int discount_bp);

// "12345.67" (no grouping) and "¥12,345.67" (display). Negative amounts get a leading '-'.
std::string format_plain(Money m);
std::string format_yuan(Money m);

// Parses "12345.67", "12,345.6", "¥100", "100元"; at most two decimals; nullopt on anything else.
std::optional<Money> parse_yuan(std::string_view text);

// Ratio a/b in basis points (10000 = 100 %), rounded half up; 0 when b is 0. For achievement rates.
int ratio_bp(Money a, Money b);

}  // namespace cl
