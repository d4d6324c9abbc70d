#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace Wsw::Cli {

/** Reads standard input line by line from the event loop, without blocking it. */
class StdinReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdinReader)

public:
    explicit StdinReader(QObject *parent = nullptr);

    /** Longest line kept; a longer one is cut and reported (bounded memory). */
    static constexpr qsizetype MaxLineBytes = 16 * 1024 * 1024;

Q_SIGNALS:
    void lineRead(const QByteArray &line); // without the line end
    void lineTooLong();
    void endOfInput();

private:
    void onReadable();

    QSocketNotifier *m_notifier;
    QByteArray m_pending;
};

} // namespace Wsw::Cli
