#include "stdinreader.h"

#include <unistd.h>

#include <QSocketNotifier>

namespace Wsw::Cli {

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::onReadable);
}

void StdinReader::onReadable()
{
    char buffer[64 * 1024];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        m_notifier->setEnabled(false);
        if (!m_pending.isEmpty())
            Q_EMIT lineRead(std::exchange(m_pending, {}));
        Q_EMIT endOfInput();
        return;
    }
    m_pending.append(buffer, qsizetype(n));
    qsizetype start = 0;
    for (qsizetype nl = m_pending.indexOf('\n'); nl >= 0; nl = m_pending.indexOf('\n', start)) {
        QByteArray line = m_pending.sliced(start, nl - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = nl + 1;
        Q_EMIT lineRead(line);
    }
    m_pending.remove(0, start);
    if (m_pending.size() > MaxLineBytes) {
        m_pending.clear();
        Q_EMIT lineTooLong();
    }
}

} // namespace Wsw::Cli
