#include "autobahncommand.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTimer>
#include <QUrlQuery>

#include "api/messagewebsocket.h"
#include "clioutput.h"
#include "connectionoptions.h"
#include "connectionrun.h"
#include "interruptwatcher.h"
#include "messageprinter.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Cli {

namespace {

/** Autobahn's largest messages are 16 MiB (section 9); leave room. */
constexpr quint32 AutobahnMaxMessageBytes = 64u * 1024 * 1024;

struct Connection {
    bool timedOut = false;
    bool interrupted = false;
    /** Why it failed, for people (describeError()); empty when it did not. */
    QString error;
    QByteArray firstText;
};

/**
 * One connection to the fuzzing server, run to its end: echo mode sends every message back
 * unchanged, otherwise the first text message is kept.
 */
Connection runConnection(const ConnectionOptions &options, const QUrl &url, bool echo, std::chrono::seconds timeout,
                         InterruptWatcher &interrupts)
{
    Connection result;
    MessageWebSocket socket;
    if (const QString error = options.applyTo(socket); !error.isEmpty()) {
        result.error = error;
        return result;
    }
    ConnectionRun run(socket);
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &run, [&] {
        result.timedOut = true;
        socket.abort();
        run.finish(ExitTimeout);
    });
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &run, [&] {
        result.interrupted = true;
        socket.close(1001, QStringLiteral("going away"));
        QTimer::singleShot(std::chrono::seconds(2), &run, [&run] { run.finish(ExitInterrupted); });
    });
    QObject::connect(&socket, &MessageWebSocket::messageReceived, &run,
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
    QObject::connect(&socket, &MessageWebSocket::errorOccurred, &run,
                     [&](const WebSocketError &e) { result.error = describeError(e, socket); });
    QObject::connect(&socket, &MessageWebSocket::stateChanged, &run, [&](ConnectionState state) {
        if (state == ConnectionState::Closed || state == ConnectionState::Failed)
            QTimer::singleShot(0, &run, [&run] { run.finish(ExitOk); }); // after closed() and errorOccurred()
    });
    timer.start(timeout);
    run.exec(url);
    if (result.error.isEmpty() && !run.hasOpened() && socket.lastError().isError())
        result.error = socket.lastError().toString(); // refused by connectAsync() itself
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

QJsonObject fetchJson(const ConnectionOptions &options, const QUrl &url, InterruptWatcher &interrupts)
{
    const Connection c = runConnection(options, url, false, std::chrono::seconds(30), interrupts);
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
    ConnectionOptions options;
    options.control.maxMessageSize = AutobahnMaxMessageBytes;
    options.addTo(parser, ConnectionOptions::MessageTypeOption::NotOffered);
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws://host:port (or wss://) of the fuzzing server"));
    if (const auto done = parseArguments(parser, arguments))
        return *done;
    if (parser.positionalArguments().size() != 1)
        return usageError(parser, QStringLiteral("give exactly one URL"));
    if (const QString error = options.readFrom(parser, parser.positionalArguments().first()); !error.isEmpty())
        return usageError(parser, error);
    options.control.maxBufferedAmountBytes = 0; // an echo must never be refused
    const QUrl base = options.url;
    const QString agent = parser.value(QStringLiteral("agent"));
    if (agent.isEmpty())
        return usageError(parser, QStringLiteral("--agent may not be empty"));
    bool ok = false;
    const int caseTimeout = parser.value(QStringLiteral("case-timeout")).toInt(&ok);
    if (!ok || caseTimeout <= 0)
        return usageError(parser, QStringLiteral("--case-timeout must be a positive number of seconds"));

    InterruptWatcher interrupts;
    const Connection countConnection = runConnection(options, endpoint(base, u"/getCaseCount"_qs, {}), false,
                                                     std::chrono::seconds(30), interrupts);
    const int count = QString::fromUtf8(countConnection.firstText).trimmed().toInt(&ok);
    if (!ok || count <= 0) {
        printErr(u"wscli autobahn: no case count from " + base.toDisplayString() + u": "
                 + (!countConnection.error.isEmpty()
                            ? countConnection.error
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
        const QJsonObject info = fetchJson(
                options, endpoint(base, u"/getCaseInfo"_qs, {{u"case"_qs, QString::number(n)}}), interrupts);
        const QString id = info.value(u"id").toString();
        const Connection run = runConnection(options, endpoint(base, u"/runCase"_qs, query), true,
                                             std::chrono::seconds(caseTimeout), interrupts);
        if (run.interrupted) {
            printErr(QStringLiteral("wscli autobahn: interrupted"));
            return ExitInterrupted;
        }
        QString behavior = fetchJson(options, endpoint(base, u"/getCaseStatus"_qs, query), interrupts)
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
    runConnection(options, endpoint(base, u"/updateReports"_qs, {{u"agent"_qs, agent}}), false,
                  std::chrono::seconds(60), interrupts);

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
