#include "proxydaemon.h"

#include <csignal>
#include <unistd.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QNetworkProxy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Test {

namespace {

/** Whether something accepts TCP connections on 127.0.0.1:port. */
bool accepts(quint16 port)
{
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(200);
}

/** Turns the event loop until condition() holds or timeoutMs pass (QTest::qWaitFor without QtTest). */
template<typename Condition>
bool waitFor(Condition condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return condition();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(10);
    }
    return true;
}

} // namespace

quint16 freeLocalPort()
{
    QTcpServer probe;
    probe.setProxy(QNetworkProxy::NoProxy);
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString ProxyDaemon::start(const QString &program, const QString &package, const QStringList &argsBeforeConfig,
                           const QString &configText, const QStringList &argsAfterConfig)
{
    const QString executable = QStandardPaths::findExecutable(program, {u"/usr/sbin"_s, u"/usr/bin"_s, u"/sbin"_s});
    if (executable.isEmpty())
        return program + u" not found: install the Debian package " + package
               + u" (scripts/quickstart.sh test installs it)";
    if (!m_dir.isValid())
        return u"no temporary directory"_s;
    m_port = freeLocalPort();
    QString text = configText;
    text.replace(u"@PORT@"_s, QString::number(m_port)).replace(u"@DIR@"_s, m_dir.path());
    QFile config(m_dir.filePath(u"proxy.conf"_s));
    if (!config.open(QIODevice::WriteOnly) || config.write(text.toUtf8()) != text.toUtf8().size())
        return u"cannot write "_s + config.fileName();
    config.close();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(executable, argsBeforeConfig + QStringList{config.fileName()} + argsAfterConfig);
    if (!m_process.waitForStarted(5000))
        return program + u" did not start: " + m_process.errorString();
    if (!waitFor([&] { return m_process.state() != QProcess::Running || accepts(m_port); }, 5000)
        || m_process.state() != QProcess::Running)
        return program + u" does not accept connections on 127.0.0.1:" + QString::number(m_port) + u": "
               + QString::fromLocal8Bit(m_process.readAll()) + log();
    return {};
}

void ProxyDaemon::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(5000);
}

void ProxyDaemon::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate(); // SIGTERM to its PID: danted ends its children itself
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ProxyDaemon::log() const
{
    QFile file(m_dir.filePath(u"proxy.log"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : QString();
}

QString startTinyproxy(ProxyDaemon &daemon, TinyproxyMode mode, const QString &user, const QString &password)
{
    QString config = u"Port @PORT@\nListen 127.0.0.1\nBind 127.0.0.1\nTimeout 30\nMaxClients 20\n"
                     u"LogLevel Info\nLogFile \"@DIR@/proxy.log\"\n"_s;
    if (mode == TinyproxyMode::BasicAuth)
        config += u"BasicAuth "_s + user + u' ' + password + u'\n';
    if (mode == TinyproxyMode::RefuseTarget)
        config += u"ConnectPort 1\n"_s; // CONNECT to any other port: 403
    return daemon.start(u"tinyproxy"_s, u"tinyproxy"_s, {u"-d"_s, u"-c"_s}, config);
}

QString startDanted(ProxyDaemon &daemon)
{
    // as root danted needs the user.* lines; the CI and this machine run the tests as root
    const QString config = u"logoutput: @DIR@/proxy.log\n"
                           u"internal: 127.0.0.1 port = @PORT@\n"
                           u"external: 127.0.0.1\n"
                           u"clientmethod: none\n"
                           u"socksmethod: none\n"_s
                           + (::geteuid() == 0 ? u"user.privileged: root\nuser.unprivileged: nobody\n"_s : QString())
                           + u"client pass { from: 127.0.0.1/32 to: 0.0.0.0/0 }\n"
                             u"socks pass { from: 127.0.0.1/32 to: 0.0.0.0/0 }\n"_s;
    return daemon.start(u"danted"_s, u"dante-server"_s, {u"-f"_s}, config, {u"-N"_s, u"1"_s});
}

} // namespace Wsw::Test
