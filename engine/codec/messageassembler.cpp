#include "codec/messageassembler.h"

#include <algorithm>
#include <cstring>

namespace Wsw::Codec {

ErrorDetail MessageAssembler::frameStart(const FrameHeader &header)
{
    m_frameFin = header.fin;
    if (isControlOpcode(header.opcode)) {
        // control frames may come between the fragments of a message (RFC 6455 §5.4)
        m_frameIsControl = true;
        m_controlOpcode = header.opcode;
        m_control = QByteArray();
        m_control.reserve(qsizetype(header.payloadLength));
        return ErrorDetail::None;
    }
    m_frameIsControl = false;
    if (header.opcode == Opcode::Continuation) {
        if (!m_inMessage)
            return ErrorDetail::UnexpectedContinuation; // RFC 6455 §5.4: nothing to continue
    } else {
        if (m_inMessage)
            return ErrorDetail::ExpectedContinuation; // RFC 6455 §5.4: no interleaving
        m_inMessage = true;
        m_type = header.opcode == Opcode::Text ? SocketMessageType::Utf8 : SocketMessageType::Binary;
        m_messageSize = 0;
        m_data = QByteArray();
        m_filled = 0;
        m_preallocated = false;
        m_utf8.reset();
    }
    // m_messageSize never exceeds the limit, so this subtraction cannot wrap
    if (header.payloadLength > m_maxMessageSize - m_messageSize)
        return ErrorDetail::MessageTooBig;
    m_messageSize += header.payloadLength;

    if (!m_partial) {
        if (header.fin && header.opcode != Opcode::Continuation) {
            // a one-frame message: its size is known, allocate it once (only address space
            // until the bytes arrive)
            m_data = QByteArray(qsizetype(header.payloadLength), Qt::Uninitialized);
            m_preallocated = true;
        } else if (quint64(m_data.capacity()) < m_messageSize) {
            const quint64 doubled = std::min<quint64>(quint64(m_data.capacity()) * 2, m_maxMessageSize);
            m_data.reserve(qsizetype(std::max(m_messageSize, doubled)));
        }
    }
    return ErrorDetail::None;
}

ErrorDetail MessageAssembler::payload(QByteArrayView chunk, Sink &sink, bool *keepGoing)
{
    *keepGoing = true;
    if (m_frameIsControl) {
        m_control.append(chunk.data(), chunk.size());
        return ErrorDetail::None;
    }
    // fail fast: the first invalid byte fails the message, whatever is still to come
    if (m_type == SocketMessageType::Utf8 && !m_utf8.write(chunk))
        return ErrorDetail::InvalidUtf8;
    if (m_preallocated) {
        std::memcpy(m_data.data() + m_filled, chunk.data(), size_t(chunk.size()));
        m_filled += chunk.size();
        return ErrorDetail::None;
    }
    m_data.append(chunk.data(), chunk.size());
    m_filled = m_data.size();
    if (m_partial)
        return flushPartial(sink, false, keepGoing);
    return ErrorDetail::None;
}

ErrorDetail MessageAssembler::frameEnd(Sink &sink, bool *keepGoing)
{
    *keepGoing = true;
    if (m_frameIsControl) {
        m_frameIsControl = false;
        *keepGoing = sink.onControlFrame(m_controlOpcode, std::move(m_control));
        m_control = QByteArray();
        return ErrorDetail::None;
    }
    if (!m_frameFin)
        return ErrorDetail::None;
    // the message ends inside a code point: invalid (RFC 6455 §8.1)
    if (m_type == SocketMessageType::Utf8 && !m_utf8.finish())
        return ErrorDetail::InvalidUtf8;
    m_inMessage = false;
    if (m_partial)
        return flushPartial(sink, true, keepGoing);
    QByteArray message = std::move(m_data);
    m_data = QByteArray();
    m_preallocated = false;
    m_filled = 0;
    *keepGoing = sink.onMessage(m_type, std::move(message), true);
    return ErrorDetail::None;
}

ErrorDetail MessageAssembler::flushPartial(Sink &sink, bool isComplete, bool *keepGoing)
{
    // text pieces end on a code point boundary: the bytes of an open sequence wait
    const qsizetype held = (m_type == SocketMessageType::Utf8 && !isComplete) ? m_utf8.pendingBytes() : 0;
    const qsizetype ready = m_data.size() - held;
    if (ready <= 0 && !isComplete)
        return ErrorDetail::None;
    QByteArray piece;
    if (held == 0) {
        piece = std::move(m_data);
        m_data = QByteArray();
    } else {
        piece = m_data.first(ready);
        m_data = m_data.sliced(ready);
    }
    m_filled = m_data.size();
    *keepGoing = sink.onMessage(m_type, std::move(piece), isComplete);
    return ErrorDetail::None;
}

void MessageAssembler::reset()
{
    m_inMessage = false;
    m_messageSize = 0;
    m_data = QByteArray();
    m_filled = 0;
    m_preallocated = false;
    m_utf8.reset();
    m_frameIsControl = false;
    m_frameFin = false;
    m_control = QByteArray();
}

} // namespace Wsw::Codec
