#include "codec/errortable.h"

namespace Wsw::Codec {

namespace {
using S = WebErrorStatus;
constexpr quint16 NoClose = 0;
constexpr quint16 Protocol = 1002;
constexpr quint16 BadData = 1007;
constexpr quint16 TooBig = 1009;
} // namespace

ErrorInfo errorInfo(ErrorDetail detail)
{
    switch (detail) {
    case ErrorDetail::None:
        return {"No error", NoClose, S::Unknown};
    // API misuse
    case ErrorDetail::InvalidState:
        return {"The operation is not allowed in the connection's current state", NoClose, S::UnexpectedClientError};
    case ErrorDetail::InvalidArgument:
        return {"Invalid argument", NoClose, S::UnexpectedClientError};
    case ErrorDetail::InvalidUrl:
        return {"The URL must be absolute, name a host and have no fragment", NoClose, S::UnexpectedClientError};
    case ErrorDetail::UnsupportedScheme:
        return {"Only ws:// and wss:// URLs are supported", NoClose, S::UnexpectedClientError};
    case ErrorDetail::ForbiddenHeader:
        return {"This header is set by the engine and may not be set by the application", NoClose, S::UnexpectedClientError};
    case ErrorDetail::InvalidHeader:
        return {"Header names must be HTTP tokens and values may not contain CR, LF or NUL", NoClose, S::UnexpectedClientError};
    case ErrorDetail::InvalidCloseCode:
        return {"This close code may not be sent (allowed: 1000-1003, 1007-1014, 3000-4999)", NoClose, S::UnexpectedClientError};
    case ErrorDetail::CloseReasonTooLong:
        return {"The close reason is longer than 123 bytes of UTF-8", NoClose, S::UnexpectedClientError};
    case ErrorDetail::InvalidUtf8InOutgoingText:
        return {"A text message must be valid UTF-8", NoClose, S::UnexpectedClientError};
    case ErrorDetail::FragmentedMessageInProgress:
        return {"A fragmented message is being sent: finish it with sendFinalFrame() first", NoClose, S::UnexpectedClientError};
    case ErrorDetail::NoFragmentedMessageInProgress:
        return {"No fragmented message is being sent", NoClose, S::UnexpectedClientError};
    case ErrorDetail::SendBufferFull:
        return {"The send queue is full (maxBufferedAmountBytes): wait for bytesWritten", NoClose, S::UnexpectedClientError};
    case ErrorDetail::ControlPayloadTooLong:
        return {"A ping or pong payload may have at most 125 bytes", NoClose, S::UnexpectedClientError};
    case ErrorDetail::InvalidSubprotocol:
        return {"A subprotocol must be a non-empty HTTP token", NoClose, S::UnexpectedClientError};
    // Frame rules
    case ErrorDetail::MaskedServerFrame:
        return {"The server sent a masked frame (RFC 6455 §5.1)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::ReservedBitsSet:
        return {"A frame has reserved bits set that no extension allows (RFC 6455 §5.2)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::ReservedOpcode:
        return {"A frame uses a reserved opcode (RFC 6455 §5.2)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::ControlFrameTooLong:
        return {"A control frame has more than 125 bytes of payload (RFC 6455 §5.5)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::FragmentedControlFrame:
        return {"A control frame is fragmented (RFC 6455 §5.5)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::NonMinimalLength:
        return {"A frame length is not in its minimal encoding (RFC 6455 §5.2)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::LengthTopBitSet:
        return {"A 64-bit frame length has its most significant bit set (RFC 6455 §5.2)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::CompressedContinuationFrame:
        return {"A continuation frame has RSV1 set: only a message's first frame may (RFC 7692 §6.1)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::CompressedControlFrame:
        return {"A control frame has RSV1 set: control frames are never compressed (RFC 7692 §6.1)", Protocol, S::UnexpectedServerError};
    // Sequence rules
    case ErrorDetail::UnexpectedContinuation:
        return {"A continuation frame arrived with no message to continue (RFC 6455 §5.4)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::ExpectedContinuation:
        return {"A new data message started inside a fragmented one (RFC 6455 §5.4)", Protocol, S::UnexpectedServerError};
    // Content
    case ErrorDetail::InvalidUtf8:
        return {"A text message is not valid UTF-8 (RFC 6455 §8.1)", BadData, S::UnexpectedServerError};
    case ErrorDetail::MessageTooBig:
        return {"A message is larger than MaxMessageSize", TooBig, S::UnexpectedServerError};
    case ErrorDetail::InvalidCompressedData:
        return {"A compressed message is not valid DEFLATE data, or does not end between blocks (RFC 7692 §7.2.2)", BadData, S::UnexpectedServerError};
    // Close frames
    case ErrorDetail::InvalidClosePayloadLength:
        return {"A close frame has a 1-byte payload (RFC 6455 §5.5.1)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::InvalidCloseCodeReceived:
        return {"A close frame carries a code that may not be sent (RFC 6455 §7.4)", Protocol, S::UnexpectedServerError};
    case ErrorDetail::InvalidUtf8InCloseReason:
        return {"A close reason is not valid UTF-8 (RFC 6455 §5.5.1)", BadData, S::UnexpectedServerError};
    // Opening handshake
    case ErrorDetail::HeaderLineTooLong:
        return {"A line of the server's upgrade answer is too long (limit 8 KiB)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::TooManyHeaders:
        return {"The server's upgrade answer has too many headers (limit 100)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::HeaderTooLarge:
        return {"The server's upgrade answer is too large (limit 64 KiB)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MalformedStatusLine:
        return {"The server's answer does not start with an HTTP status line", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::UnsupportedHttpVersion:
        return {"The server did not answer with HTTP/1.1 (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MalformedHeader:
        return {"The server's answer has a malformed header line", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::NotSwitchingProtocols:
        return {"The server did not accept the upgrade (no 101 Switching Protocols)", NoClose, S::UnexpectedStatusCode};
    case ErrorDetail::MissingUpgradeHeader:
        return {"The 101 answer lacks \"Upgrade: websocket\" (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MissingConnectionUpgrade:
        return {"The 101 answer lacks \"Connection: Upgrade\" (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MissingAcceptKey:
        return {"The 101 answer lacks Sec-WebSocket-Accept (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::DuplicateAcceptKey:
        return {"The 101 answer has more than one Sec-WebSocket-Accept", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::AcceptKeyMismatch:
        return {"Sec-WebSocket-Accept does not match the key that was sent (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::UnrequestedSubprotocol:
        return {"The server chose a subprotocol that was not offered (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MultipleSubprotocols:
        return {"The server named more than one subprotocol (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::UnrequestedExtension:
        return {"The server answered with an extension that was not offered (RFC 6455 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    // Extension negotiation
    case ErrorDetail::InvalidExtensionHeader:
        return {"The server's Sec-WebSocket-Extensions header is malformed (RFC 6455 §9.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MultipleExtensions:
        return {"The server accepted more than one extension (RFC 7692 §5)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::UnknownExtensionParameter:
        return {"The server's permessage-deflate answer has an unknown parameter (RFC 7692 §5)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::DuplicateExtensionParameter:
        return {"The server's permessage-deflate answer repeats a parameter (RFC 7692 §5)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::InvalidExtensionParameterValue:
        return {"A permessage-deflate parameter in the server's answer has an invalid value (RFC 7692 §7.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::UnrequestedExtensionParameter:
        return {"The server's permessage-deflate answer has a parameter the offer did not allow (RFC 7692 §7.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MissingExtensionParameter:
        return {"The server's permessage-deflate answer lacks a parameter the offer requested (RFC 7692 §7.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    // Connection and network
    case ErrorDetail::HostNotFound:
        return {"The host name could not be resolved", NoClose, S::HostNameNotResolved};
    case ErrorDetail::ConnectionRefused:
        return {"The server refused the connection", NoClose, S::CannotConnect};
    case ErrorDetail::ConnectTimeout:
        return {"The connection could not be established in time", NoClose, S::Timeout};
    case ErrorDetail::HandshakeTimeout:
        return {"The server did not complete the opening handshake in time", NoClose, S::Timeout};
    case ErrorDetail::CloseTimeout:
        return {"The server did not complete the closing handshake in time", NoClose, S::Timeout};
    case ErrorDetail::IdleTimeout:
        return {"Nothing was received for longer than the idle timeout", NoClose, S::Timeout};
    case ErrorDetail::ConnectionAborted:
        return {"The connection was lost without a close frame", NoClose, S::ConnectionAborted};
    case ErrorDetail::ConnectionReset:
        return {"The connection was reset by the peer", NoClose, S::ConnectionReset};
    case ErrorDetail::NetworkError:
        return {"A network error occurred", NoClose, S::Disconnected};
    case ErrorDetail::OperationCanceled:
        return {"The operation was canceled", NoClose, S::OperationCanceled};
    case ErrorDetail::SslUnavailable:
        return {"TLS is not available: wss:// needs Qt's OpenSSL TLS backend", NoClose, S::UnexpectedClientError};
    case ErrorDetail::SocketError:
        return {"A local socket error occurred", NoClose, S::UnexpectedClientError};
    // Proxy
    case ErrorDetail::ProxyAuthenticationRequired:
        return {"The proxy requires authentication and did not accept the proxy credential", NoClose, S::ProxyAuthenticationRequired};
    case ErrorDetail::ProxyConnectionRefused:
        return {"The proxy refused the TCP connection (is it running on that host and port?)", NoClose, S::CannotConnect};
    case ErrorDetail::ProxyNotFound:
        return {"The proxy's host name does not resolve", NoClose, S::CannotConnect};
    case ErrorDetail::ProxyRefusedTarget:
        return {"The proxy refused to connect to the server", NoClose, S::CannotConnect};
    case ErrorDetail::ProxyConnectTimeout:
        return {"The connection through the proxy could not be established in time", NoClose, S::Timeout};
    case ErrorDetail::ProxyConnectionClosed:
        return {"The proxy closed the connection before the tunnel to the server was up", NoClose, S::ConnectionAborted};
    case ErrorDetail::ProxyProtocolError:
        return {"The proxy's answer could not be understood", NoClose, S::ErrorHttpInvalidServerResponse};
    // TLS
    case ErrorDetail::TlsHandshakeFailed:
        return {"The TLS handshake with the server failed", NoClose, S::CannotConnect};
    case ErrorDetail::CertificateRejected:
        return {"The server's certificate failed validation", NoClose, S::CertificateIsInvalid};
    case ErrorDetail::PinMismatch:
        return {"None of the public keys the server presented matches a pinned key", NoClose, S::CertificateIsInvalid};
    case ErrorDetail::ServerValidationRejected:
        return {"The custom validation handler rejected the server's certificate", NoClose, S::CertificateIsInvalid};
    case ErrorDetail::ServerValidationAbandoned:
        return {"A validation deferral was dropped without being completed: the certificate counts as rejected", NoClose, S::CertificateIsInvalid};
    case ErrorDetail::ServerValidationTimeout:
        return {"Custom validation of the server's certificate did not complete in time (Timeouts.validation)", NoClose, S::Timeout};
    case ErrorDetail::ClientCertificateRequired:
        return {"The server requires a client certificate and none is configured (Control.clientCertificate)", NoClose, S::CannotConnect};
    case ErrorDetail::ClientCertificateRejected:
        return {"The server rejected the client certificate", NoClose, S::CannotConnect};
    case ErrorDetail::TlsError:
        return {"A TLS error ended the connection", NoClose, S::UnexpectedClientError};
    case ErrorDetail::ClientCertificateUnreadable:
        return {"The client certificate or its key could not be read", NoClose, S::UnexpectedClientError};
    case ErrorDetail::ClientCertificatePasswordWrong:
        return {"The passphrase of the client certificate's key is wrong or missing", NoClose, S::UnexpectedClientError};
    case ErrorDetail::ClientCertificateKeyMismatch:
        return {"The private key does not belong to the client certificate", NoClose, S::UnexpectedClientError};
    // Server role: the client's opening request. Nothing is closed (there is no WebSocket yet);
    // the server answers with an HTTP status instead (serverhandshake.h rejectionFor())
    case ErrorDetail::RequestLineTooLong:
        return {"The client's request line is too long (limit 8 KiB)", NoClose, S::RequestUriTooLong};
    case ErrorDetail::RequestHeaderLineTooLong:
        return {"A header line of the client's upgrade request is too long (limit 8 KiB)", NoClose, S::BadRequest};
    case ErrorDetail::RequestTooManyHeaders:
        return {"The client's upgrade request has too many headers (limit 100)", NoClose, S::BadRequest};
    case ErrorDetail::RequestHeaderTooLarge:
        return {"The client's upgrade request is too large (limit 64 KiB)", NoClose, S::BadRequest};
    case ErrorDetail::RequestLineMalformed:
        return {"The client's request line is not \"<method> <target> HTTP/<version>\"", NoClose, S::BadRequest};
    case ErrorDetail::RequestHeaderMalformed:
        return {"The client's upgrade request has a malformed header line", NoClose, S::BadRequest};
    case ErrorDetail::RequestMethodNotGet:
        return {"The opening request must use the GET method (RFC 6455 §4.2.1)", NoClose, S::MethodNotAllowed};
    case ErrorDetail::RequestHttpVersionUnsupported:
        return {"The opening request must be HTTP/1.1 or a later 1.x (RFC 6455 §4.2.1)", NoClose, S::HttpVersionNotSupported};
    case ErrorDetail::RequestHostMissing:
        return {"The opening request needs exactly one non-empty Host header (RFC 6455 §4.2.1)", NoClose, S::BadRequest};
    case ErrorDetail::RequestUpgradeMissing:
        return {"The request lacks \"Upgrade: websocket\": it is not a WebSocket opening request", NoClose, S::BadRequest};
    case ErrorDetail::RequestConnectionUpgradeMissing:
        return {"The opening request's Connection header lacks the Upgrade token (RFC 6455 §4.2.1)", NoClose, S::BadRequest};
    case ErrorDetail::RequestKeyMissing:
        return {"The opening request needs exactly one Sec-WebSocket-Key (RFC 6455 §4.2.1)", NoClose, S::BadRequest};
    case ErrorDetail::RequestKeyInvalid:
        return {"Sec-WebSocket-Key is not the base64 of 16 bytes (RFC 6455 §4.2.1)", NoClose, S::BadRequest};
    case ErrorDetail::RequestVersionUnsupported:
        return {"Sec-WebSocket-Version is missing or not 13 (RFC 6455 §4.2.2)", NoClose, S::BadRequest};
    case ErrorDetail::RequestBodyNotAllowed:
        return {"The opening request announces a body (Content-Length or Transfer-Encoding)", NoClose, S::BadRequest};
    case ErrorDetail::RequestSubprotocolInvalid:
        return {"Sec-WebSocket-Protocol in the request is not a list of tokens (RFC 6455 §4.1)", NoClose, S::BadRequest};
    case ErrorDetail::RequestExtensionsInvalid:
        return {"Sec-WebSocket-Extensions in the request is malformed (RFC 6455 §9.1)", NoClose, S::BadRequest};
    case ErrorDetail::RequestTimeout:
        return {"The client did not complete its opening request in time", NoClose, S::RequestTimeout};
    // HTTP authentication: the server's challenges (401/407) and the credentials we answer with
    case ErrorDetail::MissingAuthChallenge:
        return {"The server asked for authentication without a WWW-Authenticate challenge (RFC 7235 §4.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::MalformedAuthChallenge:
        return {"The server's authentication challenge is malformed (RFC 7235 §2.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::DuplicateAuthParameter:
        return {"An authentication challenge names a parameter twice (RFC 7235 §2.1)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::TooManyAuthChallenges:
        return {"The server offers too many authentication challenges (limit 16)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::TooManyAuthParameters:
        return {"An authentication challenge has too many parameters (limit 32)", NoClose, S::ErrorHttpInvalidServerResponse};
    case ErrorDetail::NoUsableAuthScheme:
        return {"None of the authentication schemes the server offers is supported and allowed", NoClose, S::Unauthorized};
    case ErrorDetail::ColonInUserName:
        return {"A user name for Basic authentication may not contain ':' (RFC 7617 §2)", NoClose, S::UnexpectedClientError};
    case ErrorDetail::ControlCharacterInCredentials:
        return {"A user name or password may not contain control characters (RFC 7617 §2)", NoClose, S::UnexpectedClientError};
    case ErrorDetail::CredentialRejected:
        return {"The server refused the credential: it answered the authenticated request with 401 again", NoClose, S::Unauthorized};
    }
    return {"Unknown error", NoClose, S::Unknown};
}

QString errorMessage(ErrorDetail detail)
{
    return QString::fromUtf8(errorInfo(detail).message);
}

} // namespace Wsw::Codec
