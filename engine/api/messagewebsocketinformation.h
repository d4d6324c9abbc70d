#pragma once

#include <chrono>
#include <optional>

#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

#include "api/frameinfo.h"
#include "codec/wswenums.h"

namespace Wsw {

/** Windows' BandwidthStatistics, filled from our own byte counters over the last second. */
struct BandwidthStatistics {
    quint64 outboundBitsPerSecond = 0;
    quint64 inboundBitsPerSecond = 0;
    quint64 outboundBitsPerSecondInstability = 0;
    quint64 inboundBitsPerSecondInstability = 0;
    bool outboundBandwidthPeaked = false;
    bool inboundBandwidthPeaked = false;
};

/** Counters of one connection since connectAsync(). */
struct TrafficCounters {
    quint64 messagesSent = 0;
    quint64 messagesReceived = 0;
    quint64 framesSent = 0;
    quint64 framesReceived = 0;
    quint64 payloadBytesSent = 0;     // frame payload as on the wire (compressed when compressed)
    quint64 payloadBytesReceived = 0;
    quint64 messageBytesSent = 0;     // application data before compression
    quint64 messageBytesReceived = 0; // application data after inflation
    quint64 compressedMessagesSent = 0;
    quint64 compressedMessagesReceived = 0;
    quint64 wireBytesSent = 0;     // everything written to the socket, handshake included
    quint64 wireBytesReceived = 0; // everything read from the socket, handshake included
    quint64 pingsSent = 0;
    quint64 pongsReceived = 0;
};

/** The permessage-deflate agreement (RFC 7692) of an open connection. */
struct CompressionInformation {
    bool negotiated = false;
    /** The accepted extension as the server wrote it, e.g. "permessage-deflate; server_no_context_takeover". */
    QString extension;
    int clientMaxWindowBits = 15; // our compressor's window
    int serverMaxWindowBits = 15; // the server's compressor's window (our inflater's)
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;
    /** Whether our messages are compressed (see note when not, although negotiated). */
    bool outgoingCompressed = false;
    /** Why, in words, when something differs from what one would expect (e.g. an 8-bit window). */
    QString note;
};

/** The TLS session of a wss:// connection (beyond Windows' four certificate properties). */
struct TlsInformation {
    /** A TLS session was negotiated (false for ws://, and for a handshake that failed). */
    bool encrypted = false;
    QString protocol;      // "TLSv1.3"
    QString cipher;        // "TLS_AES_256_GCM_SHA384"
    int cipherBits = 0;
    /** The host name the certificate was checked against (the URL's host). */
    QString peerVerifyName;
    /** Default validation accepted the chain (with Control's ignorable errors and pins). */
    bool defaultValidationPassed = false;
    /** The validation handler accepted a chain that failed default validation (acceptDespiteErrors()). */
    bool acceptedByOverride = false;
    /** The pin that matched, when Control.pinnedPublicKeys was given. */
    QString matchedPin;
    /** Pins of the keys the server presented, leaf first, for a pin mismatch or a pin to copy. */
    QStringList presentedPins;
};

/** The proxy a connection went through (Control.proxy; for System, what the system chose). */
struct ProxyInformation {
    /** Http or Socks5 when a proxy was used; None for a direct connection (also when System chose none). */
    ProxyType type = ProxyType::None;
    /** Control.proxy was System: type, host and port are the system's answer. */
    bool fromSystem = false;
    QString host;
    quint16 port = 0;
    /** The proxy asked for authentication and was given the proxy credential. */
    bool authenticated = false;
};

/** How the server's 401 was answered (Control.serverCredential); empty when it was not asked. */
struct ServerAuthenticationInformation {
    /** The scheme answered: "Basic", "Digest MD5", "Digest SHA-256", ...; empty when none. */
    QString scheme;
    /** The realm the server named. */
    QString realm;
    /** Basic over ws://: the password crossed the network only base64-encoded, readable by anyone. */
    bool passwordInClear = false;
    /** In words, for a log line: what was answered and, for Basic over ws://, that the password went in clear. */
    QString note;
};

/** A snapshot of what is known about the connection (Windows' MessageWebSocketInformation, extended). */
struct MessageWebSocketInformation {
    QHostAddress localAddress;
    quint16 localPort = 0;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    BandwidthStatistics bandwidthStatistics;
    /** The negotiated subprotocol: null before the upgrade, empty when none was negotiated. */
    QString protocol;
    HandshakeTranscript handshake;
    CompressionInformation compression;
    TrafficCounters counters;
    /** Round-trip time of the last answered ping; -1 when none. */
    std::chrono::milliseconds lastPingRoundTrip{-1};
    std::chrono::milliseconds actualUnsolicitedPongInterval{0};
    /** The proxy used, known from connectAsync() on; authenticated once the proxy has accepted it. */
    ProxyInformation proxy;
    /** The server asked for authentication (401) and was answered with Control.serverCredential. */
    ServerAuthenticationInformation authentication;

    // --- wss:// (Windows' IWebSocketInformation2): filled during the TLS handshake, before
    // serverCustomValidationRequested, and kept after the connection ends, failed or not ---
    /** The leaf the server presented; none before the TLS handshake (and for ws://). */
    std::optional<QSslCertificate> serverCertificate;
    /** The other certificates the server sent, in its order. */
    QList<QSslCertificate> serverIntermediateCertificates;
    /** Every distinct error default validation met, ignored or not. */
    QList<ChainValidationResult> serverCertificateErrors;
    SocketSslErrorSeverity serverCertificateErrorSeverity = SocketSslErrorSeverity::None;
    /** The same errors as OpenSSL reported them, each with its certificate. */
    QList<QSslError> sslErrors;
    TlsInformation tls;
};

} // namespace Wsw
