#include "codec/inbounddecoder.h"

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
                error = m_assembler.payload(m_unmaskBuf, sink, &keepGoing);
            } else {
                error = m_assembler.payload(event.payload, sink, &keepGoing);
            }
            break;
        case FrameReader::EventKind::FrameEnd:
            error = m_assembler.frameEnd(sink, &keepGoing);
            break;
        }
        if (error != ErrorDetail::None)
            return finish(error);
    }
    return finish(ErrorDetail::None);
}

void InboundDecoder::reset()
{
    m_reader.reset();
    m_assembler.reset();
    m_error = ErrorDetail::None;
}

} // namespace Wsw::Codec
