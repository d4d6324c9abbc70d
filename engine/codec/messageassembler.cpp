#include "codec/messageassembler.h"

#include <algorithm>
#include <cstring>

namespace Wsw::Codec {

bool MessageAssembler::Sink::onWholeMessage(SocketMessageType type, QByteArrayView data)
{
    // out of line on purpose: inlined, it tempts the compiler into guessing the sink's type per message
    return onMessage(type, data.toByteArray(), true);
}

void MessageAssembler::setInflate(int windowBits, bool noContextTakeover)
{
    m_inflateEnabled = windowBits > 0;
    if (m_inflateEnabled)
        m_inflater.configure(windowBits, noContextTakeover);
    else
        m_inflater.reset();
}

quint64 MessageAssembler::compressedSizeLimit(quint64 maxMessageSize)
{
    const quint64 slack = maxMessageSize / 8 + 1024;
    return maxMessageSize > ~0ull - slack ? ~0ull : maxMessageSize + slack;
}

ErrorDetail MessageAssembler::frameStart(const FrameHeader &header)
{
    m_frameFin = header.fin;
    m_frameInflated = 0;
    if (header.rsv1 && isControlOpcode(header.opcode))
        return ErrorDetail::CompressedControlFrame; // RFC 7692 §6.1
    if (header.rsv1 && header.opcode == Opcode::Continuation)
        return ErrorDetail::CompressedContinuationFrame; // RFC 7692 §6.1: the first frame only
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
        m_utf8.reset();
        m_compressed = header.rsv1; // only when the reader allows RSV1: deflate is in force
    }
    // m_messageSize never exceeds the limit, so this subtraction cannot wrap. A compressed
    // message's limit applies to its inflated bytes (checked as they come); its wire bytes
    // only get a loose bound.
    const quint64 limit = m_compressed ? compressedSizeLimit(m_maxMessageSize) : m_maxMessageSize;
    if (header.payloadLength > limit - m_messageSize)
        return ErrorDetail::MessageTooBig;
    m_messageSize += header.payloadLength;
    m_finalFrameStarted = header.fin;

    if (!m_partial && !m_compressed) {
        // Announced sizes are only promises: reserve up to MaxReserveAheadBytes beyond what has
        // arrived, so a frame that announces terabytes cannot make us allocate them. A message
        // that really is that large grows by doubling (a cheap realloc for large blocks).
        const quint64 target = std::min<quint64>(m_messageSize, quint64(m_data.size()) + MaxReserveAheadBytes);
        if (quint64(m_data.capacity()) < target)
            m_data.reserve(qsizetype(target));
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
    if (m_compressed) {
        // in partial mode, pieces go out while a chunk inflates (one frame can inflate to gigabytes)
        m_inflateSink = &sink;
        m_inflateStopped = false;
        const ErrorDetail error = m_inflater.inflate(chunk, m_maxMessageSize, *this);
        m_inflateSink = nullptr;
        if (m_inflateStopped) {
            *keepGoing = false; // the application stopped reading from its slot
            return ErrorDetail::None;
        }
        if (error != ErrorDetail::None)
            return error;
        if (m_partial)
            return flushPartial(sink, false, keepGoing);
        return ErrorDetail::None;
    }
    // fail fast: the first invalid byte fails the message, whatever is still to come
    if (m_type == SocketMessageType::Utf8 && !m_utf8.write(chunk))
        return ErrorDetail::InvalidUtf8;
    const quint64 needed = quint64(m_data.size()) + quint64(chunk.size());
    if (!m_partial && quint64(m_data.capacity()) < needed) {
        // never past the announced size, never more than twice what has arrived
        const quint64 doubled = std::max<quint64>(needed, quint64(m_data.capacity()) * 2);
        m_data.reserve(qsizetype(std::min<quint64>(doubled, m_messageSize)));
    }
    m_data.append(chunk.data(), chunk.size());
    if (m_partial)
        return flushPartial(sink, false, keepGoing);
    return ErrorDetail::None;
}

char *MessageAssembler::reserveInPlace(qsizetype n)
{
    const qsizetype start = m_data.size();
    const quint64 needed = quint64(start) + quint64(n);
    if (quint64(m_data.capacity()) < needed) {
        // as payload(): never past the announced size, never more than twice what has arrived
        const quint64 doubled = std::max<quint64>(needed, quint64(m_data.capacity()) * 2);
        m_data.reserve(qsizetype(std::min<quint64>(doubled, m_messageSize)));
    }
    m_data.resize(start + n); // uninitialised: the transport writes it, commitInPlace() trims the rest
    return m_data.data() + start;
}

ErrorDetail MessageAssembler::commitInPlace(qsizetype reserved, qsizetype used)
{
    const qsizetype start = m_data.size() - reserved;
    m_data.resize(start + used); // shrinking keeps the capacity
    // fail fast: the first invalid byte fails the message, as in payload()
    if (m_type == SocketMessageType::Utf8 && !m_utf8.write(QByteArrayView(m_data.constData() + start, used)))
        return ErrorDetail::InvalidUtf8;
    return ErrorDetail::None;
}

ErrorDetail MessageAssembler::onInflated(QByteArrayView bytes)
{
    m_frameInflated += quint64(bytes.size());
    // fail fast on the inflated bytes, as they come
    if (m_type == SocketMessageType::Utf8 && !m_utf8.write(bytes))
        return ErrorDetail::InvalidUtf8;
    appendData(bytes);
    if (m_partial && m_inflateSink && quint64(m_data.size()) >= PartialInflateFlushBytes) {
        bool keepGoing = true;
        const ErrorDetail error = flushPartial(*m_inflateSink, false, &keepGoing);
        if (error != ErrorDetail::None)
            return error;
        if (!keepGoing) {
            m_inflateStopped = true;
            return ErrorDetail::OperationCanceled; // only stops the inflater; payload() reports a stop
        }
    }
    return ErrorDetail::None;
}

void MessageAssembler::appendData(QByteArrayView bytes)
{
    const quint64 needed = quint64(m_data.size()) + quint64(bytes.size());
    if (quint64(m_data.capacity()) < needed)
        m_data.reserve(qsizetype(std::max<quint64>(needed, quint64(m_data.capacity()) * 2)));
    m_data.append(bytes.data(), bytes.size());
}

ErrorDetail MessageAssembler::endFrameData()
{
    if (m_frameIsControl || !m_frameFin || !m_compressed)
        return ErrorDetail::None;
    return m_inflater.finishMessage(m_maxMessageSize, *this);
}

qint64 MessageAssembler::frameUncompressedLength() const
{
    return (!m_frameIsControl && m_compressed) ? qint64(m_frameInflated) : -1;
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
    *keepGoing = sink.onMessage(m_type, std::move(piece), isComplete);
    return ErrorDetail::None;
}

void MessageAssembler::reset()
{
    m_inMessage = false;
    m_messageSize = 0;
    m_finalFrameStarted = false;
    m_data = QByteArray();
    m_utf8.reset();
    m_compressed = false;
    m_frameInflated = 0;
    m_inflateEnabled = false;
    m_inflater.reset();
    m_frameIsControl = false;
    m_frameFin = false;
    m_control = QByteArray();
}

} // namespace Wsw::Codec
