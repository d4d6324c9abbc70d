#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>

namespace Wsw::Codec {

/**
 * Compresses outgoing messages (RFC 7692 §7.2.1) with zlib's raw deflate: each message (or each
 * frame of a message sent in parts) ends with a sync flush, and the final 0x00 0x00 0xff 0xff
 * is stripped at the end of the message. With no context takeover the compressor is reset
 * after every message.
 */
class MessageDeflater final
{
public:
    MessageDeflater();
    ~MessageDeflater();
    MessageDeflater(MessageDeflater &&) noexcept;
    MessageDeflater &operator=(MessageDeflater &&) noexcept;

    /** windowBits 9-15 (zlib cannot compress with 8), level -1 or 0-9. */
    void configure(int windowBits, int level, bool noContextTakeover);
    bool isConfigured() const;

    /**
     * Appends the compressed form of data to out. finalPart: the message ends here (the tail is
     * stripped and, without context takeover, the context reset); otherwise the part is flushed
     * so it can go out as a frame of its own.
     */
    void compress(QByteArrayView data, bool finalPart, QByteArray *out);
    void reset();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace Wsw::Codec
