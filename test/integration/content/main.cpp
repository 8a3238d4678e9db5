// Integration tests of ctr's content and namespaces commands against the real tenond with
// the in-tree content store: see the *_test.cpp files.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
