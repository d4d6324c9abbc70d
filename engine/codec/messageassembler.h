#pragma once

#include <QByteArray>

#include "codec/frameheader.h"
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
 */
class MessageAssembler final
{
public:
    /** Most bytes reserved beyond what has arrived, whatever a frame header announces. */
    static constexpr quint64 MaxReserveAheadBytes = 16 * 1024 * 1024;

    /** What the assembler hands over: whole messages (or pieces) and complete control frames. */
    class Sink
    {
    public:
        virtual ~Sink() = default;
        /** Returns false to stop processing (e.g. the connection is going away). */
        virtual bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) = 0;
        virtual bool onControlFrame(Opcode opcode, QByteArray &&payload) = 0;
    };

    void setMaxMessageSize(quint64 bytes) { m_maxMessageSize = bytes; }
    void setPartialMode(bool partial) { m_partial = partial; }

    /** Sequence and size rules for a frame that begins. Returns the broken rule, or None. */
    ErrorDetail frameStart(const FrameHeader &header);
    /** An unmasked payload chunk of the current frame. */
    ErrorDetail payload(QByteArrayView chunk, Sink &sink, bool *keepGoing);
    /** The current frame is complete. */
    ErrorDetail frameEnd(Sink &sink, bool *keepGoing);

    bool isMessageInProgress() const { return m_inMessage; }
    bool isPartialMode() const { return m_partial; }
    quint64 maxMessageSize() const { return m_maxMessageSize; }
    quint64 currentMessageSize() const { return m_messageSize; }
    void reset();

private:
    ErrorDetail flushPartial(Sink &sink, bool isComplete, bool *keepGoing);

    quint64 m_maxMessageSize = 0xFFFFFFFFull;
    bool m_partial = false;

    // current data message
    bool m_inMessage = false;
    SocketMessageType m_type = SocketMessageType::Binary;
    quint64 m_messageSize = 0;     // payload bytes announced so far (frame headers seen)
    QByteArray m_data;
    Utf8Validator m_utf8;

    // current frame
    bool m_frameIsControl = false;
    bool m_frameFin = false;
    Opcode m_controlOpcode = Opcode::Ping;
    QByteArray m_control;
};

} // namespace Wsw::Codec
