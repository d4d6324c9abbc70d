#pragma once

#include <QStringList>

namespace Wsw::Cli {

/** Dispatches `wscli <subcommand> ...`; arguments excludes the program name. Returns the exit status. */
int run(const QStringList &arguments);

} // namespace Wsw::Cli
