#include "connection/outboundqueue.h"

#include <algorithm>
#include <cstring>
#include <new>

#include <QAbstractSocket>

namespace Wsw {

namespace {
/** Most bytes handed to the socket per write: bounds what Qt buffers when the kernel is full. */
constexpr qsizetype WriteChunkBytes = 256 * 1024;
/** A drained queue keeps its memory up to this size, and releases a larger block. */
constexpr qsizetype KeptCapacityBytes = 1024 * 1024;
constexpr qsizetype MinCapacityBytes = 64 * 1024;
} // namespace

void OutboundQueue::reserveMore(qsizetype n)
{
    const qsizetype needed = m_size + n;
    const qsizetype capacity = std::max({needed, m_capacity * 2, MinCapacityBytes});
    auto *data = static_cast<char *>(std::realloc(m_data, size_t(capacity)));
    if (!data)
        throw std::bad_alloc();
    m_data = data;
    m_capacity = capacity;
}

void OutboundQueue::append(const char *data, qsizetype n)
{
    if (n > 0)
        std::memcpy(grow(n), data, size_t(n));
}

OutboundQueue::FlushResult OutboundQueue::flushTo(QAbstractSocket *socket)
{
    FlushResult result;
    // bytesToWrite() > 0 means the kernel is full and Qt holds the rest: wait for bytesWritten
    while (m_offset < m_size && socket->bytesToWrite() == 0) {
        const qsizetype n = std::min(WriteChunkBytes, m_size - m_offset);
        const qint64 written = socket->write(m_data + m_offset, n);
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
    if (m_offset == m_size) {
        if (m_capacity > KeptCapacityBytes)
            clear();
        m_size = m_offset = 0;
    } else if (m_offset >= KeptCapacityBytes && m_offset * 2 >= m_size) {
        // a queue that never drains must not grow without end
        std::memmove(m_data, m_data + m_offset, size_t(m_size - m_offset));
        m_size -= m_offset;
        m_offset = 0;
    }
}

void OutboundQueue::clear()
{
    std::free(m_data);
    m_data = nullptr;
    m_capacity = m_size = m_offset = 0;
}

} // namespace Wsw
