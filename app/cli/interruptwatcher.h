#pragma once

#include <QObject>

class QSocketNotifier;

namespace Wsw::Cli {

/**
 * Turns SIGINT and SIGTERM into a Qt signal delivered from the event loop (a signal handler
 * may only write to a pipe; the notifier reads it).
 */
class InterruptWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InterruptWatcher)

public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    ~InterruptWatcher() override;

Q_SIGNALS:
    /** count: how many interrupts so far (a second Ctrl-C may mean "now"). */
    void interrupted(int count);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};

} // namespace Wsw::Cli
