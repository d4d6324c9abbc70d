#pragma once

#include <cstdlib>

#include <QtGlobal>

#include "codec/framewriter.h"

class QAbstractSocket;

namespace Wsw {

/**
 * Frames waiting for the socket. Messages are masked straight into this buffer, many small
 * ones are handed to the kernel in one write, and a large one in chunks only while the
 * kernel takes them, so Qt's own write buffer never holds more than one chunk and nothing is
 * copied twice. A plain malloc'd block: growing a large one is a cheap realloc.
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

    /** Bytes queued and not yet handed to the socket. */
    qint64 size() const { return m_size - m_offset; }
    bool isEmpty() const { return m_size == m_offset; }
    const char *pending() const { return m_data + m_offset; }

    struct FlushResult {
        qint64 handed = 0;   // bytes given to the socket
        qint64 direct = 0;   // of those, bytes the kernel took at once (Qt buffered the rest)
        bool failed = false; // the socket refused the write
    };
    /** Hands queued bytes to the socket while it takes them without buffering. */
    FlushResult flushTo(QAbstractSocket *socket);

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
