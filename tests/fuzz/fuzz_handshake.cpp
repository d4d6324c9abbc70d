// Fuzz entry point: the bounded parser of the server's answer to the upgrade request, fed in
// two pieces, then the RFC 6455 §4.1 checks with a fixed key. The oracle: the same bytes fed
// at once give the same result, and the bounds hold.
#include <cstddef>
#include <cstdint>

#include "codec/handshake.h"

namespace {

using Wsw::Codec::HandshakeResponseParser;

struct Outcome {
    HandshakeResponseParser::Result result = HandshakeResponseParser::Result::NeedMore;
    qsizetype consumed = 0;
    Wsw::ErrorDetail parseError = Wsw::ErrorDetail::None;
    Wsw::ErrorDetail upgradeError = Wsw::ErrorDetail::None;
    int status = 0;
    QByteArray raw;
    QByteArray body;
    QString protocol;
};

Outcome parse(QByteArrayView answer, qsizetype split)
{
    Outcome out;
    HandshakeResponseParser parser;
    qsizetype used = 0;
    out.result = parser.feed(answer.first(split), &used);
    out.consumed = used;
    if (used < 0 || used > split)
        __builtin_trap();
    if (out.result == HandshakeResponseParser::Result::NeedMore) {
        if (used != split)
            __builtin_trap(); // NeedMore consumes everything it was given
        out.result = parser.feed(answer.sliced(split), &used);
        if (used < 0 || used > answer.size() - split)
            __builtin_trap();
        out.consumed += used;
    }
    if (out.result == HandshakeResponseParser::Result::NeedMore)
        out.result = parser.finishAtEndOfStream();
    if (parser.rawHeaders().size() > Wsw::Codec::MaxResponseHeaderBytes
        || parser.body().size() > Wsw::Codec::MaxResponseBodyBytes)
        __builtin_trap(); // the bounds hold
    out.parseError = parser.error();
    out.status = parser.statusCode();
    out.raw = parser.rawHeaders();
    out.body = parser.body();
    if (out.result == HandshakeResponseParser::Result::Complete) {
        out.upgradeError = parser.validateUpgrade("dGhlIHNhbXBsZSBub25jZQ==", {QStringLiteral("chat")}, &out.protocol);
        if (out.upgradeError == Wsw::ErrorDetail::None
            && (out.status != 101 || (!out.protocol.isEmpty() && out.protocol != QStringLiteral("chat"))))
            __builtin_trap(); // only a 101 with an offered protocol (or none) is accepted
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArrayView answer(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = answer.isEmpty() ? 0 : qsizetype(data[0]) % (answer.size() + 1);
    const Outcome cut = parse(answer, split);
    const Outcome whole = parse(answer, answer.size());
    if (cut.result != whole.result || cut.parseError != whole.parseError || cut.upgradeError != whole.upgradeError
        || cut.status != whole.status || cut.body != whole.body || cut.protocol != whole.protocol)
        __builtin_trap(); // the way the bytes arrive changed the result
    // after an error the raw bytes kept may include the start of the line that broke a bound
    if (cut.result != HandshakeResponseParser::Result::Error && cut.raw != whole.raw)
        __builtin_trap();
    if (cut.result == HandshakeResponseParser::Result::Complete && cut.consumed != whole.consumed)
        __builtin_trap();
    return 0;
}
