#include "autobahncommand.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTimer>
#include <QUrlQuery>

#include "api/messagewebsocket.h"
#include "clioutput.h"
#include "deflateoption.h"
#include "interruptwatcher.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Cli {

namespace {

/** Autobahn's largest messages are 16 MiB (section 9); leave room. */
constexpr quint32 AutobahnMaxMessageBytes = 64u * 1024 * 1024;

struct Connection {
    bool timedOut = false;
    bool interrupted = false;
    WebSocketError error;
    QByteArray firstText;
};

/**
 * One connection to the fuzzing server, run to its end in a local event loop: echo mode sends
 * every message back unchanged, otherwise the first text message is kept.
 */
Connection runConnection(const QUrl &url, bool echo, std::chrono::seconds timeout, InterruptWatcher &interrupts,
                         const DeflateOptions &compression = {})
{
    Connection result;
    MessageWebSocket socket;
    MessageWebSocketControl control;
    control.maxMessageSize = AutobahnMaxMessageBytes;
    control.maxBufferedAmountBytes = 0; // an echo must never be refused
    control.compression = compression; // by default "permessage-deflate; client_max_window_bits": sections 12, 13
    socket.setControl(control);

    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        result.timedOut = true;
        socket.abort();
        loop.quit();
    });
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &loop, [&] {
        result.interrupted = true;
        socket.close(1001, QStringLiteral("going away"));
        QTimer::singleShot(std::chrono::seconds(2), &loop, &QEventLoop::quit);
    });
    QObject::connect(&socket, &MessageWebSocket::messageReceived, &loop,
                     [&](const MessageWebSocketMessageReceivedEventArgs &m) {
                         if (echo) {
                             // the bytes as they came, in their type (no round trip through QString)
                             socket.setMessageType(m.messageType());
                             socket.sendMessage(m.data());
                         } else if (result.firstText.isNull() && m.messageType() == SocketMessageType::Utf8) {
                             result.firstText = m.data();
                             socket.close(1000, {});
                         }
                     });
    QObject::connect(&socket, &MessageWebSocket::errorOccurred, &loop,
                     [&](const WebSocketError &e) { result.error = e; });
    QObject::connect(&socket, &MessageWebSocket::stateChanged, &loop, [&](ConnectionState state) {
        if (state == ConnectionState::Closed || state == ConnectionState::Failed)
            QTimer::singleShot(0, &loop, &QEventLoop::quit); // after closed() and errorOccurred()
    });
    if (!socket.connectAsync(url)) {
        result.error = socket.lastError();
        return result;
    }
    timer.start(timeout);
    loop.exec();
    return result;
}

QUrl endpoint(const QUrl &base, const QString &path, const QList<QPair<QString, QString>> &query)
{
    QUrl url = base;
    QString basePath = base.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    QUrlQuery q;
    for (const auto &[key, value] : query)
        q.addQueryItem(key, value);
    url.setQuery(q);
    return url;
}

QJsonObject fetchJson(const QUrl &url, InterruptWatcher &interrupts)
{
    const Connection c = runConnection(url, false, std::chrono::seconds(30), interrupts);
    return QJsonDocument::fromJson(c.firstText).object();
}

} // namespace

QList<int> parseCaseList(const QString &list, int count, QString *error)
{
    QList<int> cases;
    for (const QString &part : list.split(u',', Qt::SkipEmptyParts)) {
        const QStringList ends = part.trimmed().split(u'-');
        bool okFirst = false, okLast = false;
        const int first = ends.first().toInt(&okFirst);
        const int last = ends.size() == 2 ? ends.last().toInt(&okLast) : first;
        if (ends.size() > 2 || !okFirst || (ends.size() == 2 && !okLast) || first < 1 || last < first || last > count) {
            *error = u"--cases: \"" + part + u"\" is not a case number or range within 1-" + QString::number(count);
            return {};
        }
        for (int n = first; n <= last; ++n)
            if (!cases.contains(n))
                cases.append(n);
    }
    if (cases.isEmpty())
        *error = QStringLiteral("--cases selects no case");
    return cases;
}

int runAutobahn(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Runs the cases of an Autobahn|Testsuite fuzzing server (or one that speaks its protocol) against this "
            "client: every message of a case is echoed back unchanged; the server judges. Prints one line per case "
            "and a summary; exit status 0 when no case FAILED, 1 otherwise."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("agent"), QStringLiteral("Agent name in the server's reports (default wscli)."),
                      QStringLiteral("NAME"), QStringLiteral("wscli")});
    parser.addOption({QStringLiteral("cases"), QStringLiteral("Which cases to run, e.g. 1-10,42 (default: all)."),
                      QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("case-timeout"), QStringLiteral("Seconds one case may take (default 120)."),
                      QStringLiteral("seconds"), QStringLiteral("120")});
    addDeflateOptions(parser);
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws://host:port of the fuzzing server"));
    if (const auto done = parseArguments(parser, arguments))
        return *done;
    if (parser.positionalArguments().size() != 1)
        return usageError(parser, QStringLiteral("give exactly one URL"));
    const QUrl base(parser.positionalArguments().first(), QUrl::StrictMode);
    if (!base.isValid() || base.scheme() != u"ws" || base.host().isEmpty())
        return usageError(parser, QStringLiteral("the URL must be ws://host:port"));
    const QString agent = parser.value(QStringLiteral("agent"));
    if (agent.isEmpty())
        return usageError(parser, QStringLiteral("--agent may not be empty"));
    bool ok = false;
    const int caseTimeout = parser.value(QStringLiteral("case-timeout")).toInt(&ok);
    if (!ok || caseTimeout <= 0)
        return usageError(parser, QStringLiteral("--case-timeout must be a positive number of seconds"));
    DeflateOptions compression;
    if (const QString error = readDeflateOptions(parser, &compression); !error.isEmpty())
        return usageError(parser, error);

    InterruptWatcher interrupts;
    const Connection countConnection = runConnection(endpoint(base, u"/getCaseCount"_qs, {}), false,
                                                     std::chrono::seconds(30), interrupts);
    const int count = QString::fromUtf8(countConnection.firstText).trimmed().toInt(&ok);
    if (!ok || count <= 0) {
        printErr(u"wscli autobahn: no case count from " + base.toDisplayString() + u": "
                 + (countConnection.error.isError() ? countConnection.error.toString()
                                                    : u"answer \"" + QString::fromUtf8(countConnection.firstText) + u'"'));
        return ExitFailure;
    }
    QList<int> cases;
    if (parser.isSet(QStringLiteral("cases"))) {
        QString error;
        cases = parseCaseList(parser.value(QStringLiteral("cases")), count, &error);
        if (cases.isEmpty())
            return usageError(parser, error);
    } else {
        for (int n = 1; n <= count; ++n)
            cases.append(n);
    }

    QMap<QString, int> verdicts;
    QStringList failed;
    for (int n : std::as_const(cases)) {
        const QList<QPair<QString, QString>> query = {{u"case"_qs, QString::number(n)}, {u"agent"_qs, agent}};
        const QJsonObject info = fetchJson(endpoint(base, u"/getCaseInfo"_qs, {{u"case"_qs, QString::number(n)}}),
                                           interrupts);
        const QString id = info.value(u"id").toString();
        const Connection run = runConnection(endpoint(base, u"/runCase"_qs, query), true,
                                             std::chrono::seconds(caseTimeout), interrupts, compression);
        if (run.interrupted) {
            printErr(QStringLiteral("wscli autobahn: interrupted"));
            return ExitInterrupted;
        }
        QString behavior = fetchJson(endpoint(base, u"/getCaseStatus"_qs, query), interrupts)
                                   .value(u"behavior").toString();
        if (behavior.isEmpty())
            behavior = QStringLiteral("UNKNOWN");
        if (run.timedOut)
            behavior = QStringLiteral("FAILED"); // a case that hangs is a failure whatever the server says
        ++verdicts[behavior];
        if (behavior != u"OK" && behavior != u"NON-STRICT" && behavior != u"INFORMATIONAL"
            && behavior != u"UNIMPLEMENTED")
            failed.append(id.isEmpty() ? QString::number(n) : id);
        QString line = u"case " + QString::number(n) + (id.isEmpty() ? QString() : u" (" + id + u')') + u": " + behavior;
        if (run.timedOut)
            line += u" (no end after " + QString::number(caseTimeout) + u" s)";
        printOut(line);
    }
    runConnection(endpoint(base, u"/updateReports"_qs, {{u"agent"_qs, agent}}), false, std::chrono::seconds(60),
                  interrupts);

    QString summary = u"autobahn: " + QString::number(cases.size()) + u" cases";
    for (const char *verdict : {"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"})
        summary += u", " + QString::number(verdicts.value(QString::fromLatin1(verdict))) + u' ' + QString::fromLatin1(verdict);
    for (auto it = verdicts.cbegin(); it != verdicts.cend(); ++it) {
        static const QStringList known = {u"OK"_qs, u"NON-STRICT"_qs, u"INFORMATIONAL"_qs, u"UNIMPLEMENTED"_qs,
                                          u"FAILED"_qs};
        if (!known.contains(it.key()))
            summary += u", " + QString::number(it.value()) + u' ' + it.key();
    }
    printOut(summary);
    if (!failed.isEmpty())
        printErr(u"wscli autobahn: not passed: " + failed.join(u", "));
    return failed.isEmpty() ? ExitOk : ExitFailure;
}

} // namespace Wsw::Cli
