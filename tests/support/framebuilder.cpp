#include "framebuilder.h"

#include <QList>

namespace Wsw::Test {

QByteArray FrameBuilder::build(QByteArrayView payload) const
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0)
                    | (opcode & 0x0F)));
    const quint64 len = declaredLength.value_or(quint64(payload.size()));
    int bits = lengthBits;
    if (bits == 0)
        bits = len < 126 ? 7 : (len <= 0xFFFF ? 16 : 64);
    const char maskBit = maskKey ? char(0x80) : char(0);
    if (bits == 7) {
        out.append(char(maskBit | char(len & 0x7F)));
    } else if (bits == 16) {
        out.append(char(maskBit | 126));
        out.append(char((len >> 8) & 0xFF));
        out.append(char(len & 0xFF));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((len >> shift) & 0xFF));
    }
    if (maskKey) {
        const quint32 key = *maskKey;
        const char k[4] = {char(key & 0xFF), char((key >> 8) & 0xFF), char((key >> 16) & 0xFF),
                           char((key >> 24) & 0xFF)};
        out.append(k, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            out.append(char(payload[i] ^ k[i % 4]));
    } else {
        out.append(payload.data(), payload.size());
    }
    return out;
}

QByteArray FrameBuilder::text(QByteArrayView payload, bool fin)
{
    FrameBuilder b;
    b.opcode = 0x1;
    b.fin = fin;
    return b.build(payload);
}

QByteArray FrameBuilder::binary(QByteArrayView payload, bool fin)
{
    FrameBuilder b;
    b.opcode = 0x2;
    b.fin = fin;
    return b.build(payload);
}

QByteArray FrameBuilder::continuation(QByteArrayView payload, bool fin)
{
    FrameBuilder b;
    b.opcode = 0x0;
    b.fin = fin;
    return b.build(payload);
}

QByteArray FrameBuilder::ping(QByteArrayView payload)
{
    FrameBuilder b;
    b.opcode = 0x9;
    return b.build(payload);
}

QByteArray FrameBuilder::pong(QByteArrayView payload)
{
    FrameBuilder b;
    b.opcode = 0xA;
    return b.build(payload);
}

QByteArray FrameBuilder::close(quint16 code, QByteArrayView reason)
{
    FrameBuilder b;
    b.opcode = 0x8;
    QByteArray payload;
    if (code != 0) {
        payload.append(char(code >> 8));
        payload.append(char(code & 0xFF));
        payload.append(reason.data(), reason.size());
    }
    return b.build(payload);
}

QList<ParsedFrame> takeFrames(QByteArray &buffer)
{
    QList<ParsedFrame> frames;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype avail = buffer.size() - pos;
        if (avail < 2)
            break;
        const auto *p = reinterpret_cast<const unsigned char *>(buffer.constData() + pos);
        ParsedFrame f;
        f.fin = p[0] & 0x80;
        f.rsv1 = p[0] & 0x40;
        f.rsv2 = p[0] & 0x20;
        f.rsv3 = p[0] & 0x10;
        f.opcode = p[0] & 0x0F;
        f.masked = p[1] & 0x80;
        quint64 len = p[1] & 0x7F;
        qsizetype header = 2;
        if (len == 126) {
            if (avail < 4)
                break;
            len = (quint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (len == 127) {
            if (avail < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | p[2 + i];
            header = 10;
        }
        if (f.masked) {
            if (avail < header + 4)
                break;
            f.maskKey = quint32(p[header]) | quint32(p[header + 1]) << 8 | quint32(p[header + 2]) << 16
                    | quint32(p[header + 3]) << 24;
            header += 4;
        }
        if (quint64(avail - header) < len)
            break;
        f.payload = buffer.mid(pos + header, qsizetype(len));
        if (f.masked) {
            const unsigned char k[4] = {p[header - 4], p[header - 3], p[header - 2], p[header - 1]};
            for (qsizetype i = 0; i < f.payload.size(); ++i)
                f.payload[i] = char(f.payload[i] ^ k[i % 4]);
        }
        pos += header + qsizetype(len);
        frames.append(f);
    }
    buffer.remove(0, pos);
    return frames;
}

} // namespace Wsw::Test
