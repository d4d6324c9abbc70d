#include "cliapp.h"

#include "benchcommand.h"
#include "clioutput.h"

namespace Wsw::Cli {

namespace {

const char *const Usage =
        "usage: wscli <command> [options]\n"
        "\n"
        "A command-line WebSocket client on the WebSocket Workbench engine.\n"
        "\n"
        "commands:\n"
        "  bench      run one workload of the shared benchmark harness\n"
        "\n"
        "wscli <command> --help shows a command's options.";

} // namespace

int run(const QStringList &arguments)
{
    if (arguments.isEmpty() || arguments.first() == u"--help" || arguments.first() == u"-h") {
        printOut(QString::fromLatin1(Usage));
        return arguments.isEmpty() ? ExitUsage : ExitOk;
    }
    const QString command = arguments.first();
    // QCommandLineParser expects the program name first
    QStringList rest = arguments;
    rest[0] = u"wscli " + command;
    if (command == u"bench")
        return runBench(rest);
    printErr(u"wscli: unknown command \"" + command + u"\"\n" + QString::fromLatin1(Usage));
    return ExitUsage;
}

} // namespace Wsw::Cli
