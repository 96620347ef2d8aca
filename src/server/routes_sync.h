// Registration entry points of the sync module (called from register_all_routes in routes.cpp).
#pragma once

#include "server/routes.h"

namespace cl::server {

void register_sync_routes(ApiRouter& r, ServerContext& ctx);    // /api/v1/sync/{push,pull,register}
void register_record_routes(ApiRouter& r, ServerContext& ctx);  // /api/v1/{customers,opportunities,leads,activities}

}  // namespace cl::server
