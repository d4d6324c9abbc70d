#pragma once

#include <QByteArrayView>

#include "codec/wswenums.h"

namespace Wsw::Codec {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

constexpr bool isControlOpcode(Opcode op) { return (quint8(op) & 0x8) != 0; }
constexpr bool isKnownOpcode(quint8 op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

/** Which end of the connection reads the frames: it decides whether a masked frame is legal. */
enum class Role : quint8 {
    Client, // reads frames from a server: they must not be masked (RFC 6455 §5.1)
    Server, // reads frames from a client: they must be masked
};

constexpr qsizetype MaxFrameHeaderBytes = 14;
constexpr quint64 MaxControlPayloadBytes = 125;

/** A decoded frame header (RFC 6455 §5.2). */
struct FrameHeader {
    bool fin = false;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    Opcode opcode = Opcode::Continuation;
    bool masked = false;
    quint32 maskKey = 0;       // as on the wire: byte 0 of the key is the lowest byte
    quint64 payloadLength = 0;
    int headerSize = 0;        // bytes the header occupies on the wire (2-14)
};

/** Which reserved bits the negotiated extensions allow (none until permessage-deflate). */
struct ReservedBitsAllowed {
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
};

enum class ParseStatus : quint8 { NeedMore, Ok, Error };

struct HeaderParseResult {
    ParseStatus status = ParseStatus::NeedMore;
    ErrorDetail error = ErrorDetail::None;
};

/**
 * Decodes one frame header from the start of bytes without consuming anything until it is
 * complete: NeedMore when bytes holds only part of it. Enforces every per-frame rule for the
 * given role: masking, reserved bits, reserved opcodes, control frame length and FIN, minimal
 * length encoding and the 64-bit length's top bit.
 */
HeaderParseResult parseFrameHeader(QByteArrayView bytes, Role role, ReservedBitsAllowed allowed,
                                   FrameHeader *out);

} // namespace Wsw::Codec
