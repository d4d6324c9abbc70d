#pragma once

#include <optional>

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace Wsw::Cli {

/** Exit statuses shared by every subcommand. */
enum ExitStatus : int {
    ExitOk = 0,               // done; a connection closed cleanly with 1000, 1001 or no code
    ExitFailure = 1,          // the connection failed or was lost (the error is printed)
    ExitUsage = 2,            // bad command line
    ExitExpectationFailed = 3, // wscli send --expect: a reply did not match
    ExitTimeout = 4,          // a wait ran out
    ExitClosedWithCode = 5,   // closed cleanly, but with another code (printed)
    ExitInterrupted = 130,    // a second Ctrl-C dropped the connection
};

/** The exit status for a connection that ended with this close (clean or not). */
int exitStatusForClose(quint16 code, bool wasClean);

/** Names the running subcommand ("send") for usage lines. */
void setCommandName(const QString &name);
/** The parser's help with "wscli <command>" in place of the program's path. */
QString helpText(const QCommandLineParser &parser);

void printOut(const QString &text);
void printErr(const QString &text);
/**
 * Parses a subcommand's arguments: an exit status when the command ends here (--help printed,
 * or a usage error reported), nothing when it goes on.
 */
std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments);
/** Prints "wscli: <message>" and the subcommand's usage line to stderr; returns ExitUsage. */
int usageError(const QCommandLineParser &parser, const QString &message);

} // namespace Wsw::Cli
