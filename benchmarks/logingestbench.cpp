// wsw_logingest_bench: can the workbench's log keep up with the engine? (issue 18)
//
// A server on 127.0.0.1 (its own thread) pushes a burst of N text messages (default 100 000) as
// fast as loopback takes them. The client side is what a connection view shows: a Session (the
// engine's MessageWebSocket feeding the MessageLogModel) and a MessageLogPanel (the
// MessageLogFilterModel with a text filter on, and the LogTableView with auto-scroll), shown on
// the offscreen platform so the view lays out and paints as it would on screen.
//
// It measures messages per second from the first message received until the last one is a row of
// the model (after the model's batched flush), and the longest event-loop stall: a 1 ms probe
// timer notes the longest gap between two of its ticks during the burst. A benchmark, not a test:
// it prints one JSON line and judges nothing (scripts/benchmark.sh puts it in docs/PERFORMANCE.md).
//
//   wsw_logingest_bench [--count N] [--size BYTES] [--reps R]
#include <algorithm>
#include <cstdio>
#include <memory>

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include "codec/framewriter.h"
#include "codec/serverhandshake.h"
#include "models/messagelogfiltermodel.h"
#include "models/messagelogmodel.h"
#include "session.h"
#include "widgets/logtableview.h"
#include "widgets/messagelogpanel.h"

using namespace Qt::Literals::StringLiterals;

namespace {

/** The burst, framed once: N text messages like a market feed's, every second one a "buy". */
QByteArray buildBurst(int count, int size)
{
    QByteArray frames;
    for (int i = 0; i < count; ++i) {
        QByteArray text = QByteArrayLiteral("{\"seq\":") + QByteArray::number(i)
                + (i % 2 ? QByteArrayLiteral(",\"side\":\"sell\"") : QByteArrayLiteral(",\"side\":\"buy\""))
                + QByteArrayLiteral(",\"px\":101.25,\"note\":\"");
        while (text.size() < size - 2)
            text.append(char('a' + (text.size() + i) % 26));
        text.append("\"}");
        Wsw::Codec::appendUnmaskedMessage(frames, Wsw::Codec::Opcode::Text, text, 0);
    }
    return frames;
}

/** Answers one upgrade, then writes the whole burst and a close frame (1000); lives in its own thread. */
class PushServer final : public QObject
{
public:
    explicit PushServer(QByteArray burst) : m_burst(std::move(burst)) {}

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                adopt(s);
        });
        return m_server->serverPort();
    }

private:
    void adopt(QTcpSocket *socket)
    {
        socket->setParent(this);
        auto request = std::make_shared<Wsw::Codec::HandshakeRequestParser>();
        auto head = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [socket, request, head, this] {
            if (request->isComplete()) {
                socket->readAll(); // the client's close frame: hang up
                socket->disconnectFromHost();
                return;
            }
            head->append(socket->readAll());
            qsizetype used = 0;
            if (request->feed(*head, &used) != Wsw::Codec::HandshakeRequestParser::Result::Complete)
                return;
            const Wsw::Codec::UpgradeAnswer answer = Wsw::Codec::answerUpgrade(*request, {});
            socket->write(answer.response);
            if (answer.rejection.detail != Wsw::ErrorDetail::None) {
                socket->disconnectFromHost();
                return;
            }
            socket->write(m_burst); // Qt's write buffer hands it to the kernel as the client reads
            QByteArray close;
            Wsw::Codec::appendUnmaskedMessage(close, Wsw::Codec::Opcode::Close, QByteArray("\x03\xe8", 2), 0);
            socket->write(close);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QByteArray m_burst;
    QTcpServer *m_server = nullptr;
};

struct Result {
    double seconds = 0;
    int ingested = 0;
    double longestStallMs = 0;
    bool ok = false;
};

Result runOnce(quint16 port, int count)
{
    Wsw::Ui::Session session;
    Wsw::Ui::MessageLogPanel panel(session.messageLog());
    panel.resize(1280, 720);
    panel.show();
    // the filter a user would have on: only the buys (half the messages)
    auto *filter = panel.findChild<QLineEdit *>();
    for (QLineEdit *edit : panel.findChildren<QLineEdit *>()) {
        if (edit->accessibleName() == u"Filter"_s)
            filter = edit;
    }
    if (!filter) {
        std::fprintf(stderr, "wsw_logingest_bench: no filter field in the log panel\n");
        return {};
    }
    filter->setText(u"\"side\":\"buy\""_s);
    auto *shown = panel.findChild<Wsw::Ui::LogTableView *>()->model();

    Wsw::Ui::MessageLogModel *log = session.messageLog();
    QElapsedTimer clock;
    QElapsedTimer sinceTick;
    double longestGapMs = 0;
    int received = 0;
    bool burstOn = false;
    bool done = false;
    QEventLoop loop;

    // the probe: a 1 ms timer; the gap between two ticks is how long the event loop was busy
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (burstOn)
            longestGapMs = std::max(longestGapMs, double(sinceTick.nsecsElapsed()) / 1e6);
        sinceTick.start();
    });
    QObject::connect(&session.socket(), &Wsw::MessageWebSocket::messageReceived, [&] {
        if (received++ == 0) {
            clock.start();
            burstOn = true;
            sinceTick.start();
            probe.start();
        }
    });
    // done when the last message is a row of the model (the panel's view has been told)
    QObject::connect(log, &QAbstractItemModel::rowsInserted, [&] {
        if (burstOn && !done && received == count && log->pendingCount() == 0) {
            done = true;
            QTimer::singleShot(0, &loop, &QEventLoop::quit);
        }
    });
    QObject::connect(&session, &Wsw::Ui::Session::closed, [&] {
        if (!done)
            QTimer::singleShot(2000, &loop, &QEventLoop::quit); // the last flush may be due still
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);

    Wsw::MessageWebSocketControl control;
    if (!session.connectTo(u"ws://127.0.0.1:%1/burst"_s.arg(port), control, {})) {
        std::fprintf(stderr, "wsw_logingest_bench: %s\n", qPrintable(session.lastError().message()));
        return {};
    }
    loop.exec();

    Result r;
    r.seconds = double(clock.nsecsElapsed()) / 1e9;
    r.ingested = done ? count : 0; // done: every message is a row of the model (or went past its capacity)
    r.longestStallMs = longestGapMs;
    r.ok = done && received == count && shown->rowCount() > 0;
    session.disconnectNow();
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Messages per second into the workbench's log, and the longest stall."_s);
    parser.addHelpOption();
    parser.addOption({u"count"_s, u"Messages in the burst (default 100000)."_s, u"n"_s, u"100000"_s});
    parser.addOption({u"size"_s, u"Bytes per message (default 64)."_s, u"bytes"_s, u"64"_s});
    parser.addOption({u"reps"_s, u"Bursts, one connection each (default 3); the median is printed."_s, u"n"_s, u"3"_s});
    parser.process(app);
    const int count = std::max(1, parser.value(u"count"_s).toInt());
    const int size = std::clamp(parser.value(u"size"_s).toInt(), 48, 125);
    const int reps = std::max(1, parser.value(u"reps"_s).toInt());

    QThread serverThread;
    auto *server = new PushServer(buildBurst(count, size));
    server->moveToThread(&serverThread);
    serverThread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(server, [&] { port = server->listen(); }, Qt::BlockingQueuedConnection);
    if (port == 0) {
        std::fprintf(stderr, "wsw_logingest_bench: cannot listen on 127.0.0.1\n");
        return 1;
    }

    std::vector<Result> results;
    for (int i = 0; i < reps; ++i) {
        results.push_back(runOnce(port, count));
        const Result &r = results.back();
        std::fprintf(stderr, "burst %d: %.0f msg/s, longest stall %.1f ms, %d ingested%s\n", i + 1,
                     r.seconds > 0 ? r.ingested / r.seconds : 0.0, r.longestStallMs, r.ingested, r.ok ? "" : " (FAILED)");
    }
    QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();

    const bool ok = std::all_of(results.begin(), results.end(), [](const Result &r) { return r.ok; });
    std::vector<double> rates, stalls;
    for (const Result &r : results) {
        rates.push_back(r.seconds > 0 ? r.ingested / r.seconds : 0.0);
        stalls.push_back(r.longestStallMs);
    }
    std::sort(rates.begin(), rates.end());
    std::sort(stalls.begin(), stalls.end());
    std::printf("{\"bench\": \"logingest\", \"count\": %d, \"size\": %d, \"reps\": %d, \"msgs_per_s\": %.0f, "
                "\"msgs_per_s_min\": %.0f, \"msgs_per_s_max\": %.0f, \"longest_stall_ms\": %.1f, "
                "\"longest_stall_ms_max\": %.1f, \"ok\": %s}\n",
                count, size, reps, rates[rates.size() / 2], rates.front(), rates.back(), stalls[stalls.size() / 2],
                stalls.back(), ok ? "true" : "false");
    return ok ? 0 : 1;
}
