#include "nginxserver.h"

#include <csignal>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Test {

namespace {

// each step of stop(): nginx quits at once when no connection is open, and after its
// worker_shutdown_timeout (Settings::shutdownTimeout) otherwise; a stuck one is signalled
constexpr int StopStepMs = 5000;
// a free port can be taken by someone else between our probe and nginx's bind(): try again
constexpr int PortAttempts = 5;
// each TLS probe while nginx starts
constexpr int ProbeMs = 1000;

/** The fields after "(comm)" in /proc/PID/stat: [0] state (field 3), [1] ppid (4), [19] starttime (22). */
QList<QByteArray> statFields(qint64 pid)
{
    QFile file(u"/proc/%1/stat"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = file.readAll();
    const qsizetype commEnd = stat.lastIndexOf(')'); // comm may hold spaces and parentheses
    if (commEnd < 0)
        return {};
    return stat.mid(commEnd + 1).simplified().split(' ');
}

QString quoted(const QString &path)
{
    // nginx's configuration syntax: a double-quoted string, backslash escapes
    QString text = path;
    text.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return u'"' + text + u'"';
}

} // namespace

NginxServer::~NginxServer()
{
    stop();
}

bool NginxServer::start(const Settings &settings, std::chrono::milliseconds bound, QString *error)
{
    stop();
    m_leftovers.clear();
    if (settings.program.isEmpty()) {
        *error =
            u"nginx was not found when the build was configured: apt-get install --no-install-recommends "
            "nginx (scripts/quickstart.sh test does), then configure again"_s;
        return false;
    }
    const QDeadlineTimer deadline(bound);
    for (int attempt = 1;; ++attempt) {
        bool portTaken = false;
        const auto remaining = std::chrono::milliseconds(qMax<qint64>(1, deadline.remainingTime()));
        if (startOnce(settings, remaining, error, &portTaken))
            return true;
        stop();
        if (!portTaken || attempt == PortAttempts || deadline.hasExpired())
            return false;
    }
}

bool NginxServer::startOnce(const Settings &settings, std::chrono::milliseconds bound, QString *error,
                            bool *portTaken)
{
    m_dir = std::make_unique<QTemporaryDir>(QDir::temp().filePath(u"wsw-nginx-XXXXXX"_s));
    if (!m_dir->isValid()) {
        *error = u"cannot make a temporary directory: "_s + m_dir->errorString();
        return false;
    }
    // the workers (nobody, when we are root) reach their temp paths through it; nothing to list or read
    QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                             QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                             QFileDevice::ExeOther);
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = u"no free port on 127.0.0.1: "_s + probe.errorString();
            return false;
        }
        m_port = probe.serverPort();
    }
    if (!writeConfiguration(settings, error))
        return false;

    const QString prefix = m_dir->path() + u'/';
    m_process.setProgram(settings.program);
    m_process.setArguments({u"-p"_s, prefix, u"-c"_s, m_dir->filePath(u"nginx.conf"_s), u"-e"_s,
                            m_dir->filePath(u"error.log"_s)});
    m_process.setProcessChannelMode(QProcess::ForwardedChannels);
    m_process.setStandardInputFile(QProcess::nullDevice());
    // should the test process die without stop(): the kernel sends the master SIGTERM (fast
    // shutdown: it ends its workers too)
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    const QString what = settings.program + u' ' + m_process.arguments().join(u' ');
    const QDeadlineTimer deadline(bound);
    m_process.start();
    if (!m_process.waitForStarted(int(qMax<qint64>(1, deadline.remainingTime())))) {
        *error = u"cannot start %1: %2"_s.arg(what, m_process.errorString());
        return false;
    }
    m_masterPid = m_process.processId();
    if (!waitUntilServing(std::chrono::milliseconds(qMax<qint64>(1, deadline.remainingTime())), error)) {
        const QString log = errorLogTail();
        *portTaken = log.contains(u"Address already in use"_s);
        *error = u"%1: %2\n--- error.log:\n%3"_s.arg(what, *error, log);
        return false;
    }
    noteWorkers();
    return true;
}

bool NginxServer::writeConfiguration(const Settings &settings, QString *error)
{
    const auto in = [this](const QString &name) { return quoted(m_dir->filePath(name)); };
    // the first directives the core module reads; no `user`: see the class comment
    const QString text =
        uR"(# written by tst_interop (tests/interop/nginxserver.cpp) for one test run
daemon off;
master_process on;
worker_processes 1;
pid %1;
error_log %2 warn;
worker_shutdown_timeout %14ms;

events {
    worker_connections 256;
}

http {
    access_log %3;
    client_body_temp_path %4;
    proxy_temp_path %5;
    fastcgi_temp_path %6;
    uwsgi_temp_path %7;
    scgi_temp_path %8;

    server {
        listen 127.0.0.1:%9 ssl;
        ssl_certificate %10;
        ssl_certificate_key %11;
        ssl_protocols %12;

        location / {%15
            proxy_pass http://127.0.0.1:%13;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_read_timeout 120s;
            proxy_send_timeout 120s;
            proxy_buffering off;
        }
    }
}
)"_s.arg(in(u"nginx.pid"_s), in(u"error.log"_s), in(u"access.log"_s), in(u"client_body_temp"_s),
         in(u"proxy_temp"_s), in(u"fastcgi_temp"_s), in(u"uwsgi_temp"_s), in(u"scgi_temp"_s))
            .arg(m_port)
            .arg(quoted(settings.certificateChain), quoted(settings.privateKey), settings.protocols)
            .arg(settings.backendPort)
            .arg(qint64(settings.shutdownTimeout.count()))
            .arg(settings.basicAuthUsers.isEmpty()
                         ? QString()
                         : u"\n            auth_basic %1;\n            auth_basic_user_file %2;"_s.arg(
                                   quoted(settings.basicAuthRealm), in(u"htpasswd"_s)));
    if (!settings.basicAuthUsers.isEmpty()) {
        // read by the workers (nobody, when run as root) at each request
        QFile users(m_dir->filePath(u"htpasswd"_s));
        if (!users.open(QIODevice::WriteOnly) || users.write(settings.basicAuthUsers + '\n') < 0) {
            *error = u"cannot write %1: %2"_s.arg(users.fileName(), users.errorString());
            return false;
        }
        users.close();
        users.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                             | QFileDevice::ReadOther);
    }
    QFile file(m_dir->filePath(u"nginx.conf"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0) {
        *error = u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

bool NginxServer::waitUntilServing(std::chrono::milliseconds bound, QString *error)
{
    // serving = a worker completes a TLS handshake on the port (the master's listening socket
    // alone would accept TCP before any worker runs)
    const QDeadlineTimer deadline(bound);
    QString lastProbe;
    for (;;) {
        if (m_process.state() != QProcess::Running) {
            *error = u"nginx exited (code %1) before serving"_s.arg(m_process.exitCode());
            return false;
        }
        QSslSocket probe;
        QSslConfiguration config = probe.sslConfiguration();
        config.setPeerVerifyMode(QSslSocket::VerifyNone); // it only has to answer
        probe.setSslConfiguration(config);
        probe.connectToHostEncrypted(u"127.0.0.1"_s, m_port);
        const int probeMs = int(qBound(qint64(1), deadline.remainingTime(), qint64(ProbeMs)));
        if (probe.waitForEncrypted(probeMs)) {
            probe.disconnectFromHost();
            if (probe.state() != QAbstractSocket::UnconnectedState)
                probe.waitForDisconnected(ProbeMs);
            return true;
        }
        lastProbe = probe.errorString();
        probe.abort();
        if (deadline.hasExpired()) {
            *error = u"no TLS handshake on 127.0.0.1:%1 within %2 ms (last: %3)"_s.arg(m_port)
                         .arg(bound.count())
                         .arg(lastProbe);
            return false;
        }
        m_process.waitForFinished(50); // a pause that ends at once should nginx exit
    }
}

void NginxServer::noteWorkers()
{
    m_workers.clear();
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const QList<QByteArray> fields = statFields(pid);
        if (fields.size() > 19 && fields[1].toLongLong() == m_masterPid)
            m_workers.append({pid, fields[19].toULongLong()});
    }
}

QList<qint64> NginxServer::workerPids() const
{
    QList<qint64> pids;
    for (const ProcessId &worker : m_workers)
        pids.append(worker.pid);
    return pids;
}

bool NginxServer::isRunning(const ProcessId &process)
{
    const QList<QByteArray> fields = statFields(process.pid);
    // gone, a zombie (it has ended), or its PID reused by another process
    return fields.size() > 19 && fields[0] != "Z" && fields[19].toULongLong() == process.startTime;
}

void NginxServer::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        // graceful (SIGQUIT): the workers finish their open connections first; then fast (SIGTERM)
        ::kill(pid_t(m_process.processId()), SIGQUIT);
        if (!m_process.waitForFinished(StopStepMs)) {
            m_process.terminate();
            if (!m_process.waitForFinished(StopStepMs)) {
                m_leftovers.append(m_masterPid);
                m_process.kill();
                m_process.waitForFinished(StopStepMs);
            }
        }
    }
    // the master waits for its workers before it exits; one that outlived it is ours to end
    const QDeadlineTimer deadline(StopStepMs);
    for (const ProcessId &worker : std::as_const(m_workers)) {
        while (isRunning(worker) && !deadline.hasExpired())
            QThread::msleep(20);
        if (isRunning(worker)) {
            m_leftovers.append(worker.pid);
            ::kill(pid_t(worker.pid), SIGKILL);
        }
    }
    m_workers.clear();
    m_masterPid = 0;
    m_port = 0;
    m_dir.reset();
}

bool NginxServer::isNginxProcess(qint64 pid)
{
    const QList<QByteArray> fields = statFields(pid);
    if (fields.isEmpty() || fields[0] == "Z")
        return false;
    QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
    return cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().startsWith("nginx");
}

QString NginxServer::errorLogTail(int lines) const
{
    if (!m_dir)
        return {};
    QFile file(m_dir->filePath(u"error.log"_s));
    if (!file.open(QIODevice::ReadOnly))
        return u"(no error.log)"_s;
    const QStringList all = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    return all.mid(qMax<qsizetype>(0, all.size() - lines)).join(u'\n');
}

} // namespace Wsw::Test
