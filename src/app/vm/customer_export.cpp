#include "app/vm/customer_export.h"

#include "core/csv.h"
#include "core/time.h"

namespace cl::app {
namespace {

std::string tag_of(const Customer& c, const char* group) {
  auto it = c.tags.find(group);
  return it == c.tags.end() ? std::string() : it->second;
}

}  // namespace

std::string customers_csv(const LocalReplica& replica, const CustomerListVM& list, Lang lang) {
  std::vector<CsvRow> rows;
  rows.reserve(list.count() + 1);
  CsvRow head;
  for (const char* key : {"export.col_code", "export.col_name", "export.col_decision_maker", "export.col_title",
                          "export.col_phone", "export.col_main_business", "export.col_customer_type",
                          "export.col_region", "export.col_first_channel", "export.col_owner"})
    head.push_back(tr(key, lang));
  rows.push_back(std::move(head));
  for (std::size_t i = 0; i < list.count(); ++i) {
    const Customer* c = replica.customer(list.id_at(i));
    if (!c) continue;
    rows.push_back({c->code, c->name, c->decision_maker, c->decision_maker_title, c->phone, c->main_business,
                    tag_of(*c, "customer_type"), tag_of(*c, "region"), tag_of(*c, "first_channel"), c->meta.owner_id});
  }
  CsvWriteOptions opt;
  opt.bom = true;
  return write_csv(rows, opt);
}

std::string customers_csv_name(Instant now, Lang lang) {
  return std::string(lang == Lang::En ? "customers_" : "客户_") + to_iso_date(beijing_date(now)) + ".csv";
}

}  // namespace cl::app
