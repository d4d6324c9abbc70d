// Fuzz entry point: permessage-deflate's inbound side with MaxMessageSize, and round trips.
// Byte 0: window (8-15), no-context-takeover, compression level; byte 1: the limit (1 B to
// 4 MiB) and a split point; the rest is data. Three oracles:
//  1. MessageInflater over the data as one raw deflate message: never more than the limit
//     handed over, and the same result whether the data comes whole or in two pieces.
//  2. MessageDeflater -> MessageInflater round trip of the data, twice (context takeover),
//     cut in two parts: the data comes back exactly.
//  3. The InboundDecoder with deflate in force over the data as frames (RSV1 rules, the
//     inflated size limit): whole and split feeding agree; no message exceeds the limit.
#include <cstddef>
#include <cstdint>

#include <QList>

#include "codec/inbounddecoder.h"
#include "codec/messagedeflater.h"
#include "codec/messageinflater.h"

namespace {

using namespace Wsw;
using namespace Wsw::Codec;

class Collect final : public MessageInflater::Sink
{
public:
    QByteArray data;
    ErrorDetail onInflated(QByteArrayView bytes) override
    {
        if (bytes.size() > MessageInflater::ChunkBytes)
            __builtin_trap();
        data.append(bytes.data(), bytes.size());
        return ErrorDetail::None;
    }
};

struct Inflated {
    ErrorDetail error = ErrorDetail::None;
    QByteArray data;
};

Inflated inflatePieces(const QList<QByteArrayView> &pieces, int window, bool noContextTakeover, quint64 limit)
{
    MessageInflater inflater;
    inflater.configure(window, noContextTakeover);
    Collect sink;
    Inflated out;
    for (QByteArrayView piece : pieces) {
        out.error = inflater.inflate(piece, limit, sink);
        if (out.error != ErrorDetail::None)
            break;
    }
    if (out.error == ErrorDetail::None)
        out.error = inflater.finishMessage(limit, sink);
    if (quint64(sink.data.size()) > limit)
        __builtin_trap(); // the limit holds on what is handed over
    out.data = sink.data;
    return out;
}

class Messages final : public MessageAssembler::Sink
{
public:
    QList<QByteArray> events;
    quint64 limit = 0;
    QByteArray current;
    bool done = false; // a close frame: the connection reads nothing more
    bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) override
    {
        current += data;
        if (quint64(current.size()) > limit)
            __builtin_trap();
        if (isComplete) {
            events.append((type == SocketMessageType::Utf8 ? "T" : "B") + current);
            current.clear();
        }
        return true;
    }
    bool onControlFrame(Opcode opcode, QByteArray &&payload) override
    {
        events.append(QByteArray::number(int(opcode)) + ':' + payload);
        done = opcode == Opcode::Close;
        return !done;
    }
};

struct Decoded {
    ErrorDetail error = ErrorDetail::None;
    QList<QByteArray> events;
};

Decoded decode(const QList<QByteArrayView> &pieces, int window, bool noContextTakeover, quint64 limit, bool partial)
{
    InboundDecoder decoder(Role::Client);
    decoder.enableDeflate(window, noContextTakeover);
    decoder.assembler().setMaxMessageSize(limit);
    decoder.assembler().setPartialMode(partial);
    Messages sink;
    sink.limit = limit;
    Decoded out;
    for (QByteArrayView piece : pieces) {
        qsizetype consumed = -1;
        out.error = decoder.feed(piece, sink, &consumed);
        if (out.error != ErrorDetail::None || sink.done)
            break;
        if (consumed != piece.size())
            __builtin_trap(); // without a stop or an error every byte is used
    }
    out.events = sink.events;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int window = 8 + (data[0] & 7);
    const bool noContextTakeover = data[0] & 8;
    const int level = (data[0] >> 4) % 10;
    const quint64 limit = quint64(1) << (data[1] % 23);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const qsizetype split = input.isEmpty() ? 0 : qsizetype(data[1]) * 7 % (input.size() + 1);

    // 1. raw inflate: whole and split agree
    const Inflated whole = inflatePieces({input}, window, noContextTakeover, limit);
    const Inflated cut = inflatePieces({input.first(split), input.sliced(split)}, window, noContextTakeover, limit);
    if (whole.error != cut.error || (whole.error == ErrorDetail::None && whole.data != cut.data))
        __builtin_trap();

    // 2. round trip through our deflater, twice, in two parts each
    const int deflateWindow = window < 9 ? 9 : window;
    MessageDeflater deflater;
    deflater.configure(deflateWindow, level, noContextTakeover);
    MessageInflater inflater;
    inflater.configure(deflateWindow, noContextTakeover);
    for (int round = 0; round < 2; ++round) {
        QByteArray compressed;
        deflater.compress(input.first(split), false, &compressed);
        deflater.compress(input.sliced(split), true, &compressed);
        Collect sink;
        if (inflater.inflate(compressed, quint64(input.size()), sink) != ErrorDetail::None
            || inflater.finishMessage(quint64(input.size()), sink) != ErrorDetail::None || sink.data != input)
            __builtin_trap();
    }

    // 3. the decoder with deflate in force: the way the bytes arrive changes nothing
    const Decoded at = decode({input}, window, noContextTakeover, limit, false);
    const Decoded in = decode({input.first(split), input.sliced(split)}, window, noContextTakeover, limit, data[0] & 0x80);
    if (at.error != in.error || at.events != in.events)
        __builtin_trap();
    return 0;
}
