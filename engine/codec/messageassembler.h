#pragma once

#include <QByteArray>

#include "codec/frameheader.h"
#include "codec/messageinflater.h"
#include "codec/utf8validator.h"

namespace Wsw::Codec {

/**
 * Builds messages from frame events and enforces the rules that span frames (RFC 6455 §5.4):
 * a continuation needs a started message, a new data frame may not start inside a fragmented
 * message, control frames may come between fragments. It also enforces the message size
 * limit (checked before allocating, overflow-safe) and validates text incrementally, failing
 * at the first invalid byte.
 *
 * Full mode: the message is handed over complete; its announced size is reserved up to
 * MaxReserveAheadBytes ahead of the data, so a one-frame message of ordinary size is allocated
 * once and a false announcement costs nothing. Partial mode: every payload chunk is handed over as it arrives
 * (text cut at code point boundaries), the last piece marked complete.
 *
 * With permessage-deflate (RFC 7692) a message whose first frame has RSV1 set is inflated as
 * it arrives; MaxMessageSize and UTF-8 apply to the inflated bytes, as they grow.
 */
class MessageAssembler final : private MessageInflater::Sink
{
public:
    /** Most bytes reserved beyond what has arrived, whatever a frame header announces. */
    static constexpr quint64 MaxReserveAheadBytes = 16 * 1024 * 1024;
    /** Partial mode: inflated bytes held at most before a piece is handed over, mid-frame. */
    static constexpr quint64 PartialInflateFlushBytes = 1024 * 1024;

    /** What the assembler hands over: whole messages (or pieces) and complete control frames. */
    class Sink
    {
    public:
        virtual ~Sink() = default;
        /** Returns false to stop processing (e.g. the connection is going away). */
        virtual bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) = 0;
        virtual bool onControlFrame(Opcode opcode, QByteArray &&payload) = 0;
        /**
         * A whole message that arrived as one complete frame (data is that frame's whole
         * payload), checked and still in the receive buffer (valid during the call only). The
         * default copies it for onMessage(); a sink may put it somewhere cheaper (the connection
         * reuses a buffer nobody shares any more, or hands the view to the application).
         */
        virtual bool onWholeMessage(SocketMessageType type, QByteArrayView data);
    };

    void setMaxMessageSize(quint64 bytes) { m_maxMessageSize = bytes; }
    void setPartialMode(bool partial) { m_partial = partial; }
    /** permessage-deflate in force with the server's window (8-15); 0 turns it off. */
    void setInflate(int windowBits, bool noContextTakeover);
    bool isInflateEnabled() const { return m_inflateEnabled; }
    /**
     * Most wire bytes a compressed message may have for a given limit on its inflated size:
     * deflate may grow incompressible data a little (stored blocks: 5 bytes per 64 KiB).
     */
    static quint64 compressedSizeLimit(quint64 maxMessageSize);

    /** Sequence and size rules for a frame that begins. Returns the broken rule, or None. */
    ErrorDetail frameStart(const FrameHeader &header);
    /** An unmasked payload chunk of the current frame. */
    ErrorDetail payload(QByteArrayView chunk, Sink &sink, bool *keepGoing);
    /** The current frame's payload is complete: the last frame of a compressed message inflates its tail. */
    ErrorDetail endFrameData();
    /** Bytes the current frame inflated to; -1 when it is not part of a compressed message. */
    qint64 frameUncompressedLength() const;
    /** The current frame is complete (after endFrameData()): a finished message is handed over. */
    ErrorDetail frameEnd(Sink &sink, bool *keepGoing);

    /**
     * Whether the current frame's payload may be written straight into the message (a data
     * frame of an uncompressed message in full mode): then reserveInPlace()/commitInPlace()
     * replace payload() for it.
     */
    bool canTakeInPlace() const { return !m_frameIsControl && !m_partial && !m_compressed && m_inMessage; }
    /** n writable bytes at the end of the message (grown within the announced size); valid until commitInPlace(). */
    char *reserveInPlace(qsizetype n);
    /** used of the reserved bytes were written: the rest is dropped, text is validated. */
    ErrorDetail commitInPlace(qsizetype reserved, qsizetype used);

    bool isMessageInProgress() const { return m_inMessage; }
    bool isPartialMode() const { return m_partial; }
    quint64 maxMessageSize() const { return m_maxMessageSize; }
    quint64 currentMessageSize() const { return m_messageSize; }
    /** The current message's final frame has begun: currentMessageSize() is its whole wire size. */
    bool isMessageSizeKnown() const { return m_finalFrameStarted; }
    /** The current message's bytes so far (full mode). */
    const QByteArray &currentData() const { return m_data; }
    void reset();

private:
    ErrorDetail flushPartial(Sink &sink, bool isComplete, bool *keepGoing);
    // MessageInflater::Sink
    ErrorDetail onInflated(QByteArrayView bytes) override;
    void appendData(QByteArrayView bytes);

    quint64 m_maxMessageSize = 0xFFFFFFFFull;
    bool m_partial = false;

    // current data message
    bool m_inMessage = false;
    SocketMessageType m_type = SocketMessageType::Binary;
    quint64 m_messageSize = 0;     // payload bytes announced so far (frame headers seen)
    bool m_finalFrameStarted = false; // the header of the message's FIN frame has been seen
    QByteArray m_data;
    Utf8Validator m_utf8;
    bool m_compressed = false;

    // permessage-deflate
    bool m_inflateEnabled = false;
    MessageInflater m_inflater;
    quint64 m_frameInflated = 0;
    Sink *m_inflateSink = nullptr; // during payload(): where partial pieces go while inflating
    bool m_inflateStopped = false;

    // current frame
    bool m_frameIsControl = false;
    bool m_frameFin = false;
    Opcode m_controlOpcode = Opcode::Ping;
    QByteArray m_control;
};

} // namespace Wsw::Codec
