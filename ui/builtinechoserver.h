#pragma once

#include <memory>

#include <QObject>
#include <QUrl>

namespace Wsw {
class LocalEchoServer;
}

namespace Wsw::Ui {

/**
 * The workbench's own echo server on 127.0.0.1, so there is something to connect to with no
 * network and no other program: ws:// always, and wss:// with a self-signed certificate made on
 * first run and kept in the app's data folder. Preferred ports first (stable URLs), free ones
 * when those are taken.
 */
class BuiltInEchoServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuiltInEchoServer)

public:
    static constexpr quint16 PreferredPort = 8765;
    static constexpr quint16 PreferredTlsPort = 8766;

    explicit BuiltInEchoServer(QObject *parent = nullptr);
    ~BuiltInEchoServer() override;

    /**
     * Starts both servers. The TLS identity lives in identityDirectory (the app's data folder
     * when empty). False when even ws:// cannot listen; a wss:// problem only sets tlsProblem().
     */
    bool start(const QString &identityDirectory = {});

    bool isRunning() const;
    QUrl url() const;
    /** Invalid when wss:// could not start (tlsProblem() says why). */
    QUrl tlsUrl() const;
    QString problem() const { return m_problem; }
    QString tlsProblem() const { return m_tlsProblem; }
    /** The self-signed certificate's file and its key's pin ("sha256/BASE64"). */
    QString certificatePath() const { return m_certificatePath; }
    QString certificatePin() const { return m_certificatePin; }
    /** One sentence for people: where the servers listen and what the certificate is. */
    QString description() const;

private:
    std::unique_ptr<LocalEchoServer> m_plain;
    std::unique_ptr<LocalEchoServer> m_tls;
    QString m_problem;
    QString m_tlsProblem;
    QString m_certificatePath;
    QString m_certificatePin;
};

} // namespace Wsw::Ui
