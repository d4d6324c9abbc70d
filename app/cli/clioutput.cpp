#include "clioutput.h"

#include <algorithm>
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

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
    // --deflate takes an optional value, which QCommandLineParser cannot express: bare --deflate is
    // --deflate=, and "--deflate PARAMS" is taken as --deflate=PARAMS when PARAMS starts with a
    // parameter name (a URL or a message never does)
    static const QStringList parameterStarts{u"permessage-deflate"_s, u"client_"_s, u"server_"_s, u"level"_s,
                                             u"threshold"_s};
    QStringList args;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (arg == u"--") {
            args += arguments.sliced(i);
            break;
        }
        if (arg != u"--deflate") {
            args.append(arg);
            continue;
        }
        const QString next = i + 1 < arguments.size() ? arguments.at(i + 1) : QString();
        const bool nextIsValue = std::any_of(parameterStarts.begin(), parameterStarts.end(),
                                             [&](const QString &start) { return next.startsWith(start); });
        args.append(nextIsValue ? u"--deflate="_s + next : u"--deflate="_s);
        if (nextIsValue)
            ++i;
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
