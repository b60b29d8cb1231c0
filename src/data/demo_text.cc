// The demo tenant's support_tickets table: ticket texts assembled from templates, slot
// fillers, shared filler sentences and typos, with targets drawn from what the text says.
#include "data/demo_text.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "data/demo_random.h"

namespace traind::data {
namespace {

constexpr uint64_t kTicketsSeed = 20250314;
constexpr int kTicketCount = 6000;

// A sentence that says what the ticket is about. `severity` (0..1.5) raises the priority:
// an outage is more pressing than a question.
struct Template {
  const char* text;
  double severity;
};

template <typename T, size_t N>
const T& pick(DemoRandom& rng, const std::array<T, N>& items) {
  return items[static_cast<size_t>(rng.between(0, static_cast<int>(N) - 1))];
}

// Slot fillers: "{product}" in a template becomes one of kProducts, and so on.
constexpr std::array<const char*, 8> kProducts = {
    "mobile app",       "web dashboard", "desktop client",    "API",
    "reporting module", "sync service",  "browser extension", "admin console"};
constexpr std::array<const char*, 8> kActions = {
    "open a project",   "upload a file",     "export a report", "save my changes",
    "share a document", "switch workspaces", "log in",          "generate an invoice PDF"};
constexpr std::array<const char*, 7> kErrors = {"error 500",
                                                "a timeout",
                                                "a blank screen",
                                                "error code E{digits}",
                                                "\"something went wrong\"",
                                                "a 403 forbidden error",
                                                "an endless loading spinner"};
constexpr std::array<const char*, 7> kTimes = {
    "since yesterday", "since this morning", "for three days", "since the last update",
    "all week",        "since Monday",       "again today"};
constexpr std::array<const char*, 3> kPlans = {"Pro", "Team", "Business"};
constexpr std::array<const char*, 6> kMonths = {"January", "March",  "April",
                                                "June",    "August", "October"};
constexpr std::array<const char*, 5> kPayments = {"PayPal", "bank transfer", "Apple Pay",
                                                  "a company card", "SEPA direct debit"};
constexpr std::array<const char*, 6> kIntegrations = {
    "Slack", "Salesforce", "Google Drive", "Microsoft Teams", "Jira", "HubSpot"};
constexpr std::array<const char*, 5> kCarriers = {"UPS", "FedEx", "DHL", "USPS", "the courier"};
constexpr std::array<const char*, 9> kItems = {"headset",         "router",      "keyboard",
                                               "monitor stand",   "charger",     "webcam",
                                               "docking station", "starter kit", "wireless mouse"};
constexpr std::array<const char*, 7> kCountries = {"Canada",    "Germany", "Brazil", "Japan",
                                                   "Australia", "Mexico",  "the UK"};
constexpr std::array<const char*, 6> kTimesAgo = {"last week",    "two weeks ago", "on Monday",
                                                  "ten days ago", "last Friday",   "a month ago"};
constexpr std::array<const char*, 10> kFeatures = {
    "a dark mode",     "export to Excel", "single sign-on",  "bulk editing",
    "a calendar view", "custom fields",   "an offline mode", "keyboard shortcuts",
    "recurring tasks", "more chart types"};
constexpr std::array<const char*, 7> kCapabilities = {
    "schedule reports by email",       "filter the list by several tags", "undo a bulk delete",
    "set different roles per project", "pin favourite dashboards",        "archive old projects",
    "import contacts from a CSV file"};
constexpr std::array<const char*, 10> kNames = {"Anna",  "Marco", "Priya", "John", "Lena",
                                                "Kenji", "Sofia", "Omar",  "Emma", "Lucas"};

std::string digits(DemoRandom& rng, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += static_cast<char>('0' + rng.between(0, 9));
  return text;
}

std::string amount(DemoRandom& rng) {
  char text[16];
  std::snprintf(text, sizeof(text), "$%d.%02d", rng.between(9, 480), rng.between(0, 99));
  return text;
}

std::string fill(std::string_view text, DemoRandom& rng);

std::string slot_value(std::string_view slot, DemoRandom& rng) {
  if (slot == "product") return pick(rng, kProducts);
  if (slot == "action") return pick(rng, kActions);
  if (slot == "error") return fill(pick(rng, kErrors), rng);
  if (slot == "time") return pick(rng, kTimes);
  if (slot == "plan") return pick(rng, kPlans);
  if (slot == "month") return pick(rng, kMonths);
  if (slot == "payment") return pick(rng, kPayments);
  if (slot == "integration") return pick(rng, kIntegrations);
  if (slot == "carrier") return pick(rng, kCarriers);
  if (slot == "item") return pick(rng, kItems);
  if (slot == "country") return pick(rng, kCountries);
  if (slot == "time_ago") return pick(rng, kTimesAgo);
  if (slot == "feature") return pick(rng, kFeatures);
  if (slot == "capability") return pick(rng, kCapabilities);
  if (slot == "name") return pick(rng, kNames);
  if (slot == "amount") return amount(rng);
  if (slot == "order") return "#" + digits(rng, 6);
  if (slot == "invoice") return "INV-" + digits(rng, 5);
  if (slot == "code") return "SAVE" + digits(rng, 2);
  if (slot == "digits") return digits(rng, 3);
  if (slot == "n") return std::to_string(rng.between(2, 40));
  if (slot == "days") return std::to_string(rng.between(3, 12));
  if (slot == "years") return std::to_string(rng.between(2, 9));
  return std::string(slot);
}

// The template with every "{slot}" replaced by a filler drawn for it.
std::string fill(std::string_view text, DemoRandom& rng) {
  std::string out;
  while (!text.empty()) {
    const size_t open = text.find('{');
    const size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, open);
    out += slot_value(text.substr(open + 1, close - open - 1), rng);
    text.remove_prefix(close + 1);
  }
  return out;
}

struct Category {
  const char* name;
  double share;
  std::vector<Template> sentences;
  std::vector<const char*> subjects;
};

// Shares sum to 1. Some sentences deliberately sit near another category (a refund in
// returns, a login failure in account, a billing address) as real tickets do.
const std::vector<Category>& categories() {
  static const std::vector<Category> kCategories = {
      {"technical",
       0.27,
       {{"The {product} crashes every time I {action}.", 0.8},
        {"I get {error} when I try to {action}.", 0.6},
        {"The {product} is down for our whole team {time}.", 1.5},
        {"Sync between the {product} and the desktop client stopped working {time}.", 0.7},
        {"Pages load extremely slowly in the {product} {time}.", 0.4},
        {"After the latest update the {product} won't start anymore.", 0.9},
        {"The export to CSV produces an empty file.", 0.3},
        {"Notifications from the {product} are not delivered to my phone.", 0.2},
        {"The {product} freezes when I upload files larger than {n} MB.", 0.5},
        {"Our API calls return {error} {time}.", 1.0},
        {"I can't connect the {product} to our {integration} workspace.", 0.5},
        {"Data I saved yesterday has disappeared from the {product}.", 1.0},
        {"Search in the {product} returns no results, even for exact names.", 0.4},
        {"Buttons are greyed out in the {product} and nothing happens when I click them.", 0.5},
        {"The {integration} integration keeps throwing an error when it syncs.", 0.5},
        {"The server seems to be down, the {product} shows {error}.", 1.4}},
       {"App crashing", "Error when I {action}", "{product} not working", "Bug report",
        "Service outage?", "Sync broken", "{integration} integration error", "Very slow"}},
      {"billing",
       0.22,
       {{"I was charged twice for my {plan} subscription this month.", 0.8},
        {"My card was billed {amount} but my plan should cost less.", 0.6},
        {"The invoice for {month} shows the wrong company name and VAT number.", 0.2},
        {"Can you send me a copy of invoice {invoice}?", 0.0},
        {"Why did the price of my plan go up without any notice?", 0.3},
        {"I need a refund for the duplicate payment of {amount}.", 0.7},
        {"My payment with {payment} keeps getting declined.", 0.6},
        {"I upgraded to {plan} but I'm still charged the old rate.", 0.4},
        {"Please update the billing address on our invoices.", 0.1},
        {"There is an unknown charge of {amount} on my bank statement from you.", 0.8},
        {"The discount code {code} was not applied to my last bill.", 0.2},
        {"How do I switch from monthly to annual billing?", 0.0},
        {"We are invoiced for {n} seats but only use a few of them.", 0.3},
        {"The auto-renewal charged me even though I had turned it off.", 0.7},
        {"Can we pay by {payment} instead of credit card?", 0.0}},
       {"Double charge", "Invoice {invoice}", "Billing question", "Wrong amount charged",
        "Refund request", "Payment declined", "Subscription price", "Charge on my card"}},
      {"account",
       0.16,
       {{"I can't log in, it keeps saying my password is incorrect.", 0.7},
        {"Please reset the password for my account, the reset email never arrives.", 0.6},
        {"How do I change the email address on my profile?", 0.0},
        {"I want to add {n} new users to our team account.", 0.1},
        {"My account got locked after too many login attempts.", 0.8},
        {"The two-factor authentication codes are not accepted anymore.", 0.8},
        {"Please merge my two accounts, I signed up twice by mistake.", 0.0},
        {"I need to transfer ownership of our workspace to a colleague.", 0.2},
        {"How can I delete my account and all my personal data?", 0.1},
        {"I see logins from {country} on my account that were not me.", 1.3},
        {"I'd like to change my username and display name.", 0.0},
        {"Our admin left the company and {name} needs admin rights now.", 0.5},
        {"The verification email for my new account never arrived.", 0.3},
        {"Can I turn my personal account into a business account?", 0.0}},
       {"Cannot log in", "Password reset", "Account locked", "Change email address", "Add users",
        "Delete my account", "Suspicious login", "Admin rights"}},
      {"shipping",
       0.15,
       {{"My order {order} has not arrived yet, it was due {time_ago}.", 0.5},
        {"The tracking for order {order} has shown no update for {days} days.", 0.4},
        {"{carrier} says the package was delivered but I never received it.", 0.8},
        {"Can I change the delivery address for order {order}?", 0.4},
        {"How long does shipping to {country} usually take?", 0.0},
        {"I paid for express delivery but the parcel came by standard post.", 0.3},
        {"Only part of my order arrived, the {item} is missing.", 0.5},
        {"When will order {order} be dispatched?", 0.1},
        {"The courier left the parcel at the wrong address.", 0.6},
        {"Can I pick up my order at a {carrier} location instead?", 0.0},
        {"My package has been stuck in customs in {country} for {days} days.", 0.5},
        {"Do you ship to {country}, and what does delivery cost?", 0.0}},
       {"Where is my order?", "Order {order}", "Package not delivered", "Tracking not updating",
        "Delivery address", "Shipping time", "Missing item", "Stuck in customs"}},
      {"returns",
       0.11,
       {{"I'd like to return the {item} I bought {time_ago}.", 0.1},
        {"The {item} stopped working after {days} days, can I get a replacement?", 0.5},
        {"How do I print the return label for order {order}?", 0.1},
        {"I sent the {item} back {time_ago} and still haven't received my refund.", 0.6},
        {"The {item} I received is the wrong model.", 0.3},
        {"Can I exchange the {item} for a different model?", 0.0},
        {"The return portal says order {order} is not eligible for a return.", 0.3},
        {"The {item} arrived broken and I want my money back.", 0.6},
        {"Is my {item} still under warranty?", 0.0},
        {"Do I have to pay for the return shipping of the {item}?", 0.0},
        {"The {item} is faulty, it switches off on its own.", 0.4}},
       {"Return request", "Faulty {item}", "Return label", "Refund for returned item", "Exchange",
        "Warranty question", "Wrong item received"}},
      {"feature_request",
       0.09,
       {{"It would be great if the {product} had {feature}.", 0.0},
        {"Please add {feature}, we really need it in our workflow.", 0.1},
        {"Are there any plans to support {feature}?", 0.0},
        {"Our team would love to see {feature} in the {product}.", 0.0},
        {"Suggestion: let us {capability}.", 0.0},
        {"Could you make it possible to {capability}?", 0.0},
        {"We would happily pay extra for {feature}.", 0.0},
        {"Any chance you will offer {feature} soon?", 0.0},
        {"It is a pity that there is no way to {capability}.", 0.0}},
       {"Feature request", "Suggestion", "Idea: {feature}", "Please add {feature}",
        "Product feedback", "Wishlist"}},
  };
  return kCategories;
}

// Sentences any ticket may carry: they make the categories share vocabulary.
constexpr std::array<const char*, 14> kFillers = {
    "I have been a customer for {years} years.",
    "This is the second time I'm writing about this.",
    "I already tried restarting and clearing the cache.",
    "Please let me know what to do.",
    "Thanks in advance.",
    "This is really frustrating.",
    "My colleague had the same problem last month.",
    "I checked the help center but couldn't find an answer.",
    "Any help is appreciated.",
    "I attached a screenshot.",
    "My order and account details are in my profile.",
    "Could someone get back to me?",
    "I'm not sure this is the right place to ask.",
    "We use your product every day in our company."};
// Sentences that make a ticket urgent.
constexpr std::array<const char*, 6> kUrgent = {"This is urgent!",
                                                "Please respond immediately.",
                                                "We are losing money every hour this continues.",
                                                "Our entire team is blocked.",
                                                "URGENT, need this fixed asap.",
                                                "I need this resolved before our launch tomorrow."};
// Bodies that could belong to any category: only the subject may tell.
constexpr std::array<const char*, 6> kVague = {"I have a problem, please call me back.",
                                               "Something is wrong with my order and account.",
                                               "It does not work as expected.",
                                               "I need help with the issue we discussed.",
                                               "Please contact me about my last request.",
                                               "Can you look into this for me?"};
constexpr std::array<const char*, 7> kGenericSubjects = {
    "Help needed", "Question", "Problem", "Support request", "Hello", "Issue", "(no subject)"};
constexpr std::array<const char*, 6> kGreetings = {"Hi,",           "Hello team,",   "Hi there,",
                                                   "Good morning,", "Dear support,", "Hey,"};
constexpr std::array<const char*, 4> kClosings = {"Thanks, {name}", "Best regards, {name}",
                                                  "Cheers", "Kind regards"};

// A typo in about `rate` of the longer words: two letters swapped, one dropped or doubled.
std::string add_typos(const std::string& text, DemoRandom& rng, double rate) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start;
    while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
    std::string word = text.substr(start, end - start);
    if (word.size() >= 4 && rng.chance(rate)) {
      const size_t at = static_cast<size_t>(rng.between(1, static_cast<int>(word.size()) - 2));
      switch (rng.between(0, 2)) {
        case 0:
          std::swap(word[at], word[at + 1]);
          break;
        case 1:
          word.erase(at, 1);
          break;
        default:
          word.insert(at, 1, word[at]);
          break;
      }
    }
    out += word;
    if (end < text.size()) out += text[end];
    start = end + 1;
  }
  return out;
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

const Category& draw_category(DemoRandom& rng) {
  double u = rng.uniform();
  for (const Category& category : categories()) {
    if (u < category.share) return category;
    u -= category.share;
  }
  return categories().back();
}

const Category& other_category(DemoRandom& rng, const Category& category) {
  for (;;) {
    const Category& other = draw_category(rng);
    if (&other != &category) return other;
  }
}

struct TicketText {
  std::string subject;
  std::string body;
  double severity = 0;
  bool urgent = false;
};

TicketText write_ticket(DemoRandom& rng, const Category& category, double urgent_chance) {
  TicketText ticket;
  std::vector<std::string> sentences;
  if (rng.chance(0.03)) {
    sentences.push_back(pick(rng, kVague));  // the subject alone may still tell
  } else {
    const Template& main = category.sentences[static_cast<size_t>(
        rng.between(0, static_cast<int>(category.sentences.size()) - 1))];
    sentences.push_back(fill(main.text, rng));
    ticket.severity = main.severity;
  }
  if (rng.chance(0.07)) {  // a second topic, from another category
    const Category& other = other_category(rng, category);
    sentences.push_back(fill(other
                                 .sentences[static_cast<size_t>(
                                     rng.between(0, static_cast<int>(other.sentences.size()) - 1))]
                                 .text,
                             rng));
  }
  const int fillers = rng.between(0, 2);
  for (int i = 0; i < fillers && sentences.size() < 4; ++i) {
    sentences.push_back(fill(pick(rng, kFillers), rng));
  }
  ticket.urgent = rng.chance(urgent_chance);
  if (ticket.urgent && sentences.size() < 4) sentences.push_back(pick(rng, kUrgent));
  // Shuffle everything after the main sentence: people write in any order.
  for (size_t i = sentences.size(); i > 2; --i) {
    std::swap(sentences[i - 1],
              sentences[1 + static_cast<size_t>(rng.between(0, static_cast<int>(i) - 2))]);
  }
  std::string body = rng.chance(0.4) ? std::string(pick(rng, kGreetings)) + " " : "";
  for (size_t i = 0; i < sentences.size(); ++i) body += (i ? " " : "") + sentences[i];
  if (rng.chance(0.3)) body += " " + fill(pick(rng, kClosings), rng);
  body = add_typos(body, rng, 0.04);
  if (rng.chance(0.15)) body = lowercase(body);
  if (rng.chance(0.15) && body.back() == '.') body.pop_back();
  ticket.body = std::move(body);

  ticket.subject = rng.chance(0.25) ? pick(rng, kGenericSubjects)
                                    : fill(category.subjects[static_cast<size_t>(rng.between(
                                               0, static_cast<int>(category.subjects.size()) - 1))],
                                           rng);
  if (rng.chance(0.1)) ticket.subject = lowercase(ticket.subject);
  return ticket;
}

constexpr std::array<const char*, 4> kChannels = {"email", "chat", "phone", "web"};
constexpr std::array<double, 4> kChannelShare = {0.40, 0.25, 0.15, 0.20};
constexpr std::array<double, 4> kChannelPriority = {0.0, 0.3, 0.6, -0.2};
constexpr std::array<double, 4> kChannelResponse = {1.0, 0.35, 0.25, 1.2};  // hours factor
constexpr std::array<const char*, 3> kTiers = {"free", "pro", "enterprise"};
constexpr std::array<double, 3> kTierShare = {0.50, 0.35, 0.15};
constexpr std::array<double, 3> kTierPriority = {0.0, 0.4, 0.9};
constexpr std::array<double, 3> kTierResponse = {1.4, 0.85, 0.5};
constexpr std::array<const char*, 4> kPriorities = {"low", "medium", "high", "urgent"};
constexpr std::array<double, 4> kPriorityHours = {30.0, 12.0, 4.0, 1.0};

template <size_t N>
size_t draw_index(DemoRandom& rng, const std::array<double, N>& shares) {
  double u = rng.uniform();
  for (size_t i = 0; i + 1 < N; ++i) {
    if (u < shares[i]) return i;
    u -= shares[i];
  }
  return N - 1;
}

struct Timestamp {
  std::string text;
  bool weekend;
};

// A moment in 2025, three times as likely in office hours (8:00-18:59) as at night.
Timestamp draw_timestamp(DemoRandom& rng) {
  using namespace std::chrono;
  const sys_days day = sys_days{2025y / January / 1} + days{rng.between(0, 364)};
  const int hour = rng.chance(0.75) ? rng.between(8, 18) : rng.between(0, 23);
  const int minute = rng.between(0, 59), second = rng.between(0, 59);
  const year_month_day date{day};
  char text[32];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), hour,
                minute, second);
  const unsigned weekday_index = weekday{day}.iso_encoding();  // 6, 7 = Saturday, Sunday
  return {text, weekday_index >= 6};
}

Status sqlite_failure(sqlite3* db) {
  return Status(ErrorCode::kInternal,
                std::string("cannot write demo support tickets: ") + sqlite3_errmsg(db));
}

constexpr const char* kCreateTable = R"sql(
CREATE TABLE support_tickets (
  ticket_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  channel TEXT NOT NULL,
  customer_tier TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  priority TEXT NOT NULL,
  first_response_hours REAL NOT NULL
))sql";

}  // namespace

std::vector<SupportTicketRow> generate_support_tickets() {
  DemoRandom rng(kTicketsSeed);
  std::vector<SupportTicketRow> rows;
  rows.reserve(kTicketCount);
  for (int i = 0; i < kTicketCount; ++i) {
    SupportTicketRow row;
    const Timestamp created = draw_timestamp(rng);
    row.created_at = created.text;
    const size_t channel = draw_index(rng, kChannelShare);
    const size_t tier = draw_index(rng, kTierShare);
    row.channel = kChannels[channel];
    row.customer_tier = kTiers[tier];
    const Category& category = draw_category(rng);
    row.category = category.name;
    // Paying customers and phone callers say "urgent" more often.
    const double urgent_chance =
        0.07 + 0.05 * static_cast<double>(tier) + (channel == 2 ? 0.05 : 0);
    TicketText text = write_ticket(rng, category, urgent_chance);
    row.subject = std::move(text.subject);
    row.body = std::move(text.body);

    const double score = kTierPriority[tier] + kChannelPriority[channel] + text.severity +
                         (text.urgent ? 1.5 : 0.0) + 0.35 * rng.normal();
    const size_t priority = score < 0.5 ? 0 : score < 1.3 ? 1 : score < 2.2 ? 2 : 3;
    row.priority = kPriorities[priority];

    const double hours = kPriorityHours[priority] * kTierResponse[tier] *
                         kChannelResponse[channel] * (created.weekend ? 1.8 : 1.0) *
                         std::exp(0.35 * rng.normal());
    row.first_response_hours = std::round(std::max(0.05, hours) * 100.0) / 100.0;
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  for (size_t i = 0; i < rows.size(); ++i) {
    char id[24];
    std::snprintf(id, sizeof(id), "T%06zu", i + 1);
    rows[i].ticket_id = id;
  }
  return rows;
}

Status write_demo_text_tables(sqlite3* db) {
  auto exec = [db](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
  if (exec("BEGIN") != SQLITE_OK) return sqlite_failure(db);
  sqlite3_stmt* insert = nullptr;
  bool ok = exec(kCreateTable) == SQLITE_OK &&
            sqlite3_prepare_v2(
                db, "INSERT INTO support_tickets VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1,
                &insert, nullptr) == SQLITE_OK;
  for (const SupportTicketRow& row :
       ok ? generate_support_tickets() : std::vector<SupportTicketRow>{}) {
    const std::string* texts[] = {&row.ticket_id,     &row.created_at, &row.channel,
                                  &row.customer_tier, &row.subject,    &row.body,
                                  &row.category,      &row.priority};
    for (int i = 0; i < 8; ++i) {
      sqlite3_bind_text(insert, i + 1, texts[i]->c_str(), -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_double(insert, 9, row.first_response_hours);
    ok = sqlite3_step(insert) == SQLITE_DONE;
    sqlite3_reset(insert);
    if (!ok) break;
  }
  Status status = ok ? Status::ok() : sqlite_failure(db);
  sqlite3_finalize(insert);
  if (status.is_ok() && exec("COMMIT") != SQLITE_OK) status = sqlite_failure(db);
  if (!status.is_ok()) exec("ROLLBACK");
  return status;
}

}  // namespace traind::data
