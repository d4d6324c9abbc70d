#pragma once

#include <QStringList>

namespace Wsw::Cli {

/** `wscli connect`: an interactive session, like websocat or wscat. Returns the exit status. */
int runConnect(const QStringList &arguments);

} // namespace Wsw::Cli
