#include "widgets/messagelogpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "models/messagelogfiltermodel.h"
#include "models/messagelogmodel.h"
#include "theme.h"
#include "widgets/buddylabel.h"
#include "widgets/logtableview.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

MessageLogPanel::MessageLogPanel(MessageLogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new MessageLogFilterModel(this))
    , m_view(new LogTableView)
    , m_showSent(new QCheckBox(tr("Sent")))
    , m_showReceived(new QCheckBox(tr("Received")))
    , m_showEvents(new QCheckBox(tr("Events")))
    , m_typeFilter(new QComboBox)
    , m_textFilter(new QLineEdit)
    , m_regexFilter(new QCheckBox(tr("Regex")))
    , m_autoScroll(new QCheckBox(tr("Auto-scroll")))
    , m_capacity(new QSpinBox)
    , m_note(new QLabel)
{
    m_filter->setSourceModel(m_model);
    m_view->setAccessibleName(tr("Message log"));
    m_view->setModel(m_filter);
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics fm = m_view->fontMetrics();
    header->resizeSection(MessageLogModel::Sequence, fm.horizontalAdvance(u"0000000"_s));
    header->resizeSection(MessageLogModel::Time, fm.horizontalAdvance(u"00:00:00.000  "_s));
    header->resizeSection(MessageLogModel::Delta, fm.horizontalAdvance(u"+00000 ms "_s));
    header->resizeSection(MessageLogModel::Direction, fm.horizontalAdvance(u"Dir  "_s));
    header->resizeSection(MessageLogModel::Type, fm.horizontalAdvance(u"Binary  "_s));
    header->resizeSection(MessageLogModel::Size, fm.horizontalAdvance(u"00000000  "_s));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MessageLogPanel::onCurrentRowChanged);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_autoScroll->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_model, &MessageLogModel::rowsDiscarded, this, &MessageLogPanel::onRowsDiscarded);
    connect(m_model, &QAbstractItemModel::modelReset, m_note, &QLabel::hide);

    m_note->setAccessibleName(tr("Log note"));
    m_note->setStyleSheet(Theme::warningPanelStyle());
    m_note->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buildFilterRow());
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);
}

QLayout *MessageLogPanel::buildFilterRow()
{
    for (QCheckBox *box : {m_showSent, m_showReceived, m_showEvents}) {
        box->setChecked(true);
        box->setAccessibleName(tr("Show %1").arg(box->text().toLower()));
    }
    m_showEvents->setToolTip(tr("Events such as connected and closed; errors are always shown"));
    connect(m_showSent, &QCheckBox::toggled, m_filter, &MessageLogFilterModel::setShowSent);
    connect(m_showReceived, &QCheckBox::toggled, m_filter, &MessageLogFilterModel::setShowReceived);
    connect(m_showEvents, &QCheckBox::toggled, m_filter, &MessageLogFilterModel::setShowEvents);

    m_typeFilter->addItem(tr("Any type"), QVariant::fromValue(MessageLogFilterModel::TypeFilter::Any));
    m_typeFilter->addItem(tr("Text"), QVariant::fromValue(MessageLogFilterModel::TypeFilter::Text));
    m_typeFilter->addItem(tr("Binary"), QVariant::fromValue(MessageLogFilterModel::TypeFilter::Binary));
    m_typeFilter->setAccessibleName(tr("Type filter"));
    connect(m_typeFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setTypeFilter(m_typeFilter->currentData().value<MessageLogFilterModel::TypeFilter>());
    });

    m_textFilter->setAccessibleName(tr("Filter"));
    m_textFilter->setPlaceholderText(tr("text in messages (hex for binary) — Ctrl+F"));
    m_textFilter->setClearButtonEnabled(true);
    m_regexFilter->setAccessibleName(tr("Regular expression"));
    m_regexFilter->setToolTip(tr("Read the filter as a regular expression (case-sensitive; (?i) ignores case)"));
    connect(m_textFilter, &QLineEdit::textChanged, this, &MessageLogPanel::onTextFilterEdited);
    connect(m_regexFilter, &QCheckBox::toggled, this, &MessageLogPanel::onTextFilterEdited);

    m_autoScroll->setAccessibleName(tr("Auto-scroll"));
    m_autoScroll->setChecked(true);
    connect(m_autoScroll, &QCheckBox::toggled, this, &MessageLogPanel::autoScrollChanged);
    m_autoScroll->setToolTip(tr("Keep the newest message in view; turn off to read older ones while traffic goes on"));

    m_capacity->setRange(1000, 1000000);
    m_capacity->setSingleStep(10000);
    m_capacity->setGroupSeparatorShown(true);
    m_capacity->setValue(int(m_model->capacity()));
    m_capacity->setAccessibleName(tr("Rows kept"));
    m_capacity->setToolTip(tr("The log keeps this many rows; older ones go first"));
    connect(m_capacity, &QSpinBox::valueChanged, m_model, [this](int rows) { m_model->setCapacity(rows); });

    auto *clear = new QPushButton(tr("Clear"));
    clear->setAccessibleName(tr("Clear log"));
    clear->setToolTip(tr("Forget the logged messages and frames (Ctrl+L)"));
    connect(clear, &QPushButton::clicked, this, &MessageLogPanel::clearRequested);

    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Show:")));
    row->addWidget(m_showSent);
    row->addWidget(m_showReceived);
    row->addWidget(m_showEvents);
    row->addSpacing(8);
    row->addWidget(buddyLabel(tr("T&ype"), m_typeFilter));
    row->addWidget(m_typeFilter);
    row->addSpacing(8);
    row->addWidget(buddyLabel(tr("&Filter"), m_textFilter));
    row->addWidget(m_textFilter, 1);
    row->addWidget(m_regexFilter);
    row->addSpacing(8);
    row->addWidget(m_autoScroll);
    QLabel *keepLabel = buddyLabel(tr("&Keep"), m_capacity);
    row->addWidget(keepLabel);
    row->addWidget(m_capacity);
    row->addWidget(clear);
    m_liveOnly = {m_autoScroll, keepLabel, m_capacity, clear};
    return row;
}

void MessageLogPanel::focusFilter()
{
    m_textFilter->setFocus();
    m_textFilter->selectAll();
}

bool MessageLogPanel::isAutoScrolling() const
{
    return m_autoScroll->isChecked();
}

void MessageLogPanel::setReadOnly(bool readOnly)
{
    for (QWidget *w : std::as_const(m_liveOnly))
        w->setVisible(!readOnly);
}

void MessageLogPanel::onCurrentRowChanged()
{
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    if (current.isValid())
        Q_EMIT entrySelected(m_model->entry(current.row()));
    else
        Q_EMIT selectionCleared();
}

void MessageLogPanel::onTextFilterEdited()
{
    QString error;
    if (m_filter->setTextFilter(m_textFilter->text(), m_regexFilter->isChecked(), &error)) {
        m_textFilter->setStyleSheet({});
        m_textFilter->setToolTip({});
    } else {
        m_textFilter->setStyleSheet(u"QLineEdit { background: #fdecea; }"_s);
        m_textFilter->setToolTip(error); // shown inline; the last valid filter stays in force
    }
}

void MessageLogPanel::onRowsDiscarded(quint64 total)
{
    m_note->setText(tr("%1 older rows were removed: the log keeps the newest %2 (Keep).")
                            .arg(QLocale().toString(total), QLocale().toString(m_model->capacity())));
    m_note->show();
}

} // namespace Wsw::Ui
