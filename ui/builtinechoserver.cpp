#include "builtinechoserver.h"

#include <QDir>
#include <QStandardPaths>

#include "api/spkipin.h"
#include "server/localechoserver.h"
#include "server/selfsignedidentity.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

/** Listens on the preferred port, or on any free one when that is taken. */
bool listenPreferably(LocalEchoServer &server, quint16 preferred, QString *error)
{
    return server.listen(preferred, error) || server.listen(0, error);
}

} // namespace

BuiltInEchoServer::BuiltInEchoServer(QObject *parent)
    : QObject(parent)
{
}

BuiltInEchoServer::~BuiltInEchoServer() = default;

bool BuiltInEchoServer::start(const QString &identityDirectory)
{
    m_plain = std::make_unique<LocalEchoServer>();
    QString error;
    if (!listenPreferably(*m_plain, PreferredPort, &error)) {
        m_problem = tr("The built-in echo server could not start: %1").arg(error);
        m_plain.reset();
    }

    const QString directory = identityDirectory.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
            : identityDirectory;
    const std::optional<ServerIdentity> identity = loadOrCreateSelfSignedIdentity(directory, &error);
    if (!identity) {
        m_tlsProblem = tr("No wss:// echo server: %1").arg(error);
    } else {
        m_certificatePath = identity->certificatePath;
        m_certificatePin = SpkiPin::of(identity->certificate);
        m_tls = std::make_unique<LocalEchoServer>();
        m_tls->setTlsIdentity(identity->certificate, identity->key);
        if (!listenPreferably(*m_tls, PreferredTlsPort, &error)) {
            m_tlsProblem = tr("The built-in wss:// echo server could not start: %1").arg(error);
            m_tls.reset();
        }
    }
    return m_plain != nullptr;
}

bool BuiltInEchoServer::isRunning() const
{
    return m_plain != nullptr;
}

QUrl BuiltInEchoServer::url() const
{
    return m_plain ? m_plain->serverUrl() : QUrl();
}

QUrl BuiltInEchoServer::tlsUrl() const
{
    return m_tls ? m_tls->serverUrl() : QUrl();
}

QString BuiltInEchoServer::description() const
{
    if (!m_plain)
        return m_problem;
    QString text = tr("Built-in echo server: %1").arg(url().toDisplayString());
    if (m_tls)
        text += tr(" and %1 (self-signed certificate kept in %2)")
                        .arg(tlsUrl().toDisplayString(), QDir::toNativeSeparators(m_certificatePath));
    else
        text += u" — "_s + m_tlsProblem;
    return text;
}

} // namespace Wsw::Ui
