#include "codec/messageinflater.h"

#include <algorithm>

#include <zlib.h>

namespace Wsw::Codec {

namespace {
// RFC 7692 §7.2.2: the end of a message, removed by the sender
constexpr unsigned char MessageTail[4] = {0x00, 0x00, 0xff, 0xff};
} // namespace

struct MessageInflater::State {
    z_stream stream{};
    bool initialized = false;
    bool noContextTakeover = false;
    unsigned char out[ChunkBytes];

    ~State()
    {
        if (initialized)
            inflateEnd(&stream);
    }
};

MessageInflater::MessageInflater() = default;
MessageInflater::~MessageInflater() = default;
MessageInflater::MessageInflater(MessageInflater &&) noexcept = default;
MessageInflater &MessageInflater::operator=(MessageInflater &&) noexcept = default;

void MessageInflater::configure(int windowBits, bool noContextTakeover)
{
    Q_UNUSED(windowBits) // the server's window: any up to 15 reads the same with 15 (below)
    m_state = std::make_unique<State>();
    m_state->noContextTakeover = noContextTakeover;
    // negative: a raw deflate stream, no zlib header (RFC 7692 §7.2.2). Always a 32 KiB window:
    // zlib checks a distance against its window plus what the current call has written, so the
    // negotiated (smaller) window would reject a stream or not depending on how TCP cut it. A
    // receiver may use a larger window than the sender's (RFC 7692 §7.1.2.1).
    m_state->initialized = inflateInit2(&m_state->stream, -15) == Z_OK;
    m_messageBytes = 0;
    m_streamEnded = false;
}

bool MessageInflater::isConfigured() const
{
    return m_state && m_state->initialized;
}

ErrorDetail MessageInflater::run(QByteArrayView compressed, quint64 limit, Sink &sink)
{
    if (!isConfigured())
        return ErrorDetail::InvalidCompressedData;
    z_stream &z = m_state->stream;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    z.avail_in = uInt(compressed.size());
    for (;;) {
        if (m_streamEnded)
            return ErrorDetail::None; // RFC 7692 §7.2.3.4: bytes after a final block carry nothing
        // never inflate more than one byte past the limit: the excess is detected, not stored
        const quint64 allowance = limit - std::min(limit, m_messageBytes);
        const uInt room = uInt(std::min<quint64>(quint64(ChunkBytes), allowance + 1));
        z.next_out = m_state->out;
        z.avail_out = room;
        const int rc = ::inflate(&z, Z_SYNC_FLUSH);
        qsizetype produced = qsizetype(room - z.avail_out);
        const bool tooBig = quint64(produced) > allowance;
        if (tooBig)
            produced = qsizetype(allowance); // the bytes within the limit are still judged first
        m_messageBytes += quint64(produced);
        // what came before broken data or the limit is judged first, so the verdict does not depend
        // on how the bytes were cut (fuzz_inflate found both: invalid UTF-8 ahead of a data error,
        // and ahead of the limit)
        if (produced > 0) {
            const ErrorDetail error = sink.onInflated(
                    QByteArrayView(reinterpret_cast<const char *>(m_state->out), produced));
            if (error != ErrorDetail::None)
                return error;
        }
        if (tooBig)
            return ErrorDetail::MessageTooBig;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return ErrorDetail::InvalidCompressedData; // Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR
        if (rc == Z_STREAM_END) {
            m_streamEnded = true;
            return ErrorDetail::None;
        }
        // done when the input is used up and the output buffer was not filled
        if (z.avail_in == 0 && z.avail_out > 0)
            return ErrorDetail::None;
        if (rc == Z_BUF_ERROR && z.avail_in == 0)
            return ErrorDetail::None;
    }
}

ErrorDetail MessageInflater::inflate(QByteArrayView compressed, quint64 limit, Sink &sink)
{
    return run(compressed, limit, sink);
}

ErrorDetail MessageInflater::finishMessage(quint64 limit, Sink &sink)
{
    const ErrorDetail error = run(QByteArrayView(reinterpret_cast<const char *>(MessageTail), 4), limit, sink);
    if (error != ErrorDetail::None)
        return error;
    // With the tail the message must end between blocks (zlib: data_type bit 128), or what
    // follows would be read as the rest of a block: an empty payload, a cut block
    if (!m_streamEnded && (m_state->stream.data_type & 128) == 0)
        return ErrorDetail::InvalidCompressedData;
    // after a final block the server starts a new stream; otherwise keep the window unless told not to
    if (m_streamEnded || m_state->noContextTakeover)
        inflateReset(&m_state->stream);
    m_messageBytes = 0;
    m_streamEnded = false;
    return ErrorDetail::None;
}

void MessageInflater::reset()
{
    m_state.reset();
    m_messageBytes = 0;
    m_streamEnded = false;
}

} // namespace Wsw::Codec
