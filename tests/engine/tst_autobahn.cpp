// The client behaviour Autobahn|Testsuite checks in sections 1-7 and 10, replayed with
// ScriptedServer: the server sends the bytes of the case, the client echoes every message back
// (as the Autobahn test client does), and the test asserts what the client delivered and what
// it put on the wire: echoes, pongs and the close code. Case numbers are Autobahn's; RFC 6455
// sections are cited where the rule comes from.
#include "api/messagewebsocket.h"

#include <algorithm>

#include <QSignalSpy>
#include <QTest>

#include "enginetest.h"
#include "scriptedserver.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace Wsw;
using namespace Wsw::Test;

class tst_Autobahn final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // cases where the client must go on: the expected echoes and pongs, then a clean close
    void validSequence_data();
    void validSequence();
    // cases where the client must fail the connection with a close code (RFC 6455 §7.1.7)
    void protocolViolation_data();
    void protocolViolation();
    // 6.4.x: invalid UTF-8 fails before the rest of the message has arrived
    void utf8FailFast_data();
    void utf8FailFast();
    // 6.2.3/6.2.4 and more: text split across frames at every byte
    void utf8SplitAtEveryByte_data();
    void utf8SplitAtEveryByte();
    // 7.x: the server starts the closing handshake
    void serverClose_data();
    void serverClose();
    // 2.x from the client's side: our pings and unsolicited pongs
    void clientPingGetsMatchingPong();
    // 10.1.1 with automatic fragmentation of outgoing messages
    void outboundFrameSize_data();
    void outboundFrameSize();
};

namespace {

/** A frame with Autobahn's 3-bit RSV value (4 = RSV1, 2 = RSV2, 1 = RSV3). */
QByteArray frame(quint8 opcode, QByteArrayView payload, bool fin = true, int rsv = 0)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.rsv1 = rsv & 4;
    b.rsv2 = rsv & 2;
    b.rsv3 = rsv & 1;
    return b.build(payload);
}

QByteArray text(QByteArrayView payload, bool fin = true)
{
    return frame(Op::Text, payload, fin);
}

QByteArray cont(QByteArrayView payload, bool fin = true)
{
    return frame(Op::Continuation, payload, fin);
}

/** An expected client frame: the opcode byte, then the payload. */
QByteArray expect(quint8 opcode, QByteArrayView payload)
{
    return QByteArray(1, char(opcode)) + payload.toByteArray();
}

QByteArray describe(const QByteArray &expected)
{
    return "opcode " + QByteArray::number(quint8(expected.at(0))) + " with "
            + QByteArray::number(expected.size() - 1) + " bytes: " + expected.mid(1, 40).toHex();
}

/** A client that echoes every message, with optional settings. */
struct EchoClient {
    explicit EchoClient(const MessageWebSocketControl &control = {})
    {
        ok = ws.setControl(control);
        echoMessages(&ws);
    }
    MessageWebSocket ws;
    ClientSpies spies{&ws};
    bool ok = false;
};

/** Sends bytes at once (chunk 0) or dripped chunk bytes at a time. */
void sendOrDrip(ScriptedServer &server, const QByteArray &bytes, int chunk)
{
    if (chunk == 0)
        server.send(bytes);
    else
        server.drip(bytes, chunk, 1ms);
}

/** The client's frames before its close frame, as expect() values; every one masked. */
QList<QByteArray> framesBeforeClose(const ScriptedServer &server)
{
    QList<QByteArray> out;
    for (const ParsedFrame &f : server.clientFrames()) {
        if (f.opcode == Op::Close)
            break;
        QByteArray e = expect(f.opcode, f.payload);
        if (!f.masked || !f.fin)
            e.prepend(f.masked ? "[NOT FIN]" : "[UNMASKED]");
        out.append(e);
    }
    return out;
}

void compareFrames(const QList<QByteArray> &actual, const QList<QByteArray> &expected)
{
    for (qsizetype i = 0; i < qMin(actual.size(), expected.size()); ++i)
        QVERIFY2(actual[i] == expected[i],
                 qPrintable(u"frame %1: got %2, expected %3"_s.arg(i)
                                    .arg(QString::fromLatin1(describe(actual[i])))
                                    .arg(QString::fromLatin1(describe(expected[i])))));
    QCOMPARE(actual.size(), expected.size());
}

QByteArray utf8Hello()
{
    return "Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!"; // Autobahn 6.2
}

QByteArray kosme()
{
    return "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"; // "κόσμε", Autobahn 6.5.1
}

} // namespace

// --- valid sequences -------------------------------------------------------------------------

void tst_Autobahn::validSequence_data()
{
    QTest::addColumn<QByteArray>("frames");          // what the server sends
    QTest::addColumn<int>("chunk");                  // 0: one write; n: dripped n bytes at a time
    QTest::addColumn<QList<QByteArray>>("expected"); // the client's frames, in order, before its close

    // 1.1.x / 1.2.x: text and binary messages of growing size, echoed (RFC 6455 §5.2 length forms)
    for (int size : {0, 125, 126, 127, 65535, 65536, 16 * 1024 * 1024}) {
        const QByteArray t = asciiBytes(size);
        const QByteArray b = patternBytes(size);
        QTest::addRow("1.1 text %d bytes", size) << text(t) << 0 << QList<QByteArray>{expect(Op::Text, t)};
        QTest::addRow("1.2 binary %d bytes", size)
                << frame(Op::Binary, b) << 0 << QList<QByteArray>{expect(Op::Binary, b)};
    }
    // 1.1.8 / 1.2.8: 65536 bytes delivered in chops of 997 octets
    QTest::newRow("1.1.8 text 65536 in 997-byte chops")
            << text(asciiBytes(65536)) << 997 << QList<QByteArray>{expect(Op::Text, asciiBytes(65536))};
    QTest::newRow("1.2.8 binary 65536 in 997-byte chops")
            << frame(Op::Binary, patternBytes(65536)) << 997
            << QList<QByteArray>{expect(Op::Binary, patternBytes(65536))};

    // 2.x: pings are answered with a pong carrying the same payload (RFC 6455 §5.5.2)
    QTest::newRow("2.1 ping empty") << FrameBuilder::ping() << 0 << QList<QByteArray>{expect(Op::Pong, "")};
    QTest::newRow("2.2 ping with text payload") << FrameBuilder::ping("Hello, world!") << 0
                                                << QList<QByteArray>{expect(Op::Pong, "Hello, world!")};
    const QByteArray binaryPing("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8);
    QTest::newRow("2.3 ping with binary payload")
            << FrameBuilder::ping(binaryPing) << 0 << QList<QByteArray>{expect(Op::Pong, binaryPing)};
    QTest::newRow("2.4 ping with 125 bytes") << FrameBuilder::ping(patternBytes(125)) << 0
                                             << QList<QByteArray>{expect(Op::Pong, patternBytes(125))};
    QTest::newRow("2.6 ping with 125 bytes, 1-byte chops")
            << FrameBuilder::ping(patternBytes(125)) << 1
            << QList<QByteArray>{expect(Op::Pong, patternBytes(125))};
    for (int size = 0; size <= 125; size += 5)
        QTest::addRow("2.x ping with %d bytes", size)
                << FrameBuilder::ping(patternBytes(size)) << 0
                << QList<QByteArray>{expect(Op::Pong, patternBytes(size))};
    // RFC 6455 §5.5.3: an unsolicited pong needs no answer
    QTest::newRow("2.7 unsolicited pong empty") << FrameBuilder::pong() << 0 << QList<QByteArray>{};
    QTest::newRow("2.8 unsolicited pong with payload")
            << FrameBuilder::pong("unsolicited pong payload") << 0 << QList<QByteArray>{};
    QTest::newRow("2.9 unsolicited pong, then ping")
            << FrameBuilder::pong("unsolicited pong payload") + FrameBuilder::ping("ping payload") << 0
            << QList<QByteArray>{expect(Op::Pong, "ping payload")};
    QByteArray tenPings;
    QList<QByteArray> tenPongs;
    for (int i = 0; i < 10; ++i) {
        tenPings += FrameBuilder::ping(QByteArray("payload-" + QByteArray::number(i)));
        tenPongs.append(expect(Op::Pong, QByteArray("payload-" + QByteArray::number(i))));
    }
    QTest::newRow("2.10 ten pings answered in order") << tenPings << 0 << tenPongs;
    QTest::newRow("2.11 ten pings, 1-byte chops") << tenPings << 1 << tenPongs;

    // 5.x: fragmentation (RFC 6455 §5.4)
    const QList<QByteArray> frag12 = {expect(Op::Text, "fragment1fragment2")};
    const QByteArray twoFragments = text("fragment1", false) + cont("fragment2");
    QTest::newRow("5.3 text in two fragments") << twoFragments << 0 << frag12;
    QTest::newRow("5.4 text in two fragments, chopped") << twoFragments << 3 << frag12;
    QTest::newRow("5.5 text in two fragments, 1-byte chops") << twoFragments << 1 << frag12;
    const QByteArray pingBetween
            = text("fragment1", false) + FrameBuilder::ping("ping payload") + cont("fragment2");
    const QList<QByteArray> pongThenMessage
            = {expect(Op::Pong, "ping payload"), expect(Op::Text, "fragment1fragment2")};
    QTest::newRow("5.6 ping between fragments") << pingBetween << 0 << pongThenMessage;
    QTest::newRow("5.7 ping between fragments, chopped") << pingBetween << 3 << pongThenMessage;
    QTest::newRow("5.8 ping between fragments, 1-byte chops") << pingBetween << 1 << pongThenMessage;
    QTest::newRow("5.x binary in three fragments") << frame(Op::Binary, "ab", false) + cont("", false)
                    + cont("cd") << 0 << QList<QByteArray>{expect(Op::Binary, "abcd")};
    const QByteArray fiveFragments = text("fragment1", false) + cont("fragment2", false)
            + FrameBuilder::ping("pongme 1!") + cont("fragment3", false) + FrameBuilder::ping("pongme 2!")
            + cont("fragment4", false) + FrameBuilder::pong("unsolicited") + cont("fragment5");
    const QList<QByteArray> fiveExpected
            = {expect(Op::Pong, "pongme 1!"), expect(Op::Pong, "pongme 2!"),
               expect(Op::Text, "fragment1fragment2fragment3fragment4fragment5")};
    QTest::newRow("5.19 five fragments with pings between") << fiveFragments << 0 << fiveExpected;
    QTest::newRow("5.20 five fragments with pings between, chopped") << fiveFragments << 7 << fiveExpected;

    // 6.x: valid UTF-8 is delivered (RFC 6455 §8.1, RFC 3629)
    QTest::newRow("6.1.1 empty text") << text("") << 0 << QList<QByteArray>{expect(Op::Text, "")};
    QTest::newRow("6.1.2 three empty fragments")
            << text("", false) + cont("", false) + cont("") << 0 << QList<QByteArray>{expect(Op::Text, "")};
    QTest::newRow("6.1.3 empty, middle, empty") << text("", false) + cont("middle frame payload", false)
                    + cont("") << 0 << QList<QByteArray>{expect(Op::Text, "middle frame payload")};
    QTest::newRow("6.2.1 UTF-8 in one frame")
            << text(utf8Hello()) << 0 << QList<QByteArray>{expect(Op::Text, utf8Hello())};
    QTest::newRow("6.2.2 UTF-8 in two fragments at a code point") << text(utf8Hello().left(11), false)
                    + cont(utf8Hello().mid(11)) << 0 << QList<QByteArray>{expect(Op::Text, utf8Hello())};
    QTest::newRow("6.5.1 kosme") << text(kosme()) << 0 << QList<QByteArray>{expect(Op::Text, kosme())};
    const QList<QByteArray> validUtf8 = {
            QByteArray("\x00", 1), // 6.7.1 first 1-byte
            "\xc2\x80",            // 6.7.2 first 2-byte
            "\xe0\xa0\x80",        // 6.7.3 first 3-byte
            "\xf0\x90\x80\x80",    // 6.7.4 first 4-byte
            "\x7f",                // 6.9.1 last 1-byte
            "\xdf\xbf",            // 6.9.2 last 2-byte
            "\xef\xbf\xbf",        // 6.9.3 last 3-byte (U+FFFF)
            "\xf4\x8f\xbf\xbf",    // 6.9.4 / 6.11.4 U+10FFFF
            "\xed\x9f\xbf",        // 6.11.1 U+D7FF
            "\xee\x80\x80",        // 6.11.2 U+E000
            "\xef\xbf\xbd",        // 6.11.3 / 6.23.1 U+FFFD
            "\xef\xbf\xbe",        // 6.22.x U+FFFE noncharacter (valid UTF-8)
            "\xf0\x9f\xbf\xbe",    // 6.22.x U+1FFFE
            "\xf4\x8f\xbf\xbe",    // 6.22.x U+10FFFE
            "\xef\xb7\x90",        // 6.22.x U+FDD0
    };
    for (const QByteArray &bytes : validUtf8)
        QTest::addRow("6.x valid %s", bytes.toHex(' ').constData())
                << text(bytes) << 0 << QList<QByteArray>{expect(Op::Text, bytes)};
    for (int prefix : {2, 5, 7, 9, 11}) // 6.6.x: the prefixes of kosme that end on a code point
        QTest::addRow("6.6 kosme prefix of %d bytes", prefix)
                << text(kosme().left(prefix)) << 0
                << QList<QByteArray>{expect(Op::Text, kosme().left(prefix))};
}

void tst_Autobahn::validSequence()
{
    QFETCH(QByteArray, frames);
    QFETCH(int, chunk);
    QFETCH(QList<QByteArray>, expected);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade();
    sendOrDrip(server, frames, chunk);
    server.waitForFrames(int(expected.size())).send(FrameBuilder::close(1000)).waitForClose().closeTcp();
    server.setWaitBound(20s);
    EchoClient client;
    QVERIFY(client.ok);
    QVERIFY(client.ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, 30000);
    QVERIFY2(client.spies.errors.isEmpty(), qPrintable(client.spies.errorText()));
    QVERIFY2(server.scriptError().isEmpty(), qPrintable(server.scriptError()));
    compareFrames(framesBeforeClose(server), expected);
    QCOMPARE(server.clientCloseCode(), quint16(1000));
    QCOMPARE(server.clientFrames().last().opcode, Op::Close); // nothing after the close frame
    QVERIFY(client.spies.closedArgs().wasClean());
    QCOMPARE(client.spies.closedArgs().code(), quint16(1000));
    QCOMPARE(client.spies.pongs.size(), 0); // no pong answered a ping of ours
    QCOMPARE(client.ws.state(), ConnectionState::Closed);
}

// --- protocol violations ---------------------------------------------------------------------

void tst_Autobahn::protocolViolation_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<QList<QByteArray>>("before"); // the client's frames before its close frame
    QTest::addColumn<ErrorDetail>("detail");
    QTest::addColumn<quint16>("closeCode");

    const ErrorDetail tooLong = ErrorDetail::ControlFrameTooLong;
    const ErrorDetail rsv = ErrorDetail::ReservedBitsSet;
    const ErrorDetail opcode = ErrorDetail::ReservedOpcode;
    const ErrorDetail utf8 = ErrorDetail::InvalidUtf8;
    const QList<QByteArray> none;
    const QList<QByteArray> hello = {expect(Op::Text, "Hello, world!")};
    const QByteArray helloFrame = text("Hello, world!");
    const QByteArray ping = FrameBuilder::ping("");

    // 2.5: a control frame may carry at most 125 bytes (RFC 6455 §5.5)
    QTest::newRow("2.5 ping with 126 bytes")
            << FrameBuilder::ping(patternBytes(126)) << 0 << none << tooLong << quint16(1002);
    QTest::newRow("2.5 ping announcing 65536 bytes")
            << FrameBuilder::ping(patternBytes(65536)) << 0 << none << tooLong << quint16(1002);

    // 3.x: reserved bits without a negotiated extension (RFC 6455 §5.2)
    QTest::newRow("3.1 text with RSV=1")
            << frame(Op::Text, "Hello, world!", true, 1) << 0 << none << rsv << quint16(1002);
    QTest::newRow("3.2 text, text with RSV=2, ping") << helloFrame + frame(Op::Text, "Hello, world!", true, 2)
                    + ping << 0 << hello << rsv << quint16(1002);
    QTest::newRow("3.3 text, text with RSV=3, ping, chopped")
            << helloFrame + frame(Op::Text, "Hello, world!", true, 3) + ping << 1 << hello << rsv
            << quint16(1002);
    QTest::newRow("3.4 text, text with RSV=4, ping") << helloFrame + frame(Op::Text, "Hello, world!", true, 4)
                    + ping << 0 << hello << rsv << quint16(1002);
    QTest::newRow("3.5 binary with RSV=5")
            << frame(Op::Binary, patternBytes(8), true, 5) << 0 << none << rsv << quint16(1002);
    QTest::newRow("3.6 ping with RSV=6")
            << frame(Op::Ping, "Hello, world!", true, 6) << 0 << none << rsv << quint16(1002);
    QTest::newRow("3.7 close with RSV=7")
            << frame(Op::Close, QByteArray("\x03\xe8", 2), true, 7) << 0 << none << rsv << quint16(1002);
    QTest::newRow("3.x continuation with RSV=1")
            << text("a", false) + frame(Op::Continuation, "b", true, 1) << 0 << none << rsv << quint16(1002);

    // 4.x: reserved opcodes (RFC 6455 §5.2); what came before is still delivered
    for (quint8 op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
        const char *section = op < 8 ? "4.1" : "4.2";
        QTest::addRow("%s opcode %d empty", section, op)
                << frame(op, "") << 0 << none << opcode << quint16(1002);
        QTest::addRow("%s text, opcode %d with payload, ping", section, op)
                << helloFrame + frame(op, "reserved opcode payload") + ping << 0 << hello << opcode
                << quint16(1002);
        QTest::addRow("%s text, opcode %d, ping, chopped", section, op)
                << helloFrame + frame(op, "") + ping << 1 << hello << opcode << quint16(1002);
    }

    // 5.x: fragmentation rules (RFC 6455 §5.4, §5.5)
    const ErrorDetail fragCtl = ErrorDetail::FragmentedControlFrame;
    const ErrorDetail unexpected = ErrorDetail::UnexpectedContinuation;
    QTest::newRow("5.1 fragmented ping") << frame(Op::Ping, "fragment1", false) + cont("fragment2") << 0
                                         << none << fragCtl << quint16(1002);
    QTest::newRow("5.2 fragmented pong") << frame(Op::Pong, "fragment1", false) + cont("fragment2") << 0
                                         << none << fragCtl << quint16(1002);
    const QByteArray lone = cont("non-continuation payload") + helloFrame;
    QTest::newRow("5.9 continuation without start, FIN") << lone << 0 << none << unexpected << quint16(1002);
    QTest::newRow("5.10 continuation without start, chopped")
            << lone << 3 << none << unexpected << quint16(1002);
    QTest::newRow("5.11 continuation without start, 1-byte chops")
            << lone << 1 << none << unexpected << quint16(1002);
    const QByteArray loneNonFinal = cont("non-continuation payload", false) + helloFrame;
    QTest::newRow("5.12 continuation without start, no FIN")
            << loneNonFinal << 0 << none << unexpected << quint16(1002);
    QTest::newRow("5.13 continuation without start, no FIN, chopped")
            << loneNonFinal << 1 << none << unexpected << quint16(1002);
    QTest::newRow("5.15 message, then continuation without start")
            << text("fragment1", false) + cont("fragment2") + cont("fragment3", false) + text("fragment4")
            << 0 << QList<QByteArray>{expect(Op::Text, "fragment1fragment2")} << unexpected << quint16(1002);
    QTest::newRow("5.16 continuation, text, continuation")
            << cont("fragment1", false) + text("fragment2", false) + cont("fragment3") << 0 << none
            << unexpected << quint16(1002);
    QTest::newRow("5.17 continuation FIN, text, continuation")
            << cont("fragment1") + text("fragment2", false) + cont("fragment3") << 0 << none << unexpected
            << quint16(1002);
    QTest::newRow("5.18 text inside a fragmented text")
            << text("fragment1", false) + text("fragment2") << 0 << none << ErrorDetail::ExpectedContinuation
            << quint16(1002);
    QTest::newRow("5.x binary inside a fragmented text")
            << text("fragment1", false) + frame(Op::Binary, "fragment2") << 0 << none
            << ErrorDetail::ExpectedContinuation << quint16(1002);

    // 6.x: invalid UTF-8 fails with 1007 (RFC 6455 §8.1)
    const QByteArray kosmeBad = kosme()
            + "\xed\xa0\x80"
              "edited"; // 6.3.1: a UTF-16 surrogate
    QTest::newRow("6.3.1 invalid UTF-8 in one frame") << text(kosmeBad) << 0 << none << utf8 << quint16(1007);
    QByteArray perByte;
    for (qsizetype i = 0; i < kosmeBad.size(); ++i)
        perByte += i == 0 ? text(kosmeBad.mid(i, 1), false)
                          : cont(kosmeBad.mid(i, 1), i == kosmeBad.size() - 1);
    QTest::newRow("6.3.2 invalid UTF-8, one byte per frame") << perByte << 0 << none << utf8 << quint16(1007);
    const QList<QByteArray> invalidUtf8 = {
            "\xce",                                 // 6.6.1 kosme prefix
            "\xce\xba\xe1",                         // 6.6.3
            "\xce\xba\xe1\xbd",                     // 6.6.4
            "\xce\xba\xe1\xbd\xb9\xcf",             // 6.6.6
            "\xf8\x88\x80\x80\x80",                 // 6.8.1 5-byte form
            "\xfc\x84\x80\x80\x80\x80",             // 6.8.2 6-byte form
            "\xf7\xbf\xbf\xbf",                     // 6.10.1 above U+10FFFF
            "\xfb\xbf\xbf\xbf\xbf",                 // 6.10.2
            "\xfd\xbf\xbf\xbf\xbf\xbf",             // 6.10.3
            "\xf4\x90\x80\x80",                     // 6.11.5 U+110000
            "\x80",                                 // 6.12.1 lone continuation
            "\xbf",                                 // 6.12.2
            "\x80\xbf",                             // 6.12.3
            "\x80\xbf\x80\xbf\x80\xbf",             // 6.12.7
            "\xc0\x20",                             // 6.13.1 lonely start
            "\xe0\x20",                             // 6.13.2
            "\xf0\x20",                             // 6.13.3
            "\xf8\x20",                             // 6.13.4
            "\xfc\x20",                             // 6.13.5
            "\xc0",                                 // 6.14.1 last continuation missing
            "\xe0\x80",                             // 6.14.2
            "\xf0\x80\x80",                         // 6.14.3
            "\xdf",                                 // 6.14.6
            "\xef\xbf",                             // 6.14.7
            "\xf7\xbf\xbf",                         // 6.14.8
            "\xc0\xe0\x80\xf0\x80\x80\xdf\xef\xbf", // 6.15.1 concatenated incomplete
            "\xfe",                                 // 6.16.1 impossible bytes
            "\xff",                                 // 6.16.2
            "\xfe\xfe\xff\xff",                     // 6.16.3
            "\xc0\xaf",                             // 6.17.1 overlong "/"
            "\xe0\x80\xaf",                         // 6.17.2
            "\xf0\x80\x80\xaf",                     // 6.17.3
            "\xc1\xbf",                             // 6.18.1 maximum overlong
            "\xe0\x9f\xbf",                         // 6.18.2
            "\xf0\x8f\xbf\xbf",                     // 6.18.3
            "\xc0\x80",                             // 6.19.1 overlong NUL
            "\xe0\x80\x80",                         // 6.19.2
            "\xf0\x80\x80\x80",                     // 6.19.3
            "\xed\xa0\x80",                         // 6.20.1 U+D800
            "\xed\xad\xbf",                         // 6.20.2 U+DB7F
            "\xed\xae\x80",                         // 6.20.3 U+DB80
            "\xed\xaf\xbf",                         // 6.20.4 U+DBFF
            "\xed\xb0\x80",                         // 6.20.5 U+DC00
            "\xed\xbe\x80",                         // 6.20.6 U+DF80
            "\xed\xbf\xbf",                         // 6.20.7 U+DFFF
            "\xed\xa0\x80\xed\xb0\x80",             // 6.21.1 paired surrogates
            "\xed\xaf\xbf\xed\xbf\xbf",             // 6.21.8
    };
    for (const QByteArray &bytes : invalidUtf8)
        QTest::addRow("6.x invalid %s", bytes.toHex(' ').constData())
                << text(bytes) << 0 << none << utf8 << quint16(1007);
    QTest::newRow("6.x valid message, then invalid one")
            << text(kosme()) + text("\xc0\xaf") << 0 << QList<QByteArray>{expect(Op::Text, kosme())} << utf8
            << quint16(1007);

    // 7.x: invalid close frames (RFC 6455 §5.5.1, §7.4)
    QTest::newRow("7.3.2 close with 1-byte payload")
            << frame(Op::Close, "\x03") << 0 << none << ErrorDetail::InvalidClosePayloadLength
            << quint16(1002);
    QTest::newRow("7.3.6 close with 124-byte reason")
            << FrameBuilder::close(1000, asciiBytes(124)) << 0 << none << tooLong << quint16(1002);
    const QByteArray badReason = kosme()
            + "\xed\xa0\x80"
              "edited";
    QTest::newRow("7.5.1 close reason not UTF-8") << FrameBuilder::close(1000, badReason) << 0 << none
                                                  << ErrorDetail::InvalidUtf8InCloseReason << quint16(1007);
    for (quint16 code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
        // FrameBuilder::close(0) means "empty": build code 0 by hand
        const QByteArray payload = QByteArray(1, char(code >> 8)) + char(code & 0xFF);
        QTest::addRow("7.9 close code %d", int(code))
                << frame(Op::Close, payload) << 0 << none << ErrorDetail::InvalidCloseCodeReceived
                << quint16(1002);
    }

    // RFC 6455 §5.1-§5.2 rules beyond Autobahn's sections
    FrameBuilder masked;
    masked.opcode = Op::Text;
    masked.maskKey = 0x12345678;
    QTest::newRow("RFC 5.1 masked server frame")
            << masked.build("masked") << 0 << none << ErrorDetail::MaskedServerFrame << quint16(1002);
    FrameBuilder nonMinimal16;
    nonMinimal16.opcode = Op::Binary;
    nonMinimal16.lengthBits = 16;
    QTest::newRow("RFC 5.2 16-bit length for 5 bytes")
            << nonMinimal16.build("short") << 0 << none << ErrorDetail::NonMinimalLength << quint16(1002);
    FrameBuilder nonMinimal64;
    nonMinimal64.opcode = Op::Binary;
    nonMinimal64.lengthBits = 64;
    QTest::newRow("RFC 5.2 64-bit length for 200 bytes") << nonMinimal64.build(patternBytes(200)) << 0 << none
                                                         << ErrorDetail::NonMinimalLength << quint16(1002);
    FrameBuilder topBit;
    topBit.opcode = Op::Binary;
    topBit.declaredLength = 0x8000000000000000ull;
    QTest::newRow("RFC 5.2 64-bit length with top bit")
            << topBit.build("x") << 0 << none << ErrorDetail::LengthTopBitSet << quint16(1002);
}

void tst_Autobahn::protocolViolation()
{
    // RFC 6455 §7.1.7: fail the connection: send the close code, report, and end uncleanly
    QFETCH(QByteArray, frames);
    QFETCH(int, chunk);
    QFETCH(QList<QByteArray>, before);
    QFETCH(ErrorDetail, detail);
    QFETCH(quint16, closeCode);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade();
    sendOrDrip(server, frames, chunk);
    server.waitForClose().closeTcp();
    EchoClient client;
    QList<int> order; // 0 error, 1 closed
    connect(&client.ws, &MessageWebSocket::errorOccurred, this, [&] { order.append(0); });
    connect(&client.ws, &MessageWebSocket::closed, this, [&] { order.append(1); });
    QVERIFY(client.ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    QCOMPARE(client.spies.errors.size(), 1);
    QCOMPARE(order, (QList<int>{0, 1}));
    const WebSocketError error = client.spies.error();
    QCOMPARE(error.detail(), detail);
    QCOMPARE(error.status(), WebErrorStatus::UnexpectedServerError);
    QVERIFY(!error.message().isEmpty());
    QCOMPARE(client.spies.closedArgs().code(), closeCode);
    QVERIFY(!client.spies.closedArgs().wasClean());
    QCOMPARE(client.ws.state(), ConnectionState::Failed);
    QCOMPARE(client.ws.lastError().detail(), detail);
    // on the wire: the echoes of what came before, then our close frame, then nothing
    QTRY_VERIFY(server.isScriptFinished());
    QCOMPARE(server.clientCloseCode(), closeCode);
    QCOMPARE(server.clientFrames().last().opcode, Op::Close);
    // the reason sent is the one reported, and fits a control frame (RFC 6455 §5.5)
    const QByteArray sentReason = closeReasonOf(server.clientClosePayload());
    QVERIFY(sentReason.size() <= 123);
    QCOMPARE(QString::fromUtf8(sentReason), client.spies.closedArgs().reason());
    compareFrames(framesBeforeClose(server), before);
    QCOMPARE(client.spies.messages.size(),
             std::count_if(before.begin(), before.end(), [](const QByteArray &e) {
                 return e.at(0) == char(Op::Text) || e.at(0) == char(Op::Binary);
             }));
}

// --- 6.4.x fail fast -------------------------------------------------------------------------

void tst_Autobahn::utf8FailFast_data()
{
    QTest::addColumn<QByteArray>("first"); // sent at once
    QTest::addColumn<QByteArray>("rest");  // sent only after the client's close arrived
    const QByteArray kosmeBadEdited = kosme()
            + "\xf4\x90\x80\x80"
              "edited";
    const QByteArray oneFrame = text(kosmeBadEdited);
    const qsizetype header = oneFrame.size() - kosmeBadEdited.size();
    // 6.4.1: the invalid code point in the second of three fragments
    QTest::newRow("6.4.1 invalid second fragment")
            << text(kosme(), false) + cont("\xf4\x90\x80\x80", false) << cont("edited");
    // 6.4.2: the sequence starts in the first fragment and breaks in the second
    QTest::newRow("6.4.2 invalid across fragments")
            << text(QByteArray(kosme() + "\xf4"), false) + cont("\x90\x80\x80", false) << cont("edited");
    // 6.4.3 / 6.4.4: one frame, the invalid bytes arrive before the rest of its payload
    QTest::newRow("6.4.3 invalid inside one frame")
            << oneFrame.left(header + kosme().size() + 4) << oneFrame.mid(header + kosme().size() + 4);
    QTest::newRow("6.4.4 invalid inside one frame, one byte")
            << oneFrame.left(header + kosme().size() + 2) << oneFrame.mid(header + kosme().size() + 2);
    // an invalid byte in the first fragment of a message
    QTest::newRow("invalid byte in the first fragment") << text("\xce\xba\xff", false) << cont("the end");
}

void tst_Autobahn::utf8FailFast()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, rest);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.setWaitBound(2s);
    server.acceptUpgrade().send(first).waitForClose().send(rest).closeTcp();
    EchoClient client;
    QVERIFY(client.ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    // the close came while the message was still incomplete: the script only sends the rest after it
    QTRY_VERIFY(server.isScriptFinished() || !server.scriptError().isEmpty());
    QVERIFY2(server.scriptError().isEmpty(), qPrintable(server.scriptError()));
    QCOMPARE(server.clientCloseCode(), quint16(1007));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::InvalidUtf8);
    QCOMPARE(client.spies.messages.size(), 0);
    QCOMPARE(client.spies.closedArgs().code(), quint16(1007));
}

// --- UTF-8 split at every byte ---------------------------------------------------------------

void tst_Autobahn::utf8SplitAtEveryByte_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("6.2.3 Hello-UTF-8") << utf8Hello();
    QTest::newRow("6.2.4 kosme") << kosme();
    QTest::newRow("every sequence length") << QByteArray("a\xc2\xb5\xe2\x82\xac\xf0\x9d\x84\x9e"
                                                         "z"); // a µ € 𝄞 z
}

void tst_Autobahn::utf8SplitAtEveryByte()
{
    // a code point split between frames is fine (the validator's state carries across frames)
    QFETCH(QByteArray, message);
    ScriptedServer server;
    QVERIFY(server.listen());
    QByteArray frames;
    QList<QByteArray> expected;
    for (qsizetype split = 1; split < message.size(); ++split) { // two fragments, split at every byte
        frames += text(message.left(split), false) + cont(message.mid(split));
        expected.append(expect(Op::Text, message));
    }
    for (qsizetype i = 0; i < message.size(); ++i) // one byte per fragment (6.2.3)
        frames += i == 0 ? text(message.left(1), false) : cont(message.mid(i, 1), i == message.size() - 1);
    expected.append(expect(Op::Text, message));
    server.acceptUpgrade().send(frames).waitForFrames(int(expected.size())).send(FrameBuilder::close(1000));
    server.waitForClose().closeTcp();
    EchoClient client;
    QVERIFY(client.ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    QVERIFY2(client.spies.errors.isEmpty(), qPrintable(client.spies.errorText()));
    compareFrames(framesBeforeClose(server), expected);
    QCOMPARE(client.spies.messages.size(), expected.size());
    for (qsizetype i = 0; i < client.spies.messages.size(); ++i)
        QCOMPARE(client.spies.message(i).data(), message);
    QVERIFY(client.spies.closedArgs().wasClean());
}

// --- 7.x the server closes -------------------------------------------------------------------

void tst_Autobahn::serverClose_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<QList<QByteArray>>("before"); // the client's frames before its close frame
    QTest::addColumn<QByteArray>("closePayload");  // what the client's close frame carries
    QTest::addColumn<quint16>("code");             // closed().code()
    QTest::addColumn<QString>("reason");           // closed().reason()
    QTest::addColumn<QByteArray>("late");          // sent after the client's close frame arrived

    const auto code = [](quint16 c) -> QByteArray { return QByteArray(1, char(c >> 8)) + char(c & 0xFF); };
    const QList<QByteArray> none;
    QTest::newRow("7.1.1 message, then close") << text("Hello World!") + FrameBuilder::close(1000)
                                               << QList<QByteArray>{expect(Op::Text, "Hello World!")}
                                               << code(1000) << quint16(1000) << QString() << QByteArray();
    // RFC 6455 §5.5.1: after a close frame nothing more is processed
    QTest::newRow("7.1.2 close twice") << FrameBuilder::close(1000) + FrameBuilder::close(1001) << none
                                       << code(1000) << quint16(1000) << QString() << QByteArray();
    QTest::newRow("7.1.3 ping after close") << FrameBuilder::close(1000) + FrameBuilder::ping("x") << none
                                            << code(1000) << quint16(1000) << QString() << QByteArray();
    QTest::newRow("7.1.4 text after close") << FrameBuilder::close(1000) + text("Hello World!") << none
                                            << code(1000) << quint16(1000) << QString() << QByteArray();
    QTest::newRow("7.1.5 close between fragments")
            << text("fragment1", false) + FrameBuilder::close(1000) + cont("fragment2") << none << code(1000)
            << quint16(1000) << QString() << QByteArray();
    QTest::newRow("7.1.6 large message, close, ping")
            << text(asciiBytes(256 * 1024)) + FrameBuilder::close(1000) + FrameBuilder::ping("x")
            << QList<QByteArray>{expect(Op::Text, asciiBytes(256 * 1024))} << code(1000) << quint16(1000)
            << QString() << QByteArray();
    QTest::newRow("7.x garbage bytes after close")
            << FrameBuilder::close(1000) + QByteArray("\xff\xff\xff\xff", 4) << none << code(1000)
            << quint16(1000) << QString() << QByteArray();
    // 7.3.x: close payloads; an empty one is answered with an empty one
    QTest::newRow("7.3.1 close without payload")
            << FrameBuilder::close(0) << none << QByteArray("") << quint16(1005) << QString() << QByteArray();
    QTest::newRow("7.3.3 close 1000")
            << FrameBuilder::close(1000) << none << code(1000) << quint16(1000) << QString() << QByteArray();
    QTest::newRow("7.3.4 close with reason")
            << FrameBuilder::close(1000, "Hello World!") << none << code(1000) << quint16(1000)
            << u"Hello World!"_s << QByteArray();
    QTest::newRow("7.3.5 close with 123-byte reason")
            << FrameBuilder::close(1000, asciiBytes(123)) << none << code(1000) << quint16(1000)
            << QString::fromLatin1(asciiBytes(123)) << QByteArray();
    QTest::newRow("7.x close with UTF-8 reason")
            << FrameBuilder::close(4000, kosme()) << none << code(4000) << quint16(4000)
            << QString::fromUtf8(kosme()) << QByteArray();
    // 7.7.x: every valid code is echoed (RFC 6455 §7.4.1, IANA registry)
    for (quint16 c :
         {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        QTest::addRow("7.7 close code %d echoed", int(c))
                << FrameBuilder::close(c) << none << code(c) << c << QString() << QByteArray();
    // RFC 6455 §5.5.1: also when what follows the close comes in a later TCP segment
    QTest::newRow("7.1.4 text after close, later segment") << FrameBuilder::close(1000) << none << code(1000)
                                                           << quint16(1000) << QString() << text("late text");
    QTest::newRow("7.1.3 ping after close, later segment")
            << FrameBuilder::close(1000) << none << code(1000) << quint16(1000) << QString()
            << FrameBuilder::ping("x");
    QTest::newRow("7.x reserved opcode after close, later segment")
            << FrameBuilder::close(1000) << none << code(1000) << quint16(1000) << QString()
            << frame(5, "bad");
}

void tst_Autobahn::serverClose()
{
    QFETCH(QByteArray, frames);
    QFETCH(QList<QByteArray>, before);
    QFETCH(QByteArray, closePayload);
    QFETCH(quint16, code);
    QFETCH(QString, reason);
    QFETCH(QByteArray, late);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(frames).waitForClose().send(late).pause(50ms).closeTcp();
    EchoClient client;
    QVERIFY(client.ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    QVERIFY2(client.spies.errors.isEmpty(), qPrintable(client.spies.errorText()));
    QVERIFY(server.scriptError().isEmpty());
    compareFrames(framesBeforeClose(server), before);
    QCOMPARE(server.clientClosePayload(), closePayload);
    QCOMPARE(server.clientFrames().last().opcode, Op::Close);
    QCOMPARE(server.clientFrames(Op::Close).size(), 1);
    QCOMPARE(client.spies.messages.size(), before.size());
    QCOMPARE(client.spies.closedArgs().code(), code);
    QCOMPARE(client.spies.closedArgs().reason(), reason);
    QVERIFY(client.spies.closedArgs().wasClean());
    QCOMPARE(client.ws.state(), ConnectionState::Closed);
}

// --- our pings -------------------------------------------------------------------------------

void tst_Autobahn::clientPingGetsMatchingPong()
{
    // RFC 6455 §5.5.3: a pong answers the ping with the same payload; others are unsolicited
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade()
            .waitForFrames(2)
            .send(FrameBuilder::pong("not ours"))
            .send(FrameBuilder::pong("first"))
            .send(FrameBuilder::pong("second"))
            .waitForClose()
            .send(FrameBuilder::close(1000))
            .closeTcp();
    EchoClient client;
    QVERIFY(client.ws.connectAsync(server.url()));
    QVERIFY(waitConnected(client.spies));
    QVERIFY(client.ws.ping("first"));
    QVERIFY(client.ws.ping("second"));
    QTRY_COMPARE(client.spies.pongs.size(), 2);
    QCOMPARE(client.spies.pongPayload(0), QByteArray("first"));
    QCOMPARE(client.spies.pongPayload(1), QByteArray("second"));
    QCOMPARE(server.clientFrames(Op::Ping).size(), 2);
    QCOMPARE(server.clientFrames().at(0).payload, QByteArray("first"));
    QVERIFY(client.ws.close(1000));
    QTRY_COMPARE(client.spies.closed.size(), 1);
    QVERIFY2(client.spies.errors.isEmpty(), qPrintable(client.spies.errorText()));
    QVERIFY(client.spies.closedArgs().wasClean());
    QCOMPARE(client.spies.pongs.size(), 2);
}

// --- 10.x automatic fragmentation ------------------------------------------------------------

void tst_Autobahn::outboundFrameSize_data()
{
    QTest::addColumn<quint32>("frameSize");
    QTest::addColumn<bool>("isText");
    QTest::newRow("0 = one frame") << 0u << true;
    for (quint32 size : {64u, 256u, 1000u, 4096u, 65535u, 65536u, 131072u}) {
        QTest::addRow("10.1.1 text in frames of %u", size) << size << true;
        QTest::addRow("10.1.1 binary in frames of %u", size) << size << false;
    }
}

void tst_Autobahn::outboundFrameSize()
{
    // Autobahn 10.1.1: a 64 KiB message echoed; the client splits it into frames of the set size
    QFETCH(quint32, frameSize);
    QFETCH(bool, isText);
    constexpr qsizetype Size = 65536;
    const QByteArray data = isText ? asciiBytes(Size) : patternBytes(Size);
    const qsizetype effective = frameSize == 0 ? Size : qsizetype(frameSize);
    const int expectedFrames = int((Size + effective - 1) / effective);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade()
            .send(isText ? text(data) : frame(Op::Binary, data))
            .waitForFrames(expectedFrames)
            .send(FrameBuilder::close(1000))
            .waitForClose()
            .closeTcp();
    MessageWebSocketControl control;
    control.outboundFrameSizeInBytes = frameSize;
    EchoClient client(control);
    QVERIFY(client.ok);
    QVERIFY(client.ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    QVERIFY2(client.spies.errors.isEmpty(), qPrintable(client.spies.errorText()));
    QVERIFY2(server.scriptError().isEmpty(), qPrintable(server.scriptError()));
    QList<ParsedFrame> frames = server.clientFrames();
    QCOMPARE(frames.takeLast().opcode, Op::Close);
    QCOMPARE(frames.size(), expectedFrames);
    QByteArray joined;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const ParsedFrame &f = frames[i];
        const bool last = i == frames.size() - 1;
        QCOMPARE(f.opcode, i == 0 ? (isText ? Op::Text : Op::Binary) : Op::Continuation);
        QCOMPARE(f.fin, last);
        QVERIFY(f.masked);
        if (!last)
            QCOMPARE(f.payload.size(), effective);
        QVERIFY(f.payload.size() <= effective);
        joined += f.payload;
    }
    QCOMPARE(joined, data); // the server reassembles the message
}

QTEST_GUILESS_MAIN(tst_Autobahn)
#include "tst_autobahn.moc"
