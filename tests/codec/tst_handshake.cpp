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

    void interimAnswersAreSkipped()
    {
        // RFC 9110 §15.2: 1xx answers before the final one are read past, at every split
        const QByteArray interim = "HTTP/1.1 100 Continue\r\n\r\n"
                                   "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
        const QByteArray frames("\x81\x02hi", 4);
        const QByteArray bytes = interim + answer() + frames;
        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            HandshakeResponseParser parser;
            qsizetype consumed = 0;
            QCOMPARE(feedSplit(parser, bytes, split, &consumed), HandshakeResponseParser::Result::Complete);
            QCOMPARE(consumed, bytes.size() - frames.size());
            QCOMPARE(parser.statusCode(), 101);
            QVERIFY(parser.header("Link").isNull()); // the interim answer's headers are not the final one's
            QCOMPARE(parser.validateUpgrade(SampleKey, {}, nullptr), ErrorDetail::None);
            QCOMPARE(parser.rawHeaders(), bytes.first(consumed)); // the transcript keeps everything
        }
        // an interim answer followed by a refusal is a refusal
        HandshakeResponseParser refused;
        qsizetype used = 0;
        QCOMPARE(refused.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno", &used),
                 HandshakeResponseParser::Result::Complete);
        QCOMPARE(refused.statusCode(), 403);
        QCOMPARE(refused.body(), QByteArray("no"));
        // endless interim answers run into the 64 KiB bound
        HandshakeResponseParser endless;
        QByteArray many;
        while (many.size() <= MaxResponseHeaderBytes)
            many += "HTTP/1.1 100 Continue\r\n\r\n";
        QCOMPARE(endless.feed(many, &used), HandshakeResponseParser::Result::Error);
        QCOMPARE(endless.error(), ErrorDetail::HeaderTooLarge);
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
        QTest::newRow("Upgrade in a token list") << QByteArray(answer()).replace("Upgrade: websocket", "Upgrade: foo, WebSocket")
                                                 << ErrorDetail::None;
        QTest::newRow("Connection: keep-alive, Upgrade") << QByteArray(answer()).replace("Connection: Upgrade", "Connection: keep-alive, Upgrade")
                                                         << ErrorDetail::None;
        QTest::newRow("Connection header missing") << QByteArray(answer()).replace("Connection: Upgrade\r\n", "")
                                                   << ErrorDetail::MissingConnectionUpgrade;
        QTest::newRow("Connection: Upgraded is not the token") << QByteArray(answer()).replace("Connection: Upgrade", "Connection: Upgraded")
                                                               << ErrorDetail::MissingConnectionUpgrade;
        QTest::newRow("accept of another key") << answer({}, expectedAcceptKey("AQIDBAUGBwgJCgsMDQ4PEA=="))
                                               << ErrorDetail::AcceptKeyMismatch;
        QTest::newRow("accept differs in case") << answer({}, "S3PPLMBITXAQ9KYGZZHZRBK+XOO=")
                                                << ErrorDetail::AcceptKeyMismatch;
        QTest::newRow("empty extensions header is no extension") << answer("Sec-WebSocket-Extensions: \r\n")
                                                                 << ErrorDetail::None;
        QTest::newRow("subprotocol with a different case was not offered") << answer("Sec-WebSocket-Protocol: CHAT\r\n")
                                                                           << ErrorDetail::UnrequestedSubprotocol;
        // extensions are negotiateDeflate()'s to judge (tst_permessagedeflate), not validateUpgrade()'s
        QTest::newRow("extensions are left to negotiateDeflate") << answer("Sec-WebSocket-Extensions: x-unknown\r\n")
                                                                 << ErrorDetail::None;
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

    void boundsAreInclusive()
    {
        // a header line of exactly MaxHeaderLineBytes (without CRLF) and exactly MaxHeaderLines
        // headers are accepted; one more byte or one more line is not
        const QByteArray atLimit = "X: " + QByteArray(MaxHeaderLineBytes - 3, 'a') + "\r\n";
        QCOMPARE(atLimit.size(), MaxHeaderLineBytes + 2);
        HandshakeResponseParser lineOk;
        qsizetype used = 0;
        QCOMPARE(lineOk.feed(answer(atLimit), &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(lineOk.header("x").size(), MaxHeaderLineBytes - 3);
        HandshakeResponseParser lineTooLong;
        QCOMPARE(lineTooLong.feed(answer("X: " + QByteArray(MaxHeaderLineBytes - 2, 'a') + "\r\n"), &used),
                 HandshakeResponseParser::Result::Error);
        QCOMPARE(lineTooLong.error(), ErrorDetail::HeaderLineTooLong);

        QByteArray hundred("HTTP/1.1 101 Switching Protocols\r\n");
        for (int i = 0; i < MaxHeaderLines; ++i)
            hundred += "X-" + QByteArray::number(i) + ": 1\r\n";
        HandshakeResponseParser linesOk;
        QCOMPARE(linesOk.feed(QByteArray(hundred + "\r\n"), &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(linesOk.headers().size(), MaxHeaderLines);
        HandshakeResponseParser oneTooMany;
        QCOMPARE(oneTooMany.feed(QByteArray(hundred + "X-last: 1\r\n\r\n"), &used), HandshakeResponseParser::Result::Error);
        QCOMPARE(oneTooMany.error(), ErrorDetail::TooManyHeaders);
    }

    void headerTooLargeFedByteByByte()
    {
        // the total bound holds however the bytes arrive, and nothing beyond it is kept
        QByteArray large("HTTP/1.1 101 OK\r\n");
        for (int i = 0; i < 90; ++i)
            large += "X-" + QByteArray::number(i) + ": " + QByteArray(1000, 'v') + "\r\n";
        HandshakeResponseParser parser;
        HandshakeResponseParser::Result result = HandshakeResponseParser::Result::NeedMore;
        qsizetype fed = 0;
        for (; fed < large.size() && result == HandshakeResponseParser::Result::NeedMore; ++fed) {
            qsizetype used = 0;
            result = parser.feed(QByteArrayView(large).sliced(fed, 1), &used);
        }
        QCOMPARE(result, HandshakeResponseParser::Result::Error);
        QCOMPARE(parser.error(), ErrorDetail::HeaderTooLarge);
        QVERIFY(parser.rawHeaders().size() <= MaxResponseHeaderBytes);
        QVERIFY(fed <= MaxResponseHeaderBytes + 1);
    }

    void errorSticksUntilReset()
    {
        HandshakeResponseParser parser;
        qsizetype used = -1;
        QCOMPARE(parser.feed("SSH-2.0-OpenSSH\r\n", &used), HandshakeResponseParser::Result::Error);
        QCOMPARE(parser.error(), ErrorDetail::MalformedStatusLine);
        QCOMPARE(parser.feed(answer(), &used), HandshakeResponseParser::Result::Error);
        QCOMPARE(parser.finishAtEndOfStream(), HandshakeResponseParser::Result::Error);
        parser.reset();
        QCOMPARE(parser.error(), ErrorDetail::None);
        QCOMPARE(parser.feed(answer(), &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(parser.validateUpgrade(SampleKey, {}, nullptr), ErrorDetail::None);
    }

    void statusLineAndHeadersAreKept()
    {
        // bare LF line ends are tolerated (RFC 7230 §3.5); headers stay in order, values trimmed
        const QByteArray bytes("HTTP/1.1 101 Web Socket Protocol Handshake\nUpgrade:websocket\n"
                               "Connection:   Upgrade  \nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n"
                               "X-Empty:\nx-empty: second\n\n");
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed(bytes, &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(used, bytes.size());
        QVERIFY(parser.headersComplete());
        QVERIFY(parser.isComplete());
        QCOMPARE(parser.httpVersion(), QByteArray("HTTP/1.1"));
        QCOMPARE(parser.statusCode(), 101);
        QCOMPARE(parser.reasonPhrase(), QByteArray("Web Socket Protocol Handshake"));
        QCOMPARE(parser.headers().size(), 5);
        QCOMPARE(parser.headers().at(1).first, QByteArray("Connection"));
        QCOMPARE(parser.headers().at(1).second, QByteArray("Upgrade"));
        // an empty header value is present (not null); header() gives the first of repeated names
        QVERIFY(!parser.header("X-EMPTY").isNull());
        QVERIFY(parser.header("X-EMPTY").isEmpty());
        QCOMPARE(parser.headerValues("x-empty"), (QList<QByteArray>{QByteArray(""), QByteArray("second")}));
        QVERIFY(parser.header("Absent").isNull());
        QCOMPARE(parser.rawHeaders(), bytes);
        QCOMPARE(parser.validateUpgrade(SampleKey, {}, nullptr), ErrorDetail::None);
    }

    void refusalBodyLeavesWhatFollows()
    {
        // the body ends after Content-Length bytes: whatever follows is not consumed
        const QByteArray head("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\nContent-Length: 5\r\n\r\n");
        const QByteArray bytes = head + "nope!" + "NEXT";
        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            HandshakeResponseParser parser;
            qsizetype consumed = 0;
            QCOMPARE(feedSplit(parser, bytes, split, &consumed), HandshakeResponseParser::Result::Complete);
            QCOMPARE(consumed, head.size() + 5);
            QCOMPARE(parser.body(), QByteArray("nope!"));
            QVERIFY(!parser.isBodyTruncated());
            QCOMPARE(parser.rawHeaders(), head); // without the body
        }
    }

    void refusalCutShortByTheEndOfTheStream()
    {
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\nbusy", &used),
                 HandshakeResponseParser::Result::NeedMore);
        QVERIFY(parser.headersComplete());
        QVERIFY(!parser.isComplete());
        QCOMPARE(parser.finishAtEndOfStream(), HandshakeResponseParser::Result::Complete);
        QCOMPARE(parser.body(), QByteArray("busy"));
        QVERIFY(parser.isBodyTruncated()); // fewer bytes than Content-Length announced

        // the end of the stream before the headers are complete is not an answer
        HandshakeResponseParser early;
        QCOMPARE(early.feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", &used),
                 HandshakeResponseParser::Result::NeedMore);
        QVERIFY(early.finishAtEndOfStream() != HandshakeResponseParser::Result::Complete);
    }

    void largeBodyWithoutLengthIsTruncated()
    {
        HandshakeResponseParser parser;
        qsizetype used = 0;
        const QByteArray head("HTTP/1.1 502 Bad Gateway\r\n\r\n");
        QCOMPARE(parser.feed(QByteArray(head + QByteArray(MaxResponseBodyBytes, 'a')), &used),
                 HandshakeResponseParser::Result::NeedMore); // exactly the limit: more may come
        QCOMPARE(parser.feed("b", &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(parser.body(), QByteArray(MaxResponseBodyBytes, 'a'));
        QVERIFY(parser.isBodyTruncated());
    }

    void malformedStatusLines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty line") << QByteArray("\r\n");
        QTest::newRow("no status code") << QByteArray("HTTP/1.1\r\n");
        QTest::newRow("two-digit status") << QByteArray("HTTP/1.1 10 Short\r\n");
        QTest::newRow("four-digit status") << QByteArray("HTTP/1.1 1010 Long\r\n");
        QTest::newRow("not HTTP") << QByteArray("ICY 200 OK\r\n");
        QTest::newRow("HTTP/2 form") << QByteArray("HTTP/2 101 Switching\r\n");
        QTest::newRow("lower-case http") << QByteArray("http/1.1 101 Switching\r\n");
    }
    void malformedStatusLines()
    {
        QFETCH(QByteArray, line);
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed(QByteArray(line + "Upgrade: websocket\r\n\r\n"), &used), HandshakeResponseParser::Result::Error);
        QCOMPARE(parser.error(), ErrorDetail::MalformedStatusLine);
    }

    void http10StatusLineParsesButIsRefused()
    {
        // RFC 6455 §4.1: the answer must be HTTP/1.1; HTTP/1.0 is read (for the user) and refused
        HandshakeResponseParser parser;
        qsizetype used = 0;
        QCOMPARE(parser.feed(QByteArray(answer()).replace("HTTP/1.1", "HTTP/1.0"), &used),
                 HandshakeResponseParser::Result::Complete);
        QCOMPARE(parser.httpVersion(), QByteArray("HTTP/1.0"));
        QCOMPARE(parser.validateUpgrade(SampleKey, {}, nullptr), ErrorDetail::UnsupportedHttpVersion);
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
