// R4: a new or edited customer is checked against the admin's Settings before it may be saved.
// Every problem comes back at once (the form marks all of them in one go), each with a stable code,
// the field it concerns and Chinese/English messages naming the field by its label.
#pragma once

#include "core/model.h"
#include "core/problem.h"

namespace cl {

// Codes:
//   required_field_missing  field = "name" | "phone" | … | "custom.<key>"    (blank counts as missing)
//   required_tag_missing    field = "tags.<group>"
//   invalid_tag_value       field = "tags.<group>"   value not among the group's values
//   invalid_phone           field = "phone" | "contacts[i].phone"
//   field_too_long          field = any text field over 200 characters (name: 100)
Problems validate_customer(const Customer& customer, const Settings& settings);

// True when a field holds only whitespace (ASCII or the ideographic space U+3000 an IME may insert).
bool is_blank(std::string_view text);

}  // namespace cl
