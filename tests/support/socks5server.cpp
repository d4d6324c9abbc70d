#include "socks5server.h"

#include <memory>
#include <utility>

#include <QHostAddress>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QtEndian>

namespace Wsw::Test {

namespace {

constexpr char Version = 5;
constexpr quint8 MethodNone = 0x00;
constexpr quint8 MethodUserPassword = 0x02;
constexpr quint8 MethodUnacceptable = 0xFF;
constexpr quint8 CommandConnect = 0x01;
constexpr quint8 AddressIpv4 = 0x01;
constexpr quint8 AddressDomain = 0x03;
constexpr quint8 ReplySucceeded = 0x00;
constexpr quint8 ReplyNotAllowed = 0x02;
constexpr quint8 ReplyHostUnreachable = 0x04;
constexpr quint8 ReplyCommandNotSupported = 0x07;

/** A reply with the bound address 0.0.0.0:0 (RFC 1928 §6). */
QByteArray reply(quint8 code)
{
    return QByteArray("\x05", 1) + char(code) + QByteArray("\x00\x01\x00\x00\x00\x00\x00\x00", 8);
}

} // namespace

Socks5Server::Socks5Server(QObject *parent)
    : QObject(parent)
{
    m_server.setProxy(QNetworkProxy::NoProxy);
    connect(&m_server, &QTcpServer::newConnection, this, &Socks5Server::onNewConnection);
}

Socks5Server::~Socks5Server()
{
    m_server.close();
}

void Socks5Server::setCredential(const QByteArray &user, const QByteArray &password)
{
    m_user = user;
    m_password = password;
    m_requireAuth = true;
}

bool Socks5Server::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void Socks5Server::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection())
        serve(client);
}

void Socks5Server::serve(QTcpSocket *client)
{
    enum class Stage { Greeting, Auth, Request, Connecting, Relay };
    struct Session {
        Stage stage = Stage::Greeting;
        QByteArray buffer;
        QTcpSocket *target = nullptr;
    };
    auto session = std::make_shared<Session>();
    client->setParent(this);

    const auto fail = [client](quint8 code) {
        client->write(reply(code));
        client->disconnectFromHost();
    };
    const auto process = [this, client, session, fail] {
        session->buffer += client->readAll();
        QByteArray &b = session->buffer;
        if (session->stage == Stage::Greeting) {
            if (b.size() < 2 || b.size() < 2 + quint8(b[1]))
                return;
            const QByteArray methods = b.mid(2, quint8(b[1]));
            b.remove(0, 2 + quint8(b[1]));
            const quint8 wanted = m_requireAuth ? MethodUserPassword : MethodNone;
            if (!methods.contains(char(wanted))) {
                client->write(QByteArray("\x05", 1) + char(MethodUnacceptable));
                client->disconnectFromHost();
                return;
            }
            client->write(QByteArray(1, Version) + char(wanted));
            session->stage = m_requireAuth ? Stage::Auth : Stage::Request;
        }
        if (session->stage == Stage::Auth) {
            // RFC 1929: VER=1, ULEN, UNAME, PLEN, PASSWD
            if (b.size() < 2 || b.size() < 3 + quint8(b[1]))
                return;
            const int userLength = quint8(b[1]);
            const int passwordLength = quint8(b[2 + userLength]);
            if (b.size() < 3 + userLength + passwordLength)
                return;
            const bool ok = b.mid(2, userLength) == m_user && b.mid(3 + userLength, passwordLength) == m_password;
            b.remove(0, 3 + userLength + passwordLength);
            client->write(QByteArray("\x01", 1) + char(ok ? 0x00 : 0x01));
            if (!ok) {
                ++m_authFailures;
                client->disconnectFromHost();
                return;
            }
            session->stage = Stage::Request;
        }
        if (session->stage == Stage::Request) {
            if (b.size() < 5)
                return;
            const quint8 command = quint8(b[1]);
            const quint8 addressType = quint8(b[3]);
            QString host;
            int used = 0;
            if (addressType == AddressIpv4) {
                if (b.size() < 10)
                    return;
                host = QHostAddress(qFromBigEndian<quint32>(b.constData() + 4)).toString();
                used = 4 + 4;
            } else if (addressType == AddressDomain) {
                const int length = quint8(b[4]);
                if (b.size() < 5 + length + 2)
                    return;
                host = QString::fromLatin1(b.mid(5, length));
                used = 5 + length;
            } else {
                fail(ReplyCommandNotSupported);
                return;
            }
            const quint16 port = qFromBigEndian<quint16>(b.constData() + used);
            b.remove(0, used + 2);
            m_lastTarget = host;
            if (command != CommandConnect) {
                fail(ReplyCommandNotSupported);
                return;
            }
            if (m_refuseConnect) {
                fail(ReplyNotAllowed);
                return;
            }
            session->stage = Stage::Connecting;
            auto *target = new QTcpSocket(client);
            target->setProxy(QNetworkProxy::NoProxy);
            session->target = target;
            connect(target, &QTcpSocket::connected, client, [this, client, session, target] {
                ++m_tunnels;
                session->stage = Stage::Relay;
                client->write(reply(ReplySucceeded));
                if (!session->buffer.isEmpty())
                    target->write(std::exchange(session->buffer, {}));
            });
            connect(target, &QTcpSocket::readyRead, client, [client, target] { client->write(target->readAll()); });
            connect(target, &QTcpSocket::errorOccurred, client, [client, session, fail] {
                if (session->stage == Stage::Connecting)
                    fail(ReplyHostUnreachable);
                else
                    client->disconnectFromHost();
            });
            connect(target, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
            // a name such as localhost: try IPv4 first, where the tests' servers listen
            target->connectToHost(host == u"localhost" ? QStringLiteral("127.0.0.1") : host, port);
            return;
        }
        if (session->stage == Stage::Relay && session->target && !b.isEmpty())
            session->target->write(std::exchange(b, {}));
    };
    connect(client, &QTcpSocket::readyRead, this, process);
    connect(client, &QTcpSocket::disconnected, this, [client, session] {
        if (session->target)
            session->target->disconnectFromHost();
        client->deleteLater();
    });
    if (client->bytesAvailable() > 0)
        process();
}

} // namespace Wsw::Test
