// Fuzz entry point: the whole inbound direction (FrameReader + MessageAssembler) of a client.
// The first byte chooses the mode and a split point, so both full and partial delivery and
// every way the stream can be cut are explored.
#include <cstddef>
#include <cstdint>

#include "codec/inbounddecoder.h"

namespace {

class CountingSink final : public Wsw::Codec::MessageAssembler::Sink
{
public:
    bool onMessage(Wsw::SocketMessageType, QByteArray &&data, bool) override
    {
        bytes += quint64(data.size());
        return true;
    }
    bool onControlFrame(Wsw::Codec::Opcode opcode, QByteArray &&payload) override
    {
        // the codec promises control payloads of at most 125 bytes
        if (payload.size() > 125)
            __builtin_trap();
        return opcode != Wsw::Codec::Opcode::Close; // the connection stops reading after a close
    }
    quint64 bytes = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    Wsw::Codec::InboundDecoder decoder(Wsw::Codec::Role::Client);
    decoder.assembler().setMaxMessageSize(1024 * 1024);
    decoder.assembler().setPartialMode(control & 0x80);
    CountingSink sink;
    const qsizetype split = stream.isEmpty() ? 0 : qsizetype(control & 0x7F) % (stream.size() + 1);
    Wsw::ErrorDetail error = decoder.feed(stream.first(split), sink);
    if (error == Wsw::ErrorDetail::None)
        error = decoder.feed(stream.sliced(split), sink);
    // a message can never exceed the limit
    if (sink.bytes > quint64(stream.size()))
        __builtin_trap();
    return 0;
}
