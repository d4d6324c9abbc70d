#pragma once

#include <memory>

#include <QByteArrayView>

#include "codec/wswenums.h"

namespace Wsw::Codec {

/**
 * Inflates the payload of compressed messages (RFC 7692 §7.2.2) with zlib's raw inflate and the
 * negotiated window. Output is handed to a sink in bounded chunks while it is produced, and the
 * inflated size of the message is checked against the limit as it grows: a small frame that
 * inflates to gigabytes ends with MessageTooBig after at most limit + one chunk of work, never
 * allocating more.
 */
class MessageInflater final
{
public:
    /** Bytes inflated per step: the most handed to the sink at once. */
    static constexpr qsizetype ChunkBytes = 64 * 1024;

    class Sink
    {
    public:
        virtual ~Sink() = default;
        /** Inflated bytes of the current message; a returned error stops inflation. */
        virtual ErrorDetail onInflated(QByteArrayView bytes) = 0;
    };

    MessageInflater();
    ~MessageInflater();
    MessageInflater(MessageInflater &&) noexcept;
    MessageInflater &operator=(MessageInflater &&) noexcept;

    /**
     * (Re)starts for a server compressing with windowBits (8-15; inflating always uses 15, which
     * reads any of them the same whatever the cut); noContextTakeover resets after each message.
     */
    void configure(int windowBits, bool noContextTakeover);
    bool isConfigured() const;

    /** Compressed bytes of the current message. limit: most inflated bytes the message may have. */
    ErrorDetail inflate(QByteArrayView compressed, quint64 limit, Sink &sink);
    /** The message ends: the 0x00 0x00 0xff 0xff tail is inflated, then the context kept or reset. */
    ErrorDetail finishMessage(quint64 limit, Sink &sink);
    /** Inflated bytes of the current message so far. */
    quint64 messageBytes() const { return m_messageBytes; }
    /** Forgets the current message and the window (a new connection). */
    void reset();

private:
    ErrorDetail run(QByteArrayView compressed, quint64 limit, Sink &sink);

    struct State;
    std::unique_ptr<State> m_state;
    quint64 m_messageBytes = 0;
    bool m_streamEnded = false; // a BFINAL block ended the stream: the rest of the message is ignored
};

} // namespace Wsw::Codec
