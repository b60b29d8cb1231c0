// Tests of the demo support_tickets table: shape, the values each column may take, class
// shares, the links between targets and inputs, and that every call gives the same rows.
#include "data/demo_text.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <set>

namespace traind::data {
namespace {

TEST(DemoSupportTickets, HasSixThousandTicketsInTimeOrder) {
  const auto rows = generate_support_tickets();
  ASSERT_EQ(rows.size(), 6000u);
  EXPECT_EQ(rows.front().ticket_id, "T000001");
  EXPECT_EQ(rows.back().ticket_id, "T006000");
  for (size_t i = 0; i < rows.size(); ++i) {
    const SupportTicketRow& row = rows[i];
    ASSERT_EQ(row.created_at.size(), 19u) << row.ticket_id;
    EXPECT_EQ(row.created_at.substr(0, 5), "2025-") << row.ticket_id;
    if (i > 0) {
      EXPECT_LT(rows[i - 1].ticket_id, row.ticket_id);
      EXPECT_LE(rows[i - 1].created_at, row.created_at);
    }
  }
}

TEST(DemoSupportTickets, ColumnsTakeOnlyTheirDeclaredValues) {
  const std::set<std::string> channels = {"email", "chat", "phone", "web"};
  const std::set<std::string> tiers = {"free", "pro", "enterprise"};
  const std::set<std::string> priorities = {"low", "medium", "high", "urgent"};
  const std::set<std::string> categories = {"billing",  "technical", "account",
                                            "shipping", "returns",   "feature_request"};
  for (const auto& row : generate_support_tickets()) {
    EXPECT_TRUE(channels.count(row.channel)) << row.ticket_id;
    EXPECT_TRUE(tiers.count(row.customer_tier)) << row.ticket_id;
    EXPECT_TRUE(priorities.count(row.priority)) << row.ticket_id;
    EXPECT_TRUE(categories.count(row.category)) << row.ticket_id;
    EXPECT_FALSE(row.subject.empty()) << row.ticket_id;
    EXPECT_GE(row.body.size(), 20u) << row.ticket_id;
    EXPECT_EQ(row.body.find_first_of("{}\t\n"), std::string::npos) << row.body;
    EXPECT_GT(row.first_response_hours, 0.0) << row.ticket_id;
    EXPECT_LT(row.first_response_hours, 500.0) << row.ticket_id;
  }
}

TEST(DemoSupportTickets, EveryCategoryHasAtLeastFivePercent) {
  const auto rows = generate_support_tickets();
  std::map<std::string, int> counts;
  for (const auto& row : rows) ++counts[row.category];
  ASSERT_EQ(counts.size(), 6u);
  int largest = 0;
  for (const auto& [category, count] : counts) {
    EXPECT_GE(count, static_cast<int>(0.05 * rows.size())) << category;
    largest = std::max(largest, count);
  }
  EXPECT_GT(largest, static_cast<int>(0.2 * rows.size()));  // imbalanced
}

TEST(DemoSupportTickets, PriorityFollowsUrgencyAndDrivesResponseTime) {
  std::map<std::string, std::pair<double, int>> hours;  // priority -> (sum, count)
  int urgent_words = 0, urgent_words_high = 0, urgent_priority = 0;
  for (const auto& row : generate_support_tickets()) {
    auto& [sum, count] = hours[row.priority];
    sum += row.first_response_hours;
    ++count;
    const bool says_urgent = row.body.find("rgent") != std::string::npos ||
                             row.body.find("immediately") != std::string::npos;
    if (says_urgent) {
      ++urgent_words;
      urgent_words_high += row.priority == "high" || row.priority == "urgent";
    }
    urgent_priority += row.priority == "urgent";
  }
  EXPECT_GT(urgent_priority, 200);
  EXPECT_GT(urgent_words_high, 0.8 * urgent_words);
  auto mean = [&](const std::string& p) { return hours[p].first / hours[p].second; };
  EXPECT_LT(mean("urgent"), mean("high"));
  EXPECT_LT(mean("high"), mean("medium"));
  EXPECT_LT(mean("medium"), mean("low"));
}

TEST(DemoSupportTickets, EveryCallGivesTheSameRows) {
  const auto first = generate_support_tickets();
  const auto second = generate_support_tickets();
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].ticket_id, second[i].ticket_id);
    EXPECT_EQ(first[i].created_at, second[i].created_at);
    EXPECT_EQ(first[i].body, second[i].body);
    EXPECT_EQ(first[i].subject, second[i].subject);
    EXPECT_EQ(first[i].category, second[i].category);
    EXPECT_EQ(first[i].priority, second[i].priority);
    EXPECT_EQ(first[i].first_response_hours, second[i].first_response_hours);
  }
}

TEST(DemoSupportTickets, BodiesAreVaried) {
  std::set<std::string> bodies;
  for (const auto& row : generate_support_tickets()) bodies.insert(row.body);
  EXPECT_GT(bodies.size(), 5000u);
}

TEST(DemoSupportTickets, WritesTheTableAndReadsItBack) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_TRUE(write_demo_text_tables(db).is_ok());
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT count(*), count(DISTINCT category), min(ticket_id), "
                               "typeof(first_response_hours), typeof(body) FROM support_tickets",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 6000);
  EXPECT_EQ(sqlite3_column_int(stmt, 1), 6);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2)), "T000001");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)), "real");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 4)), "text");
  sqlite3_finalize(stmt);

  const auto rows = generate_support_tickets();
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT body, priority, first_response_hours FROM support_tickets "
                               "WHERE ticket_id = 'T001234'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), rows[1233].body);
  EXPECT_EQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)), rows[1233].priority);
  EXPECT_EQ(sqlite3_column_double(stmt, 2), rows[1233].first_response_hours);
  sqlite3_finalize(stmt);

  // A second write fails (the table exists) and leaves the first one intact.
  EXPECT_EQ(write_demo_text_tables(db).code(), ErrorCode::kInternal);
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM support_tickets", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 6000);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace traind::data
