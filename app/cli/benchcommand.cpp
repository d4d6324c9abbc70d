#include "benchcommand.h"

#include <chrono>
#include <cstdio>

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QUrl>

#include "api/messagewebsocket.h"
#include "benchpayload.h"
#include "clioutput.h"
#include "connectionoptions.h"
#include "connectionrun.h"
#include "format/messageformat.h"
#include "messageprinter.h"

namespace Wsw::Cli {

namespace {

/** Sending pauses while this much is queued (the harness's own clients use 1 MiB too). */
constexpr qint64 SendHighWaterBytes = 1 << 20;

struct BenchArgs {
    QString mode;
    QString type = QStringLiteral("binary");
    quint64 size = 0;
    quint64 count = 0;
    QString urlBase;

    bool isText() const { return type == u"text"; }

    QString target() const
    {
        const QString s = QString::number(size), n = QString::number(count);
        if (mode == u"echo")
            return QStringLiteral("/echo");
        if (mode == u"recv")
            return u"/blast?size=" + s + u"&count=" + n + u"&type=" + type;
        if (mode == u"send")
            return u"/sink?count=" + n;
        return u"/big?size=" + s + u"&type=" + type;
    }
};

struct BenchResult {
    quint64 messages = 0;
    quint64 bytes = 0;
    double seconds = 0;
    bool ok = false;
};

void printResult(const BenchArgs &a, const BenchResult &r)
{
    const double s = r.seconds > 0 ? r.seconds : 1e-9;
    std::printf("{\"client\": \"wscli\", \"mode\": \"%s\", \"size\": %llu, \"count\": %llu, "
                "\"messages\": %llu, \"bytes\": %llu, \"seconds\": %.6f, "
                "\"msgs_per_s\": %.1f, \"mib_per_s\": %.2f, \"ok\": %s}\n",
                qPrintable(a.mode), static_cast<unsigned long long>(a.size),
                static_cast<unsigned long long>(a.count), static_cast<unsigned long long>(r.messages),
                static_cast<unsigned long long>(r.bytes), r.seconds, double(r.messages) / s,
                double(r.bytes) / s / 1048576.0, r.ok ? "true" : "false");
    std::fflush(stdout);
}

} // namespace

int runBench(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Runs one workload of the shared benchmark harness against its server and prints one JSON line on "
            "stdout (diagnostics go to stderr). Exit status 0 if and only if the run is ok, 2 for bad arguments."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("mode"), QStringLiteral("echo, recv, send or big."), QStringLiteral("mode")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Message size in bytes."), QStringLiteral("bytes")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("Number of messages."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("type"), QStringLiteral("text or binary (default binary)."), QStringLiteral("type"),
                      QStringLiteral("binary")});
    ConnectionOptions options;
    options.addTo(parser, ConnectionOptions::MessageTypeOption::NotOffered);
    parser.addPositionalArgument(QStringLiteral("URL_BASE"),
                                 QStringLiteral("ws://HOST:PORT (or wss://) of the benchmark server."));
    if (const auto done = parseArguments(parser, arguments))
        return *done;

    BenchArgs a;
    a.mode = parser.value(QStringLiteral("mode"));
    a.type = parser.value(QStringLiteral("type"));
    bool sizeOk = false, countOk = false;
    a.size = parser.value(QStringLiteral("size")).toULongLong(&sizeOk);
    a.count = parser.value(QStringLiteral("count")).toULongLong(&countOk);
    const QStringList positional = parser.positionalArguments();
    if (a.mode != u"echo" && a.mode != u"recv" && a.mode != u"send" && a.mode != u"big")
        return usageError(parser, QStringLiteral("--mode must be echo, recv, send or big"));
    if (a.type != u"text" && a.type != u"binary")
        return usageError(parser, QStringLiteral("--type must be text or binary"));
    if (!sizeOk || !countOk || a.count == 0)
        return usageError(parser, QStringLiteral("--size and --count must be numbers (count > 0)"));
    if (a.size > 0xFFFFFFFFull)
        return usageError(parser, QStringLiteral("--size may be at most 4294967295"));
    if (positional.size() != 1)
        return usageError(parser, QStringLiteral("give exactly one URL_BASE"));
    a.urlBase = positional.first();
    if (a.urlBase.endsWith(u'/'))
        a.urlBase.chop(1);
    if (a.mode == u"big")
        a.count = 1;
    if (const QString error = options.readFrom(parser, a.urlBase + a.target()); !error.isEmpty())
        return usageError(parser, error);
    options.control.messageType = a.isText() ? SocketMessageType::Utf8 : SocketMessageType::Binary;
    options.control.maxBufferedAmountBytes = 0; // the pump below applies its own high-water mark

    const bool echo = a.mode == u"echo";
    const bool sendMode = a.mode == u"send";
    const QByteArray payload = (echo || sendMode) ? benchPayload(a.size, a.isText()) : QByteArray();

    MessageWebSocket ws;
    if (const QString error = options.applyTo(ws); !error.isEmpty())
        return usageError(parser, error);
    ConnectionRun run(ws);

    BenchResult r;
    QElapsedTimer clock; // monotonic
    bool running = false;
    bool done = false;
    bool echoOk = true;
    quint64 sent = 0;
    std::optional<quint16> closeCode; // none: never closed

    auto finishPhase = [&] {
        if (!running)
            return;
        r.seconds = double(clock.nsecsElapsed()) / 1e9;
        running = false;
        done = true;
    };
    auto pump = [&] {
        while (running && sent < a.count && ws.bufferedAmount() < SendHighWaterBytes) {
            if (!ws.sendMessage(payload))
                break;
            ++sent;
        }
    };

    QObject::connect(&ws, &MessageWebSocket::connected, [&] {
        clock.start();
        running = true;
        if (echo)
            ws.sendMessage(payload);
        else if (sendMode)
            pump();
    });
    if (sendMode)
        QObject::connect(&ws, &MessageWebSocket::bytesWritten, pump);
    // The zero-copy handler: a message is "delivered to the application" (the contract) when its
    // bytes, checked, are in the handler's hands; nothing here needs a QByteArray of its own.
    // One small handler per mode: recv runs it hundreds of thousands of times.
    if (sendMode) {
        ws.setMessageHandler([&](SocketMessageType, QByteArrayView data) { // the sink's total
            finishPhase();
            r.messages = sent;
            r.bytes = data.toULongLong();
        });
    } else if (echo) {
        ws.setMessageHandler([&](SocketMessageType, QByteArrayView data) {
            ++r.messages;
            r.bytes += quint64(data.size());
            echoOk = echoOk && data == payload;
            if (r.messages < a.count) {
                ws.sendMessage(payload);
                return;
            }
            finishPhase();
            ws.close(1000, {});
        });
    } else {
        ws.setMessageHandler([&r, &finishPhase, count = a.count](SocketMessageType, QByteArrayView data) {
            r.bytes += quint64(data.size());
            if (++r.messages == count)
                finishPhase();
        });
    }
    QObject::connect(&ws, &MessageWebSocket::errorOccurred, [&](const WebSocketError &e) {
        printErr(u"wscli bench: " + describeError(e, ws));
    });
    QObject::connect(&ws, &MessageWebSocket::closed, [&](const WebSocketClosedEventArgs &c) {
        closeCode = c.code();
        run.finish(ExitOk);
    });

    run.exec(options.url); // a failure before the connection opens ends it too
    r.ok = done && r.messages == a.count && r.bytes == a.size * a.count && echoOk && closeCode == 1000;
    if (!r.ok) {
        printErr(QStringLiteral("wscli bench: incomplete; ")
                 + (closeCode ? u"closed with " + Format::closeCodeName(*closeCode) : QStringLiteral("never closed")));
    }
    printResult(a, r);
    return r.ok ? 0 : 1;
}

} // namespace Wsw::Cli
