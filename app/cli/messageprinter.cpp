#include "messageprinter.h"

#include <QTime>

namespace Wsw::Cli {

QString timestamp()
{
    return QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString hexPreview(const QByteArray &data, qsizetype maxBytes)
{
    const QByteArray shown = data.first(std::min(data.size(), maxBytes));
    QString out = QString::fromLatin1(shown.toHex(' '));
    if (shown.size() < data.size())
        out += QStringLiteral(" …");
    return out;
}

QString describeError(const WebSocketError &error)
{
    QString text = error.toString();
    if (error.httpStatus() > 0 && !error.httpBody().isEmpty())
        text += u'\n' + QString::fromUtf8(error.httpBody()).trimmed();
    return text;
}

QString formatReceived(SocketMessageType type, const QByteArray &data)
{
    if (type == SocketMessageType::Utf8)
        return u'[' + timestamp() + u"] < " + QString::fromUtf8(data);
    return u'[' + timestamp() + u"] < binary " + QString::number(data.size()) + u" bytes: " + hexPreview(data);
}

} // namespace Wsw::Cli
