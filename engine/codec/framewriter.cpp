#include "codec/framewriter.h"

#include <algorithm>
#include <cstring>

#include <QtEndian>

namespace Wsw::Codec {

qsizetype writeFrame(char *dst, Opcode opcode, FrameFlags flags, QByteArrayView payload,
                     std::optional<quint32> maskKey)
{
    const quint64 len = quint64(payload.size());
    auto *p = reinterpret_cast<unsigned char *>(dst);
    p[0] = (flags.fin ? 0x80 : 0) | (flags.rsv1 ? 0x40 : 0) | (flags.rsv2 ? 0x20 : 0)
            | (flags.rsv3 ? 0x10 : 0) | quint8(opcode);
    const unsigned char maskBit = maskKey ? 0x80 : 0;
    int pos = 2;
    if (len < 126) {
        p[1] = maskBit | quint8(len);
    } else if (len <= 0xFFFF) {
        p[1] = maskBit | 126;
        p[2] = quint8(len >> 8);
        p[3] = quint8(len);
        pos = 4;
    } else {
        p[1] = maskBit | 127;
        for (int i = 0; i < 8; ++i)
            p[2 + i] = quint8(len >> (56 - 8 * i));
        pos = 10;
    }
    if (maskKey) {
        const quint32 key = *maskKey;
        qToLittleEndian(key, p + pos); // byte 0 of the key is its lowest byte (FrameHeader::maskKey)
        pos += 4;
        maskCopy(dst + pos, payload.data(), payload.size(), key, 0);
    } else if (!payload.isEmpty()) {
        std::memcpy(dst + pos, payload.data(), size_t(payload.size()));
    }
    return pos + payload.size();
}

void appendFrame(QByteArray &out, Opcode opcode, FrameFlags flags, QByteArrayView payload,
                 std::optional<quint32> maskKey)
{
    const qsizetype start = out.size();
    out.resize(start + frameHeaderSize(quint64(payload.size()), maskKey.has_value()) + payload.size());
    writeFrame(out.data() + start, opcode, flags, payload, maskKey);
}

namespace {
void report(const FrameWrittenCallback &onFrame, Opcode opcode, FrameFlags flags, quint64 length,
            std::optional<quint32> key)
{
    if (!onFrame)
        return;
    FrameHeader h;
    h.fin = flags.fin;
    h.rsv1 = flags.rsv1;
    h.opcode = opcode;
    h.masked = key.has_value();
    h.maskKey = key.value_or(0);
    h.payloadLength = length;
    h.headerSize = frameHeaderSize(length, h.masked);
    onFrame(h);
}

/**
 * The one splitting loop of both roles. Masked is a template argument so the client's path
 * (every frame masked) has no per-frame test for the server's (no frame masked).
 */
template <bool Masked>
void writeFrames(FrameOutput &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                 MaskKeySource *keys, const FrameWrittenCallback &onFrame, bool compressed)
{
    const qsizetype step = (maxFrameBytes == 0 || quint64(payload.size()) <= maxFrameBytes)
            ? std::max<qsizetype>(payload.size(), 1)
            : qsizetype(maxFrameBytes);
    Opcode op = opcode;
    qsizetype pos = 0;
    do { // an empty message is one empty frame
        qsizetype n = std::min(step, payload.size() - pos);
        if (opcode == Opcode::Text && !compressed && pos + n < payload.size()) {
            // end text frames on a character boundary where the frame size allows: RFC 6455 lets a
            // frame end anywhere, but some peers (Qt WebSockets) decode each frame on its own
            qsizetype cut = n;
            while (cut > 1 && n - cut < 3 && (quint8(payload[pos + cut]) & 0xC0) == 0x80)
                --cut;
            if ((quint8(payload[pos + cut]) & 0xC0) != 0x80)
                n = cut;
        }
        FrameFlags flags;
        flags.fin = pos + n == payload.size();
        flags.rsv1 = compressed && pos == 0; // RFC 7692 §6.1: the first frame only
        std::optional<quint32> key;
        if constexpr (Masked)
            key = keys->nextMaskKey();
        const QByteArrayView chunk = payload.sliced(pos, n);
        writeFrame(out.grow(frameHeaderSize(quint64(n), Masked) + n), op, flags, chunk, key);
        report(onFrame, op, flags, quint64(n), key);
        op = Opcode::Continuation;
        pos += n;
    } while (pos < payload.size());
}
} // namespace

void writeMessage(FrameOutput &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                  MaskKeySource &keys, const FrameWrittenCallback &onFrame, bool compressed)
{
    writeFrames<true>(out, opcode, payload, maxFrameBytes, &keys, onFrame, compressed);
}

void writeUnmaskedMessage(FrameOutput &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                          const FrameWrittenCallback &onFrame, bool compressed)
{
    writeFrames<false>(out, opcode, payload, maxFrameBytes, nullptr, onFrame, compressed);
}

namespace {
class ByteArrayOutput final : public FrameOutput
{
public:
    explicit ByteArrayOutput(QByteArray &out) : m_out(out) {}
    char *grow(qsizetype n) override
    {
        const qsizetype start = m_out.size();
        m_out.resize(start + n);
        return m_out.data() + start;
    }

private:
    QByteArray &m_out;
};
} // namespace

void appendMessage(QByteArray &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                   MaskKeySource &keys, const FrameWrittenCallback &onFrame, bool compressed)
{
    if (maxFrameBytes > 0 && quint64(payload.size()) > maxFrameBytes)
        out.reserve(out.size() + payload.size() + (payload.size() / qsizetype(maxFrameBytes) + 1) * MaxFrameHeaderBytes);
    ByteArrayOutput output(out);
    writeMessage(output, opcode, payload, maxFrameBytes, keys, onFrame, compressed);
}

void appendUnmaskedMessage(QByteArray &out, Opcode opcode, QByteArrayView payload, quint64 maxFrameBytes,
                           const FrameWrittenCallback &onFrame, bool compressed)
{
    if (maxFrameBytes > 0 && quint64(payload.size()) > maxFrameBytes)
        out.reserve(out.size() + payload.size() + (payload.size() / qsizetype(maxFrameBytes) + 1) * MaxFrameHeaderBytes);
    ByteArrayOutput output(out);
    writeUnmaskedMessage(output, opcode, payload, maxFrameBytes, onFrame, compressed);
}

} // namespace Wsw::Codec
