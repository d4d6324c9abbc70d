#include "clioutput.h"

#include <cstdio>

#include <QCommandLineParser>

namespace Wsw::Cli {

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

int usageError(const QCommandLineParser &parser, const QString &message)
{
    printErr(u"wscli: " + message);
    const QString help = parser.helpText();
    printErr(help.section(u'\n', 0, 0) + u"\n(see --help)");
    return ExitUsage;
}

} // namespace Wsw::Cli
