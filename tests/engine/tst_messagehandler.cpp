// MessageWebSocket::setMessageHandler(): the zero-copy way to receive whole messages, against a
// scripted raw-bytes server. The handler gets exactly what messageReceived() would have carried
// (a mix of sizes, types, fragmented and compressed messages), the signal stays silent while it
// is set, every rule still holds (invalid UTF-8 fails with 1007), and a handler may close,
// abort, send or switch itself off in the middle of a burst.

#include <algorithm>
#include <utility>

#include <QTest>

#include "api/messagewebsocket.h"
#include "enginetest.h"
#include "scriptedserver.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray frame(quint8 opcode, QByteArrayView payload, bool fin = true, bool rsv1 = false)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.rsv1 = rsv1;
    return b.build(payload);
}

/** One message as a line: its type and its bytes in hex (for one QCOMPARE of a whole list). */
QByteArray lineOf(SocketMessageType type, QByteArrayView data)
{
    return QByteArray(type == SocketMessageType::Utf8 ? "text:" : "binary:") + data.toByteArray().toHex();
}

/** Valid UTF-8 of n bytes: κόσμε pieces and ASCII. */
QByteArray utf8Of(qsizetype n)
{
    static const QByteArray kosme = QByteArray::fromHex("cebae1bdb9cf83cebcceb5");
    QByteArray out;
    while (out.size() + kosme.size() <= n)
        out += kosme;
    while (out.size() < n)
        out += 'k';
    return out;
}

/** What a server sends and what the client must receive of it. */
struct Script {
    QByteArray frames;
    QByteArrayList lines;
    void add(quint8 opcode, const QByteArray &payload)
    {
        frames += frame(opcode, payload);
        lines.append(lineOf(opcode == Op::Text ? SocketMessageType::Utf8 : SocketMessageType::Binary, payload));
    }
};

/** count one-frame messages of 0-125 bytes, binary and text; i-th payload tells its index. */
Script burst(int count)
{
    Script s;
    for (int i = 0; i < count; ++i) {
        const QByteArray number = QByteArray::number(i) + ':';
        const qsizetype size = (i * 37) % 100;
        if (i % 3 == 1)
            s.add(Op::Text, number + utf8Of(size));
        else
            s.add(Op::Binary, number + patternBytes(size));
    }
    return s;
}

/** Small and large, one-frame and fragmented (a ping between fragments), empty ones too. */
Script mixedPlain()
{
    Script s = burst(150);
    s.add(Op::Text, {});
    s.add(Op::Binary, {});
    s.add(Op::Binary, patternBytes(126));
    s.add(Op::Text, utf8Of(300));
    s.add(Op::Binary, patternBytes(65536));
    s.add(Op::Text, utf8Of(200000));
    s.add(Op::Binary, patternBytes(1 << 20)); // large enough to be read in place
    s.frames += frame(Op::Text, "frag", false) + FrameBuilder::ping("p") + frame(Op::Continuation, utf8Of(20), false)
            + frame(Op::Continuation, "end");
    s.lines.append(lineOf(SocketMessageType::Utf8, QByteArray("frag" + utf8Of(20) + "end")));
    s.frames += frame(Op::Binary, patternBytes(70000), false) + frame(Op::Continuation, patternBytes(10));
    s.lines.append(lineOf(SocketMessageType::Binary, QByteArray(patternBytes(70000) + patternBytes(10))));
    const Script tail = burst(40);
    s.frames += tail.frames;
    s.lines += tail.lines;
    return s;
}

/** RFC 7692 §7.2.3's compressed "Hello"s between plain frames. */
Script mixedCompressed()
{
    Script s = burst(20);
    const QByteArray hello = QByteArray::fromHex("f248cdc9c90700");
    s.frames += frame(Op::Text, hello, true, true);
    s.lines.append(lineOf(SocketMessageType::Utf8, "Hello"));
    s.frames += frame(Op::Text, QByteArray::fromHex("f200110000"), true, true); // the window of the first
    s.lines.append(lineOf(SocketMessageType::Utf8, "Hello"));
    const Script middle = burst(10);
    s.frames += middle.frames;
    s.lines += middle.lines;
    s.frames += frame(Op::Binary, hello.first(3), false, true) + frame(Op::Continuation, hello.sliced(3)); // fragmented
    s.lines.append(lineOf(SocketMessageType::Binary, "Hello"));
    s.frames += frame(Op::Binary, hello, true, true);
    s.lines.append(lineOf(SocketMessageType::Binary, "Hello"));
    const Script tail = burst(20);
    s.frames += tail.frames;
    s.lines += tail.lines;
    return s;
}

struct Received {
    QByteArrayList lines;
    MessageWebSocketInformation info;
    qsizetype signalCount = 0;
};

/** Receives script's frames once through the handler or the signal, then closes. */
Received receive(const Script &script, bool handler, const QByteArray &extension = {})
{
    Received out;
    ScriptedServer server;
    if (!server.listen())
        return out;
    ScriptedUpgrade upgrade;
    if (!extension.isEmpty())
        upgrade.extraHeaders.append({"Sec-WebSocket-Extensions", extension});
    server.acceptUpgrade(upgrade).send(script.frames).waitForClose().send(FrameBuilder::close(1000)).closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    if (handler)
        ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) { out.lines.append(lineOf(type, data)); });
    else
        QObject::connect(&ws, &MessageWebSocket::messageReceived, &ws,
                         [&](const MessageWebSocketMessageReceivedEventArgs &m) {
                             out.lines.append(lineOf(m.messageType(), m.data()));
                         });
    if (!ws.connectAsync(server.url()))
        return out;
    (void)QTest::qWaitFor([&] { return out.lines.size() >= script.lines.size() || spies.ended(); }, 4 * WaitMs);
    ws.close(1000, {});
    (void)QTest::qWaitFor([&] { return spies.ended(); }, WaitMs);
    out.info = ws.information();
    out.signalCount = spies.messages.size();
    return out;
}

} // namespace

class tst_MessageHandler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handlerGetsWhatTheSignalGets_data();
    void handlerGetsWhatTheSignalGets();
    void invalidUtf8StillFails_data();
    void invalidUtf8StillFails();
    void handlerClosesDuringABurst();
    void handlerAbortsDuringABurst();
    void switchingBetweenMessages();
    void handlerSendsReplies();
    void partialModeKeepsTheSignal();
    void frameObserverSeesEveryFrame();
};

void tst_MessageHandler::handlerGetsWhatTheSignalGets_data()
{
    QTest::addColumn<bool>("compressed");
    QTest::newRow("plain") << false;
    QTest::newRow("permessage-deflate") << true;
}

void tst_MessageHandler::handlerGetsWhatTheSignalGets()
{
    QFETCH(bool, compressed);
    const Script script = compressed ? mixedCompressed() : mixedPlain();
    const QByteArray extension = compressed ? QByteArray("permessage-deflate") : QByteArray();
    const Received bySignal = receive(script, false, extension);
    const Received byHandler = receive(script, true, extension);
    QCOMPARE(bySignal.lines.size(), script.lines.size());
    QCOMPARE(bySignal.lines, script.lines);
    QCOMPARE(byHandler.lines, script.lines);
    QCOMPARE(bySignal.signalCount, script.lines.size());
    QCOMPARE(byHandler.signalCount, 0); // messageReceived() is not emitted while the handler is set
    // the counters do not depend on the way of delivery
    const TrafficCounters &a = bySignal.info.counters;
    const TrafficCounters &b = byHandler.info.counters;
    QCOMPARE(b.messagesReceived, quint64(script.lines.size()));
    QCOMPARE(b.messagesReceived, a.messagesReceived);
    QCOMPARE(b.messageBytesReceived, a.messageBytesReceived);
    QCOMPARE(b.framesReceived, a.framesReceived);
    QCOMPARE(b.payloadBytesReceived, a.payloadBytesReceived);
    QCOMPARE(b.compressedMessagesReceived, a.compressedMessagesReceived);
    QCOMPARE(b.wireBytesReceived, a.wireBytesReceived);
}

void tst_MessageHandler::invalidUtf8StillFails_data()
{
    QTest::addColumn<QByteArray>("bad");
    QTest::newRow("one frame") << frame(Op::Text, "ok \xce\xba then \xff");
    QTest::newRow("ends inside a code point") << frame(Op::Text, "ends \xe2\x82");
    QTest::newRow("across fragments") << frame(Op::Text, "\xce\xba\xf4", false) + frame(Op::Continuation, "\x90\x80");
}

void tst_MessageHandler::invalidUtf8StillFails()
{
    QFETCH(QByteArray, bad);
    const Script good = burst(25);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(good.frames + bad + burst(5).frames).waitForClose().closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QByteArrayList got;
    ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) { got.append(lineOf(type, data)); });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QCOMPARE(got, good.lines); // the good ones before it, nothing after it
    QCOMPARE(spies.errors.size(), 1);
    QCOMPARE(spies.error().detail(), ErrorDetail::InvalidUtf8);
    QCOMPARE(spies.closedArgs().code(), quint16(1007));
    QTRY_VERIFY_WITH_TIMEOUT(server.clientSentClose(), WaitMs);
    QCOMPARE(server.clientCloseCode(), quint16(1007));
    QCOMPARE(spies.messages.size(), 0);
}

void tst_MessageHandler::handlerClosesDuringABurst()
{
    // the messages the server sent before its close frame still arrive (RFC 6455 §7.1.2)
    const Script script = burst(100);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(script.frames).waitForClose().send(FrameBuilder::close(1000)).closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QByteArrayList events;
    connect(&ws, &MessageWebSocket::closed, this, [&] { events.append("closed"); });
    ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) {
        events.append(lineOf(type, data));
        if (events.size() == 10)
            QVERIFY(ws.close(1000, u"enough"_s));
    });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QCOMPARE(events, script.lines + QByteArrayList{"closed"});
    QVERIFY(spies.closedArgs().wasClean());
    QCOMPARE(server.clientCloseCode(), quint16(1000));
    QCOMPARE(server.clientFrames(Op::Close).size(), 1);
    QVERIFY(spies.errors.isEmpty());
}

void tst_MessageHandler::handlerAbortsDuringABurst()
{
    const Script script = burst(100);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(script.frames).waitForDisconnect();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QByteArrayList events;
    connect(&ws, &MessageWebSocket::closed, this, [&] { events.append("closed"); });
    ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) {
        events.append(lineOf(type, data));
        if (events.size() == 10)
            ws.abort();
    });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(server.isClientDisconnected(), WaitMs);
    QCOMPARE(events, script.lines.first(10) + QByteArrayList{"closed"}); // nothing after the abort
    QVERIFY(!spies.closedArgs().wasClean());
    QVERIFY(!server.clientSentClose());
    QCOMPARE(ws.state(), ConnectionState::Closed);
}

void tst_MessageHandler::switchingBetweenMessages()
{
    // in one burst: handler A, switched off from inside itself; the signal, whose slot sets
    // handler B; B replaces itself with C from inside
    const Script script = burst(40);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(script.frames).waitForClose().send(FrameBuilder::close(1000)).closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QByteArrayList a, bySignal, b, c;
    qsizetype total = 0;
    bool hadHandlerAfterClearing = true;
    const MessageWebSocket::MessageHandler handlerC = [&](SocketMessageType type, QByteArrayView data) {
        c.append(lineOf(type, data));
        ++total;
    };
    const MessageWebSocket::MessageHandler handlerB = [&](SocketMessageType type, QByteArrayView data) {
        b.append(lineOf(type, data));
        if (++total == 30)
            ws.setMessageHandler(handlerC);
    };
    connect(&ws, &MessageWebSocket::messageReceived, this, [&](const MessageWebSocketMessageReceivedEventArgs &m) {
        bySignal.append(lineOf(m.messageType(), m.data()));
        if (++total == 20)
            ws.setMessageHandler(handlerB);
    });
    ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) {
        a.append(lineOf(type, data));
        if (++total == 10) {
            ws.setMessageHandler({});
            hadHandlerAfterClearing = ws.hasMessageHandler();
        }
    });
    QVERIFY(ws.hasMessageHandler());
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(total, qsizetype(40), WaitMs);
    QVERIFY(!hadHandlerAfterClearing);
    QCOMPARE(a, script.lines.mid(0, 10));
    QCOMPARE(bySignal, script.lines.mid(10, 10));
    QCOMPARE(b, script.lines.mid(20, 10));
    QCOMPARE(c, script.lines.mid(30, 10));
    QVERIFY(ws.hasMessageHandler());
    ws.close(1000, {});
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY(spies.errors.isEmpty());
}

void tst_MessageHandler::handlerSendsReplies()
{
    // a reply sent from the handler goes out, in order; the view is copied by sendMessage()
    const Script script = burst(50);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(script.frames).waitForFrames(50).send(FrameBuilder::close(1000)).waitForClose()
            .closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QList<FrameInfo> outgoing;
    connect(&ws, &MessageWebSocket::frameObserved, this, [&](const FrameInfo &f) {
        if (f.direction == FrameDirection::Outgoing)
            outgoing.append(f);
    });
    ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) {
        ws.setMessageType(type);
        QVERIFY(ws.sendMessage(data));
    });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY2(server.scriptError().isEmpty(), qPrintable(server.scriptError()));
    QByteArrayList echoed;
    for (const ParsedFrame &f : server.clientFrames()) {
        if (f.opcode == Op::Text || f.opcode == Op::Binary)
            echoed.append(lineOf(f.opcode == Op::Text ? SocketMessageType::Utf8 : SocketMessageType::Binary, f.payload));
    }
    QCOMPARE(echoed, script.lines);
    QCOMPARE(outgoing.size(), 51); // the 50 replies and the close frame, each observed once
    QVERIFY(spies.closedArgs().wasClean());
}

void tst_MessageHandler::partialModeKeepsTheSignal()
{
    const Script script = burst(10);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(script.frames).waitForClose().send(FrameBuilder::close(1000)).closeTcp();
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    int handled = 0;
    ws.setMessageHandler([&](SocketMessageType, QByteArrayView) { ++handled; });
    // pieces, the last of each message marked complete
    QByteArrayList joined;
    QByteArray current;
    connect(&ws, &MessageWebSocket::messageReceived, this, [&](const MessageWebSocketMessageReceivedEventArgs &m) {
        current += m.data();
        if (m.isMessageComplete())
            joined.append(lineOf(m.messageType(), std::exchange(current, {})));
    });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), qsizetype(10), WaitMs);
    QCOMPARE(joined, script.lines);
    QCOMPARE(handled, 0);
    ws.close(1000, {});
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
}

void tst_MessageHandler::frameObserverSeesEveryFrame()
{
    // frameObserved connected from the handler in the middle of a burst: every later frame is shown,
    // before its message, as the frame inspector sees frames of messages delivered by the signal
    Script script = burst(30);
    script.add(Op::Binary, patternBytes(200)); // a 16-bit length
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(script.frames).waitForClose().send(FrameBuilder::close(1000)).closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QByteArrayList events;
    ws.setMessageHandler([&](SocketMessageType type, QByteArrayView data) {
        events.append(lineOf(type, data));
        if (events.size() == 10) {
            connect(&ws, &MessageWebSocket::frameObserved, this, [&](const FrameInfo &f) {
                if (f.direction != FrameDirection::Incoming)
                    return;
                QVERIFY(f.fin && !f.rsv1 && !f.masked);
                QCOMPARE(f.uncompressedLength, qint64(-1));
                events.append("frame " + QByteArray::number(f.opcode) + ' ' + QByteArray::number(f.payloadLength) + ' '
                              + f.payloadHead.toHex());
            });
        }
    });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(ws.information().counters.messagesReceived, quint64(31), WaitMs);
    QByteArrayList expected = script.lines.first(10);
    const QByteArray frames = script.frames;
    QList<ParsedFrame> parsed;
    QByteArray rest = frames;
    parsed = takeFrames(rest);
    QCOMPARE(parsed.size(), 31);
    for (qsizetype i = 10; i < parsed.size(); ++i) {
        const ParsedFrame &f = parsed.at(i);
        expected.append("frame " + QByteArray::number(f.opcode) + ' ' + QByteArray::number(f.payload.size()) + ' '
                        + f.payload.first(std::min<qsizetype>(f.payload.size(), FramePayloadHeadBytes)).toHex());
        expected.append(script.lines.at(i));
    }
    QCOMPARE(events, expected);
    QCOMPARE(ws.information().counters.framesReceived, quint64(31));
    ws.close(1000, {});
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
}

QTEST_GUILESS_MAIN(tst_MessageHandler)
#include "tst_messagehandler.moc"
