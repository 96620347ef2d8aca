// Company settings endpoints (routes_settings.cpp): GET /api/v1/settings, PUT /api/v1/settings (admin).
#pragma once

#include "server/routes.h"

namespace cl::server {

void register_settings_routes(ApiRouter& r, ServerContext& ctx);

}  // namespace cl::server
