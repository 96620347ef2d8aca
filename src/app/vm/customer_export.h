// CSV export of the customer list as filtered on screen (R35: every list a manager takes to Excel;
// issue 5: file download). UTF-8 with a BOM and CRLF so Excel opens the Chinese text correctly.
#pragma once

#include <string>

#include "app/i18n.h"
#include "app/vm/customer_list_vm.h"
#include "app/vm/local_replica.h"

namespace cl::app {

// Header row in `lang`, then one row per customer of `list` (its current filter and order):
// code, name, decision maker, title, phone, main business, the three R4 tags, owner.
std::string customers_csv(const LocalReplica& replica, const CustomerListVM& list, Lang lang);

// "客户_2026-11-27.csv" / "customers_2026-11-27.csv" (Beijing date of `now`).
std::string customers_csv_name(Instant now, Lang lang);

}  // namespace cl::app
