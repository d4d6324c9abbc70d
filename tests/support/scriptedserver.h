#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QUrl>

#include "framebuilder.h"
#include "httpupgrade.h"

class QTcpSocket;
class QTimer;

namespace Wsw::Test {

/** The answer to the upgrade request; the defaults give a correct 101. */
struct ScriptedUpgrade {
    QByteArray statusLine = "HTTP/1.1 101 Switching Protocols";
    QByteArray protocol;         // Sec-WebSocket-Protocol (empty: none)
    TestHeaderList extraHeaders; // after the standard ones
    bool wrongAccept = false;    // an accept key computed from another key
    bool omitUpgrade = false;
    bool omitConnection = false;
    bool omitAccept = false;
    QByteArray trailing; // sent in the same write after the empty line (frames)
};

/**
 * A raw-bytes WebSocket "server" on 127.0.0.1 that plays a script for every connection it
 * accepts, for the cases a correct server would never produce: malformed or refused
 * handshakes, illegal frames, bytes dripped one at a time, silence, an abrupt drop.
 *
 * The script is a list of steps run in order: sends happen at once, waits (request, N client
 * frames, a close frame, the client closing TCP) block the script until their condition holds
 * or the wait bound (setWaitBound(), 5 s by default) expires; then the script stops and
 * scriptError() says which step timed out. Everything the client sent is recorded (raw bytes,
 * the parsed request, the parsed frames) so a test can assert, for instance, the close code the
 * client sent. The server never answers anything on its own: no pongs, no close echo.
 * Everything stops in the destructor.
 *
 *     server.acceptUpgrade().send(FrameBuilder::ping("x")).waitForFrames(1).closeTcp();
 */
class ScriptedServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScriptedServer)

public:
    using Upgrade = ScriptedUpgrade;
    /** The bytes of upgrade as an answer to request. */
    static QByteArray upgradeResponse(const UpgradeRequest &request, const Upgrade &upgrade);

    explicit ScriptedServer(QObject *parent = nullptr);
    ~ScriptedServer() override;

    /** Listens on QHostAddress::LocalHost, port 0. */
    bool listen();
    quint16 port() const;
    /** ws://127.0.0.1:<port><path>. */
    QUrl url(const QString &path = QStringLiteral("/")) const;

    /** How long any wait step may last before the script stops with scriptError(). */
    void setWaitBound(std::chrono::milliseconds bound) { m_waitBound = bound; }

    // --- building the script (before the client connects) ---
    /** Waits until the client's request head (up to the empty line) has arrived. */
    ScriptedServer &waitForRequest();
    /** waitForRequest(), then the answer built from upgrade. */
    ScriptedServer &acceptUpgrade(const Upgrade &upgrade = {});
    /** waitForRequest(), then the answer dripped chunk bytes at a time. */
    ScriptedServer &dripUpgrade(const Upgrade &upgrade = {}, qsizetype chunk = 1,
                                std::chrono::milliseconds interval = std::chrono::milliseconds(1));
    ScriptedServer &send(const QByteArray &bytes);
    /** Sends what make returns for the request seen (waits for the request first). */
    ScriptedServer &sendComputed(std::function<QByteArray(const UpgradeRequest &)> make);
    /** Sends bytes chunk at a time, one chunk per interval (each its own TCP segment). */
    ScriptedServer &drip(const QByteArray &bytes, qsizetype chunk = 1,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(1));
    /** Waits until the client has sent at least count frames on this connection (in total). */
    ScriptedServer &waitForFrames(int count);
    /** Waits until the client has sent a close frame. */
    ScriptedServer &waitForClose();
    /** Waits until the client has closed TCP. */
    ScriptedServer &waitForDisconnect();
    /** Stays silent for a while (the script goes on afterwards). */
    ScriptedServer &pause(std::chrono::milliseconds duration);
    /** Closes TCP gracefully (FIN after everything written). */
    ScriptedServer &closeTcp();
    /** Drops TCP with a reset (SO_LINGER 0: RST, nothing pending is sent). */
    ScriptedServer &abortTcp();
    /** Runs fn at this point of the script. */
    ScriptedServer &call(std::function<void()> fn);

    // --- records of the latest connection ---
    int connectionCount() const { return int(m_connections.size()); }
    bool hasRequest() const;
    UpgradeRequest request() const;
    QByteArray key() const { return request().key(); }
    /** Every byte the client sent, request included. */
    QByteArray received() const;
    /** The client's frames after the request, unmasked, in order. */
    QList<ParsedFrame> clientFrames() const;
    /** Frames of the given opcode. */
    QList<ParsedFrame> clientFrames(quint8 opcode) const;
    bool clientSentClose() const;
    /** The first close frame's payload (null when none). */
    QByteArray clientClosePayload() const;
    /** The code of the first close frame; 0 when there was none or it was empty. */
    quint16 clientCloseCode() const { return closeCodeOf(clientClosePayload()); }
    bool isClientDisconnected() const;
    bool isScriptFinished() const;
    /** Why the script stopped early (a wait that expired); empty otherwise. */
    QString scriptError() const;
    /** Index of the step the script is at (steps count from 0). */
    int currentStep() const;

Q_SIGNALS:
    void requestReceived();
    void clientFrameReceived();
    void clientDisconnected();
    void scriptFinished();
    void scriptFailed(const QString &error);

private:
    struct Step {
        enum class Kind {
            WaitRequest,
            Send,
            SendComputed,
            Drip,
            DripComputed,
            WaitFrames,
            WaitClose,
            WaitDisconnect,
            Pause,
            CloseTcp,
            AbortTcp,
            Call,
        };
        Kind kind = Kind::Send;
        QByteArray bytes;
        std::function<QByteArray(const UpgradeRequest &)> make;
        std::function<void()> fn;
        int count = 0;
        qsizetype chunk = 1;
        std::chrono::milliseconds interval{1};
        QString describe() const;
    };

    struct Connection {
        QTcpSocket *socket = nullptr;
        std::unique_ptr<QTimer> timer;
        enum class Waiting { None, Condition, Pause, Drip } waiting = Waiting::None;
        qsizetype step = 0;
        bool stopped = false;
        bool finished = false;
        QString error;
        QByteArray dripBytes;
        qsizetype dripPos = 0;
        // records
        QByteArray received;
        QByteArray pending; // bytes not yet parsed
        std::optional<UpgradeRequest> request;
        QList<ParsedFrame> frames;
        bool disconnected = false;
    };

    ScriptedServer &add(Step step);
    void onNewConnection();
    void onReadyRead(Connection *c);
    void onDisconnected(Connection *c);
    void onTimer(Connection *c);
    void advance(Connection *c);
    bool conditionHolds(const Connection *c, const Step &step) const;
    void stopWithError(Connection *c, const QString &error);
    const Connection *last() const;

    QTcpServer m_server;
    std::vector<Step> m_steps;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::chrono::milliseconds m_waitBound{5000};
};

} // namespace Wsw::Test
