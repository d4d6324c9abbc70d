// Fuzz entry point: permessage-deflate's inbound side with MaxMessageSize, and round trips.
// Byte 0: window (8-15), no-context-takeover, compression level; byte 1: the limit (1 B to
// 4 MiB) and a split point; the rest is data. Oracles:
//  1. MessageInflater over the data as one raw deflate message: never more than the limit
//     handed over, the same result whether the data comes whole or in two pieces, and the
//     verdict zlib's own inflate (the reference, run directly) implies: the same bytes when
//     accepted, MessageTooBig exactly when the message inflates past the limit, otherwise
//     InvalidCompressedData exactly when zlib finds an error or the message ends inside a block.
//  2. MessageDeflater -> MessageInflater round trip of the data, twice (context takeover),
//     cut in two parts: the data comes back exactly; zlib's inflate reads the same back.
//  3. The InboundDecoder with deflate in force over the data as frames (RSV1 rules, the
//     inflated size limit): whole and split feeding agree; no message exceeds the limit.
//  4. The data compressed by zlib itself (window, level, strategy, memory level, sync flush or
//     a final block, chosen from the first bytes), twice: MessageInflater gives it back exactly,
//     or MessageTooBig with at most the limit handed over when it is larger than the limit.
#include <cstddef>
#include <cstdint>

#include <QList>

#include <zlib.h>

#include "codec/inbounddecoder.h"
#include "codec/messagedeflater.h"
#include "codec/messageinflater.h"
#include "codec/permessagedeflate.h"

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

const QByteArray MessageTail("\x00\x00\xff\xff", 4);

/** zlib's raw inflate over a message and the tail, stopped once past cap bytes: the reference. */
struct Reference {
    QByteArray data;
    bool dataError = false;
    bool streamEnded = false;
    bool betweenBlocks = false;
};

Reference zlibInflate(QByteArrayView message, int window, quint64 cap)
{
    Reference ref;
    z_stream z{};
    if (inflateInit2(&z, -window) != Z_OK)
        __builtin_trap();
    const QByteArray in = message.toByteArray() + MessageTail;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    z.avail_in = uInt(in.size());
    unsigned char out[4096];
    for (;;) {
        z.next_out = out;
        z.avail_out = sizeof out;
        const int rc = inflate(&z, Z_SYNC_FLUSH);
        ref.data.append(reinterpret_cast<const char *>(out), qsizetype(sizeof out - z.avail_out));
        // a call that can do nothing (Z_BUF_ERROR: no input, nothing pending) clears the flag
        if (rc != Z_BUF_ERROR)
            ref.betweenBlocks = z.data_type & 128;
        if (rc == Z_STREAM_END) {
            ref.streamEnded = true;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            ref.dataError = true;
            break;
        }
        if (quint64(ref.data.size()) > cap || rc == Z_BUF_ERROR || (z.avail_in == 0 && z.avail_out > 0))
            break;
    }
    inflateEnd(&z);
    return ref;
}

/** zlib's raw deflate, kept across messages like a server's compressor. */
class ZlibDeflater
{
public:
    ZlibDeflater(int window, int level, int memLevel, int strategy)
    {
        if (deflateInit2(&m_z, level, Z_DEFLATED, -window, memLevel, strategy) != Z_OK)
            __builtin_trap();
    }
    ~ZlibDeflater() { deflateEnd(&m_z); }
    ZlibDeflater(const ZlibDeflater &) = delete;
    ZlibDeflater &operator=(const ZlibDeflater &) = delete;

    /** One message sent in parts. finalBlock: ended by Z_FINISH (RFC 7692 §7.2.3.4), then a fresh stream. */
    QByteArray message(const QList<QByteArrayView> &parts, bool finalBlock, bool noContextTakeover)
    {
        QByteArray out;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const bool last = i + 1 == parts.size();
            run(parts[i], last && finalBlock ? Z_FINISH : Z_SYNC_FLUSH, &out);
        }
        if (finalBlock) {
            deflateReset(&m_z);
        } else if (out.isEmpty()) {
            // nothing was pending since the last flush: zlib writes nothing, and the message is
            // the first byte of an empty stored block, as MessageDeflater sends it
            out.append('\0');
        } else {
            if (!out.endsWith(MessageTail))
                __builtin_trap(); // a sync flush ends with an empty stored block
            out.chop(4);
        }
        if (!finalBlock && noContextTakeover)
            deflateReset(&m_z);
        return out;
    }

private:
    void run(QByteArrayView data, int flush, QByteArray *out)
    {
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
        m_z.avail_in = uInt(data.size());
        unsigned char buf[16384];
        for (;;) {
            m_z.next_out = buf;
            m_z.avail_out = sizeof buf;
            const int rc = deflate(&m_z, flush);
            out->append(reinterpret_cast<const char *>(buf), qsizetype(sizeof buf - m_z.avail_out));
            if (rc == Z_STREAM_END || (rc != Z_OK && rc != Z_BUF_ERROR))
                return;
            if (m_z.avail_in == 0 && m_z.avail_out > 0 && flush != Z_FINISH)
                return;
        }
    }

    z_stream m_z{};
};

bool isPrefix(const QByteArray &prefix, const QByteArray &of)
{
    return prefix.size() <= of.size() && QByteArrayView(of).first(prefix.size()) == QByteArrayView(prefix);
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
    // ... and zlib's own inflate implies the verdict and the bytes. zlib checks a distance
    // against the window plus what the current inflate() call has written, so a distance beyond
    // a window smaller than 15 bits is accepted or refused depending on the cut: the reference
    // reads with the largest window, and gives no verdict when only the smaller one refuses.
    const Reference ref = zlibInflate(input, MaxWindowBits, limit);
    const Reference atWindow = window == MaxWindowBits ? ref : zlibInflate(input, window, limit);
    ErrorDetail expected = ErrorDetail::None;
    if (quint64(ref.data.size()) > limit)
        expected = ErrorDetail::MessageTooBig;
    else if (ref.dataError || (!ref.streamEnded && !ref.betweenBlocks))
        expected = ErrorDetail::InvalidCompressedData;
    if (!isPrefix(whole.data, ref.data))
        __builtin_trap(); // whatever the verdict, what was handed over is what zlib reads
    if ((!atWindow.dataError || ref.dataError)
        && (whole.error != expected || (expected == ErrorDetail::None && whole.data != ref.data)))
        __builtin_trap();

    // 2. round trip through our deflater, twice, in two parts each
    const int deflateWindow = window < 9 ? 9 : window;
    MessageDeflater deflater;
    deflater.configure(deflateWindow, level, noContextTakeover);
    MessageInflater inflater;
    inflater.configure(deflateWindow, noContextTakeover);
    z_stream reader{}; // zlib's inflate reads what our deflater wrote, too
    if (inflateInit2(&reader, -deflateWindow) != Z_OK)
        __builtin_trap();
    for (int round = 0; round < 2; ++round) {
        QByteArray compressed;
        deflater.compress(input.first(split), false, &compressed);
        deflater.compress(input.sliced(split), true, &compressed);
        Collect sink;
        if (inflater.inflate(compressed, quint64(input.size()), sink) != ErrorDetail::None
            || inflater.finishMessage(quint64(input.size()), sink) != ErrorDetail::None || sink.data != input)
            __builtin_trap();
        compressed += MessageTail;
        QByteArray back(input.size() + 1, Qt::Uninitialized);
        reader.next_in = reinterpret_cast<Bytef *>(compressed.data());
        reader.avail_in = uInt(compressed.size());
        reader.next_out = reinterpret_cast<Bytef *>(back.data());
        reader.avail_out = uInt(back.size());
        const int rc = inflate(&reader, Z_SYNC_FLUSH);
        if ((rc != Z_OK && rc != Z_BUF_ERROR) || reader.avail_in != 0
            || QByteArrayView(back).first(back.size() - qsizetype(reader.avail_out)) != input)
            __builtin_trap();
        if (noContextTakeover)
            inflateReset(&reader);
    }
    inflateEnd(&reader);

    // 3. the decoder with deflate in force: the way the bytes arrive changes nothing
    const Decoded at = decode({input}, window, noContextTakeover, limit, false);
    const Decoded in = decode({input.first(split), input.sliced(split)}, window, noContextTakeover, limit, data[0] & 0x80);
    if (at.error != in.error || at.events != in.events)
        __builtin_trap();

    // 4. zlib as the server's compressor: two messages, each in two parts
    const quint8 mix = quint8(data[0] + 3 * data[1]);
    static constexpr int Strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    int strategy = Strategies[mix % 5];
    // zlib cannot compress with an 8-bit window; what refers at most 1 byte back fits any window
    const int serverWindow = window == 8 ? 9 : 9 + (mix >> 4) % (window - 8);
    if (window == 8 && strategy != Z_HUFFMAN_ONLY && strategy != Z_RLE && level != 0)
        strategy = Z_HUFFMAN_ONLY;
    const int memLevel = 1 + (mix >> 3) % 9;
    const bool finalBlock = mix & 0x40;
    ZlibDeflater server(serverWindow, level, memLevel, strategy);
    MessageInflater client;
    client.configure(window, noContextTakeover);
    for (int round = 0; round < 2; ++round) {
        const QByteArray compressed = server.message({input.first(split), input.sliced(split)}, finalBlock, noContextTakeover);
        Collect sink;
        const qsizetype cutAt = compressed.isEmpty() ? 0 : qsizetype(mix) * 13 % (compressed.size() + 1);
        ErrorDetail error = client.inflate(QByteArrayView(compressed).first(cutAt), limit, sink);
        if (error == ErrorDetail::None)
            error = client.inflate(QByteArrayView(compressed).sliced(cutAt), limit, sink);
        if (error == ErrorDetail::None)
            error = client.finishMessage(limit, sink);
        if (quint64(input.size()) <= limit) {
            if (error != ErrorDetail::None || sink.data != input)
                __builtin_trap(); // a message within the limit comes back exactly
        } else {
            if (error != ErrorDetail::MessageTooBig || quint64(sink.data.size()) > limit || !isPrefix(sink.data, input.toByteArray()))
                __builtin_trap(); // one past the limit is caught, and no more than the limit handed over
            break; // the connection fails: no next message
        }
    }
    return 0;
}
