#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include "codec/wswenums.h"

namespace Wsw::Codec {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/** The first value of a header (case-insensitive name), empty rather than null when present; null if absent. */
QByteArray headerValue(const HeaderList &headers, QByteArrayView name);
/** Every value of a header (case-insensitive name), in the order received. */
QList<QByteArray> headerValues(const HeaderList &headers, QByteArrayView name);

/**
 * Reads the head of an HTTP/1.1 message (RFC 7230 §3): a start line, "Name: value" header lines
 * and the empty line, from raw bytes split anywhere. Socket-free, shared by the client's
 * HandshakeResponseParser and the server's HandshakeRequestParser; each of them gives its own
 * bounds and the ErrorDetail to report for each broken rule, and parses the start line itself.
 *
 * A line ends at LF; a CR before it is dropped (a bare LF is tolerated, RFC 7230 §3.5). Header
 * lines starting with whitespace (obsolete line folding, §3.2.4), without a colon, or whose name
 * is not a token (whitespace before the colon too) are malformed; values lose their surrounding
 * whitespace. The raw bytes and the headers are kept in order. Reading stops right after the
 * empty line: what follows (a body, frames) is never consumed.
 */
class HttpHeadReader final
{
public:
    struct Options {
        qsizetype maxLineBytes = 0;       // per line, without its CRLF
        int maxHeaders = 0;               // header lines
        qsizetype maxHeadBytes = 0;       // everything, as received
        /** Skip empty lines before the start line (a server should, §3.5); otherwise it is returned empty. */
        bool skipEmptyLinesBeforeStartLine = false;
        /** Refuse control characters (but HTAB) in header values as malformedHeader. */
        bool refuseControlsInValues = false;
        /** Checked on every byte before the start line's end (empty lines skipped before it included). */
        bool (*isForbiddenInStartLine)(char) = nullptr;

        ErrorDetail startLineForbidden = ErrorDetail::None;
        ErrorDetail startLineTooLong = ErrorDetail::None;
        ErrorDetail headerLineTooLong = ErrorDetail::None;
        ErrorDetail headTooLarge = ErrorDetail::None;
        ErrorDetail malformedHeader = ErrorDetail::None;
        ErrorDetail tooManyHeaders = ErrorDetail::None;
    };

    enum class Result : quint8 {
        NeedMore,     // every byte given was consumed
        StartLine,    // startLine() is complete: parse it, then feed what was not consumed
        HeadComplete, // the empty line was read; nothing after it was consumed
        Error,        // error() tells which bound or rule
    };

    explicit HttpHeadReader(const Options &options) : m_options(options) {}

    /**
     * Consumes from the front of bytes up to the next event; *consumed tells how many were used.
     * A byte refused by isForbiddenInStartLine is consumed with its line; a line or head over its
     * bound is not. A malformed header line is consumed (it is in raw()).
     */
    Result feed(QByteArrayView bytes, qsizetype *consumed);

    /**
     * feed() that hands the start line to parseStartLine (ErrorDetail(QByteArrayView line)) and
     * reads on; an error it returns fails the reader. Never returns StartLine.
     */
    template <typename StartLineParser>
    Result feed(QByteArrayView bytes, qsizetype *consumed, StartLineParser &&parseStartLine)
    {
        qsizetype pos = 0;
        Result result = Result::NeedMore;
        for (;;) {
            qsizetype used = 0;
            result = feed(bytes.sliced(pos), &used);
            pos += used;
            if (result != Result::StartLine)
                break;
            if (const ErrorDetail error = parseStartLine(startLine()); error != ErrorDetail::None) {
                result = fail(error);
                break;
            }
        }
        if (consumed)
            *consumed = pos;
        return result;
    }

    /** After Result::StartLine: the start line without its line end. */
    QByteArrayView startLine() const { return m_startLine; }
    ErrorDetail error() const { return m_error; }
    bool isHeadComplete() const { return m_stage == Stage::Done; }
    const HeaderList &headers() const { return m_headers; }
    /** Everything read so far, as received. */
    const QByteArray &raw() const { return m_raw; }

    /**
     * Reads another head after this one (an interim 1xx response, RFC 9110 §15.2): the headers
     * are dropped, the raw bytes are kept and still count against maxHeadBytes.
     */
    void startNextHead();

private:
    enum class Stage : quint8 { StartLine, Headers, Done, Failed };

    Result fail(ErrorDetail detail);
    ErrorDetail parseHeaderLine(QByteArrayView line);

    Options m_options;
    Stage m_stage = Stage::StartLine;
    ErrorDetail m_error = ErrorDetail::None;
    QByteArray m_raw;
    QByteArray m_line;
    QByteArray m_startLine;
    HeaderList m_headers;
};

} // namespace Wsw::Codec
