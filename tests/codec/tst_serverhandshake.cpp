// The server's side of the opening handshake (RFC 6455 §4.2) and of permessage-deflate
// (RFC 7692 §7.1): the bounded request parser fed at every split, one row per broken rule with
// the HTTP status it earns, the answers, and the client's own codec reading them back.
#include "codec/framereader.h"
#include "codec/framewriter.h"
#include "codec/serverhandshake.h"

#include <QTest>

using namespace Wsw;
using namespace Wsw::Codec;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr char SampleKey[] = "dGhlIHNhbXBsZSBub25jZQ==";           // RFC 6455 §1.3
constexpr char SampleAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/** The opening request of RFC 6455 §1.3. */
const QByteArray RfcRequest = "GET /chat HTTP/1.1\r\n"
                              "Host: server.example.com\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Origin: http://example.com\r\n"
                              "Sec-WebSocket-Protocol: chat, superchat\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "\r\n";

/** A valid request with one header line replaced (or removed: empty value) or added. */
QByteArray requestWith(const QByteArray &name, const QByteArray &line, const QByteArray &requestLine = "GET / HTTP/1.1")
{
    QList<QByteArray> lines = {"Host: 127.0.0.1:9000", "Upgrade: websocket", "Connection: Upgrade",
                               "Sec-WebSocket-Key: " + QByteArray(SampleKey), "Sec-WebSocket-Version: 13"};
    bool replaced = false;
    for (QByteArray &l : lines) {
        if (!name.isEmpty() && l.startsWith(QByteArray(name + ':'))) {
            l = line;
            replaced = true;
        }
    }
    if (!replaced && !line.isEmpty())
        lines.append(line);
    lines.removeAll(QByteArray());
    return requestLine + "\r\n" + lines.join("\r\n") + "\r\n\r\n";
}

HandshakeRequestParser::Result parseAll(HandshakeRequestParser &parser, const QByteArray &bytes, qsizetype *consumed = nullptr)
{
    qsizetype used = 0;
    const auto result = parser.feed(bytes, &used);
    if (consumed)
        *consumed = used;
    return result;
}

} // namespace

class tst_ServerHandshake final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- Happy flows -------------------------------------------------------------------------

    void acceptKeyOfTheRfcExample()
    {
        QCOMPARE(expectedAcceptKey(SampleKey), QByteArray(SampleAccept));
        const QByteArray response = buildHandshakeResponse(SampleKey, u"chat"_s, {});
        QCOMPARE(response, QByteArray("HTTP/1.1 101 Switching Protocols\r\n"
                                      "Upgrade: websocket\r\n"
                                      "Connection: Upgrade\r\n"
                                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                      "Sec-WebSocket-Protocol: chat\r\n"
                                      "\r\n"));
    }

    void parsesTheRfcRequestAtEverySplit()
    {
        // frame bytes right behind the request must be left alone
        const QByteArray bytes = RfcRequest + "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58";
        for (qsizetype split = 0; split <= RfcRequest.size(); ++split) {
            HandshakeRequestParser parser;
            qsizetype first = 0, second = 0;
            auto result = parser.feed(QByteArrayView(bytes).first(split), &first);
            if (split < RfcRequest.size()) {
                QCOMPARE(result, HandshakeRequestParser::Result::NeedMore);
                QCOMPARE(first, split);
                result = parser.feed(QByteArrayView(bytes).sliced(split), &second);
            }
            QCOMPARE(result, HandshakeRequestParser::Result::Complete);
            QCOMPARE(first + second, RfcRequest.size());
            QCOMPARE(parser.method(), QByteArray("GET"));
            QCOMPARE(parser.target(), QByteArray("/chat"));
            QCOMPARE(parser.httpVersion(), QByteArray("HTTP/1.1"));
            QCOMPARE(parser.headers().size(), 7);
            QCOMPARE(parser.headers().at(4).first, QByteArray("Origin")); // in order, as sent
            QCOMPARE(parser.header("sec-websocket-key"), QByteArray(SampleKey));
            QCOMPARE(parser.rawHeaders(), RfcRequest);
            QCOMPARE(validateUpgradeRequest(parser).detail, ErrorDetail::None);
        }
    }

    void parsesByteByByte()
    {
        HandshakeRequestParser parser;
        for (qsizetype i = 0; i < RfcRequest.size(); ++i) {
            qsizetype used = 0;
            const auto result = parser.feed(QByteArrayView(RfcRequest).sliced(i, 1), &used);
            QCOMPARE(used, 1);
            QCOMPARE(result, i + 1 == RfcRequest.size() ? HandshakeRequestParser::Result::Complete
                                                        : HandshakeRequestParser::Result::NeedMore);
        }
        const UpgradeAnswer answer = answerUpgrade(parser, {});
        QCOMPARE(answer.rejection.detail, ErrorDetail::None);
        QVERIFY(answer.protocol.isEmpty()); // the echo server speaks no subprotocol unless told
        QVERIFY(answer.response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(!answer.response.contains("Sec-WebSocket-Protocol"));
    }

    void tolerantLineEndings()
    {
        // a bare LF ends a line (RFC 7230 §3.5), an empty line before the request line is skipped
        HandshakeRequestParser parser;
        QByteArray request = "\r\n" + requestWith({}, "X-Extra:   padded value  ");
        request.replace("\r\n", "\n");
        QCOMPARE(parseAll(parser, request), HandshakeRequestParser::Result::Complete);
        QCOMPARE(parser.header("X-Extra"), QByteArray("padded value"));
        QCOMPARE(validateUpgradeRequest(parser).detail, ErrorDetail::None);
    }

    void acceptableVariants_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("Connection list") << requestWith("Connection", "Connection: keep-alive, Upgrade");
        QTest::newRow("case-insensitive values") << requestWith("Upgrade", "Upgrade: WebSocket");
        QTest::newRow("upgrade token list") << requestWith("Upgrade", "Upgrade: h2c, websocket");
        QTest::newRow("HTTP/1.2") << requestWith({}, {}, "GET / HTTP/1.2");
        QTest::newRow("absolute-form target") << requestWith({}, {}, "GET ws://127.0.0.1:9000/x?y=1 HTTP/1.1");
        QTest::newRow("Content-Length 0") << requestWith({}, "Content-Length: 0");
        QTest::newRow("lower-case names") << requestWith("Sec-WebSocket-Version", "sec-websocket-version: 13");
    }
    void acceptableVariants()
    {
        QFETCH(QByteArray, request);
        HandshakeRequestParser parser;
        QCOMPARE(parseAll(parser, request), HandshakeRequestParser::Result::Complete);
        QCOMPARE(validateUpgradeRequest(parser).detail, ErrorDetail::None);
    }

    // --- Rainy day flows ---------------------------------------------------------------------

    void brokenRulesGetTheirStatus_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<ErrorDetail>("detail");
        QTest::addColumn<int>("status");

        using D = ErrorDetail;
        QTest::newRow("POST") << requestWith({}, {}, "POST / HTTP/1.1") << D::RequestMethodNotGet << 405;
        QTest::newRow("lower-case get") << requestWith({}, {}, "get / HTTP/1.1") << D::RequestMethodNotGet << 405;
        QTest::newRow("HTTP/1.0") << requestWith({}, {}, "GET / HTTP/1.0") << D::RequestHttpVersionUnsupported << 505;
        QTest::newRow("HTTP/2.0") << requestWith({}, {}, "GET / HTTP/2.0") << D::RequestHttpVersionUnsupported << 505;
        QTest::newRow("no Host") << requestWith("Host", {}) << D::RequestHostMissing << 400;
        QTest::newRow("empty Host") << requestWith("Host", "Host:") << D::RequestHostMissing << 400;
        QTest::newRow("two Hosts") << requestWith({}, "Host: other") << D::RequestHostMissing << 400;
        QTest::newRow("no Upgrade") << requestWith("Upgrade", {}) << D::RequestUpgradeMissing << 426;
        QTest::newRow("Upgrade: h2c") << requestWith("Upgrade", "Upgrade: h2c") << D::RequestUpgradeMissing << 426;
        QTest::newRow("no Connection") << requestWith("Connection", {}) << D::RequestConnectionUpgradeMissing << 400;
        QTest::newRow("Connection: keep-alive")
                << requestWith("Connection", "Connection: keep-alive") << D::RequestConnectionUpgradeMissing << 400;
        QTest::newRow("no key") << requestWith("Sec-WebSocket-Key", {}) << D::RequestKeyMissing << 400;
        QTest::newRow("two keys") << requestWith({}, "Sec-WebSocket-Key: " + QByteArray(SampleKey))
                                  << D::RequestKeyMissing << 400;
        QTest::newRow("key of 15 bytes") << requestWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + QByteArray(15, 'k').toBase64())
                                         << D::RequestKeyInvalid << 400;
        QTest::newRow("key of 17 bytes") << requestWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + QByteArray(17, 'k').toBase64())
                                         << D::RequestKeyInvalid << 400;
        QTest::newRow("key not base64") << requestWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ!=")
                                        << D::RequestKeyInvalid << 400;
        QTest::newRow("no version") << requestWith("Sec-WebSocket-Version", {}) << D::RequestVersionUnsupported << 426;
        QTest::newRow("version 8") << requestWith("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8")
                                   << D::RequestVersionUnsupported << 426;
        QTest::newRow("version list") << requestWith("Sec-WebSocket-Version", "Sec-WebSocket-Version: 13, 8")
                                      << D::RequestVersionUnsupported << 426;
        QTest::newRow("body") << requestWith({}, "Content-Length: 5") << D::RequestBodyNotAllowed << 400;
        QTest::newRow("chunked") << requestWith({}, "Transfer-Encoding: chunked") << D::RequestBodyNotAllowed << 400;
        QTest::newRow("subprotocol not a token") << requestWith({}, "Sec-WebSocket-Protocol: chat, a/b")
                                                 << D::RequestSubprotocolInvalid << 400;
        QTest::newRow("extensions malformed") << requestWith({}, "Sec-WebSocket-Extensions: permessage-deflate; =1")
                                              << D::RequestExtensionsInvalid << 400;
        // the parser's own rules
        QTest::newRow("one space missing") << QByteArray("GET /HTTP/1.1\r\n\r\n") << D::RequestLineMalformed << 400;
        QTest::newRow("double space") << requestWith({}, {}, "GET  / HTTP/1.1") << D::RequestLineMalformed << 400;
        QTest::newRow("version garbage") << requestWith({}, {}, "GET / HTTP/1.x") << D::RequestLineMalformed << 400;
        QTest::newRow("control in target") << requestWith({}, {}, "GET /\x01 HTTP/1.1") << D::RequestLineMalformed << 400;
        QTest::newRow("TLS ClientHello to ws://") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)
                                                  << D::RequestLineMalformed << 400;
        QTest::newRow("line folding") << requestWith({}, "X-A: a\r\n b") << D::RequestHeaderMalformed << 400;
        QTest::newRow("no colon") << requestWith({}, "Broken") << D::RequestHeaderMalformed << 400;
        QTest::newRow("space before colon") << requestWith({}, "X-A : b") << D::RequestHeaderMalformed << 400;
        QTest::newRow("NUL in value") << requestWith({}, QByteArray("X-A: a\0b", 8)) << D::RequestHeaderMalformed << 400;
        QTest::newRow("request line too long") << requestWith({}, {}, "GET /" + QByteArray(MaxHeaderLineBytes, 'a') + " HTTP/1.1")
                                               << D::RequestLineTooLong << 414;
        QTest::newRow("header line too long") << requestWith({}, "X-Long: " + QByteArray(MaxHeaderLineBytes, 'a'))
                                              << D::RequestHeaderLineTooLong << 431;
        QByteArray many;
        for (int i = 0; i < MaxHeaderLines; ++i)
            many += "X-" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("too many headers") << requestWith({}, many.chopped(2)) << D::RequestTooManyHeaders << 431;
        QByteArray large;
        for (int i = 0; i < 90; ++i)
            large += "X-" + QByteArray::number(i) + ": " + QByteArray(750, 'v') + "\r\n";
        QTest::newRow("request too large") << requestWith({}, large.chopped(2)) << D::RequestHeaderTooLarge << 431;
    }
    void brokenRulesGetTheirStatus()
    {
        QFETCH(QByteArray, request);
        QFETCH(ErrorDetail, detail);
        QFETCH(int, status);

        // the same verdict whether the request comes whole or byte by byte
        for (bool byteByByte : {false, true}) {
            HandshakeRequestParser parser;
            if (byteByByte) {
                for (qsizetype i = 0; i < request.size(); ++i) {
                    qsizetype used = 0;
                    if (parser.feed(QByteArrayView(request).sliced(i, 1), &used) != HandshakeRequestParser::Result::NeedMore)
                        break;
                }
            } else {
                parseAll(parser, request);
            }
            const UpgradeAnswer answer = answerUpgrade(parser, {});
            QCOMPARE(answer.rejection.detail, detail);
            QCOMPARE(answer.rejection.status, status);
            QVERIFY(!answer.rejection.text.isEmpty());
            QVERIFY(answer.response.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' '
                                                          + reasonPhraseFor(status) + "\r\n")));
            QVERIFY(answer.response.contains("\r\nConnection: close\r\n"));
            QCOMPARE(answer.response.contains("\r\nSec-WebSocket-Version: 13\r\n"), status == 426);
        }
    }

    void parserStopsAtItsLimitsWithoutReadingOn()
    {
        // a line with no end is refused once it passes the limit, not when (if ever) it ends
        HandshakeRequestParser parser;
        const QByteArray endless(MaxHeaderLineBytes + 3, 'a');
        qsizetype used = 0;
        QCOMPARE(parser.feed(endless, &used), HandshakeRequestParser::Result::Error);
        QCOMPARE(parser.error(), ErrorDetail::RequestLineTooLong);
        QVERIFY(used <= MaxHeaderLineBytes + 3);
        QCOMPARE(rejectionFor(parser.error()).status, 414);
    }

    void rejectResponseIsComplete()
    {
        const QByteArray response = buildRejectResponse(426, u"Sec-WebSocket-Version must be 13 – nothing else"_s);
        const qsizetype end = response.indexOf("\r\n\r\n");
        QVERIFY(end > 0);
        const QByteArray body = response.sliced(end + 4);
        QVERIFY(response.contains(QByteArray("\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n")));
        QVERIFY(response.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"));
        QVERIFY(response.contains("\r\nUpgrade: websocket\r\n"));
        QCOMPARE(body, u"Sec-WebSocket-Version must be 13 – nothing else\n"_s.toUtf8());
        QVERIFY(buildRejectResponse(405, u"x"_s).contains("\r\nAllow: GET\r\n"));

        // what a client reads of it: our own client parser
        HandshakeResponseParser client;
        qsizetype used = 0;
        QCOMPARE(client.feed(response, &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(client.statusCode(), 426);
        QCOMPARE(client.body(), body);
        QCOMPARE(client.header("Sec-WebSocket-Version"), QByteArray("13"));
    }

    // --- Subprotocols ------------------------------------------------------------------------

    void subprotocolChoice_data()
    {
        QTest::addColumn<QList<QByteArray>>("offered");
        QTest::addColumn<QStringList>("server");
        QTest::addColumn<QString>("chosen");
        QTest::newRow("none offered") << QList<QByteArray>{} << QStringList{u"chat"_s} << QString();
        QTest::newRow("server has none") << QList<QByteArray>{"chat"} << QStringList{} << QString();
        QTest::newRow("client's order wins") << QList<QByteArray>{"chat, superchat"}
                                             << QStringList{u"superchat"_s, u"chat"_s} << u"chat"_s;
        QTest::newRow("first match") << QList<QByteArray>{"v3, v2, v1"} << QStringList{u"v1"_s, u"v2"_s} << u"v2"_s;
        QTest::newRow("several lines") << QList<QByteArray>{"a", "b"} << QStringList{u"b"_s} << u"b"_s;
        QTest::newRow("case-sensitive") << QList<QByteArray>{"Chat"} << QStringList{u"chat"_s} << QString();
        QTest::newRow("no match") << QList<QByteArray>{"x, y"} << QStringList{u"z"_s} << QString();
    }
    void subprotocolChoice()
    {
        QFETCH(QList<QByteArray>, offered);
        QFETCH(QStringList, server);
        QFETCH(QString, chosen);
        QCOMPARE(chooseSubprotocol(offered, server), chosen);
    }

    // --- permessage-deflate, the server's side (RFC 7692 §7.1) --------------------------------

    void deflateAnswers_data()
    {
        QTest::addColumn<QByteArray>("offer");
        QTest::addColumn<DeflateServerOptions>("options");
        QTest::addColumn<QByteArray>("response");          // empty: declined
        QTest::addColumn<int>("serverBits");
        QTest::addColumn<int>("clientBits");
        QTest::addColumn<bool>("serverNoTakeover");
        QTest::addColumn<bool>("clientNoTakeover");
        QTest::addColumn<bool>("compressOutgoing");

        const DeflateServerOptions defaults;
        QTest::newRow("plain") << QByteArray("permessage-deflate") << defaults << QByteArray("permessage-deflate")
                               << 15 << 15 << false << false << true;
        QTest::newRow("client_max_window_bits, no value (browsers)")
                << QByteArray("permessage-deflate; client_max_window_bits") << defaults
                << QByteArray("permessage-deflate") << 15 << 15 << false << false << true;
        QTest::newRow("client_max_window_bits=10 binds the client")
                << QByteArray("permessage-deflate; client_max_window_bits=10") << defaults
                << QByteArray("permessage-deflate") << 15 << 10 << false << false << true;
        QTest::newRow("server_max_window_bits=10 must be answered")
                << QByteArray("permessage-deflate; server_max_window_bits=10") << defaults
                << QByteArray("permessage-deflate; server_max_window_bits=10") << 10 << 15 << false << false << true;
        QTest::newRow("server_max_window_bits quoted")
                << QByteArray("permessage-deflate; server_max_window_bits=\"12\"") << defaults
                << QByteArray("permessage-deflate; server_max_window_bits=12") << 12 << 15 << false << false << true;
        QTest::newRow("server_max_window_bits=8: accepted, sent uncompressed")
                << QByteArray("permessage-deflate; server_max_window_bits=8") << defaults
                << QByteArray("permessage-deflate; server_max_window_bits=8") << 8 << 15 << false << false << false;
        QTest::newRow("server_no_context_takeover must be answered")
                << QByteArray("permessage-deflate; server_no_context_takeover") << defaults
                << QByteArray("permessage-deflate; server_no_context_takeover") << 15 << 15 << true << false << true;
        QTest::newRow("client_no_context_takeover is acknowledged")
                << QByteArray("permessage-deflate; client_no_context_takeover") << defaults
                << QByteArray("permessage-deflate; client_no_context_takeover") << 15 << 15 << false << true << true;
        QTest::newRow("everything (RFC 7692 §7.1 parameters, any case)")
                << QByteArray("Permessage-Deflate; Client_Max_Window_Bits; server_max_window_bits=9; "
                              "client_no_context_takeover; SERVER_NO_CONTEXT_TAKEOVER")
                << defaults
                << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                              "server_max_window_bits=9")
                << 9 << 15 << true << true << true;

        DeflateServerOptions small;
        small.serverMaxWindowBits = 12;
        QTest::newRow("our own smaller window, announced unasked")
                << QByteArray("permessage-deflate") << small
                << QByteArray("permessage-deflate; server_max_window_bits=12") << 12 << 15 << false << false << true;
        QTest::newRow("the smaller of ours and the client's")
                << QByteArray("permessage-deflate; server_max_window_bits=14") << small
                << QByteArray("permessage-deflate; server_max_window_bits=12") << 12 << 15 << false << false << true;
        DeflateServerOptions limitClient;
        limitClient.clientMaxWindowBits = 9;
        QTest::newRow("limit the client's window when the offer allows")
                << QByteArray("permessage-deflate; client_max_window_bits") << limitClient
                << QByteArray("permessage-deflate; client_max_window_bits=9") << 15 << 9 << false << false << true;
        QTest::newRow("never limit the client's window unasked")
                << QByteArray("permessage-deflate") << limitClient
                << QByteArray("permessage-deflate") << 15 << 15 << false << false << true;
        limitClient.clientMaxWindowBits = 12;
        QTest::newRow("never above the client's own value")
                << QByteArray("permessage-deflate; client_max_window_bits=10") << limitClient
                << QByteArray("permessage-deflate; client_max_window_bits=10") << 15 << 10 << false << false << true;
        DeflateServerOptions forget;
        forget.serverNoContextTakeover = true;
        forget.clientNoContextTakeover = true;
        QTest::newRow("no context takeover on our side, asked of the client")
                << QByteArray("permessage-deflate") << forget
                << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
                << 15 << 15 << true << true << true;

        // declined offers (RFC 7692 §5): the next one is tried, or none is accepted
        QTest::newRow("several offers: the first acceptable")
                << QByteArray("permessage-deflate; server_max_window_bits=10; client_max_window_bits, "
                              "permessage-deflate; client_max_window_bits")
                << defaults << QByteArray("permessage-deflate; server_max_window_bits=10") << 10 << 15 << false << false << true;
        QTest::newRow("several offers: a broken first is skipped")
                << QByteArray("permessage-deflate; server_max_window_bits=7, permessage-deflate; client_no_context_takeover")
                << defaults << QByteArray("permessage-deflate; client_no_context_takeover") << 15 << 15 << false << true << true;
        QTest::newRow("other extensions are never accepted")
                << QByteArray("x-webkit-deflate-frame, permessage-deflate") << defaults
                << QByteArray("permessage-deflate") << 15 << 15 << false << false << true;
        for (const char *bad : {"permessage-deflate; foo", "permessage-deflate; server_no_context_takeover=1",
                                "permessage-deflate; server_max_window_bits", "permessage-deflate; server_max_window_bits=16",
                                "permessage-deflate; client_max_window_bits=08",
                                "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
                                "x-webkit-deflate-frame"})
            QTest::addRow("declined: %s", bad) << QByteArray(bad) << defaults << QByteArray() << 15 << 15 << false
                                               << false << false;
        DeflateServerOptions off;
        off.enabled = false;
        QTest::newRow("disabled") << QByteArray("permessage-deflate") << off << QByteArray() << 15 << 15 << false
                                  << false << false;
    }
    void deflateAnswers()
    {
        QFETCH(QByteArray, offer);
        QFETCH(DeflateServerOptions, options);
        QFETCH(QByteArray, response);
        QFETCH(int, serverBits);
        QFETCH(int, clientBits);
        QFETCH(bool, serverNoTakeover);
        QFETCH(bool, clientNoTakeover);
        QFETCH(bool, compressOutgoing);

        DeflateServerAgreement agreement;
        QString problem;
        QCOMPARE(answerDeflateOffer(options, {offer}, &agreement, &problem), ErrorDetail::None);
        QCOMPARE(agreement.response, response);
        QCOMPARE(agreement.active, !response.isEmpty());
        if (!agreement.active) {
            QCOMPARE(agreement.acceptedOffer, -1);
            if (options.enabled && offer.startsWith("permessage-deflate"))
                QVERIFY2(problem.contains(u"declined"_s), qPrintable(problem));
            return;
        }
        QCOMPARE(agreement.serverMaxWindowBits, serverBits);
        QCOMPARE(agreement.clientMaxWindowBits, clientBits);
        QCOMPARE(agreement.serverNoContextTakeover, serverNoTakeover);
        QCOMPARE(agreement.clientNoContextTakeover, clientNoTakeover);
        QCOMPARE(agreement.compressOutgoing, compressOutgoing);
    }

    void deflateOfferSyntaxErrorIsAnError()
    {
        DeflateServerAgreement agreement;
        QString problem;
        QCOMPARE(answerDeflateOffer({}, {"permessage-deflate;;"}, &agreement, &problem), ErrorDetail::InvalidExtensionHeader);
        QVERIFY(!agreement.active);
        QVERIFY(!problem.isEmpty());
    }

    void ourClientAcceptsOurServersAnswers_data()
    {
        QTest::addColumn<DeflateOptions>("client");
        QTest::addColumn<DeflateServerOptions>("server");
        DeflateOptions browser; // the defaults: client_max_window_bits without a value
        QTest::newRow("defaults") << browser << DeflateServerOptions{};
        DeflateOptions demanding;
        demanding.serverMaxWindowBits = 10;
        demanding.serverNoContextTakeover = true;
        demanding.clientNoContextTakeover = true;
        demanding.clientMaxWindowBits = 11;
        QTest::newRow("everything requested") << demanding << DeflateServerOptions{};
        DeflateServerOptions limiting;
        limiting.clientMaxWindowBits = 9;
        limiting.serverMaxWindowBits = 11;
        limiting.serverNoContextTakeover = true;
        QTest::newRow("server limits") << browser << limiting;
    }
    void ourClientAcceptsOurServersAnswers()
    {
        QFETCH(DeflateOptions, client);
        QFETCH(DeflateServerOptions, server);

        HandshakeRequestOptions request;
        request.url = QUrl(u"ws://127.0.0.1:9000/echo"_s);
        request.key = generateKey();
        request.protocols = {u"v1"_s, u"v2"_s};
        request.extensions = buildDeflateOffer(client);
        HandshakeRequestParser parser;
        QCOMPARE(parseAll(parser, buildHandshakeRequest(request)), HandshakeRequestParser::Result::Complete);
        ServerHandshakeOptions options;
        options.protocols = {u"v2"_s};
        options.deflate = server;
        const UpgradeAnswer answer = answerUpgrade(parser, options);
        QCOMPARE(answer.rejection.detail, ErrorDetail::None);
        QVERIFY(answer.deflate.active);

        HandshakeResponseParser response;
        qsizetype used = 0;
        QCOMPARE(response.feed(answer.response, &used), HandshakeResponseParser::Result::Complete);
        QCOMPARE(used, answer.response.size());
        QString protocol;
        QCOMPARE(response.validateUpgrade(request.key, request.protocols, &protocol), ErrorDetail::None);
        QCOMPARE(protocol, u"v2"_s);
        DeflateAgreement agreement;
        QString problem;
        QCOMPARE(negotiateDeflate(client, response.headerValues("Sec-WebSocket-Extensions"), &agreement, &problem),
                 ErrorDetail::None);
        // both ends see the same agreement
        QCOMPARE(agreement.clientMaxWindowBits, answer.deflate.clientMaxWindowBits);
        QCOMPARE(agreement.serverMaxWindowBits, answer.deflate.serverMaxWindowBits);
        QCOMPARE(agreement.clientNoContextTakeover, answer.deflate.clientNoContextTakeover);
        QCOMPARE(agreement.serverNoContextTakeover, answer.deflate.serverNoContextTakeover);
    }

    // --- the server's frames -----------------------------------------------------------------

    void unmaskedFramesAreReadByAClient()
    {
        QByteArray wire;
        appendUnmaskedMessage(wire, Opcode::Text, "Hello", 0);
        QCOMPARE(wire, QByteArray("\x81\x05Hello")); // RFC 6455 §5.7: a single-frame unmasked text message
        wire.clear();
        appendUnmaskedMessage(wire, Opcode::Binary, QByteArray(300, 'x'), 256);
        FrameReader reader(Role::Client);
        QByteArrayView input(wire);
        QList<quint64> lengths;
        for (;;) {
            const FrameReader::Event event = reader.next(input);
            QVERIFY(event.kind != FrameReader::EventKind::Error);
            if (event.kind == FrameReader::EventKind::NeedMore)
                break;
            if (event.kind == FrameReader::EventKind::FrameStart) {
                QVERIFY(!reader.header().masked);
                lengths.append(reader.header().payloadLength);
            }
        }
        QCOMPARE(lengths, (QList<quint64>{256, 44}));
    }
};

QTEST_APPLESS_MAIN(tst_ServerHandshake)
#include "tst_serverhandshake.moc"
