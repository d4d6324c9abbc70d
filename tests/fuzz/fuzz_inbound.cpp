// Fuzz entry point: the whole inbound direction (FrameReader + MessageAssembler) of a client,
// without and with permessage-deflate in force.
//   byte 0   bit 7: partial delivery for the cut run; bits 0-6: where the stream is cut in two
//   byte 1   permessage-deflate: bits 0-2 the server's window (8-15), bit 3 no context
//            takeover, bits 4-7 MaxMessageSize 2^n (1 B to 32 KiB: small, so a compressed
//            message that inflates past it, a zip bomb, is cut off)
//   byte 2-  the bytes the server sent
// Oracles: the same bytes fed at once in full mode give the same messages, control frames and
// error as when they are cut in two (and, in partial mode, when the pieces are joined again),
// without deflate (1 MiB limit) and with it (the small limit); no message, inflated or not,
// exceeds the limit; and as long as no frame has RSV1 set, turning deflate on changes nothing.
#include <cstddef>
#include <cstdint>

#include <QList>

#include "codec/inbounddecoder.h"

namespace {

using Wsw::Codec::Opcode;

class RecordingSink final : public Wsw::Codec::MessageAssembler::Sink
{
public:
    bool onMessage(Wsw::SocketMessageType type, QByteArray &&data, bool isComplete) override
    {
        if (m_done)
            __builtin_trap(); // no callback after the sink said stop and nothing more was fed
        if (type == Wsw::SocketMessageType::Utf8) {
            // a text piece is cut at code point boundaries ("a" first: fromUtf8 drops a leading BOM)
            const QByteArray guarded = 'a' + data;
            if (QString::fromUtf8(guarded).toUtf8() != guarded)
                __builtin_trap();
        }
        m_current += data;
        if (isComplete) {
            events.append((type == Wsw::SocketMessageType::Utf8 ? QByteArray("T") : QByteArray("B")) + m_current);
            m_current.clear();
        }
        return true;
    }
    bool onControlFrame(Opcode opcode, QByteArray &&payload) override
    {
        if (payload.size() > 125)
            __builtin_trap(); // the codec promises control payloads of at most 125 bytes
        events.append(QByteArray::number(int(opcode)) + ':' + payload);
        if (opcode == Opcode::Close) {
            m_done = true;
            return false; // the connection stops reading after a close
        }
        return true;
    }
    bool isDone() const { return m_done; }

    QList<QByteArray> events;

private:
    QByteArray m_current;
    bool m_done = false;
};

constexpr quint64 MaxMessageBytes = 1024 * 1024;

struct Outcome {
    QList<QByteArray> events;
    Wsw::ErrorDetail error = Wsw::ErrorDetail::None;
};

struct Deflate {
    bool enabled = false;
    int windowBits = 15;
    bool noContextTakeover = false;
};

Outcome decode(const QList<QByteArrayView> &pieces, bool partial, quint64 limit = MaxMessageBytes,
               Deflate deflate = {})
{
    Wsw::Codec::InboundDecoder decoder(Wsw::Codec::Role::Client);
    if (deflate.enabled)
        decoder.enableDeflate(deflate.windowBits, deflate.noContextTakeover);
    decoder.assembler().setMaxMessageSize(limit);
    decoder.assembler().setPartialMode(partial);
    RecordingSink sink;
    Outcome out;
    for (QByteArrayView piece : pieces) {
        qsizetype consumed = -1;
        out.error = decoder.feed(piece, sink, &consumed);
        if (consumed < 0 || consumed > piece.size())
            __builtin_trap();
        if (out.error != Wsw::ErrorDetail::None || sink.isDone())
            break;
        if (consumed != piece.size())
            __builtin_trap(); // without a stop or an error every byte is used
    }
    for (const QByteArray &e : sink.events) {
        if (e.startsWith('T') || e.startsWith('B')) {
            if (quint64(e.size() - 1) > limit)
                __builtin_trap(); // a message never exceeds the limit
        }
    }
    out.events = sink.events;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const quint8 control = data[0];
    const quint8 knobs = data[1];
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const bool partial = control & 0x80;
    const qsizetype split = stream.isEmpty() ? 0 : qsizetype(control & 0x7F) % (stream.size() + 1);
    const QList<QByteArrayView> cutStream{stream.first(split), stream.sliced(split)};

    const Outcome whole = decode({stream}, false);
    const Outcome cut = decode(cutStream, partial);
    if (whole.error != cut.error || whole.events != cut.events)
        __builtin_trap(); // the way the bytes arrive changed the result

    // permessage-deflate in force, MaxMessageSize small
    const Deflate deflate{true, 8 + (knobs & 7), bool(knobs & 8)};
    const quint64 smallLimit = quint64(1) << (knobs >> 4);
    const Outcome deflatedWhole = decode({stream}, false, smallLimit, deflate);
    const Outcome deflatedCut = decode(cutStream, partial, smallLimit, deflate);
    if (deflatedWhole.error != deflatedCut.error || deflatedWhole.events != deflatedCut.events)
        __builtin_trap();

    // without RSV1 on any frame read, deflate being in force makes no difference (an error other
    // than ReservedBitsSet means every frame before it was read without RSV1)
    const Outcome plain = decode({stream}, false, smallLimit);
    if (plain.error != Wsw::ErrorDetail::ReservedBitsSet
        && (plain.error != deflatedWhole.error || plain.events != deflatedWhole.events))
        __builtin_trap();
    return 0;
}
