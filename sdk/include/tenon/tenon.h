/* tenon C ABI: everything a plugin author needs, in one include. */
#ifndef TENON_TENON_H
#define TENON_TENON_H

#include "status.h"
#include "types.h"
#include "mount.h"
#include "plugin.h"
#include "content.h"
#include "snapshotter.h"
#include "runtime.h"
#include "metrics.h"

#endif /* TENON_TENON_H */
