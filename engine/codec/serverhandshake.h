#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "codec/handshake.h"
#include "codec/httpheadreader.h"
#include "codec/permessagedeflate.h"
#include "codec/wswenums.h"

namespace Wsw::Codec {

/**
 * The server's side of the opening handshake (RFC 6455 §4.2), socket-free like the client's:
 * HandshakeRequestParser reads the GET, validateUpgradeRequest() judges it, answerUpgrade()
 * picks a subprotocol and permessage-deflate, and buildHandshakeResponse()/buildRejectResponse()
 * write the answer. Used by the built-in echo server (engine/server).
 */

/** The whole request (request line and headers) may have at most this many bytes. */
constexpr qsizetype MaxRequestHeaderBytes = MaxResponseHeaderBytes;

/**
 * Reads the client's opening request from raw bytes, bounded like HandshakeResponseParser
 * (MaxHeaderLineBytes per line, MaxHeaderLines headers, MaxRequestHeaderBytes in all). It stops
 * right after the empty line: whatever follows belongs to the frames. Headers are kept in order;
 * a bare LF ends a line as CRLF does (RFC 7230 §3.5).
 */
class HandshakeRequestParser final
{
public:
    enum class Result : quint8 { NeedMore, Complete, Error };

    /** Consumes from the front of bytes; *consumed tells how many were used. */
    Result feed(QByteArrayView bytes, qsizetype *consumed);

    bool isComplete() const { return m_head.isHeadComplete(); }
    ErrorDetail error() const { return m_head.error(); }
    QByteArray method() const { return m_method; }
    /** The request-target as sent: origin-form ("/path?query") or absolute-form. */
    QByteArray target() const { return m_target; }
    QByteArray httpVersion() const { return m_version; }
    const HeaderList &headers() const { return m_head.headers(); }
    /** The first value of a header (case-insensitive name); null if absent. */
    QByteArray header(QByteArrayView name) const { return headerValue(m_head.headers(), name); }
    QList<QByteArray> headerValues(QByteArrayView name) const { return Codec::headerValues(m_head.headers(), name); }
    /** Request line and headers as received. */
    const QByteArray &rawHeaders() const { return m_head.raw(); }

    void reset();

private:
    static HttpHeadReader::Options headOptions();
    ErrorDetail parseRequestLine(QByteArrayView line);

    HttpHeadReader m_head{headOptions()};
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_version;
};

/** How a request is refused: the broken rule and the HTTP answer for it. */
struct RequestRejection {
    ErrorDetail detail = ErrorDetail::None;
    int status = 0;            // 400, 405, 408, 414, 426, 431, 505
    QByteArray reasonPhrase;   // "Bad Request"
    /** One sentence for the body and the log (errorMessage(detail), perhaps more precise). */
    QString text;
};

/** The HTTP answer to a request broken in this way (RFC 6455 §4.2.1, §4.2.2). */
RequestRejection rejectionFor(ErrorDetail detail, const QString &text = {});

/**
 * RFC 6455 §4.2.1 for a complete request: GET, HTTP/1.1 (or a later 1.x), exactly one Host,
 * Upgrade naming websocket, Connection naming Upgrade, one Sec-WebSocket-Key that is the base64
 * of 16 bytes, Sec-WebSocket-Version 13 (otherwise 426 naming 13, §4.2.2), no body, and
 * well-formed Sec-WebSocket-Protocol and Sec-WebSocket-Extensions lists. detail None: acceptable.
 */
RequestRejection validateUpgradeRequest(const HandshakeRequestParser &request);

/**
 * The subprotocol to answer with: the first the client offered (in its order) that the server
 * supports; empty when none matches or either list is empty (then no header is sent).
 */
QString chooseSubprotocol(const QList<QByteArray> &offeredValues, const QStringList &serverProtocols);

/** What the server is willing to agree to. */
struct ServerHandshakeOptions {
    /** Subprotocols the server speaks; empty: none is ever chosen. */
    QStringList protocols;
    DeflateServerOptions deflate;
};

/** A validated request's outcome: the chosen subprotocol and extension, and the bytes to send. */
struct UpgradeAnswer {
    RequestRejection rejection; // detail None: upgraded
    QString protocol;           // empty: none
    DeflateServerAgreement deflate;
    /** Why an offer of permessage-deflate was declined, if one was. */
    QString deflateNote;
    /** The 101 answer, or the reject answer (then close the connection after it). */
    QByteArray response;
};

/** validateUpgradeRequest(), then the subprotocol, permessage-deflate and the answer's bytes. */
UpgradeAnswer answerUpgrade(const HandshakeRequestParser &request, const ServerHandshakeOptions &options);

/**
 * "HTTP/1.1 101 Switching Protocols" with Upgrade, Connection, Sec-WebSocket-Accept
 * (expectedAcceptKey(key)) and, when not empty, Sec-WebSocket-Protocol and
 * Sec-WebSocket-Extensions; ends with the empty line.
 */
QByteArray buildHandshakeResponse(QByteArrayView key, const QString &chosenProtocol,
                                  const QByteArray &extensionsAnswer);

/**
 * A refusal: the status line, a short text/plain body (text plus a newline), Content-Length and
 * Connection: close. 426 also names "Upgrade: websocket" (RFC 9110 §15.5.22) and
 * "Sec-WebSocket-Version: 13" (RFC 6455 §4.2.2); 405 adds "Allow: GET".
 */
QByteArray buildRejectResponse(int status, const QString &text);

/** The standard reason phrase of the statuses a WebSocket server sends. */
QByteArray reasonPhraseFor(int status);

} // namespace Wsw::Codec
