#include "codec/messagedeflater.h"

#include <cstring>

#include <zlib.h>

namespace Wsw::Codec {

namespace {
constexpr char MessageTail[4] = {'\x00', '\x00', '\xff', '\xff'};
constexpr int MemLevel = 8; // zlib's default
} // namespace

struct MessageDeflater::State {
    z_stream stream{};
    bool initialized = false;
    bool noContextTakeover = false;

    ~State()
    {
        if (initialized)
            deflateEnd(&stream);
    }
};

MessageDeflater::MessageDeflater() = default;
MessageDeflater::~MessageDeflater() = default;
MessageDeflater::MessageDeflater(MessageDeflater &&) noexcept = default;
MessageDeflater &MessageDeflater::operator=(MessageDeflater &&) noexcept = default;

void MessageDeflater::configure(int windowBits, int level, bool noContextTakeover)
{
    m_state = std::make_unique<State>();
    m_state->noContextTakeover = noContextTakeover;
    m_state->initialized =
            deflateInit2(&m_state->stream, level, Z_DEFLATED, -windowBits, MemLevel, Z_DEFAULT_STRATEGY) == Z_OK;
}

bool MessageDeflater::isConfigured() const
{
    return m_state && m_state->initialized;
}

void MessageDeflater::compress(QByteArrayView data, bool finalPart, QByteArray *out)
{
    Q_ASSERT(isConfigured());
    z_stream &z = m_state->stream;
    const qsizetype start = out->size();
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    // a sync flush ends every part on a byte boundary with an empty stored block (RFC 7692 §7.2.1)
    qsizetype room = qsizetype(deflateBound(&z, uLong(data.size()))) + 16;
    for (;;) {
        const qsizetype used = out->size();
        out->resize(used + room);
        z.next_out = reinterpret_cast<Bytef *>(out->data() + used);
        z.avail_out = uInt(room);
        const int rc = deflate(&z, Z_SYNC_FLUSH);
        out->resize(used + (room - qsizetype(z.avail_out)));
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            break; // cannot happen with a configured stream; never loop on it
        if (z.avail_out > 0 && z.avail_in == 0)
            break;
        room = std::max<qsizetype>(room, 64 * 1024);
    }
    if (finalPart) {
        // the message's last four bytes are the empty block's 0x00 0x00 0xff 0xff: removed
        const qsizetype produced = out->size() - start;
        if (produced >= 4 && std::memcmp(out->constData() + out->size() - 4, MessageTail, 4) == 0) {
            out->chop(4);
        } else {
            // Nothing was pending (the last part already ended with a flush): zlib writes
            // nothing. The receiver appends the tail, so the message must end with the first
            // byte of an empty stored block, or the tail would be read as the start of a block.
            Q_ASSERT(produced == 0);
            out->append('\0');
        }
        if (m_state->noContextTakeover)
            deflateReset(&z);
    }
}

void MessageDeflater::reset()
{
    m_state.reset();
}

} // namespace Wsw::Codec
