#include "client/sse_parser.h"

#include <gtest/gtest.h>

namespace traind::client {
namespace {

TEST(SseParser, EventsCutAnywhereComeOutWhole) {
  std::string stream =
      "data: {\"a\":1}\n\n: keep-alive\n\ndata: {\"b\":2}\r\n\r\ndata: x\ndata: y\n\n";
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SseParser parser;
    std::vector<std::string> events;
    parser.feed(std::string_view(stream).substr(0, cut), events);
    parser.feed(std::string_view(stream).substr(cut), events);
    ASSERT_EQ(events.size(), 3u) << "cut at " << cut;
    EXPECT_EQ(events[0], "{\"a\":1}");
    EXPECT_EQ(events[1], "{\"b\":2}");
    EXPECT_EQ(events[2], "x\ny");
  }
}

TEST(SseParser, UnfinishedEventIsHeldBack) {
  SseParser parser;
  std::vector<std::string> events;
  parser.feed("data: {\"a\":1}\n", events);
  EXPECT_TRUE(events.empty());
  parser.feed("\n", events);
  EXPECT_EQ(events.size(), 1u);
}

}  // namespace
}  // namespace traind::client
