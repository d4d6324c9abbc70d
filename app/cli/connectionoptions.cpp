#include "connectionoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMetaEnum>

#include "api/messagewebsocket.h"
#include "codec/errortable.h"
#include "codec/handshake.h"
#include "clioutput.h"
#include "deflateoption.h"

namespace Wsw::Cli {

void ConnectionOptions::addTo(QCommandLineParser &parser)
{
    parser.addOption({{QStringLiteral("H"), QStringLiteral("header")},
                      QStringLiteral("Adds a request header, e.g. -H 'Authorization: Bearer x' (repeatable)."),
                      QStringLiteral("Name: value")});
    parser.addOption({QStringLiteral("protocol"),
                      QStringLiteral("Offers a subprotocol in Sec-WebSocket-Protocol (repeatable, in order of preference)."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("binary"), QStringLiteral("Sends binary messages instead of text.")});
    parser.addOption({QStringLiteral("max-message-size"),
                      QStringLiteral("Largest message accepted, in bytes; a larger one closes with 1009 (default: 4294967295)."),
                      QStringLiteral("bytes")});
    parser.addOption({QStringLiteral("insecure-ignore"),
                      QStringLiteral("For wss:// (not supported yet by the engine): a certificate error to tolerate, as a "
                                     "ChainValidationResult name such as Untrusted, Expired, InvalidName (repeatable)."),
                      QStringLiteral("ERROR")});
    parser.addOption({QStringLiteral("connect-timeout"),
                      QStringLiteral("Seconds allowed for connecting and the opening handshake (default 30)."),
                      QStringLiteral("seconds"), QStringLiteral("30")});
    addDeflateOptions(parser);
}

QString ConnectionOptions::readFrom(const QCommandLineParser &parser, const QString &urlArgument)
{
    url = QUrl(urlArgument, QUrl::StrictMode);
    const ErrorDetail urlError = Codec::validateUrl(url);
    if (urlError != ErrorDetail::None)
        return u"invalid URL \"" + urlArgument + u"\": " + Codec::errorMessage(urlError);

    for (const QString &header : parser.values(QStringLiteral("header"))) {
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
    control.supportedProtocols = parser.values(QStringLiteral("protocol"));
    control.messageType = parser.isSet(QStringLiteral("binary")) ? SocketMessageType::Binary : SocketMessageType::Utf8;
    if (parser.isSet(QStringLiteral("max-message-size"))) {
        bool ok = false;
        const qulonglong size = parser.value(QStringLiteral("max-message-size")).toULongLong(&ok);
        if (!ok || size == 0 || size > 0xFFFFFFFFull)
            return QStringLiteral("--max-message-size must be a number of bytes from 1 to 4294967295");
        control.maxMessageSize = quint32(size);
    }
    const QMetaEnum results = QMetaEnum::fromType<ChainValidationResult>();
    for (const QString &name : parser.values(QStringLiteral("insecure-ignore"))) {
        bool ok = false;
        results.keyToValue(name.toLatin1().constData(), &ok);
        if (!ok || name == u"Success") {
            QStringList names;
            for (int i = 1; i < results.keyCount(); ++i)
                names.append(QString::fromLatin1(results.key(i)));
            return u"--insecure-ignore: unknown certificate error \"" + name + u"\" (one of: " + names.join(u", ")
                    + u')';
        }
    }
    bool ok = false;
    const int seconds = parser.value(QStringLiteral("connect-timeout")).toInt(&ok);
    if (!ok || seconds <= 0)
        return QStringLiteral("--connect-timeout must be a positive number of seconds");
    control.timeouts.connect = std::chrono::seconds(seconds);
    control.timeouts.handshake = std::chrono::seconds(seconds);
    return readDeflateOptions(parser, &control.compression);
}

QString ConnectionOptions::applyTo(MessageWebSocket &socket) const
{
    if (!socket.setControl(control))
        return socket.lastError().message();
    for (const auto &[name, value] : headers)
        if (!socket.setRequestHeader(name, value))
            return socket.lastError().message();
    return {};
}

int connectAndRun(MessageWebSocket &socket, const QUrl &url)
{
    bool opened = false;
    QObject::connect(&socket, &MessageWebSocket::connected, &socket, [&opened] { opened = true; });
    QObject::connect(&socket, &MessageWebSocket::stateChanged, &socket, [&opened](ConnectionState state) {
        if (state == ConnectionState::Failed && !opened)
            QCoreApplication::exit(ExitFailure);
    });
    if (!socket.connectAsync(url)) {
        printErr(u"wscli: " + socket.lastError().message());
        return ExitFailure;
    }
    return QCoreApplication::exec();
}

} // namespace Wsw::Cli
