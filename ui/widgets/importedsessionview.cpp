#include "widgets/importedsessionview.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "format/messageformat.h"
#include "models/framelogmodel.h"
#include "models/messagelogmodel.h"
#include "theme.h"
#include "widgets/frameinspector.h"
#include "widgets/handshakeview.h"
#include "widgets/messagedetailview.h"
#include "widgets/messagelogpanel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

QString localTime(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), u"yyyy-MM-dd HH:mm:ss.zzz"_s);
}

/** A model's capacity that keeps every imported row (the ring never drops what the file holds). */
qsizetype capacityFor(qsizetype rows)
{
    return std::max<qsizetype>(RingTableModel::DefaultCapacity, rows);
}

} // namespace

ImportedSessionView::ImportedSessionView(SessionRecord record, const QString &fileName, QWidget *parent)
    : QWidget(parent)
    , m_record(std::move(record))
    , m_fileName(QFileInfo(fileName).fileName())
    , m_messageLog(new MessageLogModel(this))
    , m_frameLog(new FrameLogModel(this))
    , m_banner(new QLabel)
    , m_logPanel(nullptr)
    , m_inspectors(new QTabWidget)
    , m_detail(new MessageDetailView)
    , m_frames(nullptr)
    , m_handshake(new HandshakeView)
{
    // the entries keep their own times: the models show them as they were
    m_messageLog->setCapacity(capacityFor(m_record.entries.size()));
    for (const LogEntry &entry : std::as_const(m_record.entries))
        m_messageLog->append(entry);
    m_messageLog->flush();
    m_frameLog->setCapacity(capacityFor(m_record.frames.size()));
    for (const FrameInfo &frame : std::as_const(m_record.frames))
        m_frameLog->append(frame);
    m_frameLog->flush();

    m_banner->setText(bannerText());
    m_banner->setAccessibleName(tr("Imported log"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(Theme::warningPanelStyle());

    m_logPanel = new MessageLogPanel(m_messageLog);
    m_logPanel->setReadOnly(true);
    connect(m_logPanel, &MessageLogPanel::entrySelected, m_detail, &MessageDetailView::showEntry);
    connect(m_logPanel, &MessageLogPanel::selectionCleared, m_detail, &MessageDetailView::showNothing);

    m_frames = new FrameInspector(m_frameLog);
    m_handshake->showTranscript(m_record.handshake);
    m_inspectors->setAccessibleName(tr("Imported details"));
    m_inspectors->addTab(m_detail, tr("Message"));
    m_inspectors->addTab(m_frames, tr("Frames (%1)").arg(m_record.frames.size()));
    m_inspectors->addTab(m_handshake, tr("Handshake"));

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_logPanel);
    split->addWidget(m_inspectors);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);
}

QString ImportedSessionView::title() const
{
    return tr("Imported: %1").arg(m_fileName);
}

void ImportedSessionView::setImportWarnings(int skipped, const QStringList &warnings)
{
    m_skipped = skipped;
    m_banner->setText(bannerText());
    m_banner->setToolTip(warnings.join(u'\n'));
}

QString ImportedSessionView::bannerText() const
{
    QString text = tr("Imported from %1 — read-only.").arg(m_fileName);
    const QString url = m_record.url.isEmpty() ? tr("(no URL)") : m_record.url.toDisplayString();
    const qint64 first = m_record.firstTimestampMs();
    const qint64 last = m_record.lastTimestampMs();
    text += u"  "_s + url;
    if (first != 0) {
        const QString start = localTime(first);
        const QString end = localTime(last);
        // the end's date only when it is another day
        text += u"  ·  "_s + tr("%1 to %2 (%3)").arg(start, end.left(10) == start.left(10) ? end.mid(11) : end,
                                                   Format::duration(last - first));
    }
    const int messages = m_record.messageCount();
    const auto frames = m_record.frames.size();
    text += u"  ·  "_s + (messages == 1 ? tr("1 message") : tr("%1 messages").arg(messages));
    text += u", "_s + (frames == 1 ? tr("1 frame") : tr("%1 frames").arg(frames));
    if (m_record.messagesDiscarded > 0) {
        text += u"  ·  "_s + tr("the log had already dropped %1 older rows before the export")
                                     .arg(QLocale().toString(m_record.messagesDiscarded));
    }
    if (m_skipped > 0) {
        text += u'\n' + (m_skipped == 1 ? tr("1 line or entry of the file was skipped (hover for why).")
                                         : tr("%1 lines or entries of the file were skipped (hover for why).")
                                                   .arg(m_skipped));
    }
    return text;
}

} // namespace Wsw::Ui
