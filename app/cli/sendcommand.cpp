#include "sendcommand.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <QTimer>

#include "api/messagewebsocket.h"
#include "clioutput.h"
#include "connectionoptions.h"
#include "connectionrun.h"
#include "format/messageformat.h"
#include "interruptwatcher.h"
#include "messageprinter.h"

namespace Wsw::Cli {

int runSend(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Connects, sends each MESSAGE, optionally waits for replies and checks them, then closes with 1000.\n"
            "Exit status: 0 all done, 1 connection failed or lost, 2 bad arguments, 3 a reply did not match "
            "--expect, 4 timed out waiting, 5 the server closed with a code other than 1000/1001."));
    parser.addHelpOption();
    ConnectionOptions options;
    options.addTo(parser);
    parser.addOption({QStringLiteral("hex"),
                      QStringLiteral("MESSAGEs are hex bytes (e.g. 01ff7e, \"01 ff 7e\" or 0x01,0xff) sent as binary.")});
    parser.addOption({QStringLiteral("wait"), QStringLiteral("Waits for N messages from the server and prints them."),
                      QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("expect"),
                      QStringLiteral("Every awaited reply must match this regular expression (binary replies are "
                                     "matched as lowercase hex)."),
                      QStringLiteral("REGEX")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Seconds to wait for the replies (default 10)."), QStringLiteral("seconds"),
                      QStringLiteral("10")});
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws://host[:port]/path or wss://..."));
    parser.addPositionalArgument(QStringLiteral("MESSAGE"), QStringLiteral("Messages to send, in order."),
                                 QStringLiteral("MESSAGE..."));
    if (const auto done = parseArguments(parser, arguments))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(parser, QStringLiteral("give a URL and the messages to send"));
    if (const QString error = options.readFrom(parser, positional.first()); !error.isEmpty())
        return usageError(parser, error);

    const bool hex = parser.isSet(QStringLiteral("hex"));
    QList<QByteArray> messages;
    for (const QString &message : positional.sliced(1)) {
        if (!hex) {
            messages.append(message.toUtf8());
            continue;
        }
        QString error;
        const std::optional<QByteArray> bytes = Format::parseHex(message, &error);
        if (!bytes) {
            return usageError(parser,
                              u"--hex \"" + message + u"\": " + error + u" Give each byte as a pair of hex digits.");
        }
        messages.append(*bytes);
    }
    if (hex)
        options.control.messageType = SocketMessageType::Binary;
    bool ok = false;
    const int wait = parser.value(QStringLiteral("wait")).toInt(&ok);
    if (!ok || wait < 0)
        return usageError(parser, QStringLiteral("--wait must be a number of messages (0 or more)"));
    const int timeoutSeconds = parser.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || timeoutSeconds <= 0)
        return usageError(parser, QStringLiteral("--timeout must be a positive number of seconds"));
    QRegularExpression expect;
    const bool expecting = parser.isSet(QStringLiteral("expect"));
    if (expecting) {
        expect.setPattern(parser.value(QStringLiteral("expect")));
        if (!expect.isValid())
            return usageError(parser, u"--expect: " + expect.errorString());
    }

    MessageWebSocket socket;
    if (const QString error = options.applyTo(socket); !error.isEmpty())
        return usageError(parser, error);

    ConnectionRun run(socket);
    int status = ExitOk;
    int received = 0;
    QTimer replyTimer;
    replyTimer.setSingleShot(true);
    InterruptWatcher interrupts;

    auto finishWith = [&](int exitStatus) {
        if (status == ExitOk)
            status = exitStatus;
        if (socket.state() == ConnectionState::Open)
            socket.close(1000, {});
    };
    QObject::connect(&socket, &MessageWebSocket::connected, [&] {
        for (const QByteArray &message : std::as_const(messages)) {
            if (!socket.sendMessage(message)) {
                printErr(u"wscli: not sent: " + socket.lastError().message());
                finishWith(ExitFailure);
                return;
            }
        }
        if (received >= wait) {
            finishWith(ExitOk);
            return;
        }
        replyTimer.start(std::chrono::seconds(timeoutSeconds));
    });
    QObject::connect(&socket, &MessageWebSocket::messageReceived, [&](const MessageWebSocketMessageReceivedEventArgs &m) {
        if (received >= wait)
            return; // more than we waited for
        ++received;
        printOut(formatReceived(m.messageType(), m.data()));
        if (expecting) {
            const QString subject = m.messageType() == SocketMessageType::Utf8 ? m.text()
                                                                              : QString::fromLatin1(m.data().toHex());
            if (!expect.match(subject).hasMatch()) {
                printErr(QStringLiteral("wscli: reply %1 does not match --expect %2").arg(received).arg(expect.pattern()));
                replyTimer.stop();
                finishWith(ExitExpectationFailed);
                return;
            }
        }
        if (received == wait) {
            replyTimer.stop();
            finishWith(ExitOk);
        }
    });
    QObject::connect(&replyTimer, &QTimer::timeout, [&] {
        printErr(QStringLiteral("wscli: timed out after %1 s with %2 of %3 replies").arg(timeoutSeconds).arg(received).arg(wait));
        finishWith(ExitTimeout);
    });
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, [&](int count) {
        if (count == 1 && socket.state() == ConnectionState::Open) {
            socket.close(1001, QStringLiteral("going away"));
            return;
        }
        socket.abort();
        run.finish(ExitInterrupted);
    });
    QObject::connect(&socket, &MessageWebSocket::errorOccurred, [&](const WebSocketError &e) {
        printErr(u"wscli: " + describeError(e, socket));
        if (status == ExitOk)
            status = ExitFailure;
    });
    QObject::connect(&socket, &MessageWebSocket::closed, [&](const WebSocketClosedEventArgs &c) {
        if (status == ExitOk)
            status = exitStatusForClose(c.code(), c.wasClean());
        if (status == ExitClosedWithCode)
            printErr(u"wscli: the server closed with " + Format::closeCodeName(c.code())
                     + (c.reason().isEmpty() ? QString() : u", reason \"" + c.reason() + u'"'));
        if (status == ExitOk && received < wait) {
            printErr(QStringLiteral("wscli: closed with %1 of %2 replies").arg(received).arg(wait));
            status = ExitTimeout;
        }
        run.finish(status);
    });
    return run.exec(options.url);
}

} // namespace Wsw::Cli
