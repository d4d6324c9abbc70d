#pragma once

#include <QStringList>

namespace Wsw::Cli {

/** `wscli serve`: the built-in echo server on 127.0.0.1 until Ctrl-C or SIGTERM. Returns the exit status. */
int runServe(const QStringList &arguments);

} // namespace Wsw::Cli
