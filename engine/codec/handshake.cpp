#include "codec/handshake.h"

#include "codec/httptoken.h"

#include <algorithm>

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Wsw::Codec {

namespace {

constexpr QByteArrayView EngineOwnedHeaders[] = {
    "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
    "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept", "Sec-WebSocket-Extensions",
    // a body on the upgrade GET could be used to smuggle a second request
    "Content-Length", "Transfer-Encoding",
};

} // namespace

QByteArray generateKey()
{
    quint32 nonce[4];
    QRandomGenerator::system()->fillRange(nonce);
    return QByteArray(reinterpret_cast<const char *>(nonce), sizeof nonce).toBase64();
}

QByteArray expectedAcceptKey(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView(WebSocketGuid));
    return sha1.result().toBase64();
}

ErrorDetail validateRequestHeader(QByteArrayView name, QByteArrayView value)
{
    if (!isToken(name))
        return ErrorDetail::InvalidHeader;
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        // CR/LF would end the header early (header injection); other controls are not field content
        if ((u < 0x20 && u != '\t') || u == 0x7F)
            return ErrorDetail::InvalidHeader;
    }
    for (QByteArrayView owned : EngineOwnedHeaders)
        if (equalsIgnoreCase(name, owned))
            return ErrorDetail::ForbiddenHeader;
    return ErrorDetail::None;
}

ErrorDetail validateSubprotocol(QStringView protocol)
{
    const QByteArray utf8 = protocol.toUtf8();
    return isToken(utf8) ? ErrorDetail::None : ErrorDetail::InvalidSubprotocol;
}

ErrorDetail validateUrl(const QUrl &url)
{
    if (!url.isValid() || url.isRelative() || url.host().isEmpty() || url.hasFragment())
        return ErrorDetail::InvalidUrl; // RFC 6455 §3: absolute, with a host, no fragment
    const QString scheme = url.scheme().toLower();
    if (scheme != u"ws" && scheme != u"wss")
        return ErrorDetail::UnsupportedScheme;
    return ErrorDetail::None;
}

QByteArray buildHandshakeRequest(const HandshakeRequestOptions &options)
{
    const QUrl &url = options.url;
    const bool secure = url.scheme().compare(u"wss", Qt::CaseInsensitive) == 0;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();

    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    const int defaultPort = secure ? 443 : 80;
    const int port = url.port(defaultPort);
    if (port != defaultPort)
        host += ':' + QByteArray::number(port);

    QByteArray out;
    out.reserve(256);
    out += "GET " + target + " HTTP/1.1\r\n";
    out += "Host: " + host + "\r\n";
    out += "Upgrade: websocket\r\n";
    out += "Connection: Upgrade\r\n";
    out += "Sec-WebSocket-Key: " + options.key + "\r\n";
    out += "Sec-WebSocket-Version: 13\r\n";
    if (!options.protocols.isEmpty())
        out += "Sec-WebSocket-Protocol: " + options.protocols.join(u", ").toUtf8() + "\r\n";
    if (!options.extensions.isEmpty())
        out += "Sec-WebSocket-Extensions: " + options.extensions + "\r\n";
    for (const auto &[name, value] : options.extraHeaders)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    return out;
}

// ---------------------------------------------------------------------------------------------

HttpHeadReader::Options HandshakeResponseParser::headOptions()
{
    HttpHeadReader::Options options;
    options.maxLineBytes = MaxHeaderLineBytes;
    options.maxHeaders = MaxHeaderLines;
    options.maxHeadBytes = MaxResponseHeaderBytes;
    options.startLineTooLong = ErrorDetail::HeaderLineTooLong;
    options.headerLineTooLong = ErrorDetail::HeaderLineTooLong;
    options.headTooLarge = ErrorDetail::HeaderTooLarge;
    options.malformedHeader = ErrorDetail::MalformedHeader;
    options.tooManyHeaders = ErrorDetail::TooManyHeaders;
    return options;
}

HandshakeResponseParser::Result HandshakeResponseParser::fail(ErrorDetail detail)
{
    m_error = detail;
    m_stage = Stage::Failed;
    return Result::Error;
}

HandshakeResponseParser::Result HandshakeResponseParser::feed(QByteArrayView bytes, qsizetype *consumed)
{
    qsizetype pos = 0;
    auto done = [&](Result r) {
        if (consumed)
            *consumed = pos;
        return r;
    };
    if (m_stage == Stage::Failed)
        return done(Result::Error);

    while (m_stage == Stage::Head) {
        qsizetype used = 0;
        const HttpHeadReader::Result head =
            m_head.feed(bytes.sliced(pos), &used, [this](QByteArrayView line) { return parseStatusLine(line); });
        pos += used;
        if (head == HttpHeadReader::Result::NeedMore)
            return done(Result::NeedMore);
        if (head == HttpHeadReader::Result::Error)
            return done(fail(m_head.error()));
        if (m_status >= 100 && m_status < 200 && m_status != 101) {
            // an interim answer (100 Continue, 103 Early Hints...): a client must read past
            // it to the final one (RFC 9110 §15.2); its lines stay in rawHeaders()
            m_head.startNextHead();
            m_status = 0;
            m_version.clear();
            m_reason.clear();
        } else {
            startBody();
        }
    }

    if (m_stage == Stage::Body) {
        const QByteArrayView rest = bytes.sliced(pos);
        qsizetype want = rest.size();
        if (m_bodyExpected >= 0)
            want = qsizetype(std::min<qint64>(want, m_bodyExpected - m_body.size()));
        const qsizetype room = MaxResponseBodyBytes - m_body.size();
        if (want > room) {
            m_body.append(rest.first(room));
            m_bodyTruncated = true;
            pos = bytes.size(); // the rest of the body is of no use
            m_stage = Stage::Done;
            return done(Result::Complete);
        }
        m_body.append(rest.first(want));
        pos += want;
        if (m_bodyExpected >= 0 && m_body.size() >= m_bodyExpected)
            m_stage = Stage::Done;
    }
    return done(m_stage == Stage::Done ? Result::Complete : Result::NeedMore);
}

HandshakeResponseParser::Result HandshakeResponseParser::finishAtEndOfStream()
{
    switch (m_stage) {
    case Stage::Done:
        return Result::Complete;
    case Stage::Body:
        // a body delimited by the end of the connection (RFC 7230 §3.3.3 rule 7)
        if (m_bodyExpected < 0 || m_body.size() < m_bodyExpected) {
            m_bodyTruncated = m_bodyExpected >= 0;
        }
        m_stage = Stage::Done;
        return Result::Complete;
    case Stage::Failed:
        return Result::Error;
    default:
        return Result::NeedMore;
    }
}

ErrorDetail HandshakeResponseParser::parseStatusLine(QByteArrayView line)
{
    // HTTP-version SP status-code SP reason-phrase (RFC 7230 §3.1.2)
    const qsizetype sp1 = line.indexOf(' ');
    if (sp1 < 0)
        return ErrorDetail::MalformedStatusLine;
    const QByteArrayView version = line.first(sp1);
    if (!version.startsWith("HTTP/") || version.size() != 8 || version[6] != '.')
        return ErrorDetail::MalformedStatusLine;
    const QByteArrayView afterVersion = line.sliced(sp1 + 1);
    if (afterVersion.size() < 3)
        return ErrorDetail::MalformedStatusLine;
    const QByteArrayView code = afterVersion.first(3);
    if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return ErrorDetail::MalformedStatusLine;
    if (afterVersion.size() > 3 && afterVersion[3] != ' ')
        return ErrorDetail::MalformedStatusLine;
    m_version = version.toByteArray();
    m_status = code.toInt();
    m_reason = afterVersion.size() > 4 ? afterVersion.sliced(4).toByteArray() : QByteArray();
    return ErrorDetail::None;
}

void HandshakeResponseParser::startBody()
{
    // a 101 ends at the empty line: what follows is WebSocket frames
    if (m_status == 101 || (m_status >= 100 && m_status < 200) || m_status == 204 || m_status == 304) {
        m_stage = Stage::Done;
        return;
    }
    m_bodyExpected = -1;
    const QByteArray length = header("Content-Length");
    if (!length.isNull() && headerValues("Transfer-Encoding").isEmpty()) {
        bool ok = false;
        const qint64 n = length.toLongLong(&ok);
        if (ok && n >= 0)
            m_bodyExpected = n;
    }
    m_stage = m_bodyExpected == 0 ? Stage::Done : Stage::Body;
}

ErrorDetail HandshakeResponseParser::validateUpgrade(QByteArrayView key, const QStringList &offeredProtocols,
                                                     QString *acceptedProtocol) const
{
    if (m_status != 101)
        return ErrorDetail::NotSwitchingProtocols;
    if (m_version != "HTTP/1.1")
        return ErrorDetail::UnsupportedHttpVersion; // RFC 6455 §4.1: HTTP/1.1 or higher
    if (!listContainsToken(headerValues("Upgrade"), "websocket"))
        return ErrorDetail::MissingUpgradeHeader;
    if (!listContainsToken(headerValues("Connection"), "upgrade"))
        return ErrorDetail::MissingConnectionUpgrade;
    const QList<QByteArray> accepts = headerValues("Sec-WebSocket-Accept");
    if (accepts.isEmpty())
        return ErrorDetail::MissingAcceptKey;
    if (accepts.size() > 1)
        return ErrorDetail::DuplicateAcceptKey;
    if (accepts.first() != expectedAcceptKey(key))
        return ErrorDetail::AcceptKeyMismatch;

    const QList<QByteArray> protocols = headerValues("Sec-WebSocket-Protocol");
    QString chosen = QStringLiteral(""); // empty, not null: the upgrade happened without one
    if (!protocols.isEmpty()) {
        if (protocols.size() > 1 || protocols.first().contains(','))
            return ErrorDetail::MultipleSubprotocols;
        const QString name = QString::fromUtf8(protocols.first());
        if (!offeredProtocols.contains(name))
            return ErrorDetail::UnrequestedSubprotocol; // RFC 6455 §4.1: must be one we offered
        chosen = name;
    }
    if (acceptedProtocol)
        *acceptedProtocol = chosen;
    return ErrorDetail::None;
}

void HandshakeResponseParser::reset()
{
    *this = HandshakeResponseParser();
}

} // namespace Wsw::Codec
