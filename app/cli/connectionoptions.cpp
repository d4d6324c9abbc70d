#include "connectionoptions.h"

#include <algorithm>

#include <QCommandLineParser>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>

#include "api/chainvalidation.h"
#include "api/clientcertificate.h"
#include "api/messagewebsocket.h"
#include "api/spkipin.h"
#include "codec/errortable.h"
#include "codec/handshake.h"
#include "codec/httpauth.h"
#include "clioutput.h"
#include "deflateoption.h"
#include "messageprinter.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Cli {

namespace {

constexpr int DefaultConnectTimeoutSeconds = 30;
/** A CA bundle of a whole system is about 200 KiB; anything much larger is not one. */
constexpr qint64 MaxCaFileBytes = 16 * 1024 * 1024;
/** A passphrase file holds one line. */
constexpr qint64 MaxPasswordFileBytes = 64 * 1024;

/** The ChainValidationResult names --insecure-ignore accepts. */
QStringList ignorableNames()
{
    QStringList names;
    for (const QString &name : ChainValidation::names())
        if (ChainValidation::isIgnorable(*ChainValidation::fromName(name)))
            names.append(name);
    return names;
}

/** Every certificate in a PEM file (DER is accepted for a single one); an error names the file. */
QList<QSslCertificate> readCaFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"--ca " + path + u": " + file.errorString();
        return {};
    }
    if (file.size() > MaxCaFileBytes) {
        *error = u"--ca " + path + u": larger than 16 MiB, not a certificate file";
        return {};
    }
    const QByteArray data = file.readAll();
    QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty() && !data.contains("-----BEGIN"))
        certificates = QSslCertificate::fromData(data, QSsl::Der);
    if (certificates.isEmpty())
        *error = u"--ca " + path + u": no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)";
    return certificates;
}

/** The first line of a passphrase file, without its line end. */
std::optional<QByteArray> readPasswordFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"--cert-password-file " + path + u": " + file.errorString();
        return std::nullopt;
    }
    if (file.size() > MaxPasswordFileBytes) {
        *error = u"--cert-password-file " + path + u": larger than 64 KiB, not a passphrase file";
        return std::nullopt;
    }
    QByteArray data = file.readAll();
    const qsizetype end = data.indexOf('\n');
    QByteArray line = end < 0 ? data : data.first(end);
    if (line.endsWith('\r'))
        line.chop(1);
    data.fill('\0');
    return line;
}

/** The syntax --proxy accepts, for its errors. */
const QString ProxySyntax = u"write http://[user[:password]@]host:port, socks5://[user[:password]@]host:port, "
                            u"system or none"_s;

/** Percent-decodes one part of the user info; nullopt when the result is not UTF-8. */
std::optional<QString> percentDecoded(const QString &part)
{
    const QByteArray bytes = QByteArray::fromPercentEncoding(part.toUtf8());
    QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes)
        return std::nullopt;
    return text;
}

/** Raw request or answer headers as indented "> " or "< " lines, credentials redacted. */
QString transcriptLines(const QByteArray &raw, QStringView marker)
{
    QString text;
    const QString redacted = QString::fromUtf8(Codec::redactCredentials(raw));
    for (QStringView line : QStringView(redacted).split(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        text += u"  "_s + marker + u' ' + line + u'\n';
    }
    return text;
}

} // namespace

QString redactProxyOption(const QString &value)
{
    // as parseProxyOption reads it: the user info ends at the last '@' (even one after a '/', so that
    // a password with an unencoded '/' stays hidden); the password is what follows its first ':'
    const qsizetype schemeEnd = value.indexOf(u"://"_s);
    const qsizetype start = schemeEnd < 0 ? 0 : schemeEnd + 3;
    const qsizetype at = value.lastIndexOf(u'@');
    if (at < start)
        return value;
    const qsizetype colon = value.indexOf(u':', start);
    if (colon < 0 || colon > at)
        return value;
    return value.first(colon + 1) + u"***" + value.sliced(at);
}

QString parseProxyOption(const QString &value, const QByteArray &environmentPassword, ProxySettings *proxy,
                         std::optional<PasswordCredential> *credential)
{
    *proxy = {};
    credential->reset();
    if (value.compare(u"none"_s, Qt::CaseInsensitive) == 0)
        return {};
    if (value.compare(u"system"_s, Qt::CaseInsensitive) == 0) {
        proxy->type = ProxyType::System;
        return {};
    }
    const QString shown = u"--proxy \"" + redactProxyOption(value) + u"\": ";
    const qsizetype schemeEnd = value.indexOf(u"://"_s);
    if (schemeEnd < 0)
        return shown + u"not a proxy: " + ProxySyntax;
    const QString scheme = value.first(schemeEnd).toLower();
    if (scheme == u"http")
        proxy->type = ProxyType::Http;
    else if (scheme == u"socks5" || scheme == u"socks5h")
        proxy->type = ProxyType::Socks5;
    else
        return shown + u"unknown scheme \"" + value.first(schemeEnd) + u"\" (HTTPS and SOCKS4 proxies are not "
               u"supported): " + ProxySyntax;

    QString authority = value.sliced(schemeEnd + 3);
    if (authority.endsWith(u'/'))
        authority.chop(1);
    const qsizetype at = authority.lastIndexOf(u'@');
    const QString userInfo = at < 0 ? QString() : authority.first(at);
    const QString hostPort = at < 0 ? authority : authority.sliced(at + 1);
    if (hostPort.contains(u'/') || hostPort.contains(u'?') || hostPort.contains(u'#'))
        return shown + u"nothing may follow the port: " + ProxySyntax;

    // host and port: name, IPv4 or [IPv6], then the port, which has no default
    QString host;
    QString port;
    bool hasPort = false;
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return shown + u"an IPv6 address needs its closing ']'";
        host = hostPort.sliced(1, close - 1);
        const QString rest = hostPort.sliced(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':'))
            return shown + u"expected ':port' after the IPv6 address";
        hasPort = rest.startsWith(u':');
        port = rest.mid(1);
        if (!host.isEmpty() && QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol)
            return shown + u"\"" + host + u"\" in brackets is not an IPv6 address";
    } else {
        const qsizetype colon = hostPort.lastIndexOf(u':');
        hasPort = colon >= 0;
        host = hasPort ? hostPort.first(colon) : hostPort;
        port = hasPort ? hostPort.sliced(colon + 1) : QString();
        if (host.contains(u':'))
            return shown + u"write an IPv6 address in brackets, e.g. http://[::1]:3128";
    }
    if (host.isEmpty())
        return shown + u"no host: " + ProxySyntax;
    for (const QChar c : std::as_const(host))
        if (c.isSpace() || c.category() == QChar::Other_Control || c == u'@' || c == u'%' || c == u'\\')
            return shown + u"the host \"" + host + u"\" has a character a host name cannot have";
    if (!hasPort || port.isEmpty())
        return shown + u"no port: a proxy has no default port, " + ProxySyntax;
    const bool digitsOnly = port.size() <= 5
            && std::all_of(port.cbegin(), port.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    const uint number = digitsOnly ? port.toUInt() : 0;
    if (number == 0 || number > 65535)
        return shown + u"port \"" + port + u"\" is not a number from 1 to 65535";
    proxy->host = host;
    proxy->port = quint16(number);

    if (at < 0)
        return {};
    const qsizetype colon = userInfo.indexOf(u':');
    const std::optional<QString> user = percentDecoded(colon < 0 ? userInfo : userInfo.first(colon));
    if (!user)
        return shown + u"the user name is not UTF-8 once percent-decoded";
    if (user->isEmpty())
        return shown + u"empty user name before '@'";
    PasswordCredential given{*user, {}};
    if (colon >= 0) {
        const std::optional<QString> password = percentDecoded(userInfo.sliced(colon + 1));
        if (!password)
            return shown + u"the password is not UTF-8 once percent-decoded";
        given.password = *password;
    } else if (!environmentPassword.isNull()) {
        given.password = QString::fromUtf8(environmentPassword);
    }
    *credential = std::move(given);
    return {};
}

void ConnectionOptions::addTo(QCommandLineParser &parser, MessageTypeOption messageType)
{
    m_offersMessageType = messageType == MessageTypeOption::Offered;
    parser.addOption({{u"H"_s, u"header"_s},
                      u"Adds a request header, e.g. -H 'Authorization: Bearer x' (repeatable)."_s,
                      u"Name: value"_s});
    parser.addOption({u"protocol"_s,
                      u"Offers a subprotocol in Sec-WebSocket-Protocol (repeatable, in order of preference)."_s,
                      u"name"_s});
    if (m_offersMessageType)
        parser.addOption({u"binary"_s, u"Sends binary messages instead of text."_s});
    const QString maxSize = control.maxMessageSize == InfiniteMessageSize
            ? u"no limit"_s
            : QString::number(control.maxMessageSize);
    parser.addOption({u"max-message-size"_s,
                      u"Largest message accepted, in bytes, up to 4294967295; a larger one closes with 1009 "
                      u"(default: " + maxSize + u")."_s,
                      u"bytes"_s});
    parser.addOption({u"connect-timeout"_s,
                      u"Seconds allowed for connecting (TCP and TLS) and, again, for the opening handshake "
                      u"(default " + QString::number(DefaultConnectTimeoutSeconds) + u")."_s,
                      u"seconds"_s, QString::number(DefaultConnectTimeoutSeconds)});
    addDeflateOptions(parser);
    parser.addOption({u"proxy"_s,
                      u"Connects through a proxy: http://[user[:password]@]host:port (HTTP CONNECT), "
                      u"socks5://[user[:password]@]host:port (or socks5h://; the proxy resolves the server's name), system (the "
                      u"proxy the environment names: http_proxy for ws://, https_proxy for wss://, no_proxy) or "
                      u"none (the default). User and password are percent-decoded (%40 for @, %3A for :). Other "
                      u"users can see a command line: give the user alone and the password in the environment "
                      u"variable "_s + QString::fromLatin1(ProxyPasswordVariable)
                              + u", which is read when the URL has a user and no password. Never printed. A failing "
                                u"proxy is never bypassed."_s,
                      u"URL"_s, u"none"_s});
    parser.addOption({u"user"_s,
                      u"Answers the server's 401 once with this login (Digest SHA-256 or MD5, else Basic; Basic "
                      u"over ws:// sends the password readable by anyone). Without :PASSWORD the password comes "
                      u"from the environment variable "_s + QString::fromLatin1(UserPasswordVariable)
                              + u", which other users cannot see as they can a command line."_s,
                      u"NAME:PASSWORD"_s});
    parser.addOption({{u"v"_s, u"verbose"_s},
                      u"Prints each opening handshake (the request and the answer's headers) to stderr, the values "
                      u"of Authorization and Proxy-Authorization redacted."_s});

    // wss://
    parser.addOption({u"ca"_s,
                      u"wss://: trusts the CA certificates in FILE (PEM, one or several) for this connection, "
                      u"besides the system's (repeatable)."_s,
                      u"FILE"_s});
    parser.addOption({u"pin"_s,
                      u"wss://: the server must present this public key: sha256/ and the base64 of the SHA-256 "
                      u"of its SubjectPublicKeyInfo (repeatable; one match is enough). A pinned server key is "
                      u"accepted even when its CA is not trusted. A failed wss:// connection prints the pins "
                      u"of the server's certificates."_s,
                      u"sha256/BASE64"_s});
    parser.addOption({u"cert"_s,
                      u"wss://: the client certificate for servers that ask for one (mutual TLS): PEM (the "
                      u"certificate, then any intermediates; the key in the same file or in --key) or "
                      u"PKCS#12 (.p12/.pfx, which holds its own key). Checked before connecting."_s,
                      u"FILE"_s});
    parser.addOption({u"key"_s, u"The private key of --cert (PEM, may be encrypted)."_s, u"FILE"_s});
    parser.addOption({u"cert-password-file"_s,
                      u"Reads the passphrase of --key or of a PKCS#12 --cert from the first line of FILE."_s,
                      u"FILE"_s});
    parser.addOption({u"cert-password"_s,
                      u"The passphrase of --key or of a PKCS#12 --cert. Other users can see a command line: "
                      u"prefer --cert-password-file or " + QString::fromLatin1(CertPasswordVariable)
                              + u". The passphrase comes from --cert-password-file or --cert-password (not "
                                u"both), otherwise from the environment variable "
                              + QString::fromLatin1(CertPasswordVariable) + u", otherwise there is none."_s,
                      u"passphrase"_s});
    parser.addOption({u"insecure-ignore"_s,
                      u"wss://: accepts the server's certificate despite this error (repeatable, any case): "
                              + ignorableNames().join(u", ")
                              + u". Insecure: for test servers and certificates you have checked yourself."_s,
                      u"ERROR"_s});
}

QString ConnectionOptions::readFrom(const QCommandLineParser &parser, const QString &urlArgument)
{
    url = QUrl(urlArgument, QUrl::StrictMode);
    const ErrorDetail urlError = Codec::validateUrl(url);
    if (urlError != ErrorDetail::None)
        return u"invalid URL \"" + urlArgument + u"\": " + Codec::errorMessage(urlError);

    for (const QString &header : parser.values(u"header"_s)) {
        const qsizetype colon = header.indexOf(u':');
        if (colon <= 0)
            return u"a header must look like 'Name: value', got \"" + header + u'"';
        const QByteArray name = header.first(colon).trimmed().toUtf8();
        const QByteArray value = header.sliced(colon + 1).trimmed().toUtf8();
        const ErrorDetail error = Codec::validateRequestHeader(name, value);
        if (error != ErrorDetail::None)
            return u"header \"" + QString::fromUtf8(name) + u"\": " + Codec::errorMessage(error);
        headers.append({name, value});
    }
    control.supportedProtocols = parser.values(u"protocol"_s);
    if (m_offersMessageType)
        control.messageType = parser.isSet(u"binary"_s) ? SocketMessageType::Binary : SocketMessageType::Utf8;
    if (parser.isSet(u"max-message-size"_s)) {
        bool ok = false;
        const qulonglong size = parser.value(u"max-message-size"_s).toULongLong(&ok);
        if (!ok || size == 0 || size > 0xFFFFFFFFull)
            return u"--max-message-size must be a number of bytes from 1 to 4294967295"_s;
        control.maxMessageSize = quint32(size);
    }
    bool ok = false;
    const int seconds = parser.value(u"connect-timeout"_s).toInt(&ok);
    if (!ok || seconds <= 0)
        return u"--connect-timeout must be a positive number of seconds"_s;
    control.timeouts.connect = std::chrono::seconds(seconds);
    control.timeouts.handshake = std::chrono::seconds(seconds);
    if (const QString error = readDeflateOptions(parser, &control.compression); !error.isEmpty())
        return error;
    verbose = parser.isSet(u"verbose"_s);
    if (const QString error = readProxyOption(parser); !error.isEmpty())
        return error;
    if (const QString error = readUserOption(parser); !error.isEmpty())
        return error;
    return readTlsOptions(parser);
}

QString ConnectionOptions::readProxyOption(const QCommandLineParser &parser)
{
    const QStringList values = parser.values(u"proxy"_s);
    if (values.size() > 1)
        return u"--proxy given more than once"_s;
    QByteArray environmentPassword;
    if (qEnvironmentVariableIsSet(ProxyPasswordVariable))
        environmentPassword = qgetenv(ProxyPasswordVariable);
    const QString error = parseProxyOption(values.isEmpty() ? u"none"_s : values.first(), environmentPassword,
                                           &control.proxy, &control.proxyCredential);
    environmentPassword.fill('\0');
    return error;
}

QString ConnectionOptions::readUserOption(const QCommandLineParser &parser)
{
    const QStringList values = parser.values(u"user"_s);
    if (values.isEmpty())
        return {};
    if (values.size() > 1)
        return u"--user given more than once"_s;
    const QString &value = values.first();
    const qsizetype colon = value.indexOf(u':');
    const QString name = colon < 0 ? value : value.first(colon);
    if (name.isEmpty())
        return u"--user needs a name: write --user NAME:PASSWORD, or --user NAME with the password in "_s
                + QString::fromLatin1(UserPasswordVariable);
    QString password;
    if (colon >= 0) {
        password = value.sliced(colon + 1);
    } else if (qEnvironmentVariableIsSet(UserPasswordVariable)) {
        QByteArray fromEnvironment = qgetenv(UserPasswordVariable);
        password = QString::fromUtf8(fromEnvironment);
        fromEnvironment.fill('\0');
    } else {
        return u"--user \""_s + name + u"\" has no password: write --user NAME:PASSWORD or set "_s
                + QString::fromLatin1(UserPasswordVariable);
    }
    control.serverCredential = PasswordCredential{name, password};
    return {};
}

QString ConnectionOptions::readTlsOptions(const QCommandLineParser &parser)
{
    for (const QString &path : parser.values(u"ca"_s)) {
        QString error;
        const QList<QSslCertificate> certificates = readCaFile(path, &error);
        if (!error.isEmpty())
            return error;
        control.additionalCaCertificates += certificates;
    }
    for (const QString &pin : parser.values(u"pin"_s)) {
        if (SpkiPin::digestOf(pin).isEmpty())
            return u"--pin \"" + pin + u"\" is not a public-key pin: write sha256/ and the 44 base64 characters "
                                       u"of a SHA-256 digest, e.g. as a failed wss:// connection prints them";
        if (!control.pinnedPublicKeys.contains(pin))
            control.pinnedPublicKeys.append(pin);
    }
    for (const QString &name : parser.values(u"insecure-ignore"_s)) {
        const std::optional<ChainValidationResult> result = ChainValidation::fromName(name);
        if (!result || *result == ChainValidationResult::Success)
            return u"--insecure-ignore: unknown certificate error \"" + name + u"\" (one of: "
                    + ignorableNames().join(u", ") + u')';
        if (!ChainValidation::isIgnorable(*result))
            return u"--insecure-ignore: " + ChainValidation::name(*result) + u" can never be ignored. "
                    + ChainValidation::explanation(*result) + u" Ignorable errors: " + ignorableNames().join(u", ");
        if (!control.ignorableServerCertificateErrors.contains(*result))
            control.ignorableServerCertificateErrors.append(*result);
    }
    return readClientCertificate(parser);
}

QString ConnectionOptions::readClientCertificate(const QCommandLineParser &parser)
{
    const bool passwordGiven = parser.isSet(u"cert-password"_s);
    const bool passwordFileGiven = parser.isSet(u"cert-password-file"_s);
    if (!parser.isSet(u"cert"_s)) {
        for (const QString &option : {u"key"_s, u"cert-password"_s, u"cert-password-file"_s})
            if (parser.isSet(option))
                return u"--" + option + u" belongs to a client certificate: give --cert FILE too";
        return {};
    }
    if (passwordGiven && passwordFileGiven)
        return u"give the passphrase with --cert-password or with --cert-password-file, not both"_s;

    // which source it came from goes into an error; the passphrase itself never does
    QByteArray passphrase;
    QString source;
    if (passwordFileGiven) {
        const QString path = parser.value(u"cert-password-file"_s);
        QString error;
        const std::optional<QByteArray> line = readPasswordFile(path, &error);
        if (!line)
            return error;
        passphrase = *line;
        source = u"--cert-password-file " + path;
    } else if (passwordGiven) {
        passphrase = parser.value(u"cert-password"_s).toUtf8();
        source = u"--cert-password"_s;
    } else if (qEnvironmentVariableIsSet(CertPasswordVariable)) {
        passphrase = qgetenv(CertPasswordVariable);
        source = QString::fromLatin1(CertPasswordVariable);
    }

    const QString certificateFile = parser.value(u"cert"_s);
    WebSocketError error;
    const std::optional<ClientCertificate> certificate =
            ClientCertificate::load(certificateFile, parser.value(u"key"_s), passphrase, &error);
    passphrase.fill('\0');
    if (!certificate) {
        QString message = u"--cert: " + error.message();
        if (error.detail() == ErrorDetail::ClientCertificatePasswordWrong && !source.isEmpty())
            message += u" (passphrase from " + source + u')';
        return message;
    }
    control.clientCertificate = *certificate;
    return {};
}

QString ConnectionOptions::applyTo(MessageWebSocket &socket) const
{
    if (!socket.setControl(control))
        return socket.lastError().message();
    for (const auto &[name, value] : headers)
        if (!socket.setRequestHeader(name, value))
            return socket.lastError().message();
    if (verbose) {
        QObject::connect(&socket, &MessageWebSocket::handshakeCompleted, &socket,
                         [&socket](const HandshakeTranscript &transcript) {
                             QString text = u'[' + timestamp() + u"] opening handshake ("
                                     + describeProxy(socket.information().proxy) + u")\n";
                             text += transcriptLines(transcript.request, u">");
                             text += transcriptLines(transcript.responseHeaders, u"<");
                             printErr(text);
                         });
    }
    return {};
}

} // namespace Wsw::Cli
