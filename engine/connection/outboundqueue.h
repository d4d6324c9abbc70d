#pragma once

#include <QByteArray>

class QAbstractSocket;

namespace Wsw {

/**
 * Frames waiting for the socket. Messages are masked straight into this buffer, many small
 * ones are handed to the kernel in one write, and a large one in chunks only while the
 * kernel takes them, so Qt's own write buffer never holds more than one chunk and nothing is
 * copied twice.
 */
class OutboundQueue final
{
public:
    /** The buffer to append frames to. */
    QByteArray &buffer() { return m_buffer; }
    /** Bytes queued and not yet handed to the socket. */
    qint64 size() const { return m_buffer.size() - m_offset; }
    bool isEmpty() const { return size() == 0; }

    struct FlushResult {
        qint64 handed = 0;   // bytes given to the socket
        qint64 direct = 0;   // of those, bytes the kernel took at once (Qt buffered the rest)
        bool failed = false; // the socket refused the write
    };
    /** Hands queued bytes to the socket while it takes them without buffering. */
    FlushResult flushTo(QAbstractSocket *socket);

    void clear();

private:
    void compact();

    QByteArray m_buffer;
    qsizetype m_offset = 0;
};

} // namespace Wsw
