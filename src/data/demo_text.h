// Demo text data for the demo tenant: 6000 customer support tickets generated from a fixed
// seed (DemoRandom), so every call on every platform gives the same rows.
//
// support_tickets: a ticket's body is 1-4 sentences of English built from per-category
// templates and slot fillers, mixed with filler sentences shared by every category, a
// sentence from another category now and then, vague tickets and typos, so a text model
// has something to learn but cannot be perfect. Targets: category (6 classes, imbalanced),
// priority (driven by urgent wording, severity, tier and channel) and first_response_hours
// (driven by priority, tier, channel and weekends, with log-normal noise).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

struct sqlite3;

namespace traind::data {

struct SupportTicketRow {
  std::string ticket_id;      // 'T000001' .. in created_at order
  std::string created_at;     // 'YYYY-MM-DD HH:MM:SS' in 2025
  std::string channel;        // email, chat, phone, web
  std::string customer_tier;  // free, pro, enterprise
  std::string subject;
  std::string body;
  std::string category;  // billing, technical, account, shipping, returns, feature_request
  std::string priority;  // low, medium, high, urgent
  double first_response_hours = 0;
};

// Ordered by ticket_id (= by created_at).
std::vector<SupportTicketRow> generate_support_tickets();

// Creates and fills table support_tickets (ticket_id TEXT, created_at TEXT, channel TEXT,
// customer_tier TEXT, subject TEXT, body TEXT, category TEXT, priority TEXT,
// first_response_hours REAL) in `db`, in one transaction. kInternal with SQLite's message
// when that fails.
Status write_demo_text_tables(sqlite3* db);

}  // namespace traind::data
