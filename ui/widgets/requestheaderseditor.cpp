#include "widgets/requestheaderseditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QTableWidget>
#include <QVBoxLayout>

#include "codec/handshake.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

enum Column { NameColumn = 0, ValueColumn = 1 };

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

bool hasControlCharacter(QStringView value)
{
    for (QChar c : value) {
        if ((c.unicode() < 0x20 && c != u'\t') || c.unicode() == 0x7F)
            return true;
    }
    return false;
}

} // namespace

RequestHeadersEditor::RequestHeadersEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_label = new QLabel(tr("Request &headers"), this);
    m_lockNote = new QLabel(tr("Fixed while connected"), this);
    m_lockNote->setStyleSheet(u"QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e8d28a;"
                              " border-radius: 3px; padding: 1px 6px; }"_s);
    m_lockNote->setVisible(false);
    auto *top = new QHBoxLayout;
    top->addWidget(m_label);
    top->addStretch(1);
    top->addWidget(m_lockNote);
    layout->addLayout(top);

    m_table = new QTableWidget(0, 2, this);
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(NameColumn, 160);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setTabKeyNavigation(false); // Tab leaves the table, like every other editor
    m_table->setAccessibleName(tr("Request headers"));
    m_table->setToolTip(tr("Extra headers of the upgrade request. Host, Upgrade, Connection and the "
                           "Sec-WebSocket-* headers belong to the engine and cannot be set here."));
    m_label->setBuddy(m_table);
    layout->addWidget(m_table, 1);

    m_add = new QPushButton(tr("Add"), this);
    m_add->setAccessibleName(tr("Add header"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setAccessibleName(tr("Remove header"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    setTabOrder(m_table, m_add);
    setTabOrder(m_add, m_remove);

    connect(m_add, &QPushButton::clicked, this, &RequestHeadersEditor::onAddClicked);
    connect(m_remove, &QPushButton::clicked, this, &RequestHeadersEditor::onRemoveClicked);
    connect(m_table, &QTableWidget::itemChanged, this, &RequestHeadersEditor::onItemChanged);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RequestHeadersEditor::updateEnabledState);
    updateEnabledState();
}

std::optional<RequestHeadersEditor::HeaderList> RequestHeadersEditor::headers(QString *error) const
{
    HeaderList result;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cellText(m_table, row, NameColumn);
        const QString value = cellText(m_table, row, ValueColumn);
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (const QString problem = rowProblem(row); !problem.isEmpty()) {
            if (error) {
                *error = name.isEmpty() ? tr("Request headers, row %1: %2").arg(row + 1).arg(problem)
                                        : tr("Request headers, row %1 (%2): %3").arg(row + 1).arg(name, problem);
            }
            return std::nullopt;
        }
        result.append({name.toUtf8(), value.toUtf8()});
    }
    if (error)
        error->clear();
    return result;
}

void RequestHeadersEditor::setHeaders(const HeaderList &headers)
{
    {
        const QScopedValueRollback guard(m_updating, true);
        m_table->setRowCount(0);
        for (const auto &[name, value] : headers)
            appendRow(QString::fromUtf8(name), QString::fromUtf8(value));
    }
    validateRows();
    updateEnabledState();
}

void RequestHeadersEditor::setLocked(bool locked)
{
    m_locked = locked;
    updateEnabledState();
}

void RequestHeadersEditor::onAddClicked()
{
    {
        const QScopedValueRollback guard(m_updating, true);
        appendRow({}, {});
    }
    const int row = m_table->rowCount() - 1;
    m_table->setCurrentCell(row, NameColumn);
    m_table->editItem(m_table->item(row, NameColumn));
    updateEnabledState();
    Q_EMIT edited();
}

void RequestHeadersEditor::onRemoveClicked()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    m_table->removeRow(row);
    validateRows(); // a duplicate may have gone
    updateEnabledState();
    Q_EMIT edited();
}

void RequestHeadersEditor::onItemChanged()
{
    if (m_updating)
        return;
    validateRows();
    Q_EMIT edited();
}

void RequestHeadersEditor::appendRow(const QString &name, const QString &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, NameColumn, new QTableWidgetItem(name));
    m_table->setItem(row, ValueColumn, new QTableWidgetItem(value));
}

QString RequestHeadersEditor::rowProblem(int row) const
{
    const QString name = cellText(m_table, row, NameColumn);
    const QString value = cellText(m_table, row, ValueColumn);
    if (name.isEmpty() && value.isEmpty())
        return {};
    if (name.isEmpty())
        return tr("a header needs a name");
    switch (Codec::validateRequestHeader(name.toUtf8(), value.toUtf8())) {
    case ErrorDetail::None:
        break;
    case ErrorDetail::ForbiddenHeader:
        return tr("%1 is written by the engine itself (Host, Upgrade, Connection, Sec-WebSocket-*)").arg(name);
    default:
        if (hasControlCharacter(value))
            return tr("the value may not contain CR, LF or other control characters (header injection)");
        return tr("the name must be an HTTP token: letters, digits and !#$%&'*+-.^_`|~, no spaces or colons");
    }
    for (int other = 0; other < row; ++other) {
        if (cellText(m_table, other, NameColumn).compare(name, Qt::CaseInsensitive) == 0)
            return tr("already set in row %1; a header is sent once, with its last value").arg(other + 1);
    }
    return {};
}

void RequestHeadersEditor::validateRows()
{
    const QScopedValueRollback guard(m_updating, true);
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString problem = rowProblem(row);
        for (int column : {NameColumn, ValueColumn}) {
            QTableWidgetItem *item = m_table->item(row, column);
            if (!item)
                continue;
            item->setBackground(problem.isEmpty() ? QBrush() : QBrush(QColor(0xfd, 0xe7, 0xe9)));
            item->setToolTip(problem);
            item->setData(Qt::AccessibleDescriptionRole, problem);
        }
    }
}

void RequestHeadersEditor::updateEnabledState()
{
    m_table->setEditTriggers(m_locked ? QAbstractItemView::NoEditTriggers
                                      : QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                                | QAbstractItemView::AnyKeyPressed);
    m_add->setEnabled(!m_locked);
    m_remove->setEnabled(!m_locked && m_table->currentRow() >= 0);
    m_lockNote->setVisible(m_locked);
}

} // namespace Wsw::Ui
