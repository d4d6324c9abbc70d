#include "codec/closecode.h"

#include "codec/utf8validator.h"

namespace Wsw::Codec {

bool isSendableCloseCode(quint16 code)
{
    // RFC 6455 §7.4.1/§7.4.2 and the IANA registry: 1004-1006 and 1015 are reserved or
    // local-only, 1016-2999 are unassigned protocol codes, 3000-4999 are for applications.
    if (code >= 1000 && code <= 1003)
        return true;
    if (code >= 1007 && code <= 1014)
        return true;
    return code >= 3000 && code <= 4999;
}

ErrorDetail parseClosePayload(QByteArrayView payload, ClosePayload *out)
{
    ClosePayload result;
    if (payload.isEmpty()) {
        *out = result;
        return ErrorDetail::None;
    }
    // a code is two bytes; a single byte cannot be a valid close payload (RFC 6455 §5.5.1)
    if (payload.size() == 1)
        return ErrorDetail::InvalidClosePayloadLength;
    const auto *p = reinterpret_cast<const unsigned char *>(payload.data());
    const quint16 code = quint16((p[0] << 8) | p[1]);
    if (!isValidReceivedCloseCode(code))
        return ErrorDetail::InvalidCloseCodeReceived;
    const QByteArrayView reason = payload.sliced(2);
    if (!Utf8Validator::isValidUtf8(reason))
        return ErrorDetail::InvalidUtf8InCloseReason;
    result.code = code;
    result.reason = decodeUtf8(reason);
    *out = result;
    return ErrorDetail::None;
}

ErrorDetail validateOutgoingClose(quint16 code, QStringView reason)
{
    if (!isSendableCloseCode(code))
        return ErrorDetail::InvalidCloseCode;
    if (reason.toUtf8().size() > MaxCloseReasonBytes)
        return ErrorDetail::CloseReasonTooLong;
    return ErrorDetail::None;
}

QByteArray buildClosePayload(quint16 code, QStringView reason)
{
    QByteArray out;
    const QByteArray utf8 = reason.toUtf8();
    out.reserve(2 + utf8.size());
    out.append(char(code >> 8));
    out.append(char(code & 0xFF));
    out.append(utf8);
    return out;
}

} // namespace Wsw::Codec
