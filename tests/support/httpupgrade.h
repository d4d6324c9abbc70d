#pragma once

#include <optional>

#include <QByteArray>
#include <QUrl>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace Wsw::Test {

using TestHeaderList = QList<QPair<QByteArray, QByteArray>>;

/**
 * The client's opening request as a test server saw it. Parsed here, independently of the
 * engine's codec (RFC 7230 §3 request line and header fields, no line folding), so a bug in
 * the engine's handshake code cannot hide itself.
 */
struct UpgradeRequest {
    QByteArray raw; // request line and headers, up to and including the empty line
    QByteArray method;
    QByteArray target;
    QByteArray version;
    TestHeaderList headers; // in the order received, values trimmed

    /** The first value of a header (case-insensitive name); null when absent. */
    QByteArray header(QByteArrayView name) const;
    QList<QByteArray> headerValues(QByteArrayView name) const;
    int headerCount(QByteArrayView name) const { return int(headerValues(name).size()); }
    QByteArray key() const { return header("Sec-WebSocket-Key"); }
    /** Sec-WebSocket-Protocol split at commas, in order. */
    QList<QByteArray> offeredProtocols() const;
};

/** Request heads larger than this are refused by the test servers (they are not the system under test). */
constexpr qsizetype MaxTestRequestBytes = 64 * 1024;

/**
 * Takes one request head from the front of buffer once its empty line has arrived; what
 * follows (frames) stays in buffer. Returns nothing while more bytes are needed.
 */
std::optional<UpgradeRequest> takeUpgradeRequest(QByteArray &buffer);

/** RFC 6455 §4.2.2: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")). */
QByteArray acceptKeyFor(QByteArrayView key);

/** A correct "101 Switching Protocols" answer to key, with an optional subprotocol and extra headers. */
QByteArray switchingProtocolsResponse(QByteArrayView key, QByteArrayView protocol = {},
                                      const TestHeaderList &extraHeaders = {});

/** The close code of a close frame payload; 0 when the payload is empty. */
quint16 closeCodeOf(QByteArrayView closePayload);
/** The reason bytes of a close frame payload (after the 2-byte code). */
QByteArray closeReasonOf(QByteArrayView closePayload);

/** ws://127.0.0.1:<port><path>: where the in-process test servers listen. */
QUrl loopbackWebSocketUrl(quint16 port, const QString &path);

} // namespace Wsw::Test
