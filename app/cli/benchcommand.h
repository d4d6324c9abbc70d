#pragma once

#include <QStringList>

namespace Wsw::Cli {

/**
 * `wscli bench`: the client contract of the shared benchmark harness (one JSON line on
 * stdout, the data phase timed on a monotonic clock, backpressure in send mode).
 * Returns the process exit status.
 */
int runBench(const QStringList &arguments);

} // namespace Wsw::Cli
