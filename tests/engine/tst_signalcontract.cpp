// The threading and signal contract of MessageWebSocket (spec §12.9 item 2): every signal comes
// from the event loop of the socket's thread, in order, and never from inside a public call; and
// moveToThread() moves the whole connection (transport, timers) so it runs on a worker thread.
#include "api/messagewebsocket.h"

#include <QThread>

#include "echoserver.h"
#include "enginetest.h"
#include "testpki.h"

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Test;

namespace {

/**
 * Connects to every signal of a socket and records it, failing the test if one arrives while a
 * public call of the socket is running (the test marks those with Inside).
 */
class SignalRecorder final : public QObject
{
public:
    explicit SignalRecorder(MessageWebSocket *ws)
    {
        auto record = [this](const QString &name) {
            if (m_insideCall)
                m_violations.append(name + u" inside " + m_call);
            m_log.append(name);
        };
        connect(ws, &MessageWebSocket::stateChanged, this, [record](ConnectionState s) {
            record(u"state:"_s + QString::fromLatin1(QMetaEnum::fromType<ConnectionState>().valueToKey(int(s))));
        });
        connect(ws, &MessageWebSocket::connected, this, [record] { record(u"connected"_s); });
        connect(ws, &MessageWebSocket::messageReceived, this,
                [record](const MessageWebSocketMessageReceivedEventArgs &) { record(u"message"_s); });
        connect(ws, &MessageWebSocket::closed, this, [record](const WebSocketClosedEventArgs &) { record(u"closed"_s); });
        connect(ws, &MessageWebSocket::errorOccurred, this, [record](const WebSocketError &) { record(u"error"_s); });
        connect(ws, &MessageWebSocket::pongReceived, this, [record] { record(u"pong"_s); });
        connect(ws, &MessageWebSocket::bytesWritten, this, [record](qint64) { record(u"bytesWritten"_s); });
        connect(ws, &MessageWebSocket::frameObserved, this, [record](const FrameInfo &f) {
            record(f.direction == FrameDirection::Outgoing ? u"frameOut"_s : u"frameIn"_s);
        });
        connect(ws, &MessageWebSocket::handshakeCompleted, this,
                [record](const HandshakeTranscript &) { record(u"handshake"_s); });
        connect(ws, &MessageWebSocket::serverCustomValidationRequested, this,
                [record](WebSocketServerCustomValidationRequestedEventArgs *) { record(u"validation"_s); });
    }

    /** Marks the duration of one public call. */
    struct Inside {
        Inside(SignalRecorder &r, const QString &call)
            : m_r(r)
        {
            m_r.m_insideCall = true;
            m_r.m_call = call;
        }
        ~Inside() { m_r.m_insideCall = false; }
        SignalRecorder &m_r;
    };

    const QStringList &violations() const { return m_violations; }
    const QStringList &log() const { return m_log; }

private:
    bool m_insideCall = false;
    QString m_call;
    QStringList m_violations;
    QStringList m_log;
};

} // namespace

class tst_SignalContract final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noSignalFromInsidePublicCalls_data();
    void noSignalFromInsidePublicCalls();
    void abortAndCancelSignalLater();
    void whatASlotRaisesFollowsThatSlot();
    void runsOnAWorkerThread_data();
    void runsOnAWorkerThread();
};

void tst_SignalContract::noSignalFromInsidePublicCalls_data()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("ws") << false;
    QTest::newRow("wss") << true;
}

void tst_SignalContract::noSignalFromInsidePublicCalls()
{
    QFETCH(bool, tls);
    EchoServer server;
    if (tls)
        server.setTlsConfiguration(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(server.listen());
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    QVERIFY(ws.setControl(control));
    SignalRecorder recorder(&ws);
    ClientSpies spies(&ws);
    {
        SignalRecorder::Inside inside(recorder, u"connectAsync"_s);
        QVERIFY(ws.connectAsync(server.url()));
    }
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    {
        SignalRecorder::Inside inside(recorder, u"sendMessage"_s);
        // a slot reacting to the first frame would run inside the second send otherwise
        QVERIFY(ws.sendMessage("one"));
        QVERIFY(ws.sendBinaryMessage("two"));
        QVERIFY(ws.sendTextMessage(u"three"));
    }
    {
        SignalRecorder::Inside inside(recorder, u"fragments"_s);
        QVERIFY(ws.sendNonfinalFrame("fo"));
        QVERIFY(ws.sendFinalFrame("ur"));
    }
    {
        SignalRecorder::Inside inside(recorder, u"ping"_s);
        QVERIFY(ws.ping("p"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(spies.messages.size(), 4, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(spies.pongs.size(), 1, WaitMs);
    {
        SignalRecorder::Inside inside(recorder, u"close"_s);
        QVERIFY(ws.close(1000, u"done"_s));
    }
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY2(recorder.violations().isEmpty(), qPrintable(recorder.violations().join(u'\n')));

    // and they came, in order: the states as they changed, frames before the echoes
    const QStringList log = recorder.log();
    QCOMPARE(log.first(), u"state:Connecting"_s);
    QVERIFY(log.indexOf(u"state:Open"_s) < log.indexOf(u"connected"_s));
    QVERIFY(log.indexOf(u"frameOut"_s) > log.indexOf(u"connected"_s));
    QVERIFY(log.indexOf(u"state:Closing"_s) < log.indexOf(u"state:Closed"_s));
    QVERIFY(log.indexOf(u"state:Closed"_s) < log.indexOf(u"closed"_s));
    QCOMPARE(log.count(u"frameOut"_s), 7); // 3 messages, 2 fragments, ping, close
    if (tls)
        QVERIFY(log.indexOf(u"state:TlsHandshaking"_s) > 0);
}

void tst_SignalContract::abortAndCancelSignalLater()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    SignalRecorder recorder(&ws);
    ClientSpies spies(&ws);
    {
        SignalRecorder::Inside inside(recorder, u"connectAsync+cancelConnect"_s);
        QVERIFY(ws.connectAsync(server.url()));
        ws.cancelConnect();
        QCOMPARE(ws.state(), ConnectionState::Failed); // the state itself is current at once
    }
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    QCOMPARE(spies.error().detail(), ErrorDetail::OperationCanceled);
    QCOMPARE(recorder.log(), (QStringList{u"state:Connecting"_s, u"state:Failed"_s, u"error"_s}));

    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.size(), 1, WaitMs);
    {
        SignalRecorder::Inside inside(recorder, u"abort"_s);
        ws.abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QCOMPARE(spies.closedArgs().code(), quint16(1006));
    QVERIFY2(recorder.violations().isEmpty(), qPrintable(recorder.violations().join(u'\n')));
}

void tst_SignalContract::whatASlotRaisesFollowsThatSlot()
{
    // three messages in one TCP segment, each answered from messageReceived while frames are
    // observed: the reply's frame is reported right after the slot that sent it, before the next
    // message; and a slot that aborts still stops the messages after it
    EchoServer server;
    QVERIFY(server.listen());
    for (bool abortInSlot : {false, true}) {
        MessageWebSocket ws;
        SignalRecorder recorder(&ws);
        ClientSpies spies(&ws);
        connect(&ws, &MessageWebSocket::messageReceived, this,
                [&](const MessageWebSocketMessageReceivedEventArgs &m) {
                    if (abortInSlot) {
                        ws.abort();
                        return;
                    }
                    if (m.data().startsWith("re:"))
                        return; // the server's echo of a reply
                    SignalRecorder::Inside inside(recorder, u"reply"_s);
                    QVERIFY(ws.sendBinaryMessage(QByteArray("re:" + m.data())));
                });
        QVERIFY(ws.connectAsync(server.url()));
        QVERIFY(waitConnected(spies));
        QTRY_COMPARE_WITH_TIMEOUT(server.openConnectionCount(), 1, WaitMs);
        server.sendToClients(FrameBuilder::binary("a") + FrameBuilder::binary("b") + FrameBuilder::binary("c"));
        if (abortInSlot) {
            QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
            QTest::qWait(50);
            QCOMPARE(spies.messages.size(), 1);
            continue;
        }
        QTRY_COMPARE_WITH_TIMEOUT(spies.messages.size(), 6, WaitMs); // a, b, c and the echoes of the replies
        QStringList sequence = recorder.log();
        sequence.removeIf([](const QString &name) { return name != u"message" && name != u"frameOut"; });
        QCOMPARE(sequence.mid(0, 6), (QStringList{u"message"_s, u"frameOut"_s, u"message"_s, u"frameOut"_s, u"message"_s,
                                        u"frameOut"_s}));
        QVERIFY2(recorder.violations().isEmpty(), qPrintable(recorder.violations().join(u'\n')));
    }
}

void tst_SignalContract::runsOnAWorkerThread_data()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("ws") << false;
    QTest::newRow("wss") << true;
}

void tst_SignalContract::runsOnAWorkerThread()
{
    QFETCH(bool, tls);
    EchoServer server; // on this (the main) thread
    if (tls)
        server.setTlsConfiguration(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(server.listen());

    QThread worker;
    worker.start();
    auto *ws = new MessageWebSocket;
    MessageWebSocketControl control;
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    control.timeouts.idle = std::chrono::milliseconds(60000); // a timer that must live on the worker too
    QVERIFY(ws->setControl(control));
    ws->moveToThread(&worker);

    QList<QThread *> signalThreads;
    QByteArray echoed;
    bool connected = false;
    bool closed = false;
    QObject receiver; // lives on the main thread: queued connections carry the signals here
    connect(ws, &MessageWebSocket::connected, &receiver, [&] { connected = true; });
    connect(ws, &MessageWebSocket::messageReceived, &receiver,
            [&](const MessageWebSocketMessageReceivedEventArgs &m) { echoed = m.data(); });
    connect(ws, &MessageWebSocket::closed, &receiver, [&] { closed = true; });
    // direct connections tell which thread emits
    connect(ws, &MessageWebSocket::stateChanged, ws, [&](ConnectionState) {
        signalThreads.append(QThread::currentThread());
    }, Qt::DirectConnection);

    QMetaObject::invokeMethod(ws, [ws, url = server.url()] { ws->connectAsync(url); });
    QTRY_VERIFY_WITH_TIMEOUT(connected, WaitMs);
    QMetaObject::invokeMethod(ws, [ws] { ws->sendBinaryMessage("from a worker"); });
    QTRY_COMPARE_WITH_TIMEOUT(echoed, QByteArray("from a worker"), WaitMs);
    QMetaObject::invokeMethod(ws, [ws] { ws->close(); });
    QTRY_VERIFY_WITH_TIMEOUT(closed, WaitMs);

    QVERIFY(!signalThreads.isEmpty());
    for (QThread *thread : std::as_const(signalThreads))
        QCOMPARE(thread, &worker);
    // everything the socket owns went along: its children live on the worker
    const QList<QObject *> children = ws->findChildren<QObject *>();
    QVERIFY(!children.isEmpty());
    for (QObject *child : children)
        QCOMPARE(child->thread(), &worker);

    QMetaObject::invokeMethod(ws, [ws] { delete ws; }, Qt::BlockingQueuedConnection); // in its own thread
    worker.quit();
    QVERIFY(worker.wait(WaitMs));
}

QTEST_GUILESS_MAIN(tst_SignalContract)
#include "tst_signalcontract.moc"
