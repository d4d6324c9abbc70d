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
                const FastPath fast = takeWholeFrames(bytes, sink, &error);
                if (fast == FastPath::Stop)
                    break;
                if (fast == FastPath::Failed)
                    return finish(error);
                if (bytes.isEmpty())
                    break; // the run took everything: nothing is left for the state machine
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

namespace {

/** The header of a final, unmasked data frame without reserved bits (what takeWholeFrames() takes). */
FrameHeader wholeFrameHeader(quint8 b0, quint64 length, int headerSize)
{
    FrameHeader h;
    h.fin = true;
    h.opcode = Opcode(b0 & 0x0F);
    h.payloadLength = length;
    h.headerSize = headerSize;
    return h;
}

} // namespace

InboundDecoder::FastPath InboundDecoder::takeWholeFrames(QByteArrayView &bytes, MessageAssembler::Sink &sink,
                                                         ErrorDetail *error)
{
    if (m_assembler.isMessageInProgress() || m_assembler.isPartialMode())
        return FastPath::NotApplicable;
    const bool client = m_reader.role() == Role::Client;
    const quint64 maxMessageSize = m_assembler.maxMessageSize();
    FrameObserver *const observer = m_observer && m_observer->wantsWholeFrames() ? m_observer : nullptr;
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    FastPath result = FastPath::NotApplicable;
    while (end - p >= 2) {
        const auto b0 = quint8(p[0]);
        const auto b1 = quint8(p[1]);
        quint64 length;
        int headerSize;
        if ((b0 == 0x81 || b0 == 0x82) && b1 < 126 && client) {
            // a server's final text or binary frame, no reserved bits, unmasked, 7-bit length:
            // every per-frame rule holds (parseFrameHeader would say the same)
            length = b1;
            headerSize = 2;
        } else {
            FrameHeader h;
            if (parseFrameHeader(QByteArrayView(p, end - p), m_reader.role(), m_reader.reservedBitsAllowed(), &h).status
                != ParseStatus::Ok)
                break; // incomplete or broken: the general path says which
            if (!h.fin || h.masked || h.rsv1 || (h.opcode != Opcode::Text && h.opcode != Opcode::Binary))
                break; // a fragment, a control frame, a compressed or (server role) masked frame
            length = h.payloadLength;
            headerSize = h.headerSize;
        }
        if (length > quint64(end - p - headerSize))
            break; // the rest of the frame is still to come
        // the same checks the assembler makes, for a message that is one complete frame
        const QByteArrayView payload(p + headerSize, qsizetype(length));
        const bool text = (b0 & 0x0F) == quint8(Opcode::Text);
        ErrorDetail broken = ErrorDetail::None;
        if (Q_UNLIKELY(length > maxMessageSize))
            broken = ErrorDetail::MessageTooBig;
        else if (text && !Utf8Validator::isValidUtf8(payload))
            broken = ErrorDetail::InvalidUtf8;
        if (Q_LIKELY(broken == ErrorDetail::None)) {
            if (observer)
                observer->onWholeFrame(wholeFrameHeader(b0, length, headerSize), payload);
            p = payload.data() + payload.size(); // consumed before the sink runs: it may stop us
            if (sink.onWholeMessage(text ? SocketMessageType::Utf8 : SocketMessageType::Binary, payload))
                continue;
            result = FastPath::Stop;
            break;
        }
        // a broken rule: the observer has seen the header, as on the general path; not consumed
        if (m_observer)
            m_observer->onFrameHeader(wholeFrameHeader(b0, length, headerSize));
        *error = broken;
        result = FastPath::Failed;
        break;
    }
    bytes = QByteArrayView(p, end - p);
    return result;
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
