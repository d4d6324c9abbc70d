// Progress of big transfers: receiveProgress while a message is assembled (one frame, several
// frames with a ping between them), nothing while nobody listens, and bytesQueued() against the
// bytes bytesWritten reports for a send. ScriptedServer drips the frames so a message surely
// spans many reads; EchoServer takes a send.
#include "api/messagewebsocket.h"

#include <QSignalSpy>
#include <QTest>

#include "echoserver.h"
#include "enginetest.h"
#include "scriptedserver.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace Wsw;
using namespace Wsw::Test;

namespace {

constexpr qsizetype MiB = 1024 * 1024;
constexpr qsizetype MessageBytes = 10 * MiB;
constexpr qsizetype DripBytes = 512 * 1024; // each its own write: the message spans many reads

/** receiveProgress and messageReceived in the order they came. */
struct ProgressRecord {
    struct Report {
        qint64 received = 0;
        qint64 total = 0;
    };
    QList<Report> reports;
    qsizetype reportsBeforeMessage = -1; // reports.size() when the message arrived
    QByteArray message;
};

void record(MessageWebSocket &ws, ProgressRecord &rec)
{
    QObject::connect(&ws, &MessageWebSocket::receiveProgress, &ws, [&rec](qint64 received, qint64 total) {
        rec.reports.append({received, total});
    });
    QObject::connect(&ws, &MessageWebSocket::messageReceived, &ws,
                     [&rec](const MessageWebSocketMessageReceivedEventArgs &args) {
                         if (rec.reportsBeforeMessage < 0) {
                             rec.reportsBeforeMessage = rec.reports.size();
                             rec.message = args.data();
                         }
                     });
}

} // namespace

class tst_TransferProgress final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneFrameMessageReportsItsTotalThroughout();
    void fragmentedMessageLearnsItsTotalAtTheFinalFrame();
    void nothingWhileNobodyListens();
    void bytesQueuedMatchesWhatBytesWrittenReports();
};

void tst_TransferProgress::oneFrameMessageReportsItsTotalThroughout()
{
    const QByteArray payload = patternBytes(MessageBytes);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().drip(FrameBuilder::binary(payload), DripBytes, 2ms).waitForClose();
    MessageWebSocket ws;
    ProgressRecord rec;
    record(ws, rec);
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QTRY_VERIFY_WITH_TIMEOUT(rec.reportsBeforeMessage >= 0, 30000);
    QCOMPARE(rec.message, payload);

    // increasing, the frame's length known from its header on, ending at the total just before the message
    QCOMPARE(rec.reportsBeforeMessage, rec.reports.size());
    QVERIFY2(rec.reports.size() >= 3, qPrintable(QString::number(rec.reports.size())));
    for (qsizetype i = 0; i < rec.reports.size(); ++i) {
        QCOMPARE(rec.reports[i].total, qint64(MessageBytes));
        QVERIFY(rec.reports[i].received > 0 && rec.reports[i].received <= MessageBytes);
        if (i > 0)
            QVERIFY2(rec.reports[i].received > rec.reports[i - 1].received, qPrintable(QString::number(i)));
    }
    QCOMPARE(rec.reports.last().received, qint64(MessageBytes));
    QVERIFY(rec.reports.first().received < MessageBytes);
}

void tst_TransferProgress::fragmentedMessageLearnsItsTotalAtTheFinalFrame()
{
    // RFC 6455 §5.4: three fragments, a ping between the first two (no part of the message)
    const QByteArray payload = patternBytes(MessageBytes);
    const qsizetype first = 3 * MiB;
    const qsizetype second = 3 * MiB;
    QByteArray wire = FrameBuilder::binary(payload.first(first), false);
    wire += FrameBuilder::ping("between");
    wire += FrameBuilder::continuation(payload.sliced(first, second), false);
    wire += FrameBuilder::continuation(payload.sliced(first + second), true);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().drip(wire, DripBytes, 2ms).waitForClose();
    MessageWebSocket ws;
    ProgressRecord rec;
    record(ws, rec);
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QTRY_VERIFY_WITH_TIMEOUT(rec.reportsBeforeMessage >= 0, 30000);
    QCOMPARE(rec.message, payload);
    QCOMPARE(rec.reportsBeforeMessage, rec.reports.size());
    QVERIFY2(rec.reports.size() >= 3, qPrintable(QString::number(rec.reports.size())));

    bool totalKnown = false;
    for (qsizetype i = 0; i < rec.reports.size(); ++i) {
        const auto &r = rec.reports[i];
        if (i > 0)
            QVERIFY2(r.received >= rec.reports[i - 1].received, qPrintable(QString::number(i)));
        if (r.total >= 0) {
            // once the final fragment has begun the total stays known, and it is the message's size
            QCOMPARE(r.total, qint64(MessageBytes));
            QVERIFY(r.received >= first + second);
            totalKnown = true;
        } else {
            QVERIFY2(!totalKnown, qPrintable(QString::number(i)));
            QCOMPARE(r.total, -1);
            QVERIFY(r.received <= first + second);
        }
    }
    QVERIFY(rec.reports.first().total == -1); // the first fragment's header says nothing of the rest
    QCOMPARE(rec.reports.last().received, qint64(MessageBytes));
    QCOMPARE(rec.reports.last().total, qint64(MessageBytes));
}

void tst_TransferProgress::nothingWhileNobodyListens()
{
    // a listener that went away before the big message, then one for a message that fits one read
    const QByteArray big = patternBytes(MessageBytes);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade()
            .drip(FrameBuilder::binary(big), DripBytes, 2ms)
            .waitForFrames(1) // the client's go-ahead (a ping) after its spy is in place
            .send(FrameBuilder::binary("small"))
            .waitForClose();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    int early = 0;
    const QMetaObject::Connection listener =
            connect(&ws, &MessageWebSocket::receiveProgress, this, [&early](qint64, qint64) { ++early; });
    QVERIFY(disconnect(listener));
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.messages.size(), 1, 30000);
    QCOMPARE(spies.message(0).data(), big);
    QCOMPARE(early, 0);

    QSignalSpy progress(&ws, &MessageWebSocket::receiveProgress);
    QVERIFY(ws.ping("go"));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(spies.message(1).data(), "small"_ba);
    // neither a late end report of the big message nor one for a message within one read
    QVERIFY(progress.isEmpty());
}

void tst_TransferProgress::bytesQueuedMatchesWhatBytesWrittenReports()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.compression.enabled = false; // wire size = payload + header, known exactly
    QVERIFY(ws.setControl(control));
    qint64 written = 0;
    connect(&ws, &MessageWebSocket::bytesWritten, this, [&written](qint64 n) { written += n; });
    ClientSpies spies(&ws);
    QCOMPARE(ws.bytesQueued(), 0);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QCOMPARE(ws.bytesQueued(), 0); // the upgrade request is not a frame

    QVERIFY(ws.sendMessage(patternBytes(MessageBytes)));
    const qint64 afterSend = ws.bytesQueued();
    QCOMPARE(afterSend, qint64(MessageBytes) + 14); // 64-bit length + mask key (RFC 6455 §5.2)
    QVERIFY(written < afterSend);
    QTRY_COMPARE_WITH_TIMEOUT(written, afterSend, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(spies.messages.size(), 1, 30000);
    QCOMPARE(spies.message(0).data().size(), MessageBytes);
    QCOMPARE(ws.bufferedAmount(), 0);
}

QTEST_GUILESS_MAIN(tst_TransferProgress)
#include "tst_transferprogress.moc"
