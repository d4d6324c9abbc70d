#include "connection/outboundqueue.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "connection/transport.h"

namespace Wsw {

namespace {
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

OutboundQueue::FlushResult OutboundQueue::flushTo(Transport &transport)
{
    FlushResult result;
    while (m_offset < m_size) {
        const qint64 room = transport.writeRoom();
        if (room <= 0)
            break; // the transport holds enough: progressed() brings us back
        const qint64 written = transport.write(m_data + m_offset, std::min<qint64>(room, m_size - m_offset));
        if (written < 0) {
            result.failed = true;
            break;
        }
        if (written == 0)
            break;
        m_offset += qsizetype(written);
        result.handed += written;
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
