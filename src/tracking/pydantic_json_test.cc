#include "tracking/pydantic_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace traind::tracking {
namespace {

using nlohmann::ordered_json;

struct FloatCase {
  double value;
  const char* text;
};

// Expected texts follow ryu's d2s_buffered_n thresholds (see pydantic_json.cc); Python's
// repr differs in several of them (1e+16, 1e-05), which is the point of the table.
TEST(RyuFloatText, LaysOutShortestDigitsAsRyuDoes) {
  const FloatCase cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {-1.0, "-1.0"},
      {0.87, "0.87"},
      {0.1, "0.1"},
      {0.30000000000000004, "0.30000000000000004"},
      {1.0 / 3.0, "0.3333333333333333"},
      {3.141592653589793, "3.141592653589793"},
      {100.0, "100.0"},
      {12.34, "12.34"},
      {-2.5, "-2.5"},
      {0.001234, "0.001234"},
      {0.0001, "0.0001"},
      {1e-5, "0.00001"},
      {1e-6, "0.000001"},
      {1.5e-6, "0.0000015"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {-1.25e-10, "-1.25e-10"},
      {123456789012345.0, "123456789012345.0"},
      {1e15, "1000000000000000.0"},
      {1e16, "10000000000000000.0"},
      {1.5e20, "150000000000000000000.0"},
      {1e20, "100000000000000000000.0"},
      {1.2345678901234568e20, "123456789012345680000.0"},
      {1e21, "1e21"},
      {1.5e21, "1.5e21"},
      {1e22, "1e22"},
      {1e100, "1e100"},
      {1.7976931348623157e308, "1.7976931348623157e308"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {5e-324, "5e-324"},
      {9007199254740993.0, "9007199254740992.0"},
      {123456.789, "123456.789"},
      {1e-300, "1e-300"},
      {4.35, "4.35"},
  };
  for (const FloatCase& c : cases) {
    EXPECT_EQ(ryu_float_text(c.value), c.text) << "for " << c.text;
  }
}

TEST(RyuFloatText, RoundTripsRandomDoubles) {
  std::mt19937_64 rng(20261123);
  for (int i = 0; i < 20000; ++i) {
    uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    if (!std::isfinite(v)) continue;
    const std::string text = ryu_float_text(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
    // Always a float in JSON: a '.' or an exponent, never a bare integer.
    EXPECT_NE(text.find_first_of(".e"), std::string::npos) << text;
    EXPECT_EQ(text.find('+'), std::string::npos) << text;
  }
}

TEST(DumpPydanticJson, CompactFormHasNoSpaces) {
  ordered_json v = ordered_json::parse(R"({"b":[1,2],"a":1,"c":{"x":null,"y":true,"z":false}})");
  EXPECT_EQ(dump_pydantic_json(v), R"({"b":[1,2],"a":1,"c":{"x":null,"y":true,"z":false}})");
}

TEST(DumpPydanticJson, IndentFormMatchesSerdePrettyFormatter) {
  ordered_json v = ordered_json::parse(R"({"a":1,"b":[1,{}],"c":[],"d":{"e":"f"}})");
  EXPECT_EQ(dump_pydantic_json(v, 2),
            "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {}\n  ],\n  \"c\": [],\n  \"d\": {\n"
            "    \"e\": \"f\"\n  }\n}");
  EXPECT_EQ(dump_pydantic_json(v, 0),
            "{\n\"a\": 1,\n\"b\": [\n1,\n{}\n],\n\"c\": [],\n\"d\": {\n\"e\": \"f\"\n}\n}");
  EXPECT_EQ(dump_pydantic_json(ordered_json::object(), 2), "{}");
  EXPECT_EQ(dump_pydantic_json(ordered_json::array(), 4), "[]");
  EXPECT_EQ(dump_pydantic_json(ordered_json(7), 2), "7");
}

TEST(DumpPydanticJson, EscapesStringsAsSerdeJson) {
  const char kRaw[] = "q\" b\\ / \b\f\n\r\t \x01\x1f\x7f \0end";
  const std::string raw(kRaw, sizeof(kRaw) - 1);
  EXPECT_EQ(dump_pydantic_json(ordered_json(raw)),
            "\"q\\\" b\\\\ / \\b\\f\\n\\r\\t \\u0001\\u001f\x7f \\u0000end\"");
}

TEST(DumpPydanticJson, WritesNonAsciiRawAndReplacesInvalidUtf8) {
  EXPECT_EQ(dump_pydantic_json(ordered_json("é 日本 🚀")), "\"é 日本 🚀\"");
  // A lone continuation byte, a truncated sequence, an overlong '/' and a surrogate.
  EXPECT_EQ(dump_pydantic_json(ordered_json(std::string("a\x80z\xE6\x97"))),
            "\"a\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(dump_pydantic_json(ordered_json(std::string("\xC0\xAF"))),
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(dump_pydantic_json(ordered_json(std::string("\xED\xA0\x80"))),
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(DumpPydanticJson, KeepsIntegersAndFloatsApart) {
  ordered_json v = ordered_json::object();
  v["int"] = 1;
  v["float"] = 1.0;
  v["neg"] = -42;
  v["min"] = std::numeric_limits<int64_t>::min();
  v["umax"] = std::numeric_limits<uint64_t>::max();
  v["big"] = 1e16;
  EXPECT_EQ(dump_pydantic_json(v), R"({"int":1,"float":1.0,"neg":-42,"min":-9223372036854775808,)"
                                   R"("umax":18446744073709551615,"big":10000000000000000.0})");
}

TEST(DumpPydanticJson, WritesNonFiniteFloatsAsNull) {
  ordered_json v = ordered_json::array();
  v.push_back(std::numeric_limits<double>::quiet_NaN());
  v.push_back(std::numeric_limits<double>::infinity());
  v.push_back(-std::numeric_limits<double>::infinity());
  v.push_back(0.5);
  EXPECT_EQ(dump_pydantic_json(v), "[null,null,null,0.5]");
}

TEST(DumpPydanticJson, KeepsInsertionOrderOfKeys) {
  ordered_json v = ordered_json::object();
  v["zeta"] = 1;
  v["alpha"] = 2;
  v["mid"] = 3;
  EXPECT_EQ(dump_pydantic_json(v), R"({"zeta":1,"alpha":2,"mid":3})");
}

}  // namespace
}  // namespace traind::tracking
