#pragma once

#include <chrono>
#include <optional>

#include <QList>
#include <QSslCertificate>
#include <QStringList>

#include "api/clientcertificate.h"
#include "api/passwordcredential.h"
#include "codec/deflateoptions.h"
#include "codec/wswenums.h"

namespace Wsw {

/** MaxMessageSize's default: Windows' "INFINITE". */
constexpr quint32 InfiniteMessageSize = 0xFFFFFFFFu;

/** Bounded waits of one connection (Beast's timeout struct). All but idle must be positive. */
struct Timeouts {
    /** TCP connect and, for wss://, the TLS handshake, together; Windows' default 60 s. */
    std::chrono::milliseconds connect{60000};
    /** From the upgrade request to a complete 101 answer. */
    std::chrono::milliseconds handshake{30000};
    /** From our close frame (sent or answered) to the end of TCP (WinHTTP uses 10 s). */
    std::chrono::milliseconds close{10000};
    /** Fails an open connection that received nothing for this long. 0 = off. */
    std::chrono::milliseconds idle{0};
    /**
     * wss:// only: how long serverCustomValidationRequested's deferrals may take. When it expires
     * the certificate counts as rejected (fail closed).
     */
    std::chrono::milliseconds validation{10000};

    friend bool operator==(const Timeouts &, const Timeouts &) = default;
};

/**
 * How the connection reaches the server. None is direct: Qt's application proxy
 * (QNetworkProxy::setApplicationProxy) is never used. A proxy that fails never leads to a direct
 * connection. wss:// through any proxy is TLS end to end with the server: the proxy only relays.
 */
struct ProxySettings {
    /**
     * System asks QNetworkProxyFactory::systemProxyForQuery() for the URL with ws mapped to http and
     * wss to https, and uses its first answer. On Debian 12 (Qt 6.4 with libproxy 0.4) that honours
     * http_proxy for ws://, https_proxy (else http_proxy) for wss://, upper-case spellings and
     * no_proxy; libproxy does not read all_proxy, so the engine does (curl's rules): http:// or
     * socks5:// for a URL whose own variable is unset and that no_proxy does not exclude.
     */
    ProxyType type = ProxyType::None;
    /** Http and Socks5: the proxy's host name or address, and its port (1-65535). */
    QString host;
    quint16 port = 0;

    friend bool operator==(const ProxySettings &, const ProxySettings &) = default;
};

/**
 * The connection's settings (Windows' MessageWebSocketControl) as a value type. Every field
 * except messageType is fixed once connectAsync() has been called: MessageWebSocket::setControl()
 * refuses changes to them until the connection has ended.
 */
struct MessageWebSocketControl {
    /** Type of messages sent by sendMessage(); may change at any time, even while open. */
    SocketMessageType messageType = SocketMessageType::Binary;
    /** Largest incoming message in bytes; a larger one fails the connection with close 1009. */
    quint32 maxMessageSize = InfiniteMessageSize;
    /** SO_SNDBUF of the TCP socket (Windows' meaning); unset = the OS default. */
    std::optional<quint32> outboundBufferSizeInBytes;
    /**
     * Our own setting: split outgoing messages into frames of at most this many payload bytes; 0 = one
     * frame. A compressed message is split before compression: each frame carries at most this many
     * message bytes, compressed on their own (incompressible data can make a frame a few bytes longer).
     */
    quint32 outboundFrameSizeInBytes = 0;
    /**
     * Most bytes the send queue may hold before sends are refused (SendBufferFull). A send is
     * accepted whenever the queue holds less than this, so one message larger than the limit
     * can still be sent. 0 = no limit.
     */
    quint64 maxBufferedAmountBytes = 64ull * 1024 * 1024;
    /** Offered in Sec-WebSocket-Protocol, in order of preference. */
    QStringList supportedProtocols;
    /** Period of unsolicited Pong frames (RFC 6455 §5.5.3 heartbeat); 0 = off, otherwise at least 1 s. */
    std::chrono::milliseconds desiredUnsolicitedPongInterval{0};
    MessageWebSocketReceiveMode receiveMode = MessageWebSocketReceiveMode::FullMessage;
    /** TCP_NODELAY (Nagle off), as browsers and Windows' StreamWebSocket do. */
    bool noDelay = true;
    Timeouts timeouts;
    /** permessage-deflate (RFC 7692): offered by default; see DeflateOptions. */
    DeflateOptions compression;

    // --- proxy (spec §3 ProxyCredential, §12.3) ---
    ProxySettings proxy;
    /**
     * Answers the proxy's first request for authentication (HTTP 407 Basic/Digest, SOCKS5 RFC 1929
     * username/password). A second request, or one without a credential, fails the connection
     * with ProxyAuthenticationRequired. Never shown in errors, logs or Information.
     */
    std::optional<PasswordCredential> proxyCredential;

    // --- server authentication (spec §3 ServerCredential, §12.3) ---
    /**
     * Answers the server's first 401 to the upgrade: the strongest challenge of its
     * WWW-Authenticate that we can answer (Digest SHA-256 > MD5 > Basic; Basic on ws:// too, which
     * Information.authentication and the error text call out as a password sent in clear) is
     * answered on a fresh connection, once. A second 401 fails with CredentialRejected. The user
     * name must not be empty; neither may contain control characters. Never shown in errors,
     * logs, transcripts or Information.
     */
    std::optional<PasswordCredential> serverCredential;

    // --- wss:// (spec §3, §6, §12.7) ---
    /**
     * Certificate errors that default validation tolerates, and only these. Only Ignorable
     * values (spec §7.4) may be listed: setControl() refuses Revoked, InvalidSignature,
     * InvalidCertificateAuthorityPolicy, BasicConstraintsError, UnknownCriticalExtension and
     * OtherErrors with InvalidArgument.
     */
    QList<ChainValidationResult> ignorableServerCertificateErrors;
    /** CA certificates trusted for this connection besides the system's. */
    QList<QSslCertificate> additionalCaCertificates;
    /**
     * Public-key pins, "sha256/BASE64" (see SpkiPin). When any is given, the server must present
     * a pinned key, even when its chain is trusted; a pinned leaf key is accepted even when its
     * chain is not trusted (Untrusted and IncompleteChain are waived for it, nothing else). When the
     * chain has trust errors only the leaf's key counts; otherwise any key the server presented.
     */
    QStringList pinnedPublicKeys;
    /**
     * Offered when the server asks for one (mutual TLS); none by default. See ClientCertificate::load().
     * (Optional rather than a null certificate: constructing a QSslCertificate loads Qt's TLS
     * backend, which a ws:// application should not pay for.)
     */
    std::optional<ClientCertificate> clientCertificate;
    /**
     * Unlike Windows, lets a serverCustomValidationRequested handler accept a chain that failed
     * default validation, by calling acceptDespiteErrors() (a "trust this certificate" prompt).
     * Off by default; never silent: without that call the chain stays rejected; Fatal errors
     * (spec §7.4) are never overridable; a handler must be connected before connectAsync().
     */
    bool allowCustomValidationOverride = false;

    /** The interval actually used for a desired one: 0 stays off, anything else at least 1 s. */
    static std::chrono::milliseconds actualPongInterval(std::chrono::milliseconds desired);

    /** True when only messageType differs. */
    bool differsOnlyInMessageType(const MessageWebSocketControl &other) const;

    friend bool operator==(const MessageWebSocketControl &, const MessageWebSocketControl &) = default;
};

} // namespace Wsw
