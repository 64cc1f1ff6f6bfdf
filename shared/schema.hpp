#pragma once
// The store's migrations: an ordered list, entry i takes a database from
// user_version i to i+1. Never edit a shipped entry; append a new one.
#include <string_view>
#include <vector>

namespace shouxin::schema {

const std::vector<std::string_view>& migrations();

}  // namespace shouxin::schema
