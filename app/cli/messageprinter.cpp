#include "messageprinter.h"

#include <QTime>

#include "api/chainvalidation.h"
#include "api/messagewebsocket.h"
#include "certificatetext.h"
#include "connectionoptions.h"
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

/** The words for a proxy type in wscli's lines. */
QString proxyTypeName(ProxyType type)
{
    switch (type) {
    case ProxyType::Http:
        return u"HTTP"_s;
    case ProxyType::Socks5:
        return u"SOCKS5"_s;
    case ProxyType::System:
        return u"system"_s;
    case ProxyType::None:
        break;
    }
    return u"none"_s;
}

bool isProxyFailure(ErrorDetail detail)
{
    switch (detail) {
    case ErrorDetail::ProxyAuthenticationRequired:
    case ErrorDetail::ProxyConnectionRefused:
    case ErrorDetail::ProxyNotFound:
    case ErrorDetail::ProxyRefusedTarget:
    case ErrorDetail::ProxyConnectTimeout:
    case ErrorDetail::ProxyConnectionClosed:
    case ErrorDetail::ProxyProtocolError:
        return true;
    default:
        return false;
    }
}

/** The lines below a proxy failure: which proxy, what it said, what to try. Never the credential. */
QString proxyFailureLines(const WebSocketError &error, const MessageWebSocket &socket)
{
    const ProxyInformation proxy = socket.information().proxy;
    QString text = u"\n  " + describeProxy(proxy);
    if (error.detail() != ErrorDetail::ProxyAuthenticationRequired)
        return text;
    const bool credentialGiven = socket.control().proxyCredential.has_value();
    if (proxy.type == ProxyType::Http)
        text += u"\n  the proxy answered 407 Proxy Authentication Required"_s
                + (credentialGiven ? u" to the user name and password given"_s : QString());
    else if (proxy.type == ProxyType::Socks5)
        text += credentialGiven ? u"\n  the SOCKS5 proxy refused the user name and password (RFC 1929)"_s
                                : u"\n  the SOCKS5 proxy asks for a user name and password (RFC 1929)"_s;
    const QString variable = QString::fromLatin1(ProxyPasswordVariable);
    if (credentialGiven)
        text += u"\n  hint: check the user name and password of --proxy (or " + variable + u')';
    else
        text += u"\n  hint: --proxy SCHEME://USER@HOST:PORT with the password in " + variable
                + u" (or USER:PASSWORD@, percent-encoded)";
    return text;
}

} // namespace

QString describeProxy(const ProxyInformation &proxy)
{
    if (proxy.type == ProxyType::None)
        return proxy.fromSystem ? u"proxy: none, the system chose a direct connection"_s
                                : u"proxy: none, direct connection"_s;
    const QString host = proxy.host.contains(u':') ? u'[' + proxy.host + u']' : proxy.host;
    return u"proxy: " + proxyTypeName(proxy.type) + u' ' + host + u':' + QString::number(proxy.port)
            + (proxy.fromSystem ? u", chosen by the system"_s : QString())
            + (proxy.authenticated ? u", authenticated"_s : QString());
}

QString timestamp()
{
    return QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString describeError(const WebSocketError &error, const MessageWebSocket &socket)
{
    QString text = error.toString();
    if (error.httpStatus() > 0 && !error.httpBody().isEmpty())
        text += u'\n' + QString::fromUtf8(error.httpBody()).trimmed();
    if (isProxyFailure(error.detail()))
        text += proxyFailureLines(error, socket);
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
