#pragma once

// What the interop tests (tst_interop, tst_interop_tls) share: bounds, payloads, and a client
// with spies on everything it emits. Header-only.

#include <chrono>

#include <QByteArray>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include "api/messagewebsocket.h"

namespace InteropTest {

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using Wsw::ConnectionState;
using Wsw::FrameInfo;
using Wsw::MessageWebSocket;
using Wsw::MessageWebSocketMessageReceivedEventArgs;
using Wsw::SocketMessageType;
using Wsw::WebSocketClosedEventArgs;
using Wsw::WebSocketError;

constexpr auto ServerStartBound = 30s;
constexpr int ConnectBoundMs = 10000;
constexpr int CloseBoundMs = 10000;
// the 16 MiB echo rows: mask, send, parse and echo back on a 2-core machine, with room to spare
constexpr int MessageBoundMs = 60000;

constexpr qsizetype KiB = 1024;
constexpr qsizetype MiB = 1024 * KiB;

/** Valid UTF-8 of exactly `size` bytes, cycling through 1-, 2-, 3- and 4-byte characters. */
inline QByteArray utf8Payload(qsizetype size)
{
    static const QByteArray unit = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"_ba; // a é € 😀: 1+2+3+4 bytes
    QByteArray data = unit.repeated(size / unit.size());
    data.append(QByteArray(size - data.size(), 'x'));
    return data;
}

/** Binary of exactly `size` bytes; not periodic in 2^n, so a shifted or reordered chunk shows. */
inline QByteArray binaryPayload(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    char *out = data.data();
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char((i * 131 + i / 251) & 0xFF);
    return data;
}

inline QByteArray payloadFor(SocketMessageType type, qsizetype size)
{
    return type == SocketMessageType::Utf8 ? utf8Payload(size) : binaryPayload(size);
}

/** Random bytes (fixed seed): deflate can only store them, in stored blocks, a little larger. */
inline QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(2024);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(generator.generate() & 0xFF);
    return data;
}

/**
 * Pseudo-random printable ASCII (valid text, and binary too): nothing in it repeats, so deflate
 * finds nothing to refer back to within it, but a second copy right after it is one back-reference
 * when the compressor kept its context.
 */
inline QByteArray asciiNoise(qsizetype size, quint32 seed = 12345)
{
    QByteArray data(size, Qt::Uninitialized);
    quint32 state = seed;
    for (qsizetype i = 0; i < size; ++i) {
        state = state * 1664525u + 1013904223u; // Numerical Recipes' LCG
        data[i] = char(0x21 + (state >> 24) % 94);
    }
    return data;
}

/** A client and spies on everything it emits; the spies live as long as the socket. */
struct Client {
    MessageWebSocket socket;
    QSignalSpy connected{&socket, &MessageWebSocket::connected};
    QSignalSpy messages{&socket, &MessageWebSocket::messageReceived};
    QSignalSpy errors{&socket, &MessageWebSocket::errorOccurred};
    QSignalSpy closed{&socket, &MessageWebSocket::closed};
    QSignalSpy pongs{&socket, &MessageWebSocket::pongReceived};
    /** Every frame both ways, once observeFrames() was called (observing costs the engine a little). */
    QList<FrameInfo> frames;

    void observeFrames()
    {
        QObject::connect(&socket, &MessageWebSocket::frameObserved, &socket,
                         [this](const FrameInfo &frame) { frames.append(frame); });
    }

    MessageWebSocketMessageReceivedEventArgs message(qsizetype i) const
    {
        return messages.at(i).at(0).value<MessageWebSocketMessageReceivedEventArgs>();
    }
    WebSocketError error(qsizetype i = 0) const { return errors.at(i).at(0).value<WebSocketError>(); }
    WebSocketClosedEventArgs closedArgs(qsizetype i = 0) const
    {
        return closed.at(i).at(0).value<WebSocketClosedEventArgs>();
    }
};

inline QString describeErrors(const Client &client)
{
    QStringList texts;
    for (qsizetype i = 0; i < client.errors.size(); ++i)
        texts.append(client.error(i).toString());
    return texts.isEmpty() ? u"no error"_s : texts.join(u"; "_s);
}

/** What the client saw, for a failure message: messages, errors and how it ended. */
inline QString describeEnd(const Client &client)
{
    QString text = u"%1 message(s), state %2, %3"_s.arg(client.messages.size())
                           .arg(QString::fromLatin1(QMetaEnum::fromType<ConnectionState>().valueToKey(
                                   int(client.socket.state()))),
                                describeErrors(client));
    if (!client.closed.isEmpty()) {
        const WebSocketClosedEventArgs args = client.closedArgs();
        text += u", closed(%1, \"%2\", wasClean=%3)"_s.arg(args.code()).arg(args.reason()).arg(args.wasClean());
    }
    return text;
}

/** Waits (bounded) until `count` messages arrived, or the connection failed or ended first. */
inline bool waitForMessages(const Client &client, qsizetype count)
{
    const bool ended = QTest::qWaitFor(
            [&] { return client.messages.size() >= count || !client.errors.isEmpty() || !client.closed.isEmpty(); },
            MessageBoundMs);
    return ended && client.messages.size() == count && client.errors.isEmpty();
}

} // namespace InteropTest
