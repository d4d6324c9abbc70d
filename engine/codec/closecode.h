#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw::Codec {

/** Status codes of RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number Registry". */
enum class CloseCode : quint16 {
    Normal = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    UnsupportedData = 1003,
    NoStatusReceived = 1005,  // never on the wire
    AbnormalClosure = 1006,   // never on the wire
    InvalidPayload = 1007,
    PolicyViolation = 1008,
    MessageTooBig = 1009,
    MandatoryExtension = 1010,
    InternalError = 1011,
    ServiceRestart = 1012,
    TryAgainLater = 1013,
    BadGateway = 1014,
    TlsHandshakeFailed = 1015, // never on the wire
};

constexpr qsizetype MaxCloseReasonBytes = 123; // 125-byte control payload minus the 2-byte code

/** True for codes an endpoint may put in a close frame (1000-1003, 1007-1014, 3000-4999). */
bool isSendableCloseCode(quint16 code);

/** A received code is valid exactly when it could have been sent. */
inline bool isValidReceivedCloseCode(quint16 code) { return isSendableCloseCode(code); }

/** The contents of a close frame. code is 1005 (NoStatusReceived) for an empty payload. */
struct ClosePayload {
    quint16 code = quint16(CloseCode::NoStatusReceived);
    QString reason;
};

/**
 * Parses a received close frame payload (RFC 6455 §5.5.1): empty, or a 2-byte code then UTF-8.
 * Returns ErrorDetail::None on success.
 */
ErrorDetail parseClosePayload(QByteArrayView payload, ClosePayload *out);

/**
 * Checks a close the application wants to send. Returns None, InvalidCloseCode or
 * CloseReasonTooLong (more than 123 UTF-8 bytes).
 */
ErrorDetail validateOutgoingClose(quint16 code, QStringView reason);

/** The payload of a close frame with this code and reason (already validated). */
QByteArray buildClosePayload(quint16 code, QStringView reason);

} // namespace Wsw::Codec
