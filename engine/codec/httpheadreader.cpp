#include "codec/httpheadreader.h"

#include "codec/httptoken.h"

#include <algorithm>

namespace Wsw::Codec {

QByteArray headerValue(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers)
        if (equalsIgnoreCase(key, name))
            return value.isNull() ? QByteArray("") : value;
    return {};
}

QList<QByteArray> headerValues(const HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> values;
    for (const auto &[key, value] : headers)
        if (equalsIgnoreCase(key, name))
            values.append(value);
    return values;
}

// ---------------------------------------------------------------------------------------------

HttpHeadReader::Result HttpHeadReader::fail(ErrorDetail detail)
{
    m_error = detail;
    m_stage = Stage::Failed;
    return Result::Error;
}

HttpHeadReader::Result HttpHeadReader::feed(QByteArrayView bytes, qsizetype *consumed)
{
    qsizetype pos = 0;
    auto done = [&](Result r) {
        if (consumed)
            *consumed = pos;
        return r;
    };
    if (m_stage == Stage::Failed)
        return done(Result::Error);
    if (m_stage == Stage::Done)
        return done(Result::HeadComplete);

    for (;;) {
        if (pos >= bytes.size())
            return done(Result::NeedMore);
        const QByteArrayView rest = bytes.sliced(pos);
        const qsizetype nl = rest.indexOf('\n');
        const qsizetype take = nl < 0 ? rest.size() : nl + 1;
        const QByteArrayView piece = rest.first(take);
        const bool inStartLine = m_stage == Stage::StartLine;
        if (inStartLine && m_options.isForbiddenInStartLine
            && std::any_of(piece.begin(), piece.end(), m_options.isForbiddenInStartLine)) {
            pos += take;
            return done(fail(m_options.startLineForbidden));
        }
        if (m_line.size() + take > m_options.maxLineBytes + 2) // +2 for CRLF
            return done(fail(inStartLine ? m_options.startLineTooLong : m_options.headerLineTooLong));
        if (m_raw.size() + take > m_options.maxHeadBytes)
            return done(fail(m_options.headTooLarge));
        m_line.append(piece);
        m_raw.append(piece);
        pos += take;
        if (nl < 0)
            return done(Result::NeedMore);

        QByteArrayView line(m_line);
        line.chop(1); // '\n'
        if (line.endsWith('\r'))
            line.chop(1); // RFC 7230 §3.5: a bare LF is tolerated
        if (inStartLine) {
            if (line.isEmpty() && m_options.skipEmptyLinesBeforeStartLine) {
                m_line.clear(); // RFC 7230 §3.5: empty lines before the request line are ignored
                continue;
            }
            m_startLine = line.toByteArray();
            m_line.clear();
            m_stage = Stage::Headers;
            return done(Result::StartLine);
        }
        if (line.isEmpty()) {
            m_line.clear();
            m_stage = Stage::Done;
            return done(Result::HeadComplete);
        }
        const ErrorDetail error = parseHeaderLine(line);
        m_line.clear();
        if (error != ErrorDetail::None)
            return done(fail(error));
    }
}

ErrorDetail HttpHeadReader::parseHeaderLine(QByteArrayView line)
{
    if (line.startsWith(' ') || line.startsWith('\t'))
        return m_options.malformedHeader; // obsolete line folding (RFC 7230 §3.2.4)
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return m_options.malformedHeader; // also refuses whitespace before the colon (§3.2.4)
    const QByteArrayView value = line.sliced(colon + 1).trimmed();
    if (m_options.refuseControlsInValues) {
        for (char c : value) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7F)
                return m_options.malformedHeader; // a NUL or bare CR in a value
        }
    }
    if (m_headers.size() >= m_options.maxHeaders)
        return m_options.tooManyHeaders;
    m_headers.append({line.first(colon).toByteArray(), value.toByteArray()});
    return ErrorDetail::None;
}

void HttpHeadReader::startNextHead()
{
    m_headers.clear();
    m_line.clear();
    m_startLine.clear();
    m_error = ErrorDetail::None;
    m_stage = Stage::StartLine;
}

} // namespace Wsw::Codec
