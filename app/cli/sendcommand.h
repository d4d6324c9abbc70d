#pragma once

#include <QStringList>

namespace Wsw::Cli {

/** `wscli send`: one-shot send, optionally waiting for replies and checking them. Returns the exit status. */
int runSend(const QStringList &arguments);

} // namespace Wsw::Cli
