// Tests of the test support itself: a runner that cannot see failures would hide them.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
