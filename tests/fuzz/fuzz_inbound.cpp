// Fuzz entry point: the whole inbound direction (FrameReader + MessageAssembler) of a client.
// The first byte chooses the mode and a split point, so both full and partial delivery and
// every way the stream can be cut are explored. The oracle is the decoder itself: the same
// bytes fed at once in full mode must give the same messages, control frames and error as
// when they are cut in two (and, in partial mode, when the pieces are joined again).
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

Outcome decode(const QList<QByteArrayView> &pieces, bool partial)
{
    Wsw::Codec::InboundDecoder decoder(Wsw::Codec::Role::Client);
    decoder.assembler().setMaxMessageSize(MaxMessageBytes);
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
            if (quint64(e.size() - 1) > MaxMessageBytes)
                __builtin_trap(); // a message never exceeds the limit
        }
    }
    out.events = sink.events;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const bool partial = control & 0x80;
    const qsizetype split = stream.isEmpty() ? 0 : qsizetype(control & 0x7F) % (stream.size() + 1);

    const Outcome whole = decode({stream}, false);
    const Outcome cut = decode({stream.first(split), stream.sliced(split)}, partial);
    if (whole.error != cut.error || whole.events != cut.events)
        __builtin_trap(); // the way the bytes arrive changed the result
    return 0;
}
