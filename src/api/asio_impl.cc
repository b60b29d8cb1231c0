// The compiled implementation of Boost.Asio and Boost.Beast, built once for the whole
// program (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION are set
// on traind_api), so other Beast translation units only parse declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
