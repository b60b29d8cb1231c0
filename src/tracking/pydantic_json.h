// JSON text exactly as pydantic v2's model_dump_json writes it (pydantic-core serializes
// through serde_json; floats through the ryu crate), so a Training BOM served by traind is
// byte for byte what the Python model would produce for the same values.
// Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace traind::tracking {

// indent < 0: serde_json's compact form ({"a":1,"b":[1,2]}); indent >= 0: its
// PrettyFormatter with `indent` spaces per level (": " after keys, empty [] and {}).
// NaN and infinities are written as null (pydantic's default ser_json_inf_nan='null').
// Bytes that are not valid UTF-8 (which a Python str can never hold) become U+FFFD.
std::string dump_pydantic_json(const nlohmann::ordered_json& value, int indent = -1);

// A finite double as ryu's format_finite lays it out (shortest round-trip digits):
// 1.0, 0.87, 1e-7, 1e21, 10000000000000000.0, 0.0001, -0.0.
std::string ryu_float_text(double value);

}  // namespace traind::tracking
