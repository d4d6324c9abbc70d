#include "codec/framereader.h"

#include <algorithm>
#include <cstring>

namespace Wsw::Codec {

FrameReader::Event FrameReader::next(QByteArrayView &input)
{
    switch (m_stage) {
    case Stage::Failed:
        return {EventKind::Error, {}, 0};

    case Stage::End:
        m_stage = Stage::Header;
        return {EventKind::FrameEnd, {}, 0};

    case Stage::Header: {
        HeaderParseResult r;
        if (m_headerFill == 0) {
            // common case: the whole header is in input, parse it in place
            r = parseFrameHeader(input, m_role, m_allowed, &m_header);
            if (r.status == ParseStatus::Ok) {
                input = input.sliced(m_header.headerSize);
            } else if (r.status == ParseStatus::NeedMore) {
                // keep the partial header; nothing of it is interpreted yet
                const qsizetype n = std::min<qsizetype>(input.size(), MaxFrameHeaderBytes);
                if (n > 0) // an empty view may have no data pointer at all (memcpy from null is UB)
                    std::memcpy(m_headerBuf, input.data(), size_t(n));
                m_headerFill = int(n);
                input = input.sliced(n);
                return {EventKind::NeedMore, {}, 0};
            }
        } else {
            const int before = m_headerFill;
            const qsizetype n = std::min<qsizetype>(input.size(), MaxFrameHeaderBytes - before);
            if (n > 0)
                std::memcpy(m_headerBuf + before, input.data(), size_t(n));
            m_headerFill = before + int(n);
            r = parseFrameHeader(QByteArrayView(m_headerBuf, m_headerFill), m_role, m_allowed, &m_header);
            if (r.status == ParseStatus::Ok) {
                input = input.sliced(m_header.headerSize - before);
                m_headerFill = 0;
            } else if (r.status == ParseStatus::NeedMore) {
                input = input.sliced(n);
                return {EventKind::NeedMore, {}, 0};
            }
        }
        if (r.status == ParseStatus::Error) {
            m_error = r.error;
            m_stage = Stage::Failed;
            return {EventKind::Error, {}, 0};
        }
        m_remaining = m_header.payloadLength;
        m_stage = m_remaining > 0 ? Stage::Payload : Stage::End;
        return {EventKind::FrameStart, {}, 0};
    }

    case Stage::Payload: {
        if (input.isEmpty())
            return {EventKind::NeedMore, {}, 0};
        const qsizetype n = qsizetype(std::min<quint64>(m_remaining, quint64(input.size())));
        const quint64 offset = m_header.payloadLength - m_remaining;
        const QByteArrayView chunk = input.first(n);
        input = input.sliced(n);
        m_remaining -= quint64(n);
        if (m_remaining == 0)
            m_stage = Stage::End;
        return {EventKind::Payload, chunk, offset};
    }
    }
    return {EventKind::Error, {}, 0};
}

void FrameReader::reset()
{
    m_stage = Stage::Header;
    m_header = {};
    m_remaining = 0;
    m_error = ErrorDetail::None;
    m_headerFill = 0;
}

} // namespace Wsw::Codec
