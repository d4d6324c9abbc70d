// Fuzz entry point: the bounded parser of the server's answer to the upgrade request, fed in
// two pieces, then the RFC 6455 §4.1 checks with a fixed key.
#include <cstddef>
#include <cstdint>

#include "codec/handshake.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArrayView answer(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = answer.isEmpty() ? 0 : qsizetype(data[0]) % (answer.size() + 1);
    Wsw::Codec::HandshakeResponseParser parser;
    qsizetype used = 0;
    auto result = parser.feed(answer.first(split), &used);
    if (result == Wsw::Codec::HandshakeResponseParser::Result::NeedMore) {
        if (used != split)
            __builtin_trap(); // NeedMore consumes everything it was given
        result = parser.feed(answer.sliced(split), &used);
    }
    if (result == Wsw::Codec::HandshakeResponseParser::Result::NeedMore)
        result = parser.finishAtEndOfStream();
    if (parser.rawHeaders().size() > Wsw::Codec::MaxResponseHeaderBytes
        || parser.body().size() > Wsw::Codec::MaxResponseBodyBytes)
        __builtin_trap(); // the bounds hold
    if (result == Wsw::Codec::HandshakeResponseParser::Result::Complete) {
        QString protocol;
        parser.validateUpgrade("dGhlIHNhbXBsZSBub25jZQ==", {QStringLiteral("chat")}, &protocol);
    }
    return 0;
}
