#pragma once

#include <cstdlib>

#include <QtGlobal>

#include "codec/framewriter.h"


namespace Wsw {

class Transport;

/**
 * Frames waiting for the transport. Messages are masked straight into this buffer, many small
 * ones are handed over in one write, and a large one in chunks only while the transport has
 * room (Transport::writeRoom()), so the transport never holds much more than one chunk and
 * nothing is copied twice. A plain malloc'd block: growing a large one is a cheap realloc.
 */
class OutboundQueue final : public Codec::FrameOutput
{
    Q_DISABLE_COPY_MOVE(OutboundQueue)

public:
    OutboundQueue() = default;
    ~OutboundQueue() override { std::free(m_data); }

    /** n writable bytes at the end of the queue. */
    char *grow(qsizetype n) override
    {
        if (m_capacity - m_size < n)
            reserveMore(n);
        char *p = m_data + m_size;
        m_size += n;
        return p;
    }
    void append(const char *data, qsizetype n);

    /** Bytes queued and not yet handed to the transport. */
    qint64 size() const { return m_size - m_offset; }
    bool isEmpty() const { return m_size == m_offset; }
    const char *pending() const { return m_data + m_offset; }

    struct FlushResult {
        qint64 handed = 0;   // bytes given to the transport
        bool failed = false; // the transport refused the write: the connection is dead
    };
    /** Hands queued bytes to the transport while it has room. */
    FlushResult flushTo(Transport &transport);

    void clear();

private:
    void reserveMore(qsizetype n);
    void compact();

    char *m_data = nullptr;
    qsizetype m_capacity = 0;
    qsizetype m_size = 0;
    qsizetype m_offset = 0;
};

} // namespace Wsw
