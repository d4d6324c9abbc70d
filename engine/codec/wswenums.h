#pragma once

// Enumerations of the MessageWebSocket family (spec §7, §12.6), shared by every layer.
// They live in the codec so that its error table can name a WebErrorStatus; all are
// registered with the meta-object system for logging and the UI.

#include <QObject>

namespace Wsw {
Q_NAMESPACE

/** Type of an outgoing or received message (Windows' SocketMessageType). */
enum class SocketMessageType : int {
    Binary = 0,
    Utf8 = 1,
};
Q_ENUM_NS(SocketMessageType)

/** FullMessage: one messageReceived per message; PartialMessage: one per piece as it arrives. */
enum class MessageWebSocketReceiveMode : int {
    FullMessage = 0,
    PartialMessage = 1,
};
Q_ENUM_NS(MessageWebSocketReceiveMode)

enum class SocketSslErrorSeverity : int {
    None = 0,
    Ignorable = 1,
    Fatal = 2,
};
Q_ENUM_NS(SocketSslErrorSeverity)

enum class ChainValidationResult : int {
    Success = 0,
    Untrusted = 1,
    Revoked = 2,
    Expired = 3,
    IncompleteChain = 4,
    InvalidSignature = 5,
    WrongUsage = 6,
    InvalidName = 7,
    InvalidCertificateAuthorityPolicy = 8,
    BasicConstraintsError = 9,
    UnknownCriticalExtension = 10,
    RevocationInformationMissing = 11,
    RevocationFailure = 12,
    OtherErrors = 13,
};
Q_ENUM_NS(ChainValidationResult)

/** Windows.Web.WebErrorStatus, same numbers (spec §7.5). */
enum class WebErrorStatus : int {
    Unknown = 0,
    CertificateCommonNameIsIncorrect = 1,
    CertificateExpired = 2,
    CertificateContainsErrors = 3,
    CertificateRevoked = 4,
    CertificateIsInvalid = 5,
    ServerUnreachable = 6,
    Timeout = 7,
    ErrorHttpInvalidServerResponse = 8,
    ConnectionAborted = 9,
    ConnectionReset = 10,
    Disconnected = 11,
    HttpToHttpsOnRedirection = 12,
    HttpsToHttpOnRedirection = 13,
    CannotConnect = 14,
    HostNameNotResolved = 15,
    OperationCanceled = 16,
    RedirectFailed = 17,
    UnexpectedStatusCode = 18,
    UnexpectedRedirection = 19,
    UnexpectedClientError = 20,
    UnexpectedServerError = 21,
    InsufficientRangeSupport = 22,
    MissingContentLengthSupport = 23,
    MultipleChoices = 300,
    MovedPermanently = 301,
    Found = 302,
    SeeOther = 303,
    NotModified = 304,
    UseProxy = 305,
    TemporaryRedirect = 307,
    BadRequest = 400,
    Unauthorized = 401,
    PaymentRequired = 402,
    Forbidden = 403,
    NotFound = 404,
    MethodNotAllowed = 405,
    NotAcceptable = 406,
    ProxyAuthenticationRequired = 407,
    RequestTimeout = 408,
    Conflict = 409,
    Gone = 410,
    LengthRequired = 411,
    PreconditionFailed = 412,
    RequestEntityTooLarge = 413,
    RequestUriTooLong = 414,
    UnsupportedMediaType = 415,
    RequestedRangeNotSatisfiable = 416,
    ExpectationFailed = 417,
    InternalServerError = 500,
    NotImplemented = 501,
    BadGateway = 502,
    ServiceUnavailable = 503,
    GatewayTimeout = 504,
    HttpVersionNotSupported = 505,
};
Q_ENUM_NS(WebErrorStatus)

/** How a connection reaches its server (Control.proxy). */
enum class ProxyType : int {
    None = 0,   // direct, whatever Qt's application proxy says
    System = 1, // the system's choice for the URL (Linux: http_proxy / https_proxy / no_proxy)
    Http = 2,   // HTTP CONNECT tunnel (QNetworkProxy::HttpProxy)
    Socks5 = 3, // SOCKS5 (QNetworkProxy::Socks5Proxy)
};
Q_ENUM_NS(ProxyType)

/** Life of one connection attempt; changed in exactly one place (the connection's setState). */
enum class ConnectionState : int {
    Idle = 0,           // created, never connected
    Connecting,         // TCP (and later proxy) connect under way
    TlsHandshaking,     // wss:// only
    AwaitingServerValidation, // wss:// custom validation deferral held
    AwaitingUpgrade,    // HTTP upgrade request sent, waiting for 101
    Open,
    Closing,            // close frame sent or received, waiting for the other side
    Closed,             // ended after Open without an error: a close handshake, or abort()
    Failed,             // ended by an error (errorOccurred), before or after Open
};
Q_ENUM_NS(ConnectionState)

/**
 * One enumerator per broken rule or failure cause. errorInfo() (errortable.h) gives for each
 * its message, the close code to send and the WebErrorStatus.
 */
enum class ErrorDetail : int {
    None = 0,
    // API misuse (returned synchronously through lastError(); nothing is emitted)
    InvalidState,
    InvalidArgument,
    InvalidUrl,
    UnsupportedScheme,
    ForbiddenHeader,
    InvalidHeader,
    InvalidCloseCode,
    CloseReasonTooLong,
    InvalidUtf8InOutgoingText,
    FragmentedMessageInProgress,
    NoFragmentedMessageInProgress,
    SendBufferFull,
    ControlPayloadTooLong,
    InvalidSubprotocol,
    // Frame rules (RFC 6455 §5), one frame at a time
    MaskedServerFrame,
    ReservedBitsSet,
    ReservedOpcode,
    ControlFrameTooLong,
    FragmentedControlFrame,
    NonMinimalLength,
    LengthTopBitSet,
    CompressedContinuationFrame,
    CompressedControlFrame,
    // Frame sequence rules (RFC 6455 §5.4)
    UnexpectedContinuation,
    ExpectedContinuation,
    // Message content
    InvalidUtf8,
    MessageTooBig,
    InvalidCompressedData,
    // Close frames (RFC 6455 §5.5.1, §7.4)
    InvalidClosePayloadLength,
    InvalidCloseCodeReceived,
    InvalidUtf8InCloseReason,
    // Opening handshake (RFC 6455 §4.1)
    HeaderLineTooLong,
    TooManyHeaders,
    HeaderTooLarge,
    MalformedStatusLine,
    UnsupportedHttpVersion,
    MalformedHeader,
    NotSwitchingProtocols,
    MissingUpgradeHeader,
    MissingConnectionUpgrade,
    MissingAcceptKey,
    DuplicateAcceptKey,
    AcceptKeyMismatch,
    UnrequestedSubprotocol,
    MultipleSubprotocols,
    UnrequestedExtension,
    // Extension negotiation (RFC 6455 §9.1, RFC 7692 §5, §7)
    InvalidExtensionHeader,
    MultipleExtensions,
    UnknownExtensionParameter,
    DuplicateExtensionParameter,
    InvalidExtensionParameterValue,
    UnrequestedExtensionParameter,
    MissingExtensionParameter,
    // Connection and network
    HostNotFound,
    ConnectionRefused,
    ConnectTimeout,
    HandshakeTimeout,
    CloseTimeout,
    IdleTimeout,
    ConnectionAborted,
    ConnectionReset,
    NetworkError,
    OperationCanceled,
    SslUnavailable,
    SocketError,
    // Proxy (Control.proxy): failures of the proxy itself, before the tunnel to the server is up
    ProxyAuthenticationRequired,
    ProxyConnectionRefused,
    ProxyNotFound,
    ProxyRefusedTarget,
    ProxyConnectTimeout,
    ProxyConnectionClosed,
    ProxyProtocolError,
    // TLS (wss://)
    TlsHandshakeFailed,
    CertificateRejected,
    PinMismatch,
    ServerValidationRejected,
    ServerValidationAbandoned,
    ServerValidationTimeout,
    ClientCertificateRequired,
    ClientCertificateRejected,
    TlsError,
    // Client certificate files (returned by the loader, before any connection)
    ClientCertificateUnreadable,
    ClientCertificatePasswordWrong,
    ClientCertificateKeyMismatch,
    // Server role (the built-in echo server): the client's opening request (RFC 6455 §4.2.1)
    RequestLineTooLong,
    RequestHeaderLineTooLong,
    RequestTooManyHeaders,
    RequestHeaderTooLarge,
    RequestLineMalformed,
    RequestHeaderMalformed,
    RequestMethodNotGet,
    RequestHttpVersionUnsupported,
    RequestHostMissing,
    RequestUpgradeMissing,
    RequestConnectionUpgradeMissing,
    RequestKeyMissing,
    RequestKeyInvalid,
    RequestVersionUnsupported,
    RequestBodyNotAllowed,
    RequestSubprotocolInvalid,
    RequestExtensionsInvalid,
    RequestTimeout,
    // HTTP authentication of the upgrade (RFC 7235; Basic RFC 7617, Digest RFC 7616)
    MissingAuthChallenge,
    MalformedAuthChallenge,
    DuplicateAuthParameter,
    TooManyAuthChallenges,
    TooManyAuthParameters,
    NoUsableAuthScheme,
    ColonInUserName,
    ControlCharacterInCredentials,
    CredentialRejected,
};
Q_ENUM_NS(ErrorDetail)

} // namespace Wsw
