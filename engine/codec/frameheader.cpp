#include "codec/frameheader.h"

namespace Wsw::Codec {

HeaderParseResult parseFrameHeader(QByteArrayView bytes, Role role, ReservedBitsAllowed allowed,
                                   FrameHeader *out)
{
    if (bytes.size() < 2)
        return {ParseStatus::NeedMore, ErrorDetail::None};
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    FrameHeader h;
    h.fin = p[0] & 0x80;
    h.rsv1 = p[0] & 0x40;
    h.rsv2 = p[0] & 0x20;
    h.rsv3 = p[0] & 0x10;
    const quint8 op = p[0] & 0x0F;
    h.masked = p[1] & 0x80;
    const quint8 len7 = p[1] & 0x7F;

    // rules that the first two bytes decide, checked before waiting for more
    if ((h.rsv1 && !allowed.rsv1) || (h.rsv2 && !allowed.rsv2) || (h.rsv3 && !allowed.rsv3))
        return {ParseStatus::Error, ErrorDetail::ReservedBitsSet}; // RFC 6455 §5.2: RSV without extension
    if (!isKnownOpcode(op))
        return {ParseStatus::Error, ErrorDetail::ReservedOpcode}; // RFC 6455 §5.2: reserved opcode
    h.opcode = Opcode(op);
    if (role == Role::Client && h.masked)
        return {ParseStatus::Error, ErrorDetail::MaskedServerFrame}; // RFC 6455 §5.1: masked frame from server
    if (role == Role::Server && !h.masked)
        return {ParseStatus::Error, ErrorDetail::MaskedServerFrame}; // RFC 6455 §5.1: unmasked frame from client
    if (isControlOpcode(h.opcode)) {
        if (!h.fin)
            return {ParseStatus::Error, ErrorDetail::FragmentedControlFrame}; // RFC 6455 §5.5
        if (len7 > MaxControlPayloadBytes)
            return {ParseStatus::Error, ErrorDetail::ControlFrameTooLong}; // RFC 6455 §5.5
    }

    qsizetype size = 2;
    if (len7 == 126) {
        if (bytes.size() < 4)
            return {ParseStatus::NeedMore, ErrorDetail::None};
        h.payloadLength = (quint64(p[2]) << 8) | p[3];
        if (h.payloadLength < 126)
            return {ParseStatus::Error, ErrorDetail::NonMinimalLength}; // RFC 6455 §5.2: minimal encoding
        size = 4;
    } else if (len7 == 127) {
        if (bytes.size() < 10)
            return {ParseStatus::NeedMore, ErrorDetail::None};
        if (p[2] & 0x80)
            return {ParseStatus::Error, ErrorDetail::LengthTopBitSet}; // RFC 6455 §5.2: MSB must be 0
        quint64 len = 0;
        for (int i = 2; i < 10; ++i)
            len = (len << 8) | p[i];
        if (len <= 0xFFFF)
            return {ParseStatus::Error, ErrorDetail::NonMinimalLength}; // RFC 6455 §5.2: minimal encoding
        h.payloadLength = len;
        size = 10;
    } else {
        h.payloadLength = len7;
    }
    if (h.masked) {
        if (bytes.size() < size + 4)
            return {ParseStatus::NeedMore, ErrorDetail::None};
        h.maskKey = quint32(p[size]) | quint32(p[size + 1]) << 8 | quint32(p[size + 2]) << 16
                | quint32(p[size + 3]) << 24;
        size += 4;
    }
    h.headerSize = int(size);
    *out = h;
    return {ParseStatus::Ok, ErrorDetail::None};
}

} // namespace Wsw::Codec
