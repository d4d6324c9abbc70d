#pragma once

#include <QByteArrayView>

#include "codec/frameheader.h"

namespace Wsw::Codec {

/**
 * Incremental frame reader. next() accepts the byte stream split at any point (down to one
 * byte at a time), consumes from the front of input, and returns one event at a time:
 * FrameStart (header() is valid), Payload (a chunk of the current frame's payload, as it
 * came: still masked when header().masked), FrameEnd, NeedMore (input is used up) or Error.
 * It checks one frame at a time (parseFrameHeader); the sequence of frames is the
 * MessageAssembler's business. After Error it stays failed.
 */
class FrameReader final
{
public:
    enum class EventKind : quint8 { NeedMore, FrameStart, Payload, FrameEnd, Error };

    struct Event {
        EventKind kind = EventKind::NeedMore;
        QByteArrayView payload;     // Payload only
        quint64 payloadOffset = 0;  // Payload only: offset of this chunk in the frame's payload
    };

    explicit FrameReader(Role role = Role::Client) : m_role(role) {}

    void setReservedBitsAllowed(ReservedBitsAllowed allowed) { m_allowed = allowed; }

    Event next(QByteArrayView &input);

    const FrameHeader &header() const { return m_header; }
    quint64 payloadRemaining() const { return m_remaining; }
    ErrorDetail error() const { return m_error; }
    bool isInPayload() const { return m_stage == Stage::Payload; }
    /** True between frames with no partial header kept: the next byte starts a frame. */
    bool isAtFrameStart() const { return m_stage == Stage::Header && m_headerFill == 0; }
    Role role() const { return m_role; }
    ReservedBitsAllowed reservedBitsAllowed() const { return m_allowed; }

    /** n bytes of the current payload were taken by other means (read in place): skips them. */
    void skipPayload(quint64 n)
    {
        Q_ASSERT(m_stage == Stage::Payload && n <= m_remaining);
        m_remaining -= n;
        if (m_remaining == 0)
            m_stage = Stage::End;
    }

    void reset();

private:
    enum class Stage : quint8 { Header, Payload, End, Failed };

    Role m_role;
    ReservedBitsAllowed m_allowed;
    Stage m_stage = Stage::Header;
    FrameHeader m_header;
    quint64 m_remaining = 0;
    ErrorDetail m_error = ErrorDetail::None;
    int m_headerFill = 0;
    char m_headerBuf[MaxFrameHeaderBytes] = {};
};

} // namespace Wsw::Codec
