#include "widgets/messagedetailview.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include "format/messageformat.h"
#include "theme.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

constexpr qsizetype MaxShownTextBytes = 4 * 1024 * 1024; // a text view beyond this is no longer readable

QPlainTextEdit *readOnlyEditor(const QString &name)
{
    auto *edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setAccessibleName(name);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return edit;
}

} // namespace

MessageDetailView::MessageDetailView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel)
    , m_utf8Note(new QLabel)
    , m_tabs(new QTabWidget)
    , m_text(readOnlyEditor(tr("Message text")))
    , m_json(readOnlyEditor(tr("Message as JSON")))
    , m_hex(readOnlyEditor(tr("Message hex dump")))
    , m_copyText(new QPushButton(tr("Copy text")))
    , m_copyHex(new QPushButton(tr("Copy hex")))
    , m_copyBase64(new QPushButton(tr("Copy base64")))
{
    m_hex->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_utf8Note->setWordWrap(true);
    m_utf8Note->setStyleSheet(Theme::warningPanelStyle());
    m_utf8Note->hide();
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_json, tr("JSON"));
    m_tabs->addTab(m_hex, tr("Hex"));
    m_tabs->setAccessibleName(tr("Message detail views"));
    m_copyText->setAccessibleName(tr("Copy text"));
    m_copyHex->setAccessibleName(tr("Copy hex"));
    m_copyBase64->setAccessibleName(tr("Copy base64"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_copyText);
    buttons->addWidget(m_copyHex);
    buttons->addWidget(m_copyBase64);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_utf8Note);
    layout->addWidget(m_tabs, 1);

    connect(m_copyText, &QPushButton::clicked, this, &MessageDetailView::copyText);
    connect(m_copyHex, &QPushButton::clicked, this, &MessageDetailView::copyHex);
    connect(m_copyBase64, &QPushButton::clicked, this, &MessageDetailView::copyBase64);
    showNothing();
}

void MessageDetailView::showNothing()
{
    m_data.clear();
    m_eventText.clear();
    m_summary->setText(tr("Select a message in the log to see it in full."));
    m_utf8Note->hide();
    m_text->clear();
    m_json->clear();
    m_hex->clear();
    for (QPushButton *b : {m_copyText, m_copyHex, m_copyBase64})
        b->setEnabled(false);
}

void MessageDetailView::showEntry(const LogEntry &entry)
{
    const QString time = QDateTime::fromMSecsSinceEpoch(entry.timestampMs).toString(u"HH:mm:ss.zzz"_s);
    if (entry.kind != LogEntry::Kind::Message) {
        showNothing();
        m_eventText = entry.text;
        m_summary->setText(tr("#%1 at %2: %3").arg(entry.sequence).arg(time,
                           entry.kind == LogEntry::Kind::Error ? tr("error") : tr("event")));
        m_text->setPlainText(entry.text);
        m_copyText->setEnabled(true);
        m_tabs->setCurrentWidget(m_text);
        return;
    }
    m_data = entry.data;
    m_eventText.clear();
    const bool text = entry.type == SocketMessageType::Utf8;
    m_summary->setText(tr("#%1 at %2: %3 %4 message, %5")
                               .arg(entry.sequence)
                               .arg(time,
                                    entry.direction == LogEntry::Direction::Sent ? tr("sent") : tr("received"),
                                    text ? tr("text") : tr("binary"),
                                    Format::byteSize(quint64(entry.data.size()))));
    const QString problem = Format::utf8Problem(m_data);
    if (problem.isEmpty()) {
        m_utf8Note->hide();
    } else {
        m_utf8Note->setText(tr("Not valid UTF-8, so the text view shows U+FFFD in its place: %1").arg(problem));
        m_utf8Note->show();
    }
    const QByteArrayView shown = QByteArrayView(m_data).first(std::min(m_data.size(), MaxShownTextBytes));
    QString textView = QString::fromUtf8(shown);
    if (shown.size() < m_data.size())
        textView += tr("\n… (%1 more not shown)").arg(Format::byteSize(quint64(m_data.size() - shown.size())));
    m_text->setPlainText(textView);
    QString jsonError;
    const std::optional<QString> pretty = Format::prettyJson(m_data, &jsonError);
    m_json->setPlainText(pretty ? *pretty : tr("Not JSON: %1").arg(jsonError));
    m_hex->setPlainText(Format::hexDump(m_data));
    m_tabs->setCurrentWidget(!text ? m_hex : pretty ? m_json : m_text);
    for (QPushButton *b : {m_copyText, m_copyHex, m_copyBase64})
        b->setEnabled(true);
}

void MessageDetailView::copyText()
{
    QApplication::clipboard()->setText(m_eventText.isEmpty() ? QString::fromUtf8(m_data) : m_eventText);
}

void MessageDetailView::copyHex()
{
    QApplication::clipboard()->setText(QString::fromLatin1(m_data.toHex(' ')));
}

void MessageDetailView::copyBase64()
{
    QApplication::clipboard()->setText(QString::fromLatin1(m_data.toBase64()));
}

} // namespace Wsw::Ui
