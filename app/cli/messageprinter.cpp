#include "messageprinter.h"

#include <QTime>

#include "api/chainvalidation.h"
#include "api/messagewebsocket.h"
#include "certificatetext.h"
#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Cli {

namespace {

constexpr qsizetype MaxPreviewBytes = 4096; // of a binary message, in hex

/** What to try next, in wscli's options; empty when there is nothing useful to say. */
QString tlsHint(const WebSocketError &error, const MessageWebSocketInformation &info,
                const QList<ChainValidationResult> &ignored)
{
    using R = ChainValidationResult;
    switch (error.detail()) {
    case ErrorDetail::CertificateRejected: {
        bool untrusted = false;
        bool wrongName = false;
        QStringList ignorable;
        for (R result : error.certificateErrors()) {
            if (ignored.contains(result))
                continue;
            untrusted = untrusted || result == R::Untrusted || result == R::IncompleteChain;
            wrongName = wrongName || result == R::InvalidName;
            if (ChainValidation::isIgnorable(result))
                ignorable.append(u"--insecure-ignore " + ChainValidation::name(result));
        }
        QStringList hints;
        if (untrusted)
            hints.append(u"--ca FILE trusts the CA that issued it, --pin with the pin above accepts this key alone"_s);
        if (wrongName)
            hints.append(u"connect by one of the names the certificate lists"_s);
        if (!ignorable.isEmpty())
            hints.append(ignorable.join(u' ') + u" would accept it anyway (insecure)");
        return hints.join(u"; ");
    }
    case ErrorDetail::PinMismatch:
        return info.tls.presentedPins.isEmpty()
                ? QString()
                : u"if the server's key changed on purpose, --pin one of the pins above"_s;
    case ErrorDetail::ClientCertificateRequired:
        return u"give a client certificate with --cert FILE [--key FILE]"_s;
    case ErrorDetail::ClientCertificateRejected:
        return u"the server does not accept the certificate given with --cert"_s;
    default:
        return {};
    }
}

} // namespace

QString timestamp()
{
    return QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString describeError(const WebSocketError &error, const MessageWebSocket &socket)
{
    QString text = error.toString();
    if (error.httpStatus() > 0 && !error.httpBody().isEmpty())
        text += u'\n' + QString::fromUtf8(error.httpBody()).trimmed();
    const MessageWebSocketInformation info = socket.information();
    const QList<ChainValidationResult> ignored = socket.control().ignorableServerCertificateErrors;
    for (const QString &line : CertificateText::tlsFailureLines(error, info, ignored))
        text += u"\n  " + line;
    if (const QString hint = tlsHint(error, info, ignored); !hint.isEmpty())
        text += u"\n  hint: " + hint;
    return text;
}

QString formatReceived(SocketMessageType type, const QByteArray &data)
{
    if (type == SocketMessageType::Utf8)
        return u'[' + timestamp() + u"] < " + QString::fromUtf8(data);
    return u'[' + timestamp() + u"] < binary " + QString::number(data.size()) + u" bytes: "
            + Format::hexPreview(data, MaxPreviewBytes);
}

} // namespace Wsw::Cli
