#include "opensslserver.h"

#include <QDeadlineTimer>
#include <QTcpServer>

namespace Wsw::Test {

OpensslServer::OpensslServer(QString program) : m_program(std::move(program))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

OpensslServer::~OpensslServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool OpensslServer::start(const QStringList &arguments)
{
    // a free port, released just before s_server binds it: tried again if someone took it meanwhile
    for (int attempt = 0; attempt < 3; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
        probe.close();
        m_output.clear();
        m_process.start(m_program, QStringList{QStringLiteral("s_server"), QStringLiteral("-accept"),
                                               u"127.0.0.1:" + QString::number(m_port)} +
                                       arguments);
        if (!m_process.waitForStarted(5000))
            return false;
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
            m_output += m_process.readAll();
            if (m_output.contains("ACCEPT"))
                return true;
        }
        m_process.kill();
        m_process.waitForFinished(3000);
    }
    return false;
}

QString OpensslServer::output()
{
    m_output += m_process.readAll();
    return QString::fromLocal8Bit(m_output);
}

} // namespace Wsw::Test
