#include "codec/inbounddecoder.h"

#include <utility>

#include "codec/framewriter.h"

namespace Wsw::Codec {

ErrorDetail InboundDecoder::feed(QByteArrayView bytes, MessageAssembler::Sink &sink, qsizetype *consumed)
{
    const qsizetype total = bytes.size();
    auto finish = [&](ErrorDetail error) {
        if (consumed)
            *consumed = total - bytes.size();
        if (error != ErrorDetail::None)
            m_error = error;
        return error;
    };
    if (m_error != ErrorDetail::None)
        return finish(m_error);

    bool keepGoing = true;
    while (keepGoing) {
        if (m_reader.isAtFrameStart()) {
            if (bytes.isEmpty())
                break; // all of it read (the reader would only say NeedMore)
            if (bytes.size() >= 2) {
                ErrorDetail error = ErrorDetail::None;
                const FastPath fast = tryWholeFrame(bytes, sink, &error);
                if (fast == FastPath::Done)
                    continue;
                if (fast == FastPath::Stop)
                    break;
                if (fast == FastPath::Failed)
                    return finish(error);
            }
        }
        const FrameReader::Event event = m_reader.next(bytes);
        ErrorDetail error = ErrorDetail::None;
        switch (event.kind) {
        case FrameReader::EventKind::NeedMore:
            return finish(ErrorDetail::None);
        case FrameReader::EventKind::Error:
            return finish(m_reader.error());
        case FrameReader::EventKind::FrameStart:
            if (m_observer)
                m_observer->onFrameHeader(m_reader.header());
            error = m_assembler.frameStart(m_reader.header());
            break;
        case FrameReader::EventKind::Payload:
            if (m_reader.header().masked) {
                // only a server reads masked frames; unmask into a scratch buffer
                m_unmaskBuf.resize(event.payload.size());
                maskCopy(m_unmaskBuf.data(), event.payload.data(), event.payload.size(),
                         m_reader.header().maskKey, event.payloadOffset);
                if (m_observer)
                    m_observer->onFramePayload(m_unmaskBuf, event.payloadOffset);
                error = m_assembler.payload(m_unmaskBuf, sink, &keepGoing);
            } else {
                if (m_observer)
                    m_observer->onFramePayload(event.payload, event.payloadOffset);
                error = m_assembler.payload(event.payload, sink, &keepGoing);
            }
            break;
        case FrameReader::EventKind::FrameEnd:
            error = m_assembler.endFrameData();
            if (error != ErrorDetail::None)
                break;
            if (m_observer)
                m_observer->onFrameComplete(m_reader.header(), m_assembler.frameUncompressedLength());
            error = m_assembler.frameEnd(sink, &keepGoing);
            break;
        }
        if (error != ErrorDetail::None)
            return finish(error);
    }
    return finish(ErrorDetail::None);
}

InboundDecoder::FastPath InboundDecoder::tryWholeFrame(QByteArrayView &bytes, MessageAssembler::Sink &sink,
                                                       ErrorDetail *error)
{
    FrameHeader h;
    const auto b0 = quint8(bytes[0]);
    const auto b1 = quint8(bytes[1]);
    if ((b0 == 0x81 || b0 == 0x82) && b1 < 126 && m_reader.role() == Role::Client) {
        // a server's final text or binary frame, no reserved bits, unmasked, 7-bit length: nothing to check
        h.fin = true;
        h.opcode = Opcode(b0 & 0x0F);
        h.payloadLength = b1;
        h.headerSize = 2;
    } else if (parseFrameHeader(bytes, m_reader.role(), m_reader.reservedBitsAllowed(), &h).status
               != ParseStatus::Ok) {
        return FastPath::NotApplicable; // incomplete or broken: the general path says which
    } else if (!h.fin || h.masked || h.rsv1 || (h.opcode != Opcode::Text && h.opcode != Opcode::Binary)) {
        return FastPath::NotApplicable;
    }
    if (m_assembler.isMessageInProgress() || m_assembler.isPartialMode()
        || h.payloadLength > quint64(bytes.size() - h.headerSize))
        return FastPath::NotApplicable;
    // the same checks the assembler makes, for a message that is one complete frame
    if (h.payloadLength > m_assembler.maxMessageSize()) {
        if (m_observer)
            m_observer->onFrameHeader(h);
        *error = ErrorDetail::MessageTooBig;
        return FastPath::Failed;
    }
    const QByteArrayView payload(bytes.data() + h.headerSize, qsizetype(h.payloadLength));
    const bool text = h.opcode == Opcode::Text;
    if (text && !Utf8Validator::isValidUtf8(payload)) {
        if (m_observer)
            m_observer->onFrameHeader(h);
        *error = ErrorDetail::InvalidUtf8;
        return FastPath::Failed;
    }
    bytes = QByteArrayView(payload.data() + payload.size(), bytes.size() - h.headerSize - payload.size());
    if (m_observer)
        m_observer->onWholeFrame(h, payload);
    const bool keepGoing = sink.onWholeMessage(text ? SocketMessageType::Utf8 : SocketMessageType::Binary, payload);
    return keepGoing ? FastPath::Done : FastPath::Stop;
}

qsizetype InboundDecoder::reserveInPlace(quint64 minBytes, qsizetype maxBytes, char **target)
{
    // unmasked payload (a client's) only: a server's masked frames are unmasked on the way
    if (m_error != ErrorDetail::None || !m_reader.isInPayload() || m_reader.header().masked
        || m_reader.payloadRemaining() < minBytes || !m_assembler.canTakeInPlace())
        return 0;
    const qsizetype n = qsizetype(std::min<quint64>(m_reader.payloadRemaining(), quint64(maxBytes)));
    *target = m_assembler.reserveInPlace(n);
    m_inPlaceReserved = n;
    return n;
}

ErrorDetail InboundDecoder::commitInPlace(qsizetype written, MessageAssembler::Sink &sink)
{
    const qsizetype reserved = std::exchange(m_inPlaceReserved, 0);
    Q_ASSERT(written >= 0 && written <= reserved);
    const quint64 offset = m_reader.header().payloadLength - m_reader.payloadRemaining();
    ErrorDetail error = m_assembler.commitInPlace(reserved, written);
    if (error != ErrorDetail::None) {
        m_error = error;
        return error;
    }
    if (written == 0)
        return ErrorDetail::None;
    m_reader.skipPayload(quint64(written));
    if (m_observer) {
        // the frame inspector's look at the payload: the bytes as they now lie in the message
        const QByteArray &message = m_assembler.currentData();
        m_observer->onFramePayload(QByteArrayView(message.constData() + message.size() - written, written), offset);
    }
    // a frame completed in place ends (and its message goes out) as any other
    return m_reader.isInPayload() ? ErrorDetail::None : feed(QByteArrayView(), sink);
}

void InboundDecoder::enableDeflate(int serverWindowBits, bool serverNoContextTakeover)
{
    m_reader.setReservedBitsAllowed({true, false, false});
    m_assembler.setInflate(serverWindowBits, serverNoContextTakeover);
}

void InboundDecoder::reset()
{
    m_reader.reset();
    m_reader.setReservedBitsAllowed({});
    m_assembler.reset();
    m_error = ErrorDetail::None;
}

} // namespace Wsw::Codec
