#include "httpupgrade.h"

#include <QCryptographicHash>

namespace Wsw::Test {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray UpgradeRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (sameName(key, name))
            return value.isNull() ? QByteArray("") : value;
    return {};
}

QList<QByteArray> UpgradeRequest::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const auto &[key, value] : headers)
        if (sameName(key, name))
            values.append(value);
    return values;
}

QList<QByteArray> UpgradeRequest::offeredProtocols() const
{
    QList<QByteArray> protocols;
    for (const QByteArray &value : headerValues("Sec-WebSocket-Protocol"))
        for (const QByteArray &item : value.split(','))
            if (!item.trimmed().isEmpty())
                protocols.append(item.trimmed());
    return protocols;
}

std::optional<UpgradeRequest> takeUpgradeRequest(QByteArray &buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    UpgradeRequest request;
    request.raw = buffer.left(end + 4);
    buffer.remove(0, end + 4);

    const QList<QByteArray> lines = request.raw.left(end).split('\n');
    bool first = true;
    for (QByteArray line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (first) {
            // request-line = method SP request-target SP HTTP-version (RFC 7230 §3.1.1)
            const QList<QByteArray> parts = line.split(' ');
            if (parts.size() == 3) {
                request.method = parts[0];
                request.target = parts[1];
                request.version = parts[2];
            }
            first = false;
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue; // a test server keeps going; the test asserts on what it needs
        request.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return request;
}

QByteArray acceptKeyFor(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

QByteArray switchingProtocolsResponse(QByteArrayView key, QByteArrayView protocol,
                                      const TestHeaderList &extraHeaders)
{
    QByteArray out = "HTTP/1.1 101 Switching Protocols\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n";
    out += "Sec-WebSocket-Accept: " + acceptKeyFor(key) + "\r\n";
    if (!protocol.isEmpty())
        out += "Sec-WebSocket-Protocol: " + protocol.toByteArray() + "\r\n";
    for (const auto &[name, value] : extraHeaders)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    return out;
}

quint16 closeCodeOf(QByteArrayView closePayload)
{
    if (closePayload.size() < 2)
        return 0;
    return quint16((quint8(closePayload[0]) << 8) | quint8(closePayload[1]));
}

QByteArray closeReasonOf(QByteArrayView closePayload)
{
    return closePayload.size() > 2 ? closePayload.sliced(2).toByteArray() : QByteArray();
}

QUrl loopbackWebSocketUrl(quint16 port, const QString &path)
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(path);
    return url;
}

} // namespace Wsw::Test
