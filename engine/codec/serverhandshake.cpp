#include "codec/serverhandshake.h"

#include "codec/errortable.h"
#include "codec/httptoken.h"

#include <algorithm>

namespace Wsw::Codec {

namespace {

/** Bytes that can never appear in a request line: a TLS ClientHello sent to ws:// fails at once. */
bool isForbiddenInRequestLine(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\r' && c != '\n') || u >= 0x7F;
}

bool isVisibleAscii(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F;
}

} // namespace

// ---------------------------------------------------------------------------------------------

HttpHeadReader::Options HandshakeRequestParser::headOptions()
{
    HttpHeadReader::Options options;
    options.maxLineBytes = MaxHeaderLineBytes;
    options.maxHeaders = MaxHeaderLines;
    options.maxHeadBytes = MaxRequestHeaderBytes;
    options.skipEmptyLinesBeforeStartLine = true; // RFC 7230 §3.5
    options.refuseControlsInValues = true;
    options.isForbiddenInStartLine = isForbiddenInRequestLine;
    options.startLineForbidden = ErrorDetail::RequestLineMalformed;
    options.startLineTooLong = ErrorDetail::RequestLineTooLong;
    options.headerLineTooLong = ErrorDetail::RequestHeaderLineTooLong;
    options.headTooLarge = ErrorDetail::RequestHeaderTooLarge;
    options.malformedHeader = ErrorDetail::RequestHeaderMalformed;
    options.tooManyHeaders = ErrorDetail::RequestTooManyHeaders;
    return options;
}

HandshakeRequestParser::Result HandshakeRequestParser::feed(QByteArrayView bytes, qsizetype *consumed)
{
    switch (m_head.feed(bytes, consumed, [this](QByteArrayView line) { return parseRequestLine(line); })) {
    case HttpHeadReader::Result::HeadComplete:
        return Result::Complete; // whatever follows belongs to the frames
    case HttpHeadReader::Result::Error:
        return Result::Error;
    default:
        return Result::NeedMore;
    }
}

ErrorDetail HandshakeRequestParser::parseRequestLine(QByteArrayView line)
{
    // method SP request-target SP HTTP-version (RFC 7230 §3.1.1), single spaces
    const qsizetype sp1 = line.indexOf(' ');
    if (sp1 <= 0)
        return ErrorDetail::RequestLineMalformed;
    const qsizetype sp2 = line.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || sp2 == sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0)
        return ErrorDetail::RequestLineMalformed;
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method) || !std::all_of(target.begin(), target.end(), isVisibleAscii))
        return ErrorDetail::RequestLineMalformed;
    auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(version[5]) || version[6] != '.'
        || !isDigit(version[7]))
        return ErrorDetail::RequestLineMalformed;
    m_method = method.toByteArray();
    m_target = target.toByteArray();
    m_version = version.toByteArray();
    return ErrorDetail::None;
}

void HandshakeRequestParser::reset()
{
    *this = HandshakeRequestParser();
}

// ---------------------------------------------------------------------------------------------

QByteArray reasonPhraseFor(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return status >= 500 ? "Server Error" : "Client Error";
    }
}

RequestRejection rejectionFor(ErrorDetail detail, const QString &text)
{
    using D = ErrorDetail;
    int status = 400;
    switch (detail) {
    case D::None: return {};
    case D::RequestLineTooLong: status = 414; break;
    case D::RequestHeaderLineTooLong:
    case D::RequestTooManyHeaders:
    case D::RequestHeaderTooLarge: status = 431; break;
    case D::RequestMethodNotGet: status = 405; break;
    case D::RequestHttpVersionUnsupported: status = 505; break;
    // not a WebSocket request at all, or a version we do not speak: say what we do (RFC 6455 §4.2.2)
    case D::RequestUpgradeMissing:
    case D::RequestVersionUnsupported: status = 426; break;
    case D::RequestTimeout:
    case D::HandshakeTimeout: status = 408; break;
    default: status = 400; break;
    }
    return {detail, status, reasonPhraseFor(status), text.isEmpty() ? errorMessage(detail) : text};
}

RequestRejection validateUpgradeRequest(const HandshakeRequestParser &request)
{
    using D = ErrorDetail;
    if (!request.isComplete())
        return rejectionFor(request.error() != D::None ? request.error() : D::RequestLineMalformed);
    if (request.method() != "GET")
        return rejectionFor(D::RequestMethodNotGet);
    // HTTP/1.1 or higher (RFC 6455 §4.2.1 item 1); the parser made sure of "HTTP/d.d"
    const QByteArray version = request.httpVersion();
    if (version[5] != '1' || version[7] < '1')
        return rejectionFor(D::RequestHttpVersionUnsupported);
    const QList<QByteArray> hosts = request.headerValues("Host");
    if (hosts.size() != 1 || hosts.first().isEmpty())
        return rejectionFor(D::RequestHostMissing); // RFC 7230 §5.4: one Host, or 400
    if (!listContainsToken(request.headerValues("Upgrade"), "websocket"))
        return rejectionFor(D::RequestUpgradeMissing);
    if (!listContainsToken(request.headerValues("Connection"), "upgrade"))
        return rejectionFor(D::RequestConnectionUpgradeMissing);
    const QList<QByteArray> keys = request.headerValues("Sec-WebSocket-Key");
    if (keys.size() != 1)
        return rejectionFor(D::RequestKeyMissing);
    const QByteArray &key = keys.first();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.size() != 24 || !decoded || decoded.decoded.size() != 16)
        return rejectionFor(D::RequestKeyInvalid);
    const QList<QByteArray> versions = request.headerValues("Sec-WebSocket-Version");
    if (versions.size() != 1 || versions.first() != "13")
        return rejectionFor(D::RequestVersionUnsupported);
    // a body would be read as frames once upgraded: refuse rather than guess (request smuggling)
    const QList<QByteArray> lengths = request.headerValues("Content-Length");
    if (!request.headerValues("Transfer-Encoding").isEmpty()
        || std::any_of(lengths.begin(), lengths.end(), [](const QByteArray &v) { return v != "0"; }))
        return rejectionFor(D::RequestBodyNotAllowed);
    for (const QByteArray &value : request.headerValues("Sec-WebSocket-Protocol")) {
        for (const QByteArray &item : value.split(',')) {
            if (!isToken(item.trimmed()) && !item.trimmed().isEmpty())
                return rejectionFor(D::RequestSubprotocolInvalid);
        }
    }
    QList<ExtensionElement> extensions;
    QString problem;
    if (parseExtensionList(request.headerValues("Sec-WebSocket-Extensions"), &extensions, &problem) != D::None)
        return rejectionFor(D::RequestExtensionsInvalid, errorMessage(D::RequestExtensionsInvalid) + u": " + problem);
    return {};
}

QString chooseSubprotocol(const QList<QByteArray> &offeredValues, const QStringList &serverProtocols)
{
    for (const QByteArray &value : offeredValues) {
        for (const QByteArray &item : value.split(',')) {
            const QString name = QString::fromLatin1(item.trimmed());
            // subprotocol names compare case-sensitively (RFC 6455 §11.3.4)
            if (!name.isEmpty() && serverProtocols.contains(name))
                return name;
        }
    }
    return {};
}

UpgradeAnswer answerUpgrade(const HandshakeRequestParser &request, const ServerHandshakeOptions &options)
{
    UpgradeAnswer answer;
    answer.rejection = validateUpgradeRequest(request);
    if (answer.rejection.detail == ErrorDetail::None) {
        answer.protocol = chooseSubprotocol(request.headerValues("Sec-WebSocket-Protocol"), options.protocols);
        const ErrorDetail deflate = answerDeflateOffer(options.deflate, request.headerValues("Sec-WebSocket-Extensions"),
                                                       &answer.deflate, &answer.deflateNote);
        if (deflate != ErrorDetail::None) // validateUpgradeRequest() parsed it already; kept for safety
            answer.rejection = rejectionFor(ErrorDetail::RequestExtensionsInvalid);
    }
    if (answer.rejection.detail != ErrorDetail::None) {
        answer.response = buildRejectResponse(answer.rejection.status, answer.rejection.text);
        return answer;
    }
    answer.response = buildHandshakeResponse(request.header("Sec-WebSocket-Key"), answer.protocol,
                                             answer.deflate.response);
    return answer;
}

QByteArray buildHandshakeResponse(QByteArrayView key, const QString &chosenProtocol, const QByteArray &extensionsAnswer)
{
    QByteArray out;
    out.reserve(192);
    out += "HTTP/1.1 101 Switching Protocols\r\n";
    out += "Upgrade: websocket\r\n";
    out += "Connection: Upgrade\r\n";
    out += "Sec-WebSocket-Accept: " + expectedAcceptKey(key) + "\r\n";
    if (!chosenProtocol.isEmpty())
        out += "Sec-WebSocket-Protocol: " + chosenProtocol.toLatin1() + "\r\n";
    if (!extensionsAnswer.isEmpty())
        out += "Sec-WebSocket-Extensions: " + extensionsAnswer + "\r\n";
    out += "\r\n";
    return out;
}

QByteArray buildRejectResponse(int status, const QString &text)
{
    const QByteArray body = text.toUtf8() + '\n';
    QByteArray out;
    out.reserve(192 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhraseFor(status) + "\r\n";
    if (status == 426) {
        out += "Upgrade: websocket\r\n";
        out += "Sec-WebSocket-Version: 13\r\n";
    } else if (status == 405) {
        out += "Allow: GET\r\n";
    }
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

} // namespace Wsw::Codec
