#include "widgets/transferprogressbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "format/messageformat.h"
#include "session.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {
constexpr int BarSteps = 1000; // tenths of a percent
} // namespace

TransferProgressBar::TransferProgressBar(Session *session, QWidget *parent)
    : QFrame(parent)
    , m_session(session)
    , m_rows(new QVBoxLayout)
    , m_cancel(new QPushButton(tr("Cancel (closes the connection)")))
{
    setObjectName(u"transferStrip"_s);
    setAccessibleName(tr("Transfers in progress"));
    setFrameShape(QFrame::StyledPanel);
    m_cancel->setAccessibleName(tr("Cancel transfer"));
    m_cancel->setToolTip(tr("Stops every transfer shown here by dropping the connection at once: a close frame "
                            "would have to wait behind the message being sent or for the rest of the one "
                            "arriving"));
    connect(m_cancel, &QPushButton::clicked, m_session, &Session::cancelTransfers);

    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->setSpacing(4);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addLayout(m_rows, 1);
    layout->addWidget(m_cancel, 0, Qt::AlignVCenter);

    TransferTracker *tracker = session->transfers();
    connect(tracker, &TransferTracker::started, this, &TransferProgressBar::onStarted);
    connect(tracker, &TransferTracker::progressed, this, &TransferProgressBar::onProgressed);
    connect(tracker, &TransferTracker::finished, this, &TransferProgressBar::onFinished);
    for (const Transfer &t : tracker->transfers())
        onStarted(t);
    setVisible(!m_byId.isEmpty());
}

QString TransferProgressBar::describe(const Transfer &t)
{
    const bool sending = t.direction == Transfer::Direction::Sending;
    QStringList parts;
    if (t.totalBytes >= 0) {
        parts << (sending ? tr("Sending %1") : tr("Receiving %1")).arg(Format::byteSize(quint64(t.totalBytes)));
        // whole percent, rounded down: 100 % only once everything is through
        parts << tr("%1 %").arg(t.totalBytes > 0 ? t.doneBytes * 100 / t.totalBytes : 100);
    } else {
        parts << (sending ? tr("Sending, %1 so far") : tr("Receiving, %1 so far"))
                         .arg(Format::byteSize(quint64(t.doneBytes)));
    }
    if (t.bytesPerSecond > 0)
        parts << tr("%1/s").arg(Format::byteSize(quint64(t.bytesPerSecond)));
    return parts.join(u" — "_s);
}

void TransferProgressBar::onStarted(const Transfer &transfer)
{
    Row row;
    row.widget = new QWidget;
    row.label = new QLabel;
    row.bar = new QProgressBar;
    const bool sending = transfer.direction == Transfer::Direction::Sending;
    row.label->setAccessibleName(sending ? tr("Sending") : tr("Receiving"));
    row.bar->setAccessibleName(sending ? tr("Sending progress") : tr("Receiving progress"));
    row.bar->setTextVisible(false); // the label says it in words
    row.bar->setMaximumHeight(row.label->sizeHint().height());
    auto *layout = new QHBoxLayout(row.widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(row.label, 2);
    layout->addWidget(row.bar, 3);
    m_rows->addWidget(row.widget);
    display(row, transfer);
    m_byId.insert(transfer.id, row);
    setVisible(true);
}

void TransferProgressBar::onProgressed(const Transfer &transfer)
{
    const auto it = m_byId.find(transfer.id);
    if (it != m_byId.end())
        display(*it, transfer);
}

void TransferProgressBar::onFinished(const Transfer &transfer)
{
    const auto it = m_byId.find(transfer.id);
    if (it == m_byId.end())
        return;
    delete it->widget;
    m_byId.erase(it);
    setVisible(!m_byId.isEmpty());
}

void TransferProgressBar::display(Row &row, const Transfer &transfer)
{
    row.label->setText(describe(transfer));
    if (transfer.totalBytes < 0) {
        row.bar->setRange(0, 0); // busy: how much is still to come is unknown
    } else {
        row.bar->setRange(0, BarSteps);
        row.bar->setValue(int(transfer.fraction() * BarSteps));
    }
}

} // namespace Wsw::Ui
