#include "interopserver.h"

#include <QDeadlineTimer>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Test {

namespace {
// each step of stop(): a well-behaved server leaves at once on end of file, a stuck one is signalled
constexpr int StopStepMs = 3000;
} // namespace

InteropServer::~InteropServer()
{
    stop();
}

bool InteropServer::start(const QString &program, const QStringList &arguments,
                          const QProcessEnvironment &environment, std::chrono::milliseconds bound, QString *error)
{
    stop();
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QString what = program + u' ' + arguments.join(u' ');

    const QDeadlineTimer deadline(bound);
    m_process.start();
    if (!m_process.waitForStarted(int(deadline.remainingTime()))) {
        *error = u"cannot start %1: %2"_s.arg(what, m_process.errorString());
        return false;
    }
    while (!m_process.canReadLine()) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired()) {
            *error = m_process.state() == QProcess::Running
                    ? u"%1 printed no port within %2 ms"_s.arg(what).arg(bound.count())
                    : u"%1 exited (code %2) before printing its port"_s.arg(what).arg(m_process.exitCode());
            stop();
            return false;
        }
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    const QByteArray line = m_process.readLine().trimmed();
    bool ok = false;
    const uint port = line.toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        *error = u"%1 printed %2 instead of a port"_s.arg(what, QString::fromUtf8(line));
        stop();
        return false;
    }
    m_port = quint16(port);
    return true;
}

void InteropServer::stop()
{
    m_port = 0;
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.closeWriteChannel(); // end of file on the server's stdin: it exits by itself
    if (m_process.waitForFinished(StopStepMs))
        return;
    m_process.terminate();
    if (m_process.waitForFinished(StopStepMs))
        return;
    m_process.kill();
    m_process.waitForFinished(StopStepMs);
}

bool InteropServer::waitForLine(const QByteArray &line, std::chrono::milliseconds bound, QString *error)
{
    const QDeadlineTimer deadline(bound);
    for (;;) {
        while (m_process.canReadLine()) {
            if (m_process.readLine().trimmed() == line)
                return true;
        }
        if (m_process.state() != QProcess::Running || deadline.hasExpired()) {
            *error = u"the server did not print \"%1\" within %2 ms"_s.arg(QString::fromUtf8(line)).arg(bound.count());
            return false;
        }
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

QUrl InteropServer::url(const QString &pathAndQuery) const
{
    return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_port).arg(pathAndQuery));
}

} // namespace Wsw::Test
