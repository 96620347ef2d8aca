#include "app/shell/nav_table.h"

namespace cl::app {

// Order = order in the side nav. The first five also make the bottom tab bar on phones; the rest go
// into its "more" entry (a phone has room for five comfortable touch targets).
static const NavArea kAreas[] = {
    {"workbench", "nav.workbench", "◆"},
    {"customers", "nav.customers", "●"},
    {"opportunities", "nav.opportunities", "▲"},
    {"leads", "nav.leads", "○"},
    {"reminders", "nav.reminders", "■"},
    {"quotes", "nav.quotes", "□"},
    {"collections", "nav.collections", "¥"},
    {"reports", "nav.reports", "▼"},
    {"settings", "nav.settings", "≡"},
};

std::span<const NavArea> nav_areas() { return kAreas; }

}  // namespace cl::app
