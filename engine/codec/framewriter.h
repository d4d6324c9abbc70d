#pragma once

#include <bit>
#include <cstring>
#include <functional>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>

#include "codec/frameheader.h"
#include "codec/maskkeysource.h"

namespace Wsw::Codec {

/**
 * Copies n bytes from src to dst XOR-ed with the key, starting at key byte (offset % 4). Inline:
 * a small frame's few bytes cost less than the call.
 */
inline void maskCopy(char *dst, const char *src, qsizetype n, quint32 maskKey, quint64 offset = 0)
{
    const unsigned shift = unsigned(offset % 4) * 8;
    const quint32 key = shift ? std::rotr(maskKey, int(shift)) : maskKey;
    if constexpr (std::endian::native == std::endian::little) {
        // eight bytes per XOR; memcpy keeps it legal for any alignment and lets the compiler vectorize
        const quint64 key64 = quint64(key) | (quint64(key) << 32);
        qsizetype i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 word;
            std::memcpy(&word, src + i, 8);
            word ^= key64;
            std::memcpy(dst + i, &word, 8);
        }
        for (; i < n; ++i)
            dst[i] = char(src[i] ^ char((key >> (8 * (i % 4))) & 0xFF));
    } else {
        for (qsizetype i = 0; i < n; ++i)
            dst[i] = char(src[i] ^ char((key >> (8 * (i % 4))) & 0xFF));
    }
}

inline void maskInPlace(char *data, qsizetype n, quint32 maskKey, quint64 offset = 0)
{
    maskCopy(data, data, n, maskKey, offset);
}

/** Bytes of the header of a frame with this payload length. */
inline int frameHeaderSize(quint64 payloadLength, bool masked)
{
    const int base = payloadLength < 126 ? 2 : (payloadLength <= 0xFFFF ? 4 : 10);
    return base + (masked ? 4 : 0);
}

struct FrameFlags {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
};

/** Somewhere frames can be written to without a copy: grow() hands out n writable bytes at the end. */
class FrameOutput
{
public:
    virtual ~FrameOutput() = default;
    virtual char *grow(qsizetype n) = 0;
};

/**
 * Writes one frame to dst, which must have room for frameHeaderSize() + payload.size() bytes;
 * returns the bytes written. The payload is masked while it is copied.
 */
qsizetype writeFrame(char *dst, Opcode opcode, FrameFlags flags, QByteArrayView payload,
                     std::optional<quint32> maskKey);

/**
 * Appends one frame to out. A client masks every frame (pass a key); a server passes
 * std::nullopt. The payload is masked while it is copied, never in a second pass.
 */
void appendFrame(QByteArray &out, Opcode opcode, FrameFlags flags, QByteArrayView payload,
                 std::optional<quint32> maskKey);

/** Told about every frame appendMessage() writes (for the frame inspector). */
using FrameWrittenCallback = std::function<void(const FrameHeader &header)>;

/**
 * Appends a whole message as frames of at most maxFrameBytes payload bytes each (0: one
 * frame), each masked with a fresh key from keys. An empty message is one empty frame. Text
 * frames end on a character boundary when the frame size leaves room (up to 3 bytes shorter).
 * compressed: payload is a compressed message (RFC 7692): RSV1 on the first frame, cut anywhere.
 */
void appendMessage(QByteArray &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                   MaskKeySource &keys, const FrameWrittenCallback &onFrame = {}, bool compressed = false);

/** appendMessage() into any FrameOutput. */
void writeMessage(FrameOutput &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                  MaskKeySource &keys, const FrameWrittenCallback &onFrame = {}, bool compressed = false);

/**
 * The server's side of appendMessage(): the same frames, unmasked (RFC 6455 §5.1: a server
 * never masks). A separate function so the client's path keeps no test for it.
 */
void appendUnmaskedMessage(QByteArray &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                           const FrameWrittenCallback &onFrame = {}, bool compressed = false);

/** appendUnmaskedMessage() into any FrameOutput. */
void writeUnmaskedMessage(FrameOutput &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                          const FrameWrittenCallback &onFrame = {}, bool compressed = false);

} // namespace Wsw::Codec
