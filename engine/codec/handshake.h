#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QUrl>

#include "codec/httpheadreader.h"
#include "codec/wswenums.h"

namespace Wsw::Codec {

/** The GUID of RFC 6455 §1.3 appended to the key before hashing. */
inline constexpr char WebSocketGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** Bounds of the response parser. Line and count limits follow Apache's defaults, as qtwebsockets does. */
constexpr qsizetype MaxHeaderLineBytes = 8 * 1024;
constexpr int MaxHeaderLines = 100;
constexpr qsizetype MaxResponseHeaderBytes = 64 * 1024;
/** A non-101 answer's body is kept for the user to read, up to this much. */
constexpr qsizetype MaxResponseBodyBytes = 64 * 1024;

/** Everything the opening request is made from. */
struct HandshakeRequestOptions {
    QUrl url;                    // ws:// or wss://, absolute
    QByteArray key;              // base64 of 16 random bytes (generateKey())
    QStringList protocols;       // Sec-WebSocket-Protocol, in order of preference
    QByteArray extensions;       // Sec-WebSocket-Extensions (buildDeflateOffer()); empty: none
    HeaderList extraHeaders;     // validated with validateRequestHeader()
};

/** Sec-WebSocket-Key: base64 of 16 bytes from QRandomGenerator::system(). */
QByteArray generateKey();

/** base64(SHA-1(key + GUID)): the Sec-WebSocket-Accept a server must answer with. */
QByteArray expectedAcceptKey(QByteArrayView key);

/**
 * Whether an application may add this header: a token name, no CR/LF/NUL in the value, and not
 * a header the engine owns (Host, Upgrade, Connection, Sec-WebSocket-Key/-Version/-Protocol/
 * -Accept) or Sec-WebSocket-Extensions. Returns None, InvalidHeader or ForbiddenHeader.
 */
ErrorDetail validateRequestHeader(QByteArrayView name, QByteArrayView value);

/** A subprotocol must be a non-empty HTTP token (RFC 6455 §4.1). InvalidSubprotocol otherwise. */
ErrorDetail validateSubprotocol(QStringView protocol);

/** The URL checks of RFC 6455 §3: absolute ws/wss, a host, no fragment. */
ErrorDetail validateUrl(const QUrl &url);

/** The GET request, ending with the empty line. Inputs must have been validated. */
QByteArray buildHandshakeRequest(const HandshakeRequestOptions &options);

/**
 * Reads the server's answer to the opening request from raw bytes, bounded by the limits
 * above. It keeps the raw bytes and the headers in order so the UI can show them. For a 101
 * answer it stops right after the empty line: what follows is frame data. For any other
 * status it goes on reading a body (Content-Length, or until finishAtEndOfStream()), bounded
 * by MaxResponseBodyBytes.
 */
class HandshakeResponseParser final
{
public:
    enum class Result : quint8 { NeedMore, Complete, Error };

    /** Consumes from the front of bytes; *consumed tells how many were used. */
    Result feed(QByteArrayView bytes, qsizetype *consumed);

    /** The peer closed the connection: a body without a length ends here. */
    Result finishAtEndOfStream();

    /**
     * After Complete with status 101: checks RFC 6455 §4.1's rules for the client. The
     * extensions are negotiateDeflate()'s business (headerValues("Sec-WebSocket-Extensions")).
     */
    ErrorDetail validateUpgrade(QByteArrayView key, const QStringList &offeredProtocols,
                                QString *acceptedProtocol) const;

    bool headersComplete() const { return m_stage >= Stage::Body; }
    bool isComplete() const { return m_stage == Stage::Done; }
    ErrorDetail error() const { return m_error; }
    int statusCode() const { return m_status; }
    QByteArray reasonPhrase() const { return m_reason; }
    QByteArray httpVersion() const { return m_version; }
    const HeaderList &headers() const { return m_head.headers(); }
    /** The first value of a header (case-insensitive name); null if absent. */
    QByteArray header(QByteArrayView name) const { return headerValue(m_head.headers(), name); }
    QList<QByteArray> headerValues(QByteArrayView name) const { return Codec::headerValues(m_head.headers(), name); }
    /** Status line and headers as received, interim 1xx answers included (without the body). */
    const QByteArray &rawHeaders() const { return m_head.raw(); }
    const QByteArray &body() const { return m_body; }
    bool isBodyTruncated() const { return m_bodyTruncated; }

    void reset();

private:
    enum class Stage : quint8 { Head, Body, Done, Failed };

    static HttpHeadReader::Options headOptions();
    Result fail(ErrorDetail detail);
    ErrorDetail parseStatusLine(QByteArrayView line);
    void startBody();

    Stage m_stage = Stage::Head;
    ErrorDetail m_error = ErrorDetail::None;
    HttpHeadReader m_head{headOptions()};
    int m_status = 0;
    QByteArray m_version;
    QByteArray m_reason;
    QByteArray m_body;
    qint64 m_bodyExpected = -1; // -1: until the end of the stream
    bool m_bodyTruncated = false;
};

} // namespace Wsw::Codec
