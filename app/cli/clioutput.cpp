#include "clioutput.h"

#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Wsw::Cli {

namespace {
QString g_commandName = QStringLiteral("wscli");
} // namespace

void setCommandName(const QString &name)
{
    g_commandName = u"wscli " + name;
}

QString helpText(const QCommandLineParser &parser)
{
    QString help = parser.helpText();
    const QStringList args = QCoreApplication::arguments();
    if (!args.isEmpty())
        help.replace(args.constFirst(), g_commandName);
    return help;
}

void printOut(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    if (!text.endsWith(u'\n'))
        std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    if (!text.endsWith(u'\n'))
        std::fputc('\n', stderr);
    std::fflush(stderr);
}

int exitStatusForClose(quint16 code, bool wasClean)
{
    if (!wasClean)
        return ExitFailure;
    return (code == 1000 || code == 1001 || code == 1005) ? ExitOk : ExitClosedWithCode;
}

std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments)
{
    // --deflate takes an optional value, which QCommandLineParser cannot express: bare --deflate is --deflate=
    QStringList args = arguments;
    for (QString &arg : args) {
        if (arg == u"--")
            break;
        if (arg == u"--deflate")
            arg = QStringLiteral("--deflate=");
    }
    if (!parser.parse(args))
        return usageError(parser, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(helpText(parser));
        return ExitOk;
    }
    return std::nullopt;
}

int usageError(const QCommandLineParser &parser, const QString &message)
{
    printErr(u"wscli: " + message);
    printErr(helpText(parser).section(u'\n', 0, 0) + u"\n(see " + g_commandName + u" --help)");
    return ExitUsage;
}

} // namespace Wsw::Cli
