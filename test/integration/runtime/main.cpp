// Integration tests of the runtime-runc plugin: the real plugin .so loaded
// through the core's PluginSet, real runc, real mounts, a busybox rootfs.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
