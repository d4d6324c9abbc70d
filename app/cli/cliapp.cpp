#include "cliapp.h"

#include "autobahncommand.h"
#include "benchcommand.h"
#include "clioutput.h"
#include "connectcommand.h"
#include "sendcommand.h"
#include "servecommand.h"

namespace Wsw::Cli {

namespace {

const char *const Usage =
        "usage: wscli <command> [options]\n"
        "\n"
        "A command-line WebSocket client on the WebSocket Workbench engine.\n"
        "\n"
        "commands:\n"
        "  connect    interactive session: stdin lines become messages, received ones are printed\n"
        "  send       send messages, optionally wait for replies and check them (for scripts and CI)\n"
        "  autobahn   run the cases of an Autobahn|Testsuite fuzzing server against this client\n"
        "  bench      run one workload of the shared benchmark harness (one JSON line)\n"
        "  serve      run the built-in echo server on 127.0.0.1 (ws://, or wss:// with --tls)\n"
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
    setCommandName(command);
    if (command == u"connect")
        return runConnect(rest);
    if (command == u"send")
        return runSend(rest);
    if (command == u"autobahn")
        return runAutobahn(rest);
    if (command == u"bench")
        return runBench(rest);
    if (command == u"serve")
        return runServe(rest);
    printErr(u"wscli: unknown command \"" + command + u"\"\n" + QString::fromLatin1(Usage));
    return ExitUsage;
}

} // namespace Wsw::Cli
