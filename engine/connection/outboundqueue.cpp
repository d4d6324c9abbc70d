#include "connection/outboundqueue.h"

#include <algorithm>

#include <QAbstractSocket>

namespace Wsw {

namespace {
/** Most bytes handed to the socket per write: bounds what Qt buffers when the kernel is full. */
constexpr qsizetype WriteChunkBytes = 256 * 1024;
/** A drained buffer keeps its memory up to this size, and releases a larger one. */
constexpr qsizetype KeptCapacityBytes = 1024 * 1024;
} // namespace

OutboundQueue::FlushResult OutboundQueue::flushTo(QAbstractSocket *socket)
{
    FlushResult result;
    // bytesToWrite() > 0 means the kernel is full and Qt holds the rest: wait for bytesWritten
    while (m_offset < m_buffer.size() && socket->bytesToWrite() == 0) {
        const qsizetype n = std::min(WriteChunkBytes, m_buffer.size() - m_offset);
        const qint64 written = socket->write(m_buffer.constData() + m_offset, n);
        if (written < 0) {
            result.failed = true;
            break;
        }
        m_offset += qsizetype(written);
        result.handed += written;
        result.direct += written - socket->bytesToWrite();
    }
    compact();
    return result;
}

void OutboundQueue::compact()
{
    if (m_offset == m_buffer.size()) {
        if (m_buffer.capacity() > KeptCapacityBytes)
            m_buffer = QByteArray();
        else
            m_buffer.resize(0);
        m_offset = 0;
    } else if (m_offset >= KeptCapacityBytes && m_offset * 2 >= m_buffer.size()) {
        // a queue that never drains must not grow without end
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
}

void OutboundQueue::clear()
{
    m_buffer = QByteArray();
    m_offset = 0;
}

} // namespace Wsw
