#include "connectionrun.h"

#include <QUrl>

#include "api/messagewebsocket.h"
#include "clioutput.h"
#include "messageprinter.h"

namespace Wsw::Cli {

ConnectionRun::ConnectionRun(MessageWebSocket &socket) : m_socket(socket)
{
    connect(&socket, &MessageWebSocket::connected, this, [this] { m_opened = true; });
    connect(&socket, &MessageWebSocket::stateChanged, this, [this](ConnectionState state) {
        // errorOccurred comes right after, in the same delivery, so the command still prints it
        if (state == ConnectionState::Failed && !m_opened)
            finish(ExitFailure);
    });
}

int ConnectionRun::exec(const QUrl &url)
{
    m_opened = false;
    m_finished = false;
    if (!m_socket.connectAsync(url)) {
        printErr(u"wscli: " + describeError(m_socket.lastError(), m_socket));
        return ExitFailure;
    }
    return m_loop.exec();
}

void ConnectionRun::finish(int status)
{
    if (m_finished)
        return;
    m_finished = true;
    m_loop.exit(status);
}

} // namespace Wsw::Cli
