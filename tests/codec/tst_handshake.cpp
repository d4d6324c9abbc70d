// The opening handshake (RFC 6455 §4.1): the request builder, header rules, and the bounded
// parser of the server's answer fed at every split point.
#include "codec/handshake.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Wsw;
using namespace Wsw::Codec;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr char SampleKey[] = "dGhlIHNhbXBsZSBub25jZQ==";           // RFC 6455 §1.3
constexpr char SampleAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

QByteArray answer(const QByteArray &extraHeaders = {}, const QByteArray &accept = SampleAccept)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " + accept + "\r\n" + extraHeaders + "\r\n";
}

/** Feeds bytes in two pieces, as the network might deliver them. */
HandshakeResponseParser::Result feedSplit(HandshakeResponseParser &parser, const QByteArray &bytes, qsizetype split,
                                          qsizetype *consumedTotal)
{
    qsizetype used = 0;
    auto result = parser.feed(QByteArrayView(bytes).first(split), &used);
    *consumedTotal = used;
    if (result == HandshakeResponseParser::Result::NeedMore) {
        result = parser.feed(QByteArrayView(bytes).sliced(split), &used);
        *consumedTotal += used;
    }
    return result;
}

} // namespace

class tst_Handshake final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyOfTheRfcExample() { QCOMPARE(expectedAcceptKey(SampleKey), QByteArray(SampleAccept)); }

    void keysAreFreshBase64Of16Bytes()
    {
        QSet<QByteArray> seen;
        for (int i = 0; i < 100; ++i) {
            const QByteArray key = generateKey();
            QCOMPARE(key.size(), 24);
            QCOMPARE(QByteArray::fromBase64(key).size(), 16);
            seen.insert(key);
        }
        QCOMPARE(seen.size(), 100);
    }

    void request_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::addColumn<QStringList>("protocols");
        QTest::addColumn<QByteArray>("requestLine");
        QTest::addColumn<QByteArray>("host");

        QTest::newRow("default port") << QUrl(u"ws://example.com/chat"_s) << QStringList() << QByteArray("GET /chat HTTP/1.1")
                                      << QByteArray("example.com");
        QTest::newRow("other port") << QUrl(u"ws://example.com:8080/"_s) << QStringList() << QByteArray("GET / HTTP/1.1")
                                    << QByteArray("example.com:8080");
        QTest::newRow("no path") << QUrl(u"ws://127.0.0.1:9001"_s) << QStringList() << QByteArray("GET / HTTP/1.1")
                                 << QByteArray("127.0.0.1:9001");
        QTest::newRow("query kept") << QUrl(u"ws://h/runCase?case=3&agent=x"_s) << QStringList()
                                    << QByteArray("GET /runCase?case=3&agent=x HTTP/1.1") << QByteArray("h");
        QTest::newRow("IPv6 literal") << QUrl(u"ws://[::1]:9000/x"_s) << QStringList() << QByteArray("GET /x HTTP/1.1")
                                      << QByteArray("[::1]:9000");
        QTest::newRow("wss default port") << QUrl(u"wss://h/"_s) << QStringList() << QByteArray("GET / HTTP/1.1")
                                          << QByteArray("h");
        QTest::newRow("wss port 80 is not default") << QUrl(u"wss://h:80/"_s) << QStringList()
                                                    << QByteArray("GET / HTTP/1.1") << QByteArray("h:80");
        QTest::newRow("protocols") << QUrl(u"ws://h/"_s) << QStringList{u"chat"_s, u"v2.chat"_s}
                                   << QByteArray("GET / HTTP/1.1") << QByteArray("h");
    }
    void request()
    {
        QFETCH(QUrl, url);
        QFETCH(QStringList, protocols);
        QFETCH(QByteArray, requestLine);
        QFETCH(QByteArray, host);
        HandshakeRequestOptions options;
        options.url = url;
        options.key = SampleKey;
        options.protocols = protocols;
        options.extraHeaders = {{"Origin", "http://example.com"}};
        const QByteArray request = buildHandshakeRequest(options);
        const QList<QByteArray> lines = request.split('\n');
        QCOMPARE(lines.first(), requestLine + '\r');
        QVERIFY(request.endsWith("\r\n\r\n"));
        QVERIFY(request.contains(QByteArray("\r\nHost: " + host + "\r\n")));
        QVERIFY(request.contains("\r\nUpgrade: websocket\r\n"));
        QVERIFY(request.contains("\r\nConnection: Upgrade\r\n"));
        QVERIFY(request.contains(QByteArray("\r\nSec-WebSocket-Key: " + QByteArray(SampleKey) + "\r\n")));
        QVERIFY(request.contains("\r\nSec-WebSocket-Version: 13\r\n"));
        QVERIFY(request.contains("\r\nOrigin: http://example.com\r\n"));
        QCOMPARE(request.contains(QByteArray("Sec-WebSocket-Protocol: " + protocols.join(u", "_s).toUtf8() + "\r\n")),
                 !protocols.isEmpty());
        QVERIFY(!request.contains("Sec-WebSocket-Extensions"));
    }

    void requestHeaderRules_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<ErrorDetail>("error");

        QTest::newRow("ordinary") << QByteArray("Authorization") << QByteArray("Bearer x") << ErrorDetail::None;
        QTest::newRow("tab in value") << QByteArray("X-A") << QByteArray("a\tb") << ErrorDetail::None;
        QTest::newRow("CR in value") << QByteArray("X-A") << QByteArray("a\rb") << ErrorDetail::InvalidHeader;
        QTest::newRow("LF in value (header injection)") << QByteArray("X-A") << QByteArray("a\r\nHost: evil")
                                                        << ErrorDetail::InvalidHeader;
        QTest::newRow("NUL in value") << QByteArray("X-A") << QByteArray("a\0b", 3) << ErrorDetail::InvalidHeader;
        QTest::newRow("space in name") << QByteArray("X A") << QByteArray("v") << ErrorDetail::InvalidHeader;
        QTest::newRow("colon in name") << QByteArray("X:A") << QByteArray("v") << ErrorDetail::InvalidHeader;
        QTest::newRow("empty name") << QByteArray() << QByteArray("v") << ErrorDetail::InvalidHeader;
        for (const char *owned : {"Host", "upgrade", "CONNECTION", "Sec-WebSocket-Key", "sec-websocket-version",
                                  "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept", "Sec-WebSocket-Extensions",
                                  "Content-Length", "Transfer-Encoding"})
            QTest::addRow("engine-owned %s", owned) << QByteArray(owned) << QByteArray("x") << ErrorDetail::ForbiddenHeader;
    }
    void requestHeaderRules()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(ErrorDetail, error);
        QCOMPARE(validateRequestHeader(name, value), error);
    }

    void subprotocolAndUrlRules()
    {
        QCOMPARE(validateSubprotocol(u"chat"_s), ErrorDetail::None);
        QCOMPARE(validateSubprotocol(u""_s), ErrorDetail::InvalidSubprotocol);
        QCOMPARE(validateSubprotocol(u"two words"_s), ErrorDetail::InvalidSubprotocol);
        QCOMPARE(validateSubprotocol(u"a,b"_s), ErrorDetail::InvalidSubprotocol);
        QCOMPARE(validateUrl(QUrl(u"ws://h/"_s)), ErrorDetail::None);
        QCOMPARE(validateUrl(QUrl(u"wss://h/"_s)), ErrorDetail::None);
        QCOMPARE(validateUrl(QUrl(u"http://h/"_s)), ErrorDetail::UnsupportedScheme);
        QCOMPARE(validateUrl(QUrl(u"/relative"_s)), ErrorDetail::InvalidUrl);
        QCOMPARE(validateUrl(QUrl(u"ws://h/#fragment"_s)), ErrorDetail::InvalidUrl);
        QCOMPARE(validateUrl(QUrl(u"ws:///nohost"_s)), ErrorDetail::InvalidUrl);
    }

    void validAnswerAtEverySplit()
    {
        const QByteArray frames("\x81\x02hi", 4);
        const QByteArray bytes = answer("Sec-WebSocket-Protocol: chat\r\n") + frames;
        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            HandshakeResponseParser parser;
            qsizetype consumed = 0;
            QCOMPARE(feedSplit(parser, bytes, split, &consumed), HandshakeResponseParser::Result::Complete);
            // the frames after the empty line are left for the frame reader
            QCOMPARE(consumed, bytes.size() - frames.size());
            QCOMPARE(parser.statusCode(), 101);
            QString protocol;
            QCOMPARE(parser.validateUpgrade(SampleKey, {u"superchat"_s, u"chat"_s}, &protocol), ErrorDetail::None);
            QCOMPARE(protocol, u"chat"_s);
            QCOMPARE(parser.rawHeaders(), bytes.first(consumed));
        }
    }

    void noSubprotocolGivesEmptyNotNull()
    {
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed(answer(), &used), HandshakeResponseParser::Result::Complete);
        QString protocol;
        QCOMPARE(parser.validateUpgrade(SampleKey, {}, &protocol), ErrorDetail::None);
        QVERIFY(!protocol.isNull());
        QVERIFY(protocol.isEmpty());
    }

    void upgradeRules_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<ErrorDetail>("error");

        QTest::newRow("token lists and case") << QByteArray(
                "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n"
                "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
                                              << ErrorDetail::None;
        QTest::newRow("not 101") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                                 << ErrorDetail::NotSwitchingProtocols;
        QTest::newRow("HTTP/1.0") << QByteArray(answer()).replace("HTTP/1.1", "HTTP/1.0")
                                  << ErrorDetail::UnsupportedHttpVersion;
        QTest::newRow("no Upgrade") << QByteArray(answer()).replace("Upgrade: websocket\r\n", "")
                                    << ErrorDetail::MissingUpgradeHeader;
        QTest::newRow("Upgrade: h2c") << QByteArray(answer()).replace("Upgrade: websocket", "Upgrade: h2c")
                                      << ErrorDetail::MissingUpgradeHeader;
        QTest::newRow("Connection: keep-alive") << QByteArray(answer()).replace("Connection: Upgrade", "Connection: keep-alive")
                                                << ErrorDetail::MissingConnectionUpgrade;
        QTest::newRow("no accept") << QByteArray(answer()).replace("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", "")
                                   << ErrorDetail::MissingAcceptKey;
        QTest::newRow("two accepts") << answer("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                                     << ErrorDetail::DuplicateAcceptKey;
        QTest::newRow("wrong accept") << answer({}, "AAAALMBiTxaQ9kYGzzhZRbK+xOo=") << ErrorDetail::AcceptKeyMismatch;
        QTest::newRow("unrequested subprotocol") << answer("Sec-WebSocket-Protocol: other\r\n")
                                                 << ErrorDetail::UnrequestedSubprotocol;
        QTest::newRow("two subprotocols in one") << answer("Sec-WebSocket-Protocol: chat, other\r\n")
                                                 << ErrorDetail::MultipleSubprotocols;
        QTest::newRow("two subprotocol headers")
                << answer("Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n")
                << ErrorDetail::MultipleSubprotocols;
        QTest::newRow("extension not offered") << answer("Sec-WebSocket-Extensions: permessage-deflate\r\n")
                                               << ErrorDetail::UnrequestedExtension;
    }
    void upgradeRules()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(ErrorDetail, error);
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed(bytes, &used), HandshakeResponseParser::Result::Complete);
        QString protocol;
        QCOMPARE(parser.validateUpgrade(SampleKey, {u"chat"_s}, &protocol), error);
    }

    void parserBounds_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<ErrorDetail>("error");

        QTest::newRow("line too long") << QByteArray("HTTP/1.1 101 OK\r\nX: " + QByteArray(MaxHeaderLineBytes, 'a') + "\r\n\r\n")
                                       << ErrorDetail::HeaderLineTooLong;
        QByteArray many("HTTP/1.1 101 OK\r\n");
        for (int i = 0; i <= MaxHeaderLines; ++i)
            many += "X-" + QByteArray::number(i) + ": 1\r\n";
        QTest::newRow("too many headers") << many + "\r\n" << ErrorDetail::TooManyHeaders;
        QByteArray large("HTTP/1.1 101 OK\r\n");
        for (int i = 0; i < 90; ++i)
            large += "X-" + QByteArray::number(i) + ": " + QByteArray(1000, 'v') + "\r\n";
        QTest::newRow("headers too large") << large + "\r\n" << ErrorDetail::HeaderTooLarge;
        QTest::newRow("garbage status") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << ErrorDetail::MalformedStatusLine;
        QTest::newRow("status not 3 digits") << QByteArray("HTTP/1.1 1O1 Switching\r\n\r\n") << ErrorDetail::MalformedStatusLine;
        QTest::newRow("obs-fold") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n folded\r\n\r\n")
                                  << ErrorDetail::MalformedHeader;
        QTest::newRow("no colon") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n") << ErrorDetail::MalformedHeader;
        QTest::newRow("space before colon") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n")
                                            << ErrorDetail::MalformedHeader;
    }
    void parserBounds()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(ErrorDetail, error);
        for (qsizetype split : {qsizetype(0), qsizetype(1), bytes.size() / 2, bytes.size()}) {
            HandshakeResponseParser parser;
            qsizetype consumed = 0;
            QCOMPARE(feedSplit(parser, bytes, split, &consumed), HandshakeResponseParser::Result::Error);
            QCOMPARE(parser.error(), error);
            QVERIFY(parser.rawHeaders().size() <= MaxResponseHeaderBytes);
        }
    }

    void refusalKeepsStatusHeadersAndBody()
    {
        const QByteArray bytes("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found");
        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            HandshakeResponseParser parser;
            qsizetype consumed = 0;
            QCOMPARE(feedSplit(parser, bytes, split, &consumed), HandshakeResponseParser::Result::Complete);
            QCOMPARE(parser.statusCode(), 404);
            QCOMPARE(parser.reasonPhrase(), QByteArray("Not Found"));
            QCOMPARE(parser.header("content-type"), QByteArray("text/plain"));
            QCOMPARE(parser.body(), QByteArray("not found"));
            QCOMPARE(parser.validateUpgrade(SampleKey, {}, nullptr), ErrorDetail::NotSwitchingProtocols);
        }
    }

    void bodyUntilTheEndOfTheStream()
    {
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed("HTTP/1.1 500 Internal Server Error\r\n\r\noops", &used),
                 HandshakeResponseParser::Result::NeedMore);
        QCOMPARE(parser.feed(", no length", &used), HandshakeResponseParser::Result::NeedMore);
        QCOMPARE(parser.finishAtEndOfStream(), HandshakeResponseParser::Result::Complete);
        QCOMPARE(parser.body(), QByteArray("oops, no length"));
    }

    void largeBodyIsTruncated()
    {
        HandshakeResponseParser parser;
        qsizetype used = 0;
        const QByteArray bytes = "HTTP/1.1 403 Forbidden\r\nContent-Length: 1000000\r\n\r\n" + QByteArray(1000000, 'x');
        QCOMPARE(parser.feed(bytes, &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(parser.body().size(), MaxResponseBodyBytes);
        QVERIFY(parser.isBodyTruncated());
    }

    void headersWithoutBodyComplete()
    {
        for (const char *status : {"HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 304 Not Modified\r\n\r\n",
                                   "HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"}) {
            HandshakeResponseParser parser;
            qsizetype used = 0;
            QCOMPARE(parser.feed(status, &used), HandshakeResponseParser::Result::Complete);
        }
    }
};

QTEST_APPLESS_MAIN(tst_Handshake)
#include "tst_handshake.moc"
