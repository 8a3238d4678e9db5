// Integration tests of task metrics and OOM events: real tenond, runc, cgroups and
// busybox containers; see metrics_test.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
