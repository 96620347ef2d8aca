// Everything the field screens share for the signed-in user (issue 5): the local replica, the sync
// client, the id source and the view-models. Plain C++; the browser runtime
// (src/platform/sync_runtime_web.cpp) creates it after login with its IndexedDB storage and fetch
// transport and drives the sync client from a timer; the screens reach it through field_app().
#pragma once

#include <memory>
#include <string>

#include "app/vm/customer_list_vm.h"
#include "app/vm/customer_profile_vm.h"
#include "app/vm/funnel_widget_vm.h"
#include "app/vm/id_source.h"
#include "app/vm/lifecycle_board_vm.h"
#include "app/vm/local_replica.h"
#include "app/vm/new_customer_form_vm.h"
#include "app/vm/opportunity_card_vm.h"
#include "app/vm/quick_log_vm.h"
#include "app/vm/sync_client.h"

namespace cl::app {

struct FieldApp {
  FieldApp(SyncClientConfig config, SyncTransport& transport, ReplicaStorage& storage, std::uint32_t device_number,
           std::function<RandomBytes10()> random, std::function<double()> jitter)
      : settings(config.settings),
        user_id(config.actor.user_id),
        sync(config, replica, transport, storage, std::move(jitter)),
        ids(device_number, std::move(random)),
        form(settings) {}

  Settings settings;
  Id user_id;
  std::string user_name;
  LocalReplica replica;
  SyncClient sync;
  IdSource ids;
  bool loaded = false;           // storage read finished (the screens show a spinner before)

  CustomerListVM customer_list;
  CustomerFilter customer_filter;
  NewCustomerFormVM form;
  CustomerProfileVM profile;
  QuickLogVM quick_log;
  OpportunityCardVM card;
  FunnelWidgetVM funnel;
  LifecycleBoardVM board;
  LifecycleFilter board_filter;
};

// The running instance, or nullptr before login / while the runtime starts (wasm: sync_runtime_web.cpp).
FieldApp* field_app();
// Signed in and reading the replica from this device's storage (field_app() is still nullptr).
bool field_app_loading();

}  // namespace cl::app
