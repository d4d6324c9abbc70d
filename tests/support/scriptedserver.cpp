#include "scriptedserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace Wsw::Test {

namespace {

constexpr quint8 OpClose = 0x8;

/** SO_LINGER {on, 0}: close() then sends RST instead of FIN (an abrupt drop). */
void resetOnClose(QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        struct linger lg;
        lg.l_onoff = 1;
        lg.l_linger = 0;
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
#else
    Q_UNUSED(socket);
#endif
}

} // namespace

QString ScriptedServer::Step::describe() const
{
    switch (kind) {
    case Kind::WaitRequest: return QStringLiteral("waitForRequest()");
    case Kind::Send: return QStringLiteral("send(%1 bytes)").arg(bytes.size());
    case Kind::SendComputed: return QStringLiteral("sendComputed()");
    case Kind::Drip:
    case Kind::DripComputed: return QStringLiteral("drip()");
    case Kind::WaitFrames: return QStringLiteral("waitForFrames(%1)").arg(count);
    case Kind::WaitClose: return QStringLiteral("waitForClose()");
    case Kind::WaitDisconnect: return QStringLiteral("waitForDisconnect()");
    case Kind::Pause: return QStringLiteral("pause(%1 ms)").arg(interval.count());
    case Kind::CloseTcp: return QStringLiteral("closeTcp()");
    case Kind::AbortTcp: return QStringLiteral("abortTcp()");
    case Kind::Call: return QStringLiteral("call()");
    }
    return {};
}

QByteArray ScriptedServer::upgradeResponse(const UpgradeRequest &request, const Upgrade &upgrade)
{
    QByteArray out = upgrade.statusLine + "\r\n";
    if (!upgrade.omitUpgrade)
        out += "Upgrade: websocket\r\n";
    if (!upgrade.omitConnection)
        out += "Connection: Upgrade\r\n";
    if (!upgrade.omitAccept) {
        // a wrong key: the right computation over a different nonce
        const QByteArray key = upgrade.wrongAccept ? QByteArray("AAAAAAAAAAAAAAAAAAAAAA==") : request.key();
        out += "Sec-WebSocket-Accept: " + acceptKeyFor(key) + "\r\n";
    }
    if (!upgrade.protocol.isEmpty())
        out += "Sec-WebSocket-Protocol: " + upgrade.protocol + "\r\n";
    for (const auto &[name, value] : upgrade.extraHeaders)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    out += upgrade.trailing;
    return out;
}

ScriptedServer::ScriptedServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ScriptedServer::onNewConnection);
}

ScriptedServer::~ScriptedServer()
{
    m_server.close();
    for (const auto &c : m_connections) {
        c->timer->stop();
        if (c->socket) {
            c->socket->disconnect(this);
            c->socket->abort();
            delete c->socket;
            c->socket = nullptr;
        }
    }
    m_connections.clear();
}

bool ScriptedServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

quint16 ScriptedServer::port() const
{
    return m_server.serverPort();
}

QUrl ScriptedServer::url(const QString &path) const
{
    return loopbackWebSocketUrl(port(), path);
}

// --- script ----------------------------------------------------------------------------------

ScriptedServer &ScriptedServer::add(Step step)
{
    m_steps.push_back(std::move(step));
    return *this;
}

ScriptedServer &ScriptedServer::waitForRequest()
{
    Step s;
    s.kind = Step::Kind::WaitRequest;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::acceptUpgrade(const Upgrade &upgrade)
{
    return sendComputed(
            [upgrade](const UpgradeRequest &request) { return upgradeResponse(request, upgrade); });
}

ScriptedServer &ScriptedServer::dripUpgrade(const Upgrade &upgrade, qsizetype chunk,
                                            std::chrono::milliseconds interval)
{
    waitForRequest();
    Step s;
    s.kind = Step::Kind::DripComputed;
    s.make = [upgrade](const UpgradeRequest &request) { return upgradeResponse(request, upgrade); };
    s.chunk = chunk;
    s.interval = interval;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::send(const QByteArray &bytes)
{
    Step s;
    s.kind = Step::Kind::Send;
    s.bytes = bytes;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::sendComputed(std::function<QByteArray(const UpgradeRequest &)> make)
{
    waitForRequest();
    Step s;
    s.kind = Step::Kind::SendComputed;
    s.make = std::move(make);
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::drip(const QByteArray &bytes, qsizetype chunk,
                                     std::chrono::milliseconds interval)
{
    Step s;
    s.kind = Step::Kind::Drip;
    s.bytes = bytes;
    s.chunk = qMax<qsizetype>(1, chunk);
    s.interval = interval;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::waitForFrames(int count)
{
    Step s;
    s.kind = Step::Kind::WaitFrames;
    s.count = count;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::waitForClose()
{
    Step s;
    s.kind = Step::Kind::WaitClose;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::waitForDisconnect()
{
    Step s;
    s.kind = Step::Kind::WaitDisconnect;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::pause(std::chrono::milliseconds duration)
{
    Step s;
    s.kind = Step::Kind::Pause;
    s.interval = duration;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::closeTcp()
{
    Step s;
    s.kind = Step::Kind::CloseTcp;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::abortTcp()
{
    Step s;
    s.kind = Step::Kind::AbortTcp;
    return add(std::move(s));
}

ScriptedServer &ScriptedServer::call(std::function<void()> fn)
{
    Step s;
    s.kind = Step::Kind::Call;
    s.fn = std::move(fn);
    return add(std::move(s));
}

// --- running ---------------------------------------------------------------------------------

void ScriptedServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto connection = std::make_unique<Connection>();
        Connection *c = connection.get();
        c->socket = socket;
        c->timer = std::make_unique<QTimer>();
        // every write its own segment, so a drip really arrives one piece at a time
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.push_back(std::move(connection));
        connect(socket, &QIODevice::readyRead, this, [this, c] { onReadyRead(c); });
        connect(socket, &QAbstractSocket::disconnected, this, [this, c] { onDisconnected(c); });
        connect(c->timer.get(), &QTimer::timeout, this, [this, c] { onTimer(c); });
        advance(c);
        if (c->socket && c->socket->bytesAvailable() > 0)
            onReadyRead(c);
    }
}

void ScriptedServer::onReadyRead(Connection *c)
{
    if (!c->socket)
        return;
    const QByteArray bytes = c->socket->readAll();
    if (bytes.isEmpty())
        return;
    c->received.append(bytes);
    c->pending.append(bytes);
    if (!c->request) {
        c->request = takeUpgradeRequest(c->pending);
        if (!c->request) {
            if (c->pending.size() > MaxTestRequestBytes)
                stopWithError(c,
                              QStringLiteral("request head larger than %1 bytes").arg(MaxTestRequestBytes));
            return;
        }
        Q_EMIT requestReceived();
    }
    const QList<ParsedFrame> frames = takeFrames(c->pending);
    c->frames.append(frames);
    for (qsizetype i = 0; i < frames.size(); ++i)
        Q_EMIT clientFrameReceived();
    if (c->waiting == Connection::Waiting::Condition && !c->stopped
        && conditionHolds(c, m_steps[size_t(c->step)])) {
        c->timer->stop();
        c->waiting = Connection::Waiting::None;
        ++c->step;
        advance(c);
    }
}

void ScriptedServer::onDisconnected(Connection *c)
{
    if (!c->socket)
        return;
    if (c->socket->bytesAvailable() > 0)
        onReadyRead(c);
    c->disconnected = true;
    Q_EMIT clientDisconnected();
    if (c->stopped || c->waiting != Connection::Waiting::Condition)
        return;
    const Step &step = m_steps[size_t(c->step)];
    if (conditionHolds(c, step)) {
        c->timer->stop();
        c->waiting = Connection::Waiting::None;
        ++c->step;
        advance(c);
    } else {
        stopWithError(
                c,
                QStringLiteral("step %1 %2: the client closed TCP first").arg(c->step).arg(step.describe()));
    }
}

void ScriptedServer::onTimer(Connection *c)
{
    if (c->stopped)
        return;
    const Step &step = m_steps[size_t(c->step)];
    switch (c->waiting) {
    case Connection::Waiting::Condition:
        stopWithError(c,
                      QStringLiteral("step %1 %2 timed out after %3 ms")
                              .arg(c->step)
                              .arg(step.describe())
                              .arg(m_waitBound.count()));
        return;
    case Connection::Waiting::Pause:
        c->waiting = Connection::Waiting::None;
        ++c->step;
        advance(c);
        return;
    case Connection::Waiting::Drip: {
        const qsizetype n = qMin(step.chunk, c->dripBytes.size() - c->dripPos);
        if (c->socket && n > 0) {
            c->socket->write(c->dripBytes.constData() + c->dripPos, n);
            c->socket->flush();
        }
        c->dripPos += n;
        if (c->dripPos >= c->dripBytes.size()) {
            c->timer->stop();
            c->waiting = Connection::Waiting::None;
            ++c->step;
            advance(c);
        }
        return;
    }
    case Connection::Waiting::None: return;
    }
}

bool ScriptedServer::conditionHolds(const Connection *c, const Step &step) const
{
    switch (step.kind) {
    case Step::Kind::WaitRequest: return c->request.has_value();
    case Step::Kind::WaitFrames: return c->frames.size() >= step.count;
    case Step::Kind::WaitClose:
        for (const ParsedFrame &f : c->frames)
            if (f.opcode == OpClose)
                return true;
        return false;
    case Step::Kind::WaitDisconnect: return c->disconnected;
    default: return true;
    }
}

void ScriptedServer::stopWithError(Connection *c, const QString &error)
{
    c->timer->stop();
    c->stopped = true;
    c->waiting = Connection::Waiting::None;
    c->error = error;
    Q_EMIT scriptFailed(error);
}

void ScriptedServer::advance(Connection *c)
{
    while (!c->stopped && c->step < qsizetype(m_steps.size())) {
        const Step &step = m_steps[size_t(c->step)];
        QTcpSocket *socket = c->socket;
        switch (step.kind) {
        case Step::Kind::WaitRequest:
        case Step::Kind::WaitFrames:
        case Step::Kind::WaitClose:
        case Step::Kind::WaitDisconnect:
            if (conditionHolds(c, step))
                break;
            if (c->disconnected) {
                stopWithError(c,
                              QStringLiteral("step %1 %2: the client closed TCP first")
                                      .arg(c->step)
                                      .arg(step.describe()));
                return;
            }
            c->waiting = Connection::Waiting::Condition;
            c->timer->setSingleShot(true);
            c->timer->start(m_waitBound);
            return;
        case Step::Kind::Send:
            if (socket)
                socket->write(step.bytes);
            break;
        case Step::Kind::SendComputed:
            if (socket && c->request)
                socket->write(step.make(*c->request));
            break;
        case Step::Kind::Drip:
        case Step::Kind::DripComputed:
            c->dripBytes = step.kind == Step::Kind::Drip
                    ? step.bytes
                    : (c->request ? step.make(*c->request) : QByteArray());
            c->dripPos = 0;
            if (c->dripBytes.isEmpty())
                break;
            c->waiting = Connection::Waiting::Drip;
            c->timer->setSingleShot(false);
            c->timer->start(step.interval);
            return;
        case Step::Kind::Pause:
            c->waiting = Connection::Waiting::Pause;
            c->timer->setSingleShot(true);
            c->timer->start(step.interval);
            return;
        case Step::Kind::CloseTcp:
            if (socket)
                socket->disconnectFromHost();
            break;
        case Step::Kind::AbortTcp:
            if (socket) {
                resetOnClose(socket);
                socket->abort();
            }
            break;
        case Step::Kind::Call:
            if (step.fn)
                step.fn();
            break;
        }
        ++c->step;
    }
    if (!c->stopped && !c->finished && c->step >= qsizetype(m_steps.size())) {
        c->finished = true;
        Q_EMIT scriptFinished();
    }
}

// --- records ---------------------------------------------------------------------------------

const ScriptedServer::Connection *ScriptedServer::last() const
{
    return m_connections.empty() ? nullptr : m_connections.back().get();
}

bool ScriptedServer::hasRequest() const
{
    const Connection *c = last();
    return c && c->request.has_value();
}

UpgradeRequest ScriptedServer::request() const
{
    const Connection *c = last();
    return c && c->request ? *c->request : UpgradeRequest();
}

QByteArray ScriptedServer::received() const
{
    const Connection *c = last();
    return c ? c->received : QByteArray();
}

QList<ParsedFrame> ScriptedServer::clientFrames() const
{
    const Connection *c = last();
    return c ? c->frames : QList<ParsedFrame>();
}

QList<ParsedFrame> ScriptedServer::clientFrames(quint8 opcode) const
{
    QList<ParsedFrame> out;
    for (const ParsedFrame &f : clientFrames())
        if (f.opcode == opcode)
            out.append(f);
    return out;
}

bool ScriptedServer::clientSentClose() const
{
    return !clientFrames(OpClose).isEmpty();
}

QByteArray ScriptedServer::clientClosePayload() const
{
    const QList<ParsedFrame> closes = clientFrames(OpClose);
    if (closes.isEmpty())
        return {};
    return closes.first().payload.isNull() ? QByteArray("") : closes.first().payload;
}

bool ScriptedServer::isClientDisconnected() const
{
    const Connection *c = last();
    return c && c->disconnected;
}

bool ScriptedServer::isScriptFinished() const
{
    const Connection *c = last();
    return c && c->finished;
}

QString ScriptedServer::scriptError() const
{
    const Connection *c = last();
    return c ? c->error : QString();
}

int ScriptedServer::currentStep() const
{
    const Connection *c = last();
    return c ? int(c->step) : 0;
}

} // namespace Wsw::Test
