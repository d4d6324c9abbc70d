// Interoperability of our client engine with WebSocket servers no one here wrote: Python's
// `websockets`, Node's `ws` and Qt's QWebSocketServer. One executable; CTest runs it once per
// server (interop_python, interop_node, interop_qt) with WSW_INTEROP_SERVER set to python, node
// or qt. Every server serves the same routes (see tests/interop/servers/*); the Python and Node
// servers also serve them with permessage-deflate (RFC 7692) under /deflate/, configured per
// connection by the query (Qt's server has no compression: those tests are skipped for it).
//
// The same rows over wss:// (the client trusts the test PKI's root, tests/pki), by WSW_INTEROP_TLS:
//   server  the server itself speaks TLS with server-chain.pem (Python's websockets on Python's
//           ssl module: interop_python_tls)
//   nginx   nginx (Debian's package) terminates TLS in front of the server's ws:// and proxies the
//           upgrade (interop_nginx, interop_nginx_localhost; nginxserver.h)
// WSW_INTEROP_HOST names the host of the URLs (default 127.0.0.1; e.g. localhost, which is also
// then the TLS server name the certificate is checked against and the SNI).
// TLS-specific rows (bad certificates, pins, mutual TLS) are in tst_interop_tls.cpp.

#include <chrono>
#include <memory>

#include <QElapsedTimer>
#include <QMetaEnum>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include "api/messagewebsocket.h"
#include "interopclient.h"
#include "interopserver.h"
#include "nginxserver.h"
#include "testpki.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace InteropTest;

using Wsw::CompressionInformation;
using Wsw::ConnectionState;
using Wsw::DeflateOptions;
using Wsw::ErrorDetail;
using Wsw::FrameDirection;
using Wsw::FrameInfo;
using Wsw::MessageWebSocket;
using Wsw::MessageWebSocketControl;
using Wsw::MessageWebSocketMessageReceivedEventArgs;
using Wsw::SocketMessageType;
using Wsw::TrafficCounters;
using Wsw::WebSocketClosedEventArgs;
using Wsw::WebSocketError;

namespace {

QString pidList(const QList<qint64> &pids)
{
    QStringList texts;
    for (qint64 pid : pids)
        texts.append(QString::number(pid));
    return texts.join(u", "_s);
}

// --- permessage-deflate ---------------------------------------------------------------------

constexpr char QtHasNoDeflate[] = "QWebSocketServer (Qt 6.4) has no permessage-deflate: there is no compressing Qt peer";

/** What information().compression must say once connected. */
struct DeflateExpectation {
    int clientMaxWindowBits = 15;
    int serverMaxWindowBits = 15;
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;
    /** False when the server asked for an 8-bit window for our messages, which zlib cannot compress with. */
    bool outgoingCompressed = true;
    /** The server compresses the messages it sends from this size on (ws's threshold). */
    quint32 serverThreshold = 0;
};

/** One data message as the frames of one direction carried it. */
struct WireMessage {
    quint8 opcode = 0;
    bool rsv1 = false;      // of its first frame: the message is compressed (RFC 7692 §6)
    bool rsv1Later = false; // on a continuation frame, which RFC 7692 §6.1 forbids
    int frames = 0;
    qint64 uncompressed = 0; // sum of the frames' uncompressedLength; -1 when a frame had none
    quint64 payload = 0;     // wire payload of its frames
};

QList<WireMessage> wireMessages(const QList<FrameInfo> &frames, FrameDirection direction)
{
    QList<WireMessage> messages;
    bool inMessage = false;
    for (const FrameInfo &frame : frames) {
        if (frame.direction != direction || frame.opcode >= 0x8)
            continue;
        if (!inMessage) {
            messages.append(WireMessage());
            messages.last().opcode = frame.opcode;
            messages.last().rsv1 = frame.rsv1;
            inMessage = true;
        } else if (frame.rsv1) {
            messages.last().rsv1Later = true;
        }
        WireMessage &message = messages.last();
        ++message.frames;
        message.payload += frame.payloadLength;
        message.uncompressed = message.uncompressed < 0 || frame.uncompressedLength < 0
                ? -1
                : message.uncompressed + frame.uncompressedLength;
        inMessage = !frame.fin;
    }
    return messages;
}

/** Wire payload of every frame of one direction, control frames included (as the counters count). */
quint64 wirePayload(const QList<FrameInfo> &frames, FrameDirection direction)
{
    quint64 sum = 0;
    for (const FrameInfo &frame : frames) {
        if (frame.direction == direction)
            sum += frame.payloadLength;
    }
    return sum;
}

/** Control frames of one direction with RSV1 set: never right (RFC 7692 §6.1). */
int controlFramesWithRsv1(const QList<FrameInfo> &frames, FrameDirection direction)
{
    int count = 0;
    for (const FrameInfo &frame : frames)
        count += frame.direction == direction && frame.opcode >= 0x8 && frame.rsv1;
    return count;
}

quint8 opcodeOf(SocketMessageType type)
{
    return type == SocketMessageType::Utf8 ? 0x1 : 0x2;
}

/**
 * What one deflateEcho row sends on one connection, each message as its fragments (one fragment:
 * sendMessage(); more: sendNonfinalFrame()... sendFinalFrame()). Several messages in a row, so that
 * context takeover spans messages of every size, fragmented ones included.
 */
struct DeflateScript {
    QList<QByteArrayList> messages;
    qsizetype hello = -1;  // "hello " repeated: compresses to a fraction
    qsizetype random = -1; // random bytes or characters: compresses hardly or not at all
    qsizetype noise = -1; // two identical incompressible messages, at noise and noise + 1
};

DeflateScript deflateScript(SocketMessageType type, bool upTo16MiB)
{
    DeflateScript script;
    // RFC 6455 §5.2's length encodings (7-bit, 16-bit, 64-bit), of the message as inflated
    QList<qsizetype> sizes = {0, 1, 125, 126, 65535, 65536, 1 * MiB};
    if (upTo16MiB)
        sizes.append(16 * MiB);
    for (const qsizetype size : sizes)
        script.messages.append(QByteArrayList{payloadFor(type, size)});
    // what deflate cannot shrink: stored blocks for random binary, Huffman only for random text
    script.random = script.messages.size();
    script.messages.append(QByteArrayList{type == SocketMessageType::Utf8 ? asciiNoise(1 * MiB, 777) : randomBytes(1 * MiB)});
    script.hello = script.messages.size();
    script.messages.append(QByteArrayList{QByteArray("hello ").repeated(2000)});
    if (type == SocketMessageType::Utf8) {
        // RFC 6455 §5.4: split anywhere, even inside a character; each part is compressed on its own
        script.messages.append(QByteArrayList{"h\xC3"_ba, "\xA9llo w\xC3"_ba, "\xB6rld"_ba});
        script.messages.append(QByteArrayList{"\xF0"_ba, "\x9F\x98"_ba, "\x80 and \xE2\x82"_ba, "\xAC"_ba});
        script.messages.append(QByteArrayList{QByteArray(), "caf\xC3\xA9"_ba, QByteArray()});
        QByteArrayList pieces;
        const QByteArray bigText = utf8Payload(100 * 1000);
        for (qsizetype at = 0; at < bigText.size(); at += 7777)
            pieces.append(bigText.mid(at, 7777)); // 7777 is not a multiple of the 10-byte cycle
        script.messages.append(pieces);
    } else {
        script.messages.append(QByteArrayList{binaryPayload(10), binaryPayload(126), binaryPayload(1)});
        QByteArrayList sixteen;
        for (int i = 0; i < 16; ++i)
            sixteen.append(binaryPayload(64 * KiB).mid(i) + char(i));
        script.messages.append(sixteen);
    }
    script.noise = script.messages.size();
    const QByteArray noise = asciiNoise(200); // within even a 9-bit window's reach (250 bytes)
    script.messages.append(QByteArrayList{noise});
    script.messages.append(QByteArrayList{noise});
    return script;
}

} // namespace

Q_DECLARE_METATYPE(DeflateExpectation)

class tst_Interop final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    // Happy flows
    void echo_data();
    void echo();
    void fragmentedEcho_data();
    void fragmentedEcho();
    void outboundFrameSize_data();
    void outboundFrameSize();
    void ping_data();
    void ping();
    void subprotocol_data();
    void subprotocol();
    void clientInitiatedClose();
    void serverInitiatedClose();
    void maxMessageSizeAtLimit();

    // Rainy day flows
    void unrequestedSubprotocol();
    void serverDropsMidMessage();
    void serverResetBeforeSend();
    void maxMessageSizeExceeded();

    // Compression: permessage-deflate (RFC 7692) with the servers' own implementations
    void deflateEcho_data();
    void deflateEcho();
    void deflateWithSubprotocol();
    void deflateOfferIgnored();
    void deflateDisabled();
    void deflateWithoutClientWindowOffer();
    void deflateMaxMessageSize_data();
    void deflateMaxMessageSize();
    void deflateServerFragments_data();
    void deflateServerFragments();
    void deflateOutboundFrameSize_data();
    void deflateOutboundFrameSize();
    void deflatePartialReceive_data();
    void deflatePartialReceive();
    void deflateReconnect();

private:
    /** How the client reaches the server (WSW_INTEROP_TLS). */
    enum class Tls {
        None,   // ws://
        Server, // wss://, the server's own TLS
        Nginx,  // wss:// to nginx, ws:// from nginx to the server
    };

    /** ws(s)://<host>:<port><route>, to the server or to nginx in front of it. */
    QUrl url(const QString &route) const;
    /** Over wss://, adds the test root to the client's Control; then connectAsync(url(route)). */
    bool startConnecting(Client &client, const QString &route, QString *why);
    bool open(Client &client, const QString &route, QString *why);
    bool closeCleanly(Client &client, QString *why);
    bool qtRefusesSplitText(SocketMessageType type, bool boundaryInsideACharacter) const;
    void checkQtRefusedSplitText(const Client &client);
    void checkAgreement(const CompressionInformation &info, const DeflateExpectation &expected);
    void checkUncompressedEcho(Client &client);

    QString m_serverName;
    Tls m_tls = Tls::None;
    QString m_host = u"127.0.0.1"_s;
    QString m_label; // for the summary: the server, and how it is reached
    Wsw::Test::InteropServer m_server;
    Wsw::Test::NginxServer m_nginx;
    bool m_rowSkipped = false;
    int m_passed = 0;
    int m_skipped = 0;
    QStringList m_failedRows;
};

// QSKIP that the end-of-run summary counts
#define INTEROP_SKIP(message) \
    do { \
        m_rowSkipped = true; \
        QSKIP(message); \
    } while (false)

void tst_Interop::initTestCase()
{
    const QProcessEnvironment ourEnvironment = QProcessEnvironment::systemEnvironment();
    m_serverName = ourEnvironment.value(u"WSW_INTEROP_SERVER"_s);
    const QString serversDir = QStringLiteral(WSW_INTEROP_SERVERS_DIR);

    QString program;
    QStringList arguments;
    QProcessEnvironment environment = ourEnvironment;
    if (m_serverName == u"python") {
        // Debian's interpreter: the python3 first on PATH may lack the websockets module
        program = QStringLiteral(WSW_INTEROP_PYTHON);
        arguments = {serversDir + u"/python_server.py"_s};
        environment.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    } else if (m_serverName == u"node") {
        program = QStringLiteral(WSW_INTEROP_NODE);
        arguments = {serversDir + u"/node_server.js"_s};
        environment.insert(u"NODE_PATH"_s, QStringLiteral(WSW_INTEROP_NODE_MODULES));
    } else if (m_serverName == u"qt") {
        program = QStringLiteral(WSW_INTEROP_QT_SERVER);
    } else {
        QFAIL("set WSW_INTEROP_SERVER to python, node or qt (CTest does: ctest -L interop)");
    }

    const QString tls = ourEnvironment.value(u"WSW_INTEROP_TLS"_s);
    if (tls == u"server") {
        if (m_serverName != u"python")
            QFAIL("WSW_INTEROP_TLS=server: only the Python server serves wss:// itself");
        m_tls = Tls::Server;
        arguments += {u"--tls-cert"_s, TestPki::path(u"server-chain.pem"_s), u"--tls-key"_s,
                      TestPki::path(u"server.key"_s)};
    } else if (tls == u"nginx") {
        m_tls = Tls::Nginx;
    } else if (!tls.isEmpty()) {
        QFAIL("WSW_INTEROP_TLS is server (the server speaks TLS), nginx (nginx in front) or empty (ws://)");
    }
    m_host = ourEnvironment.value(u"WSW_INTEROP_HOST"_s, m_host);
    m_label = m_serverName;
    if (m_tls == Tls::Server)
        m_label += u" over wss://%1"_s.arg(m_host);
    else if (m_tls == Tls::Nginx)
        m_label += u" behind nginx, wss://%1"_s.arg(m_host);
    else if (m_host != u"127.0.0.1")
        m_label += u", ws://%1"_s.arg(m_host);

    QString error;
    QVERIFY2(m_server.start(program, arguments, environment, ServerStartBound, &error), qPrintable(error));
    qInfo().noquote() << u"interop[%1]: server listening on 127.0.0.1:%2"_s.arg(m_label).arg(m_server.port());
    if (m_tls == Tls::Nginx) {
        Wsw::Test::NginxServer::Settings settings;
        settings.program = QStringLiteral(WSW_INTEROP_NGINX);
        settings.backendPort = m_server.port();
        settings.certificateChain = TestPki::path(u"server-chain.pem"_s);
        settings.privateKey = TestPki::path(u"server.key"_s);
        QVERIFY2(m_nginx.start(settings, ServerStartBound, &error), qPrintable(error));
        qInfo().noquote() << u"interop[%1]: nginx (master %2, workers %3) listening on 127.0.0.1:%4, in %5"_s
                                     .arg(m_label)
                                     .arg(m_nginx.masterPid())
                                     .arg(pidList(m_nginx.workerPids()))
                                     .arg(m_nginx.port())
                                     .arg(m_nginx.directory());
    }
}

void tst_Interop::cleanupTestCase()
{
    // nginx first: its connections to the server end before the server does
    const QString nginxLog = m_tls == Tls::Nginx ? m_nginx.errorLogTail() : QString();
    const QList<qint64> nginxProcesses = m_tls == Tls::Nginx
            ? QList<qint64>{m_nginx.masterPid()} + m_nginx.workerPids()
            : QList<qint64>();
    m_nginx.stop();
    m_server.stop();
    const qsizetype failed = m_failedRows.size();
    QString summary = u"interop[%1]: %2 of %3 rows passed, %4 failed, %5 skipped"_s.arg(m_label)
                              .arg(m_passed)
                              .arg(m_passed + failed + m_skipped)
                              .arg(failed)
                              .arg(m_skipped);
    if (failed > 0)
        summary += u" (failed: "_s + m_failedRows.join(u", "_s) + u')';
    qInfo().noquote() << summary;
    if (m_tls == Tls::Nginx) {
        if (failed > 0 && !nginxLog.isEmpty())
            qInfo().noquote() << u"interop[%1]: the end of nginx's error.log:\n%2"_s.arg(m_label, nginxLog);
        // every nginx process of this run has ended (stop() waited for the master, then for its workers)
        QVERIFY2(m_nginx.leftovers().isEmpty(),
                 qPrintable(u"nginx processes still running after stop() (then killed): "_s + pidList(m_nginx.leftovers())));
        for (qint64 pid : nginxProcesses)
            QVERIFY2(!Wsw::Test::NginxServer::isNginxProcess(pid),
                     qPrintable(u"nginx process %1 of this run is still there"_s.arg(pid)));
    }
}

void tst_Interop::init()
{
    m_rowSkipped = false;
}

void tst_Interop::cleanup()
{
    if (QTest::currentTestFailed()) {
        const QString tag = QString::fromUtf8(QTest::currentDataTag());
        m_failedRows.append(QString::fromLatin1(QTest::currentTestFunction())
                            + (tag.isEmpty() ? QString() : u'(' + tag + u')'));
    } else if (m_rowSkipped) {
        ++m_skipped;
    } else {
        ++m_passed;
    }
}

QUrl tst_Interop::url(const QString &route) const
{
    const quint16 port = m_tls == Tls::Nginx ? m_nginx.port() : m_server.port();
    return QUrl(u"%1://%2:%3%4"_s.arg(m_tls == Tls::None ? u"ws"_s : u"wss"_s, m_host).arg(port).arg(route));
}

bool tst_Interop::startConnecting(Client &client, const QString &route, QString *why)
{
    if (m_tls != Tls::None) {
        // the server's chain is issued under the test root, which the system does not trust
        MessageWebSocketControl control = client.socket.control();
        control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
        if (!client.socket.setControl(control)) {
            *why = u"setControl() refused the test root: "_s + client.socket.lastError().toString();
            return false;
        }
    }
    const QUrl target = url(route);
    if (!client.socket.connectAsync(target)) {
        *why = u"connectAsync(%1) refused: %2"_s.arg(target.toString(), client.socket.lastError().toString());
        return false;
    }
    return true;
}

bool tst_Interop::open(Client &client, const QString &route, QString *why)
{
    const QUrl url = this->url(route);
    if (!startConnecting(client, route, why))
        return false;
    if (!QTest::qWaitFor([&] { return !client.connected.isEmpty() || !client.errors.isEmpty(); }, ConnectBoundMs)) {
        *why = u"no connected() within %1 ms for %2"_s.arg(ConnectBoundMs).arg(url.toString());
        return false;
    }
    // frames that came with the 101 are handled at once: an error may follow connected() directly
    if (client.connected.isEmpty()) {
        *why = u"connecting to %1 failed: %2"_s.arg(url.toString(), describeErrors(client));
        return false;
    }
    return true;
}

bool tst_Interop::closeCleanly(Client &client, QString *why)
{
    // close() sends an empty close frame: the servers answer with an empty one (1005) or 1000
    if (!client.socket.close()) {
        *why = u"close() refused: "_s + client.socket.lastError().toString();
        return false;
    }
    if (!QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs)) {
        *why = u"no closed() within %1 ms of close()"_s.arg(CloseBoundMs);
        return false;
    }
    if (!client.closedArgs().wasClean() || !client.errors.isEmpty()) {
        *why = u"close was not clean: code %1, %2"_s.arg(client.closedArgs().code()).arg(describeErrors(client));
        return false;
    }
    return true;
}

bool tst_Interop::qtRefusesSplitText(SocketMessageType type, bool boundaryInsideACharacter) const
{
    return m_serverName == u"qt" && type == SocketMessageType::Utf8 && boundaryInsideACharacter;
}

void tst_Interop::checkQtRefusedSplitText(const Client &client)
{
    // A known fault of the server, not of the client: Qt WebSockets (6.4, and its dev branch when
    // this was written) decodes each text frame with a stateless QStringDecoder
    // (qwebsocketdataprocessor.cpp), so it refuses a frame boundary inside a character with 1007,
    // which RFC 6455 §5.4 and §5.6 allow. Checked, so that a fixed Qt shows up here.
    // The server resets TCP right after its close frame when our frames are still unread; the
    // engine must notice that at once, not when its close timer (10 s) fires: see serverResetBeforeSend.
    QElapsedTimer sinceSent;
    sinceSent.start();
    QVERIFY2(QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs + ConnectBoundMs),
             qPrintable(describeEnd(client)));
    QVERIFY2(sinceSent.elapsed() < CloseBoundMs / 2,
             qPrintable(u"closed() came only after %1 ms"_s.arg(sinceSent.elapsed())));
    QCOMPARE(client.messages.size(), 0);
    // Linux drops unread received data when a reset arrives: under load the server's RST can take
    // its 1007 close frame with it, and the loss of the connection is all the client can know
    if (client.closedArgs().code() == 1006) {
        QVERIFY(!client.closedArgs().wasClean());
        QCOMPARE(client.errors.size(), 1);
        const ErrorDetail detail = client.errors.at(0).at(0).value<WebSocketError>().detail();
        QVERIFY2(detail == ErrorDetail::ConnectionAborted || detail == ErrorDetail::ConnectionReset,
                 qPrintable(describeErrors(client)));
        return;
    }
    QCOMPARE(client.closedArgs().code(), quint16(1007));
    QVERIFY2(client.errors.isEmpty(), qPrintable(describeErrors(client)));
}

// --- happy flows ------------------------------------------------------------------------------

void tst_Interop::echo_data()
{
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<qsizetype>("size");

    // RFC 6455 §5.2: 7-bit lengths up to 125, 16-bit from 126 to 65535, 64-bit from 65536
    const QList<QPair<const char *, qsizetype>> sizes = {
        {"0", 0},         {"1", 1},         {"125", 125},     {"126", 126},     {"127", 127},
        {"65535", 65535}, {"65536", 65536}, {"1 MiB", 1 * MiB}, {"16 MiB", 16 * MiB},
    };
    for (const auto &[name, size] : sizes) {
        QTest::addRow("text %s", name) << SocketMessageType::Utf8 << size;
        QTest::addRow("binary %s", name) << SocketMessageType::Binary << size;
    }
}

void tst_Interop::echo()
{
    QFETCH(SocketMessageType, type);
    QFETCH(qsizetype, size);

    Client client;
    QString why;
    QVERIFY2(open(client, u"/echo"_s, &why), qPrintable(why));

    const QByteArray payload = payloadFor(type, size);
    client.socket.setMessageType(type);
    QVERIFY(client.socket.sendMessage(payload));
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));

    const MessageWebSocketMessageReceivedEventArgs echoed = client.message(0);
    QCOMPARE(echoed.messageType(), type);
    QVERIFY(echoed.isMessageComplete());
    QCOMPARE(echoed.data().size(), payload.size());
    QVERIFY2(echoed.data() == payload, "echoed bytes differ from the bytes sent");

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::fragmentedEcho_data()
{
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<QByteArrayList>("fragments");

    // RFC 6455 §5.4: a text message may be split anywhere, even inside a character
    QTest::newRow("text split inside a 2-byte character")
            << SocketMessageType::Utf8 << QByteArrayList{"h\xC3"_ba, "\xA9llo w\xC3"_ba, "\xB6rld"_ba};
    QTest::newRow("text split inside a 4-byte character")
            << SocketMessageType::Utf8 << QByteArrayList{"\xF0"_ba, "\x9F\x98"_ba, "\x80 and \xE2\x82"_ba, "\xAC"_ba};
    QTest::newRow("text with empty first and last fragments")
            << SocketMessageType::Utf8 << QByteArrayList{QByteArray(), "caf\xC3\xA9"_ba, QByteArray()};
    QTest::newRow("binary in 3 fragments")
            << SocketMessageType::Binary << QByteArrayList{binaryPayload(10), binaryPayload(126), binaryPayload(1)};
    QByteArrayList sixteen;
    for (int i = 0; i < 16; ++i)
        sixteen.append(binaryPayload(64 * KiB).mid(i) + char(i));
    QTest::newRow("binary in 16 fragments of about 64 KiB") << SocketMessageType::Binary << sixteen;
    QByteArrayList textPieces;
    const QByteArray bigText = utf8Payload(100 * 1000);
    for (qsizetype at = 0; at < bigText.size(); at += 7777)
        textPieces.append(bigText.mid(at, 7777)); // 7777 is not a multiple of the 10-byte cycle
    QTest::newRow("100 KB text in 13 fragments split mid-character") << SocketMessageType::Utf8 << textPieces;
}

void tst_Interop::fragmentedEcho()
{
    QFETCH(SocketMessageType, type);
    QFETCH(QByteArrayList, fragments);

    Client client;
    QString why;
    QVERIFY2(open(client, u"/echo"_s, &why), qPrintable(why));

    client.socket.setMessageType(type); // the first frame carries the type
    for (qsizetype i = 0; i + 1 < fragments.size(); ++i)
        QVERIFY2(client.socket.sendNonfinalFrame(fragments.at(i)), qPrintable(client.socket.lastError().toString()));
    QVERIFY2(client.socket.sendFinalFrame(fragments.last()), qPrintable(client.socket.lastError().toString()));

    bool boundaryInsideACharacter = false;
    for (qsizetype i = 0; i + 1 < fragments.size(); ++i) {
        const QByteArray next = fragments.at(i + 1);
        boundaryInsideACharacter |= !next.isEmpty() && (quint8(next.at(0)) & 0xC0) == 0x80;
    }
    if (qtRefusesSplitText(type, boundaryInsideACharacter)) {
        checkQtRefusedSplitText(client);
        return;
    }

    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    const MessageWebSocketMessageReceivedEventArgs echoed = client.message(0);
    QCOMPARE(echoed.messageType(), type);
    QCOMPARE(echoed.data(), fragments.join());

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::outboundFrameSize_data()
{
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("boundaryInsideACharacter");

    // 100 000 bytes in frames of 1000: utf8Payload() repeats a 10-byte cycle, so its 1000-byte
    // cuts fall between characters; one leading ASCII byte would put them inside the 4-byte one,
    // and the engine then ends those text frames a few bytes early, on a character boundary, so
    // that even a peer that decodes each frame on its own (Qt) takes them
    QTest::newRow("text, frame boundaries between characters")
            << SocketMessageType::Utf8 << utf8Payload(100 * 1000) << false;
    QTest::newRow("text, 1000-byte cuts would fall inside characters")
            << SocketMessageType::Utf8 << QByteArray("x" + utf8Payload(100 * 1000 - 1)) << false;
    QTest::newRow("binary") << SocketMessageType::Binary << binaryPayload(100 * 1000) << false;
}

void tst_Interop::outboundFrameSize()
{
    QFETCH(SocketMessageType, type);
    QFETCH(QByteArray, payload);
    QFETCH(bool, boundaryInsideACharacter);
    constexpr quint32 FrameBytes = 1000;

    Client client;
    MessageWebSocketControl control;
    control.outboundFrameSizeInBytes = FrameBytes;
    control.messageType = type;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/echo"_s, &why), qPrintable(why));

    const quint64 framesBefore = client.socket.information().counters.framesSent;
    QVERIFY(client.socket.sendMessage(payload));
    // at most 1000 payload bytes each, so at least 100 frames went out for this one message
    QVERIFY2(client.socket.information().counters.framesSent - framesBefore >= quint64(payload.size()) / FrameBytes,
             qPrintable(u"%1 frames sent"_s.arg(client.socket.information().counters.framesSent - framesBefore)));
    if (qtRefusesSplitText(type, boundaryInsideACharacter)) {
        checkQtRefusedSplitText(client);
        return;
    }

    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    const MessageWebSocketMessageReceivedEventArgs echoed = client.message(0);
    QCOMPARE(echoed.messageType(), type);
    QVERIFY2(echoed.data() == payload, "echoed bytes differ from the bytes sent");

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::ping_data()
{
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("125 bytes (RFC 6455 §5.5 maximum)") << binaryPayload(125);
}

void tst_Interop::ping()
{
    QFETCH(QByteArray, payload);

    Client client;
    QString why;
    QVERIFY2(open(client, u"/echo"_s, &why), qPrintable(why));

    QVERIFY(client.socket.ping(payload));
    QVERIFY2(QTest::qWaitFor([&] { return !client.pongs.isEmpty() || !client.closed.isEmpty() || !client.errors.isEmpty(); },
                              MessageBoundMs),
             "no pong");
    QVERIFY2(client.pongs.size() == 1, qPrintable(describeEnd(client)));
    // RFC 6455 §5.5.3: the pong carries the ping's application data
    QCOMPARE(client.pongs.at(0).at(1).toByteArray(), payload);
    QVERIFY(client.pongs.at(0).at(0).value<std::chrono::milliseconds>() >= 0ms);
    QVERIFY(client.socket.information().lastPingRoundTrip >= 0ms);
    QVERIFY(client.messages.isEmpty());

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::subprotocol_data()
{
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QString>("expected");

    // the servers support "chat" and "superchat" and take the first one the client offers
    QTest::newRow("superchat preferred") << QStringList{u"superchat"_s, u"chat"_s} << u"superchat"_s;
    QTest::newRow("chat preferred") << QStringList{u"chat"_s, u"superchat"_s} << u"chat"_s;
    QTest::newRow("unknown first, then chat") << QStringList{u"v2.unknown"_s, u"chat"_s} << u"chat"_s;
    QTest::newRow("nothing in common") << QStringList{u"v2.unknown"_s} << QString();
}

void tst_Interop::subprotocol()
{
    QFETCH(QStringList, offered);
    QFETCH(QString, expected);

    Client client;
    MessageWebSocketControl control;
    control.supportedProtocols = offered;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/protocol"_s, &why), qPrintable(why));

    // /protocol first tells which subprotocol the server selected
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    const QString serverChose = client.message(0).text();
    const QString negotiated = client.socket.information().protocol;
    QVERIFY(!negotiated.isNull()); // null only before the upgrade
    QCOMPARE(negotiated, serverChose);
    QCOMPARE(negotiated, expected);

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::clientInitiatedClose()
{
    Client client;
    QString why;
    QVERIFY2(open(client, u"/echo"_s, &why), qPrintable(why));

    const QString reason = u"client says bye \u00e9"_s;
    QVERIFY(client.socket.close(4000, reason));
    QCOMPARE(client.socket.state(), ConnectionState::Closing);
    QTRY_COMPARE_WITH_TIMEOUT(client.closed.size(), 1, CloseBoundMs);
    QVERIFY2(client.errors.isEmpty(), qPrintable(describeErrors(client)));
    // RFC 6455 §5.5.1: the server echoes the status code it received
    const WebSocketClosedEventArgs args = client.closedArgs();
    QCOMPARE(args.code(), quint16(4000));
    QCOMPARE(args.reason(), reason);
    QVERIFY(args.wasClean());
    QCOMPARE(client.socket.state(), ConnectionState::Closed);
}

void tst_Interop::serverInitiatedClose()
{
    Client client;
    QUrlQuery query;
    query.addQueryItem(u"code"_s, u"4001"_s);
    query.addQueryItem(u"reason"_s, u"bye"_s);
    QString why;
    QVERIFY2(open(client, u"/close?"_s + query.toString(QUrl::FullyEncoded), &why), qPrintable(why));

    QTRY_COMPARE_WITH_TIMEOUT(client.closed.size(), 1, CloseBoundMs);
    QVERIFY2(client.errors.isEmpty(), qPrintable(describeErrors(client)));
    const WebSocketClosedEventArgs args = client.closedArgs();
    QCOMPARE(args.code(), quint16(4001));
    QCOMPARE(args.reason(), u"bye"_s);
    QVERIFY(args.wasClean());
    QCOMPARE(client.socket.state(), ConnectionState::Closed);
}

void tst_Interop::maxMessageSizeAtLimit()
{
    Client client;
    MessageWebSocketControl control;
    control.maxMessageSize = 1000;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/big?size=1000"_s, &why), qPrintable(why));

    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    QCOMPARE(client.message(0).data().size(), qsizetype(1000));
    QCOMPARE(client.message(0).messageType(), SocketMessageType::Binary);

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

// --- rainy day flows --------------------------------------------------------------------------

void tst_Interop::unrequestedSubprotocol()
{
    if (m_serverName == u"qt")
        INTEROP_SKIP("QWebSocketServer only answers with a subprotocol the client offered; it cannot send a bogus one");

    Client client;
    MessageWebSocketControl control;
    control.supportedProtocols = {u"chat"_s};
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(startConnecting(client, u"/bogus-protocol"_s, &why), qPrintable(why));

    // RFC 6455 §4.1: a subprotocol the client did not offer fails the connection
    QTRY_COMPARE_WITH_TIMEOUT(client.errors.size(), 1, ConnectBoundMs);
    QCOMPARE(client.error().detail(), ErrorDetail::UnrequestedSubprotocol);
    QVERIFY(client.connected.isEmpty());
    QVERIFY(client.closed.isEmpty()); // it never was open
    QCOMPARE(client.socket.state(), ConnectionState::Failed);
    QCOMPARE(client.socket.lastError().detail(), ErrorDetail::UnrequestedSubprotocol);
}

void tst_Interop::serverDropsMidMessage()
{
    Client client;
    QString why;
    QVERIFY2(open(client, u"/drop"_s, &why), qPrintable(why));

    QTRY_COMPARE_WITH_TIMEOUT(client.closed.size(), 1, CloseBoundMs);
    QCOMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().detail(), ErrorDetail::ConnectionAborted);
    QCOMPARE(client.error().status(), Wsw::WebErrorStatus::ConnectionAborted);
    const WebSocketClosedEventArgs args = client.closedArgs();
    QCOMPARE(args.code(), quint16(1006));
    QVERIFY(args.reason().isEmpty());
    QVERIFY(!args.wasClean());
    QVERIFY(client.messages.isEmpty()); // the cut message is never delivered
}

void tst_Interop::serverResetBeforeSend()
{
    if (m_serverName == u"qt")
        INTEROP_SKIP("QWebSocket gives no access to its socket, so the Qt server cannot reset TCP (RST)");

    Client client;
    QString why;
    QVERIFY2(open(client, u"/reset"_s, &why), qPrintable(why));
    // The server resets TCP right after the handshake. Wait for it on the server's stdout only, so
    // that our event loop does not run and the client has not read the reset yet: its next write
    // is the first to meet it (ECONNRESET, then EPIPE).
    QVERIFY2(m_server.waitForLine("reset", std::chrono::milliseconds(ConnectBoundMs), &why), qPrintable(why));
    if (client.socket.state() == ConnectionState::Open) {
        client.socket.setMessageType(SocketMessageType::Binary);
        client.socket.sendMessage(binaryPayload(100)); // may be accepted: the reset is only seen by the write
    } else {
        // nginx turns the backend's reset into an orderly TLS close (close_notify), which the
        // client may already have read while the handshake ended
        QVERIFY2(m_tls == Tls::Nginx, qPrintable(describeEnd(client)));
    }
    // the loss is reported at once, whichever of the write or the read meets it first (qWaitFor,
    // not QTRY: on failure QTRY waits twice as long again only to say how late it came)
    QVERIFY2(QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs),
             qPrintable(u"no closed() within %1 ms: "_s.arg(CloseBoundMs) + describeEnd(client)));
    QCOMPARE(client.errors.size(), 1);
    const ErrorDetail detail = client.error().detail();
    QVERIFY2(detail == ErrorDetail::ConnectionAborted || detail == ErrorDetail::ConnectionReset,
             qPrintable(describeErrors(client)));
    const WebSocketClosedEventArgs args = client.closedArgs();
    QCOMPARE(args.code(), quint16(1006));
    QVERIFY(!args.wasClean());
    QVERIFY(client.socket.state() != ConnectionState::Open);
}

void tst_Interop::maxMessageSizeExceeded()
{
    Client client;
    MessageWebSocketControl control;
    control.maxMessageSize = 1000;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/big?size=2000"_s, &why), qPrintable(why));

    // RFC 6455 §7.4.1: 1009, the message is too big to process
    QTRY_COMPARE_WITH_TIMEOUT(client.closed.size(), 1, CloseBoundMs);
    QCOMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().detail(), ErrorDetail::MessageTooBig);
    const WebSocketClosedEventArgs args = client.closedArgs();
    QCOMPARE(args.code(), quint16(1009));
    QVERIFY(!args.wasClean());
    QVERIFY(client.messages.isEmpty());
}

// --- compression: permessage-deflate (RFC 7692) ---------------------------------------------

void tst_Interop::checkAgreement(const CompressionInformation &info, const DeflateExpectation &expected)
{
    QVERIFY2(info.negotiated, "permessage-deflate was not negotiated");
    QVERIFY2(info.extension.startsWith(u"permessage-deflate"_s), qPrintable(info.extension));
    QCOMPARE(info.clientMaxWindowBits, expected.clientMaxWindowBits);
    QCOMPARE(info.serverMaxWindowBits, expected.serverMaxWindowBits);
    QCOMPARE(info.clientNoContextTakeover, expected.clientNoContextTakeover);
    QCOMPARE(info.serverNoContextTakeover, expected.serverNoContextTakeover);
    QCOMPARE(info.outgoingCompressed, expected.outgoingCompressed);
    // the answer as the server wrote it says the same
    QCOMPARE(info.extension.contains(u"server_no_context_takeover"_s), expected.serverNoContextTakeover);
    QCOMPARE(info.extension.contains(u"client_no_context_takeover"_s), expected.clientNoContextTakeover);
    if (expected.serverMaxWindowBits != 15)
        QVERIFY2(info.extension.contains(u"server_max_window_bits=%1"_s.arg(expected.serverMaxWindowBits)),
                 qPrintable(info.extension));
    if (expected.clientMaxWindowBits != 15)
        QVERIFY2(info.extension.contains(u"client_max_window_bits=%1"_s.arg(expected.clientMaxWindowBits)),
                 qPrintable(info.extension));
    if (!expected.outgoingCompressed)
        QVERIFY2(!info.note.isEmpty(), "no note says why our messages go uncompressed");
}

void tst_Interop::deflateEcho_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<DeflateOptions>("offer");
    QTest::addColumn<DeflateExpectation>("expected");
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<bool>("upTo16MiB");

    if (m_serverName == u"qt") {
        QTest::newRow("no compression in QWebSocketServer")
                << QString() << DeflateOptions() << DeflateExpectation() << SocketMessageType::Binary << false;
        return;
    }

    struct Case {
        const char *name;
        const char *query;         // the server's configuration (see the servers' /deflate routes)
        DeflateOptions offer;      // ours
        DeflateExpectation expect; // the agreement
        bool upTo16MiB = false;    // the 16 MiB messages on a few rows only: they take seconds
    };
    const auto offer = [](auto change) {
        DeflateOptions options;
        change(options);
        return options;
    };
    const DeflateOptions byDefault;
    QList<Case> cases;
    if (m_serverName == u"node") {
        // ws's perMessageDeflate options (threshold 0 unless given: every message compressed);
        // ws answers our default offer ("client_max_window_bits" without a value) without any
        // window unless configured with one
        cases = {
            {"ws defaults", "", byDefault, {15, 15, false, false}, true},
            {"serverNoContextTakeover", "serverNoContextTakeover=1", byDefault, {15, 15, false, true}},
            {"clientNoContextTakeover", "clientNoContextTakeover=1", byDefault, {15, 15, true, false}},
            {"both no_context_takeover", "serverNoContextTakeover=1&clientNoContextTakeover=1", byDefault,
             {15, 15, true, true}},
            {"serverMaxWindowBits=8", "serverMaxWindowBits=8", byDefault, {15, 8, false, false}},
            {"serverMaxWindowBits=9", "serverMaxWindowBits=9", byDefault, {15, 9, false, false}},
            {"serverMaxWindowBits=10", "serverMaxWindowBits=10", byDefault, {15, 10, false, false}},
            {"serverMaxWindowBits=15", "serverMaxWindowBits=15", byDefault, {15, 15, false, false}},
            // an 8-bit window for our messages: zlib cannot compress with it, so we send uncompressed
            {"clientMaxWindowBits=8", "clientMaxWindowBits=8", byDefault, {8, 15, false, false, false}},
            {"clientMaxWindowBits=9", "clientMaxWindowBits=9", byDefault, {9, 15, false, false}},
            {"clientMaxWindowBits=10", "clientMaxWindowBits=10", byDefault, {10, 15, false, false}},
            {"clientMaxWindowBits=15", "clientMaxWindowBits=15", byDefault, {15, 15, false, false}},
            {"windows 9 and 9", "serverMaxWindowBits=9&clientMaxWindowBits=9", byDefault, {9, 9, false, false}, true},
            {"all four: no_context_takeover both ways, windows 10 and 9",
             "serverNoContextTakeover=1&clientNoContextTakeover=1&serverMaxWindowBits=10&clientMaxWindowBits=9",
             byDefault, {9, 10, true, true}, true},
            // ws's threshold applies only without context takeover: small messages then come uncompressed
            {"serverNoContextTakeover, threshold=1024", "serverNoContextTakeover=1&threshold=1024", byDefault,
             {15, 15, false, true, true, 1024}},
            {"serverNoContextTakeover, serverMaxWindowBits=9, clientMaxWindowBits=10",
             "serverNoContextTakeover=1&serverMaxWindowBits=9&clientMaxWindowBits=10", byDefault,
             {10, 9, false, true}},
            // what we request, and ws grants
            {"we request server_no_context_takeover", "", offer([](DeflateOptions &o) { o.serverNoContextTakeover = true; }),
             {15, 15, false, true}},
            {"we request server_max_window_bits=8", "", offer([](DeflateOptions &o) { o.serverMaxWindowBits = 8; }),
             {15, 8, false, false}},
            {"we request server_max_window_bits=10", "", offer([](DeflateOptions &o) { o.serverMaxWindowBits = 10; }),
             {15, 10, false, false}},
            {"we offer client_max_window_bits=10", "", offer([](DeflateOptions &o) { o.clientMaxWindowBits = 10; }),
             {10, 15, false, false}},
            {"we offer client_no_context_takeover", "", offer([](DeflateOptions &o) { o.clientNoContextTakeover = true; }),
             {15, 15, true, false}},
            {"we request everything, windows 9", "", offer([](DeflateOptions &o) {
                 o.serverNoContextTakeover = o.clientNoContextTakeover = true;
                 o.serverMaxWindowBits = o.clientMaxWindowBits = 9;
             }), {9, 9, true, true}},
            {"we request server_max_window_bits=12, ws configured 10", "serverMaxWindowBits=10",
             offer([](DeflateOptions &o) { o.serverMaxWindowBits = 12; }), {15, 10, false, false}},
            {"we offer client_max_window_bits=12, ws configured 9", "clientMaxWindowBits=9",
             offer([](DeflateOptions &o) { o.clientMaxWindowBits = 12; }), {9, 15, false, false}},
            // our compressor's own settings
            {"our compressionLevel 0 (stored blocks)", "", offer([](DeflateOptions &o) { o.compressionLevel = 0; }),
             {15, 15, false, false}},
            {"our compressionLevel 9", "", offer([](DeflateOptions &o) { o.compressionLevel = 9; }),
             {15, 15, false, false}},
            {"our thresholdBytes 126", "", offer([](DeflateOptions &o) { o.thresholdBytes = 126; }),
             {15, 15, false, false}},
        };
    } else {
        // websockets' ServerPerMessageDeflateFactory; without options the library's defaults
        // (compression="deflate": both windows 12, which it also asks for our messages)
        cases = {
            {"library defaults", "", byDefault, {12, 12, false, false}, true},
            {"server_no_context_takeover", "serverNoContextTakeover=1", byDefault, {12, 12, false, true}},
            {"client_no_context_takeover", "clientNoContextTakeover=1", byDefault, {12, 12, true, false}},
            {"all four: no_context_takeover both ways, windows 10 and 9",
             "serverNoContextTakeover=1&clientNoContextTakeover=1&serverMaxWindowBits=10&clientMaxWindowBits=9",
             byDefault, {9, 10, true, true}, true},
            {"no window limits", "serverMaxWindowBits=0&clientMaxWindowBits=0", byDefault, {15, 15, false, false}},
            {"windows 15 and 15", "serverMaxWindowBits=15&clientMaxWindowBits=15", byDefault, {15, 15, false, false}},
            {"server_max_window_bits=9", "serverMaxWindowBits=9", byDefault, {12, 9, false, false}},
            // an 8-bit window for our messages: zlib cannot compress with it, so we send uncompressed
            {"client_max_window_bits=8", "clientMaxWindowBits=8", byDefault, {8, 12, false, false, false}},
            // what we request, and websockets grants
            {"we request server_no_context_takeover", "", offer([](DeflateOptions &o) { o.serverNoContextTakeover = true; }),
             {12, 12, false, true}},
            {"we request server_max_window_bits=10", "", offer([](DeflateOptions &o) { o.serverMaxWindowBits = 10; }),
             {12, 10, false, false}},
            {"we offer client_max_window_bits=9", "", offer([](DeflateOptions &o) { o.clientMaxWindowBits = 9; }),
             {9, 12, false, false}},
            {"we offer client_no_context_takeover", "", offer([](DeflateOptions &o) { o.clientNoContextTakeover = true; }),
             {12, 12, true, false}},
            {"we request everything, windows 9", "", offer([](DeflateOptions &o) {
                 o.serverNoContextTakeover = o.clientNoContextTakeover = true;
                 o.serverMaxWindowBits = o.clientMaxWindowBits = 9;
             }), {9, 9, true, true}, true},
            // our compressor's own settings
            {"our compressionLevel 0 (stored blocks)", "", offer([](DeflateOptions &o) { o.compressionLevel = 0; }),
             {12, 12, false, false}},
            {"our compressionLevel 9", "", offer([](DeflateOptions &o) { o.compressionLevel = 9; }),
             {12, 12, false, false}},
            {"our thresholdBytes 126", "", offer([](DeflateOptions &o) { o.thresholdBytes = 126; }),
             {12, 12, false, false}},
        };
    }
    for (const Case &c : cases) {
        for (const SocketMessageType type : {SocketMessageType::Utf8, SocketMessageType::Binary}) {
            QTest::addRow("%s, %s", c.name, type == SocketMessageType::Utf8 ? "text" : "binary")
                    << QString::fromLatin1(c.query) << c.offer << c.expect << type << c.upTo16MiB;
        }
    }
}

void tst_Interop::deflateEcho()
{
    QFETCH(QString, query);
    QFETCH(DeflateOptions, offer);
    QFETCH(DeflateExpectation, expected);
    QFETCH(SocketMessageType, type);
    QFETCH(bool, upTo16MiB);
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    Client client;
    client.observeFrames();
    MessageWebSocketControl control;
    control.compression = offer;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/deflate"_s + (query.isEmpty() ? QString() : u'?' + query), &why), qPrintable(why));
    checkAgreement(client.socket.information().compression, expected);
    if (QTest::currentTestFailed())
        return;

    const DeflateScript script = deflateScript(type, upTo16MiB);
    const qsizetype count = script.messages.size();
    const TrafficCounters before = client.socket.information().counters;
    client.frames.clear();
    client.socket.setMessageType(type);
    // control frames are never compressed, between messages or inside a fragmented one
    QByteArrayList pings;
    for (const QByteArrayList &fragments : script.messages) {
        if (fragments.size() == 1) {
            QVERIFY2(client.socket.sendMessage(fragments.first()), qPrintable(client.socket.lastError().toString()));
            continue;
        }
        for (qsizetype i = 0; i + 1 < fragments.size(); ++i) {
            QVERIFY2(client.socket.sendNonfinalFrame(fragments.at(i)), qPrintable(client.socket.lastError().toString()));
            if (i == 0) {
                pings.append("inside compressed message " + QByteArray::number(pings.size()));
                QVERIFY(client.socket.ping(pings.last()));
            }
        }
        QVERIFY2(client.socket.sendFinalFrame(fragments.last()), qPrintable(client.socket.lastError().toString()));
    }
    pings.append("between compressed messages"_ba);
    QVERIFY(client.socket.ping(pings.last()));

    QVERIFY2(waitForMessages(client, count), qPrintable(describeEnd(client)));
    QVERIFY2(QTest::qWaitFor([&] { return client.pongs.size() >= pings.size() || !client.closed.isEmpty(); },
                             MessageBoundMs),
             qPrintable(describeEnd(client)));
    QCOMPARE(client.pongs.size(), pings.size());
    for (qsizetype i = 0; i < pings.size(); ++i)
        QCOMPARE(client.pongs.at(i).at(1).toByteArray(), pings.at(i));
    const TrafficCounters after = client.socket.information().counters;

    // the echoes: byte-identical and of the type sent
    quint64 totalBytes = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArray sent = script.messages.at(i).join();
        const MessageWebSocketMessageReceivedEventArgs echoed = client.message(i);
        QCOMPARE(echoed.messageType(), type);
        QVERIFY(echoed.isMessageComplete());
        QVERIFY2(echoed.data() == sent, qPrintable(u"echo %1 (%2 bytes sent, %3 received) differs"_s.arg(i)
                                                           .arg(sent.size())
                                                           .arg(echoed.data().size())));
        totalBytes += quint64(sent.size());
    }

    // the frames: the server compressed every message (RSV1 on its first frame only), and the
    // inflated sizes the engine reports add up to the message; ours as agreed
    const QList<WireMessage> in = wireMessages(client.frames, FrameDirection::Incoming);
    const QList<WireMessage> out = wireMessages(client.frames, FrameDirection::Outgoing);
    QCOMPARE(in.size(), count);
    QCOMPARE(out.size(), count);
    QCOMPARE(controlFramesWithRsv1(client.frames, FrameDirection::Incoming), 0);
    QCOMPARE(controlFramesWithRsv1(client.frames, FrameDirection::Outgoing), 0);
    quint64 weCompressed = 0;
    quint64 serverCompressed = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArrayList &fragments = script.messages.at(i);
        const qint64 size = fragments.join().size();
        const QString which = u"message %1 (%2 bytes in %3 fragment(s))"_s.arg(i).arg(size).arg(fragments.size());
        const bool compressedEcho = quint64(size) >= expected.serverThreshold;
        serverCompressed += compressedEcho;
        QVERIFY2(in.at(i).rsv1 == compressedEcho,
                 qPrintable(which + u": incoming RSV1 %1, expected %2"_s.arg(in.at(i).rsv1).arg(compressedEcho)));
        QVERIFY2(!in.at(i).rsv1Later, qPrintable(which + u": RSV1 on an incoming continuation frame"_s));
        QCOMPARE(in.at(i).opcode, opcodeOf(type));
        QVERIFY2(in.at(i).uncompressed == (compressedEcho ? size : -1),
                 qPrintable(which + u": incoming frames say %1 bytes inflated"_s.arg(in.at(i).uncompressed)));
        if (!compressedEcho)
            QCOMPARE(in.at(i).payload, quint64(size));

        // a message sent in parts is compressed whatever its size; a whole one from the threshold on
        const bool compressed = expected.outgoingCompressed
                && (fragments.size() > 1 || quint64(size) >= offer.thresholdBytes);
        weCompressed += compressed;
        QVERIFY2(out.at(i).rsv1 == compressed,
                 qPrintable(which + u": outgoing RSV1 %1, expected %2"_s.arg(out.at(i).rsv1).arg(compressed)));
        QVERIFY2(!out.at(i).rsv1Later, qPrintable(which + u": RSV1 on an outgoing continuation frame"_s));
        QCOMPARE(out.at(i).opcode, opcodeOf(type));
        QCOMPARE(out.at(i).frames, int(fragments.size()));
        QVERIFY2(out.at(i).uncompressed == (compressed ? size : -1),
                 qPrintable(which + u": outgoing frames say %1 bytes uncompressed"_s.arg(out.at(i).uncompressed)));
        if (!compressed)
            QCOMPARE(out.at(i).payload, quint64(size));
    }

    // compression really happened: "hello " repeated shrinks to a fraction both ways
    const bool weShrink = expected.outgoingCompressed && offer.compressionLevel != 0;
    const quint64 helloBytes = quint64(script.messages.at(script.hello).join().size());
    QVERIFY2(in.at(script.hello).payload * 10 < helloBytes,
             qPrintable(u"the server's %1-byte hello message took %2 bytes"_s.arg(helloBytes).arg(in.at(script.hello).payload)));
    if (weShrink)
        QVERIFY2(out.at(script.hello).payload * 10 < helloBytes,
                 qPrintable(u"our %1-byte hello message took %2 bytes"_s.arg(helloBytes).arg(out.at(script.hello).payload)));

    // context takeover: the second of two identical messages is one back-reference into the first,
    // unless the compressor was reset in between (no_context_takeover); then both are the same size
    const auto checkTakeover = [&](const QList<WireMessage> &messages, bool contextKept, const char *whose) {
        const quint64 first = messages.at(script.noise).payload;
        const quint64 second = messages.at(script.noise + 1).payload;
        const QString sizes = u"%1's identical messages took %2 then %3 bytes"_s.arg(QLatin1StringView(whose))
                                      .arg(first)
                                      .arg(second);
        if (contextKept)
            QVERIFY2(second * 2 < first, qPrintable(sizes + u", but the context was kept"_s));
        else
            QVERIFY2(second == first, qPrintable(sizes + u", but the context was reset"_s));
    };
    checkTakeover(in, !expected.serverNoContextTakeover, "the server");
    if (QTest::currentTestFailed())
        return;
    checkTakeover(out, weShrink && !expected.clientNoContextTakeover, "our");
    if (QTest::currentTestFailed())
        return;

    // the counters agree with the frames: payload as on the wire, message bytes as the application's
    QCOMPARE(after.messagesSent - before.messagesSent, quint64(count));
    QCOMPARE(after.messagesReceived - before.messagesReceived, quint64(count));
    QCOMPARE(after.messageBytesSent - before.messageBytesSent, totalBytes);
    QCOMPARE(after.messageBytesReceived - before.messageBytesReceived, totalBytes);
    QCOMPARE(after.compressedMessagesReceived - before.compressedMessagesReceived, serverCompressed);
    QCOMPARE(after.compressedMessagesSent - before.compressedMessagesSent, weCompressed);
    QCOMPARE(after.payloadBytesReceived - before.payloadBytesReceived, wirePayload(client.frames, FrameDirection::Incoming));
    QCOMPARE(after.payloadBytesSent - before.payloadBytesSent, wirePayload(client.frames, FrameDirection::Outgoing));
    if (type == SocketMessageType::Utf8) {
        // the text payloads but the random one repeat a 10-byte cycle: far less on the wire than
        // in the messages
        const quint64 randomBytes = quint64(script.messages.at(script.random).join().size());
        const quint64 received = after.payloadBytesReceived - before.payloadBytesReceived - in.at(script.random).payload;
        QVERIFY2(received < (totalBytes - randomBytes) / 4,
                 qPrintable(u"%1 bytes received for %2"_s.arg(received).arg(totalBytes - randomBytes)));
        if (weShrink) {
            const quint64 sent = after.payloadBytesSent - before.payloadBytesSent - out.at(script.random).payload;
            QVERIFY2(sent < (totalBytes - randomBytes) / 4,
                     qPrintable(u"%1 bytes sent for %2"_s.arg(sent).arg(totalBytes - randomBytes)));
        }
    }

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflateWithSubprotocol()
{
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    Client client;
    client.observeFrames();
    MessageWebSocketControl control;
    control.supportedProtocols = {u"superchat"_s};
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/deflate/protocol"_s, &why), qPrintable(why));

    // both headers in one answer; the first message (the subprotocol's name) already compressed
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    QCOMPARE(client.message(0).text(), u"superchat"_s);
    QCOMPARE(client.socket.information().protocol, u"superchat"_s);
    QVERIFY(client.socket.information().compression.negotiated);
    const QList<WireMessage> in = wireMessages(client.frames, FrameDirection::Incoming);
    QCOMPARE(in.size(), 1);
    QVERIFY(in.at(0).rsv1);
    QCOMPARE(in.at(0).uncompressed, qint64(9));

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

/** Echoes a compressible text and binary message and checks that nothing was compressed either way. */
void tst_Interop::checkUncompressedEcho(Client &client)
{
    const QByteArray text = QByteArray("hello ").repeated(1000);
    const QByteArray binary = QByteArray(1000, '\0');
    const TrafficCounters before = client.socket.information().counters;
    client.frames.clear();
    client.socket.setMessageType(SocketMessageType::Utf8);
    QVERIFY(client.socket.sendMessage(text));
    client.socket.setMessageType(SocketMessageType::Binary);
    QVERIFY(client.socket.sendMessage(binary));
    QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
    QCOMPARE(client.message(0).messageType(), SocketMessageType::Utf8);
    QCOMPARE(client.message(0).data(), text);
    QCOMPARE(client.message(1).messageType(), SocketMessageType::Binary);
    QCOMPARE(client.message(1).data(), binary);

    for (const FrameInfo &frame : std::as_const(client.frames)) {
        QVERIFY2(!frame.rsv1, qPrintable(u"RSV1 on a frame with opcode %1"_s.arg(frame.opcode)));
        QCOMPARE(frame.uncompressedLength, qint64(-1));
    }
    const TrafficCounters after = client.socket.information().counters;
    QCOMPARE(after.compressedMessagesSent, quint64(0));
    QCOMPARE(after.compressedMessagesReceived, quint64(0));
    const quint64 bytes = quint64(text.size() + binary.size());
    QCOMPARE(after.messageBytesSent - before.messageBytesSent, bytes);
    QCOMPARE(after.payloadBytesSent - before.payloadBytesSent, bytes);
    QCOMPARE(after.messageBytesReceived - before.messageBytesReceived, bytes);
    QCOMPARE(after.payloadBytesReceived - before.payloadBytesReceived, bytes);
}

void tst_Interop::deflateOfferIgnored()
{
    // our default offer to a server (route) that does not compress: declined, plain RFC 6455
    Client client;
    client.observeFrames();
    QString why;
    QVERIFY2(open(client, u"/echo"_s, &why), qPrintable(why));

    const Wsw::MessageWebSocketInformation info = client.socket.information();
    QVERIFY2(info.handshake.request.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"),
             info.handshake.request.constData());
    QVERIFY2(!info.handshake.responseHeaders.toLower().contains("sec-websocket-extensions"),
             info.handshake.responseHeaders.constData());
    QVERIFY(!info.compression.negotiated);
    QVERIFY(!info.compression.outgoingCompressed);
    QVERIFY(info.compression.extension.isEmpty());
    checkUncompressedEcho(client);
    if (QTest::currentTestFailed())
        return;

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflateDisabled()
{
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    // compression off on our side, against a route that would compress
    Client client;
    client.observeFrames();
    MessageWebSocketControl control;
    control.compression.enabled = false;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/deflate"_s, &why), qPrintable(why));

    const Wsw::MessageWebSocketInformation info = client.socket.information();
    QVERIFY2(!info.handshake.request.toLower().contains("sec-websocket-extensions"), info.handshake.request.constData());
    QVERIFY2(!info.handshake.responseHeaders.toLower().contains("sec-websocket-extensions"),
             info.handshake.responseHeaders.constData());
    QVERIFY(!info.compression.negotiated);
    checkUncompressedEcho(client);
    if (QTest::currentTestFailed())
        return;

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflateWithoutClientWindowOffer()
{
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    // a server that wants a smaller window for our messages, and an offer without
    // client_max_window_bits (RFC 7692 §7.1.2.2: then the server may not ask for one)
    Client client;
    client.observeFrames();
    MessageWebSocketControl control;
    control.compression.offerClientMaxWindowBits = false;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(startConnecting(client, u"/deflate?clientMaxWindowBits=9"_s, &why), qPrintable(why));
    QVERIFY2(QTest::qWaitFor([&] { return !client.connected.isEmpty() || !client.errors.isEmpty(); }, ConnectBoundMs),
             "neither connected() nor errorOccurred()");
    QVERIFY2(!client.socket.information().handshake.request.contains("client_max_window_bits"),
             client.socket.information().handshake.request.constData());

    if (m_serverName == u"node") {
        // ws refuses every offer it cannot accept with 400 (PerMessageDeflate.acceptAsServer)
        QVERIFY2(client.connected.isEmpty(), "ws accepted an offer without client_max_window_bits");
        QCOMPARE(client.errors.size(), 1);
        QCOMPARE(client.error().detail(), ErrorDetail::NotSwitchingProtocols);
        QCOMPARE(client.socket.information().handshake.httpStatus, 400);
        QCOMPARE(client.socket.state(), ConnectionState::Failed);
        return;
    }

    // websockets accepts without the parameter: our messages with the full window
    QVERIFY2(!client.connected.isEmpty(), qPrintable(describeErrors(client)));
    DeflateExpectation expected;
    expected.clientMaxWindowBits = 15;
    expected.serverMaxWindowBits = 12;
    checkAgreement(client.socket.information().compression, expected);
    if (QTest::currentTestFailed())
        return;
    const QByteArray payload = utf8Payload(100 * 1000);
    client.socket.setMessageType(SocketMessageType::Utf8);
    QVERIFY(client.socket.sendMessage(payload));
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    QVERIFY(client.message(0).data() == payload);
    const QList<WireMessage> out = wireMessages(client.frames, FrameDirection::Outgoing);
    QCOMPARE(out.size(), 1);
    QVERIFY(out.at(0).rsv1);
    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflateMaxMessageSize_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<bool>("sendZeros"); // to an echo route; otherwise the route sends by itself
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<quint32>("limit");
    QTest::addColumn<bool>("delivered");

    // zeros: a few hundred bytes on the wire per MiB once compressed, so only the inflated size
    // can be over the limit
    const auto big = [](qsizetype size) { return u"/deflate/big?size=%1"_s.arg(size); };
    QTest::newRow("64 KiB at a 64 KiB limit") << big(64 * KiB) << false << qsizetype(64 * KiB) << quint32(64 * KiB) << true;
    QTest::newRow("64 KiB + 1 over a 64 KiB limit")
            << big(64 * KiB + 1) << false << qsizetype(64 * KiB + 1) << quint32(64 * KiB) << false;
    QTest::newRow("16 MiB over a 1 MiB limit") << big(16 * MiB) << false << qsizetype(16 * MiB) << quint32(1 * MiB) << false;
    // the limit counts the message inflated over all its frames, not frame by frame
    const QString fragmented = u"/deflate/echo-fragmented?fragmentSize=%1"_s.arg(64 * KiB);
    QTest::newRow("1 MiB in 64 KiB frames at a 1 MiB limit")
            << fragmented << true << qsizetype(1 * MiB) << quint32(1 * MiB) << true;
    QTest::newRow("2 MiB in 64 KiB frames over a 1 MiB limit")
            << fragmented << true << qsizetype(2 * MiB) << quint32(1 * MiB) << false;
}

void tst_Interop::deflateMaxMessageSize()
{
    QFETCH(QString, route);
    QFETCH(bool, sendZeros);
    QFETCH(qsizetype, size);
    QFETCH(quint32, limit);
    QFETCH(bool, delivered);
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    Client client;
    client.observeFrames();
    MessageWebSocketControl control;
    control.maxMessageSize = limit;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, route, &why), qPrintable(why));
    QVERIFY(client.socket.information().compression.negotiated);
    if (sendZeros) {
        client.socket.setMessageType(SocketMessageType::Binary);
        QVERIFY(client.socket.sendMessage(QByteArray(size, '\0')));
    }

    if (delivered) {
        QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
        QCOMPARE(client.message(0).messageType(), SocketMessageType::Binary);
        QVERIFY(client.message(0).data() == QByteArray(size, '\0'));
    } else {
        // RFC 6455 §7.4.1: 1009, the message is too big to process
        QVERIFY2(QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs), qPrintable(describeEnd(client)));
        QCOMPARE(client.errors.size(), 1);
        QCOMPARE(client.error().detail(), ErrorDetail::MessageTooBig);
        const WebSocketClosedEventArgs args = client.closedArgs();
        QCOMPARE(args.code(), quint16(1009));
        QVERIFY(!args.wasClean());
        QVERIFY(client.messages.isEmpty());
    }
    // small on the wire either way: the limit applies to the message as inflated (the frame
    // inspector sees no frame that failed, so the counters tell: every frame's payload, the
    // message's and the server's close frame's)
    const quint64 wire = client.socket.information().counters.payloadBytesReceived;
    QVERIFY2(wire < limit / 8, qPrintable(u"%1 bytes on the wire for %2 zeros"_s.arg(wire).arg(size)));
    if (delivered) {
        const QList<WireMessage> in = wireMessages(client.frames, FrameDirection::Incoming);
        QCOMPARE(in.size(), 1);
        QVERIFY(in.at(0).rsv1);
        QCOMPARE(in.at(0).uncompressed, qint64(size));
        QVERIFY2(closeCleanly(client, &why), qPrintable(why));
    }
}

void tst_Interop::deflateServerFragments_data()
{
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("fragmentSize");
    QTest::addColumn<QString>("options");

    // the server sends each echo in several frames, each a part compressed on its own: RSV1 on
    // the first only, the deflate stream running on across frames (and, with context takeover,
    // across messages)
    const QByteArray text = utf8Payload(100 * 1000);
    for (const char *options : {"", "serverNoContextTakeover=1"}) {
        const QString name = *options ? u", server_no_context_takeover"_s : QString();
        // 999: ws's byte cuts fall inside characters (websockets cuts text between characters)
        QTest::addRow("text 100 KB in parts of 999%s", qPrintable(name))
                << SocketMessageType::Utf8 << text << 999 << QString::fromLatin1(options);
        QTest::addRow("binary 100 KB in parts of 1000%s", qPrintable(name))
                << SocketMessageType::Binary << binaryPayload(100 * 1000) << 1000 << QString::fromLatin1(options);
        QTest::addRow("random binary 1 MiB in parts of 64 KiB%s", qPrintable(name))
                << SocketMessageType::Binary << randomBytes(1 * MiB) << int(64 * KiB) << QString::fromLatin1(options);
        QTest::addRow("text 1 MiB in parts of 100000%s", qPrintable(name))
                << SocketMessageType::Utf8 << utf8Payload(1 * MiB) << 100000 << QString::fromLatin1(options);
    }
    QTest::newRow("empty text: one frame") << SocketMessageType::Utf8 << QByteArray() << 1000 << QString();
}

void tst_Interop::deflateServerFragments()
{
    QFETCH(SocketMessageType, type);
    QFETCH(QByteArray, payload);
    QFETCH(int, fragmentSize);
    QFETCH(QString, options);
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    Client client;
    client.observeFrames();
    QString why;
    QString route = u"/deflate/echo-fragmented?fragmentSize=%1"_s.arg(fragmentSize);
    if (!options.isEmpty())
        route += u'&' + options;
    QVERIFY2(open(client, route, &why), qPrintable(why));
    QVERIFY(client.socket.information().compression.negotiated);

    // twice: the second message's first part refers back into the first message's last
    client.socket.setMessageType(type);
    QVERIFY(client.socket.sendMessage(payload));
    QVERIFY(client.socket.sendMessage(payload));
    QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
    for (qsizetype i = 0; i < 2; ++i) {
        QCOMPARE(client.message(i).messageType(), type);
        QVERIFY2(client.message(i).data() == payload, qPrintable(u"echo %1 differs"_s.arg(i)));
    }

    const qsizetype expectedFrames = payload.isEmpty() ? 1 : (payload.size() + fragmentSize - 1) / fragmentSize;
    const QList<WireMessage> in = wireMessages(client.frames, FrameDirection::Incoming);
    QCOMPARE(in.size(), 2);
    for (const WireMessage &message : in) {
        QVERIFY(message.rsv1);
        QVERIFY(!message.rsv1Later);
        QCOMPARE(message.uncompressed, qint64(payload.size()));
        // websockets (legacy send of an iterable) ends the message with an empty final frame
        const int extraFrames = m_serverName == u"python" && !payload.isEmpty() ? 1 : 0;
        if (m_serverName == u"node" || type == SocketMessageType::Binary)
            QCOMPARE(message.frames, int(expectedFrames) + extraFrames);
        else
            QVERIFY2(message.frames >= int(expectedFrames) / 4, qPrintable(QString::number(message.frames)));
    }
    qint64 largestPart = 0;
    for (const FrameInfo &frame : std::as_const(client.frames)) {
        if (frame.direction == FrameDirection::Incoming && frame.opcode < 0x8)
            largestPart = qMax(largestPart, frame.uncompressedLength);
    }
    // websockets cuts text into characters (up to 4 bytes each)
    const qint64 bound = type == SocketMessageType::Utf8 && m_serverName == u"python" ? 4 * fragmentSize : fragmentSize;
    QVERIFY2(largestPart <= bound, qPrintable(u"a frame carried %1 bytes of the message"_s.arg(largestPart)));

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflateOutboundFrameSize_data()
{
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<quint32>("frameSize");
    QTest::addColumn<bool>("clientNoContextTakeover");

    QTest::newRow("text, cuts between characters")
            << SocketMessageType::Utf8 << utf8Payload(100 * 1000) << quint32(1000) << false;
    QTest::newRow("text, cuts inside characters")
            << SocketMessageType::Utf8 << QByteArray("x" + utf8Payload(100 * 1000 - 1)) << quint32(1000) << false;
    QTest::newRow("random binary")
            << SocketMessageType::Binary << randomBytes(100 * 1000) << quint32(1000) << false;
    QTest::newRow("binary 1 MiB in 64 KiB frames")
            << SocketMessageType::Binary << binaryPayload(1 * MiB) << quint32(64 * KiB) << false;
    QTest::newRow("text, client_no_context_takeover")
            << SocketMessageType::Utf8 << utf8Payload(100 * 1000) << quint32(1000) << true;
}

void tst_Interop::deflateOutboundFrameSize()
{
    QFETCH(SocketMessageType, type);
    QFETCH(QByteArray, payload);
    QFETCH(quint32, frameSize);
    QFETCH(bool, clientNoContextTakeover);
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    Client client;
    client.observeFrames();
    MessageWebSocketControl control;
    control.outboundFrameSizeInBytes = frameSize;
    control.compression.clientNoContextTakeover = clientNoContextTakeover;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, u"/deflate"_s, &why), qPrintable(why));
    QVERIFY(client.socket.information().compression.outgoingCompressed);

    // twice, so that the second message's compression refers back into the first
    client.socket.setMessageType(type);
    QVERIFY(client.socket.sendMessage(payload));
    QVERIFY(client.socket.sendMessage(payload));
    QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
    for (qsizetype i = 0; i < 2; ++i) {
        QCOMPARE(client.message(i).messageType(), type);
        QVERIFY2(client.message(i).data() == payload, qPrintable(u"echo %1 differs"_s.arg(i)));
    }

    // each frame carries at most frameSize bytes of the message, compressed on its own
    const QList<WireMessage> out = wireMessages(client.frames, FrameDirection::Outgoing);
    QCOMPARE(out.size(), 2);
    for (const WireMessage &message : out) {
        QVERIFY(message.rsv1);
        QVERIFY(!message.rsv1Later);
        QCOMPARE(message.uncompressed, qint64(payload.size()));
        QCOMPARE(message.frames, int((quint64(payload.size()) + frameSize - 1) / frameSize));
    }
    for (const FrameInfo &frame : std::as_const(client.frames)) {
        if (frame.direction == FrameDirection::Outgoing && frame.opcode < 0x8)
            QVERIFY2(frame.uncompressedLength >= 0 && quint64(frame.uncompressedLength) <= frameSize,
                     qPrintable(u"a frame carried %1 bytes of the message"_s.arg(frame.uncompressedLength)));
    }

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflatePartialReceive_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<SocketMessageType>("type");
    QTest::addColumn<QByteArray>("payload"); // sent to an echo route; null: the route sends by itself
    QTest::addColumn<qsizetype>("size");

    QTest::newRow("text 1 MiB, one frame") << u"/deflate"_s << SocketMessageType::Utf8 << utf8Payload(1 * MiB) << 1 * MiB;
    QTest::newRow("binary 1 MiB, one frame")
            << u"/deflate"_s << SocketMessageType::Binary << binaryPayload(1 * MiB) << 1 * MiB;
    QTest::newRow("text 1 MiB in server frames of 10000")
            << u"/deflate/echo-fragmented?fragmentSize=10000"_s << SocketMessageType::Utf8 << utf8Payload(1 * MiB)
            << 1 * MiB;
    QTest::newRow("16 MiB of zeros in 16 KB on the wire")
            << u"/deflate/big?size=%1"_s.arg(16 * MiB) << SocketMessageType::Binary << QByteArray() << 16 * MiB;
}

void tst_Interop::deflatePartialReceive()
{
    QFETCH(QString, route);
    QFETCH(SocketMessageType, type);
    QFETCH(QByteArray, payload);
    QFETCH(qsizetype, size);
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    Client client;
    MessageWebSocketControl control;
    control.receiveMode = Wsw::MessageWebSocketReceiveMode::PartialMessage;
    QVERIFY(client.socket.setControl(control));
    QString why;
    QVERIFY2(open(client, route, &why), qPrintable(why));
    QVERIFY(client.socket.information().compression.negotiated);
    if (!payload.isNull()) {
        client.socket.setMessageType(type);
        QVERIFY(client.socket.sendMessage(payload));
    }

    // the parts, inflated, as they come; the last one says the message is complete
    QVERIFY2(QTest::qWaitFor([&] {
                 return (!client.messages.isEmpty() && client.message(client.messages.size() - 1).isMessageComplete())
                         || !client.errors.isEmpty() || !client.closed.isEmpty();
             }, MessageBoundMs),
             qPrintable(describeEnd(client)));
    QVERIFY2(client.errors.isEmpty(), qPrintable(describeErrors(client)));
    QByteArray received;
    for (qsizetype i = 0; i < client.messages.size(); ++i) {
        const MessageWebSocketMessageReceivedEventArgs part = client.message(i);
        QCOMPARE(part.messageType(), type);
        QCOMPARE(part.isMessageComplete(), i + 1 == client.messages.size());
        received += part.data();
    }
    QCOMPARE(received.size(), size);
    QVERIFY2(received == (payload.isNull() ? QByteArray(size, '\0') : payload), "the parts differ from the message");
    if (size >= 1 * MiB)
        QVERIFY2(client.messages.size() > 1, "a compressed message of 1 MiB or more came in one part");

    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_Interop::deflateReconnect()
{
    if (m_serverName == u"qt")
        INTEROP_SKIP(QtHasNoDeflate);

    // one socket, three connections with different agreements: nothing of the compressor, the
    // inflater or their windows may carry over from one connection to the next
    struct Step {
        QString route;
        DeflateOptions offer;
        bool negotiated;
        bool serverNoContextTakeover;
        int serverMaxWindowBits;
    };
    DeflateOptions asking;
    asking.serverNoContextTakeover = true;
    asking.clientNoContextTakeover = true;
    asking.serverMaxWindowBits = 9;
    asking.clientMaxWindowBits = 9;
    const QList<Step> steps = {
        {u"/deflate?serverMaxWindowBits=15&clientMaxWindowBits=15"_s, DeflateOptions(), true, false, 15},
        {u"/deflate"_s, asking, true, true, 9},
        {u"/echo"_s, DeflateOptions(), false, false, 15},
        {u"/deflate?serverMaxWindowBits=15&clientMaxWindowBits=15"_s, DeflateOptions(), true, false, 15},
    };
    Client client;
    client.observeFrames();
    const QByteArray noise = asciiNoise(200);
    qsizetype received = 0;
    for (const Step &step : steps) {
        const QString which = step.route + (step.offer == DeflateOptions() ? QString() : u" (asking for everything)"_s);
        MessageWebSocketControl control;
        control.compression = step.offer;
        control.messageType = SocketMessageType::Utf8;
        QVERIFY(client.socket.setControl(control));
        const qsizetype closedBefore = client.closed.size();
        client.connected.clear();
        QString why;
        QVERIFY2(open(client, step.route, &why), qPrintable(which + u": "_s + why));
        const CompressionInformation info = client.socket.information().compression;
        QVERIFY2(info.negotiated == step.negotiated, qPrintable(which));
        QCOMPARE(info.serverNoContextTakeover, step.serverNoContextTakeover);
        QCOMPARE(info.serverMaxWindowBits, step.serverMaxWindowBits);

        client.frames.clear();
        QVERIFY(client.socket.sendMessage(noise));
        QVERIFY(client.socket.sendMessage(noise));
        QVERIFY2(QTest::qWaitFor([&] { return client.messages.size() >= received + 2 || !client.errors.isEmpty(); },
                                 MessageBoundMs),
                 qPrintable(which + u": "_s + describeEnd(client)));
        QVERIFY2(client.errors.isEmpty(), qPrintable(which + u": "_s + describeErrors(client)));
        QCOMPARE(client.message(received).data(), noise);
        QCOMPARE(client.message(received + 1).data(), noise);
        received += 2;

        const QList<WireMessage> in = wireMessages(client.frames, FrameDirection::Incoming);
        const QList<WireMessage> out = wireMessages(client.frames, FrameDirection::Outgoing);
        QCOMPARE(in.size(), 2);
        QCOMPARE(out.size(), 2);
        for (const QList<WireMessage> *messages : {&in, &out}) {
            QCOMPARE(messages->at(0).rsv1, step.negotiated);
            QCOMPARE(messages->at(1).rsv1, step.negotiated);
        }
        // a fresh context on every connection: the first message of each is compressed alone
        if (step.negotiated) {
            QVERIFY2(in.at(0).payload > 150, qPrintable(which + u": %1 bytes"_s.arg(in.at(0).payload)));
            QVERIFY2(out.at(0).payload > 150, qPrintable(which + u": %1 bytes"_s.arg(out.at(0).payload)));
        }

        QVERIFY2(closeCleanly(client, &why), qPrintable(which + u": "_s + why));
        QCOMPARE(client.closed.size(), closedBefore + 1);
        client.closed.clear(); // closeCleanly() looks at the first closed()
    }
}

QTEST_GUILESS_MAIN(tst_Interop)
#include "tst_interop.moc"
