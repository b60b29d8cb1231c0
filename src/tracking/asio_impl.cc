// The compiled implementation of Boost.Asio (with its SSL part) and Boost.Beast, built
// once for the whole program: BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are PUBLIC on traind_tracking, the lowest layer that
// speaks HTTP (the MLflow export client), so every layer above it (the api's server)
// only parses declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
