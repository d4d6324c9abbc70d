#pragma once

// Helpers shared by the engine tests: a recorder of every MessageWebSocket signal and a few
// bounded waits. Header-only; the servers live in tests/support.

#include <chrono>

#include <QSignalSpy>
#include <QTest>

#include "api/messagewebsocket.h"
#include "framebuilder.h"

namespace Wsw::Test {

/** Default bound for waits on the loopback interface. */
constexpr int WaitMs = 5000;

/** Opcodes as the tests assert them on the wire (RFC 6455 §5.2). */
namespace Op {
constexpr quint8 Continuation = 0x0;
constexpr quint8 Text = 0x1;
constexpr quint8 Binary = 0x2;
constexpr quint8 Close = 0x8;
constexpr quint8 Ping = 0x9;
constexpr quint8 Pong = 0xA;
} // namespace Op

/** A QSignalSpy on every signal of one MessageWebSocket (built from member-function pointers). */
struct ClientSpies {
    explicit ClientSpies(MessageWebSocket *ws)
        : connected(ws, &MessageWebSocket::connected)
        , messages(ws, &MessageWebSocket::messageReceived)
        , closed(ws, &MessageWebSocket::closed)
        , errors(ws, &MessageWebSocket::errorOccurred)
        , states(ws, &MessageWebSocket::stateChanged)
        , pongs(ws, &MessageWebSocket::pongReceived)
        , handshakes(ws, &MessageWebSocket::handshakeCompleted)
    {
    }

    MessageWebSocketMessageReceivedEventArgs message(qsizetype i) const
    {
        return messages.at(i).at(0).value<MessageWebSocketMessageReceivedEventArgs>();
    }
    WebSocketClosedEventArgs closedArgs(qsizetype i = 0) const
    {
        return closed.at(i).at(0).value<WebSocketClosedEventArgs>();
    }
    WebSocketError error(qsizetype i = 0) const { return errors.at(i).at(0).value<WebSocketError>(); }
    /** Every error received, for failure messages (QVERIFY2 evaluates its message eagerly). */
    QString errorText() const
    {
        QString text;
        for (qsizetype i = 0; i < errors.size(); ++i)
            text += error(i).toString() + u'\n';
        return text;
    }
    QByteArray pongPayload(qsizetype i) const { return pongs.at(i).at(1).toByteArray(); }
    HandshakeTranscript transcript(qsizetype i = 0) const
    {
        return handshakes.at(i).at(0).value<HandshakeTranscript>();
    }
    QList<ConnectionState> stateList() const
    {
        QList<ConnectionState> out;
        for (const QList<QVariant> &args : states)
            out.append(args.at(0).value<ConnectionState>());
        return out;
    }
    /** True once the connection has ended one way or another. */
    bool ended() const { return !closed.isEmpty() || !errors.isEmpty(); }

    QSignalSpy connected;
    QSignalSpy messages;
    QSignalSpy closed;
    QSignalSpy errors;
    QSignalSpy states;
    QSignalSpy pongs;
    QSignalSpy handshakes;
};

/** Waits (bounded, processing events) until connected or failed; true when connected. */
inline bool waitConnected(const ClientSpies &spies, int timeoutMs = WaitMs)
{
    (void)QTest::qWaitFor([&] { return !spies.connected.isEmpty() || !spies.errors.isEmpty(); }, timeoutMs);
    return spies.connected.size() == 1 && spies.errors.isEmpty();
}

/** Echoes every received message back in its own type, as the Autobahn test client does. */
inline void echoMessages(MessageWebSocket *ws)
{
    QObject::connect(ws, &MessageWebSocket::messageReceived, ws,
                     [ws](const MessageWebSocketMessageReceivedEventArgs &args) {
                         if (!args.isMessageComplete())
                             return;
                         ws->setMessageType(args.messageType());
                         ws->sendMessage(args.data());
                     });
}

/** A deterministic payload of n bytes (never valid-looking text by accident). */
inline QByteArray patternBytes(qsizetype n)
{
    QByteArray bytes(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        bytes[i] = char((i * 31 + 7) & 0xFF);
    return bytes;
}

/** n bytes of printable ASCII (valid UTF-8). */
inline QByteArray asciiBytes(qsizetype n)
{
    QByteArray bytes(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        bytes[i] = char('a' + i % 26);
    return bytes;
}

} // namespace Wsw::Test
