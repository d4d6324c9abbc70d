#pragma once

#include <QString>

class QCommandLineParser;

namespace Wsw::Cli {

/** Exit statuses shared by every subcommand. */
enum ExitStatus : int {
    ExitOk = 0,
    ExitFailure = 1,   // the connection failed or an expectation was not met
    ExitUsage = 2,     // bad command line
};

void printOut(const QString &text);
void printErr(const QString &text);
/** Prints "wscli: <message>" and the subcommand's usage line to stderr; returns ExitUsage. */
int usageError(const QCommandLineParser &parser, const QString &message);

} // namespace Wsw::Cli
