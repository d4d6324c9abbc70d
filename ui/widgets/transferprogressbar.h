#pragma once

#include <QFrame>
#include <QHash>

#include "transfertracker.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace Wsw::Ui {

class Session;

/**
 * A strip over the composer showing the session's big transfers as they go, one row each:
 * "Sending 312.0 MiB — 45 % — 120.0 MiB/s" with a progress bar (a busy bar while the total is
 * unknown), and one "Cancel (closes the connection)" button for all of them
 * (Session::cancelTransfers()). Hidden whenever nothing big is in flight.
 */
class TransferProgressBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferProgressBar)

public:
    explicit TransferProgressBar(Session *session, QWidget *parent = nullptr);

    /** The line shown for a transfer, e.g. "Receiving 12.0 MiB so far — 40.0 MiB/s". */
    static QString describe(const Transfer &transfer);

private:
    struct Row {
        QWidget *widget = nullptr;
        QLabel *label = nullptr;
        QProgressBar *bar = nullptr;
    };

    void onStarted(const Transfer &transfer);
    void onProgressed(const Transfer &transfer);
    void onFinished(const Transfer &transfer);
    void display(Row &row, const Transfer &transfer);

    Session *m_session;
    QVBoxLayout *m_rows;
    QPushButton *m_cancel;
    QHash<quint64, Row> m_byId;
};

} // namespace Wsw::Ui
