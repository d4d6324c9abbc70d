#pragma once

#include <chrono>

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace Wsw::Test {

/**
 * nginx (Debian's package, /usr/sbin/nginx) terminating TLS in front of a plain ws:// backend on
 * 127.0.0.1, for the interop tests: the WebSocket proxy of nginx's documentation
 * (proxy_http_version 1.1, Upgrade and Connection set again for the upstream).
 *
 * start() writes nginx.conf into a fresh temporary directory (pid file, error and access log,
 * every *_temp_path in there; nothing outside it is written), picks a free port on 127.0.0.1, runs
 * `nginx -p DIR -c DIR/nginx.conf -e DIR/error.log` in the foreground (daemon off) as a child of
 * this process, waits (bounded) until a TLS handshake on that port succeeds, and notes the PIDs
 * of the master's worker processes. A port taken in between makes it try another one.
 *
 * stop() (also run by the destructor) asks the master to quit gracefully (SIGQUIT), then fast
 * (SIGTERM), then kills it, waiting a bounded time at each step; a worker still there after that
 * is killed by its PID too. Only the processes started here are ever signalled. leftovers()
 * then tells which of them were still running at the end (none, unless nginx misbehaved).
 * Should this process die without stop(), nginx gets SIGTERM from the kernel
 * (PR_SET_PDEATHSIG): no nginx outlives the test.
 *
 * Workers: as root, nginx's workers switch to the compiled-in user (nobody). The master reads
 * the certificate, the key and the configuration and opens the logs before that, and the temporary
 * directory is made traversable (0711) for the temp paths the master creates and hands to the
 * workers, so no `user root;` is needed and the workers keep nobody's rights.
 */
class NginxServer final
{
    Q_DISABLE_COPY_MOVE(NginxServer)

public:
    struct Settings
    {
        QString program;                                       // /usr/sbin/nginx
        quint16 backendPort = 0;                               // ws:// on 127.0.0.1
        QString certificateChain;                              // PEM, leaf first
        QString privateKey;                                    // PEM
        QString protocols = QStringLiteral("TLSv1.2 TLSv1.3"); // ssl_protocols (1.22's default has no 1.3)
        /** worker_shutdown_timeout: how long a graceful stop waits for open connections (WebSockets). */
        std::chrono::milliseconds shutdownTimeout{3000};
        /**
         * htpasswd lines (e.g. "user:{PLAIN}secret"): when not empty, location / asks for HTTP Basic
         * authentication (auth_basic) with this realm; the file is written next to nginx.conf,
         * readable by the workers.
         */
        QByteArray basicAuthUsers;
        QString basicAuthRealm = QStringLiteral("wsw interop");
    };

    NginxServer() = default;
    ~NginxServer();

    /** Returns false with a readable reason (and the end of nginx's error log) in *error. */
    bool start(const Settings &settings, std::chrono::milliseconds bound, QString *error);
    void stop();

    quint16 port() const { return m_port; }
    qint64 masterPid() const { return m_masterPid; }
    QList<qint64> workerPids() const;
    /** After stop(): PIDs of nginx processes started here that were still running when it gave up. */
    QList<qint64> leftovers() const { return m_leftovers; }
    /** Whether PID is a running nginx process (its command line starts with "nginx"; not a zombie). */
    static bool isNginxProcess(qint64 pid);
    /** The last lines of nginx's error log (for failure messages). */
    QString errorLogTail(int lines = 20) const;
    QString directory() const { return m_dir ? m_dir->path() : QString(); }

private:
    struct ProcessId
    {
        qint64 pid = 0;
        quint64 startTime = 0; // /proc/PID/stat field 22: tells a reused PID apart
    };
    bool startOnce(const Settings &settings, std::chrono::milliseconds bound, QString *error,
                   bool *portTaken);
    bool writeConfiguration(const Settings &settings, QString *error);
    bool waitUntilServing(std::chrono::milliseconds bound, QString *error);
    void noteWorkers();
    static bool isRunning(const ProcessId &process);

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    qint64 m_masterPid = 0;
    QList<ProcessId> m_workers;
    QList<qint64> m_leftovers;
};

} // namespace Wsw::Test
