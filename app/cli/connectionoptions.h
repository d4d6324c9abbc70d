#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include "api/messagewebsocketcontrol.h"

class QCommandLineParser;

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Cli {

/** The environment variable that may hold the passphrase of --cert (see --help). */
inline constexpr char CertPasswordVariable[] = "WSCLI_CERT_PASSWORD";
/** The environment variable that may hold the password of --proxy (see --help). */
inline constexpr char ProxyPasswordVariable[] = "WSCLI_PROXY_PASSWORD";
/** The environment variable that may hold the password of --user (see --help). */
inline constexpr char UserPasswordVariable[] = "WSCLI_USER_PASSWORD";

/**
 * Reads the value of --proxy: none, system, http://[user[:password]@]host:port or
 * socks5://[user[:password]@]host:port (user and password percent-decoded; without a password in
 * the URL it comes from environmentPassword when that is not null). Sets *proxy and *credential,
 * or returns what is wrong, never containing the password.
 */
QString parseProxyOption(const QString &value, const QByteArray &environmentPassword, ProxySettings *proxy,
                         std::optional<PasswordCredential> *credential);
/** A --proxy value fit to be shown: the password, if any, replaced by "***". */
QString redactProxyOption(const QString &value);

/**
 * The options every connecting command (connect, send, autobahn, bench) shares, added, read and
 * applied here only, so that a new one reaches all of them at once: -H, --protocol,
 * --max-message-size, --connect-timeout, --deflate/--no-deflate, --proxy, --user, --verbose, and for wss://
 * --ca, --pin, --cert, --key, --cert-password, --cert-password-file and --insecure-ignore. --binary only for
 * the commands that send what the user gives (connect, send).
 *
 * How a command uses it: put its own defaults into control, addTo() (the help shows those
 * defaults), parse, readFrom(), set what the command itself decides (e.g. bench's message type),
 * then applyTo() every socket it opens.
 */
struct ConnectionOptions {
    /** Whether the command offers --binary (the harness commands choose message types themselves). */
    enum class MessageTypeOption { Offered, NotOffered };

    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    MessageWebSocketControl control;
    /** --verbose: applyTo() makes the socket print its opening handshake (credentials redacted). */
    bool verbose = false;

    /** Adds the shared options to a parser. */
    void addTo(QCommandLineParser &parser, MessageTypeOption messageType = MessageTypeOption::Offered);
    /**
     * Reads them back and checks them all before anything connects: URL, header syntax, numbers,
     * CA files, pins, certificate error names, and the client certificate, which is loaded here.
     * Returns an empty string or what is wrong (never containing a passphrase).
     */
    QString readFrom(const QCommandLineParser &parser, const QString &urlArgument);
    /**
     * Applies control and headers to a socket, and with verbose prints each opening handshake of
     * it to stderr; returns an empty string or why it refused.
     */
    QString applyTo(MessageWebSocket &socket) const;

private:
    QString readProxyOption(const QCommandLineParser &parser);
    QString readUserOption(const QCommandLineParser &parser);
    QString readTlsOptions(const QCommandLineParser &parser);
    QString readClientCertificate(const QCommandLineParser &parser);

    bool m_offersMessageType = true;
};

} // namespace Wsw::Cli
