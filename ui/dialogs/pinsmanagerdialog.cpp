#include "dialogs/pinsmanagerdialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "pinstore.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

PinsManagerDialog::PinsManagerDialog(PinStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_table(new QTableWidget)
    , m_remove(new QPushButton(tr("Remove")))
    , m_note(new QLabel)
{
    setWindowTitle(tr("Trusted certificates"));
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels({tr("Host"), tr("Certificate"), tr("Pin"), tr("Trusted since")});
    m_table->setAccessibleName(tr("Trusted pins"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_remove->setAccessibleName(tr("Remove"));
    m_remove->setToolTip(tr("Forget the selected pin: the next connection to that host validates its certificate again"));
    m_note->setWordWrap(true);
    m_note->setText(tr("Keys you chose to trust with “Trust this certificate for this host”. A connection to "
                       "the host passes when the server presents the key, and fails when it presents another. "
                       "Kept in %1.").arg(QDir::toNativeSeparators(m_store->filePath())));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_remove, &QPushButton::clicked, this, &PinsManagerDialog::removeSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });
    connect(m_store, &PinStore::changed, this, &PinsManagerDialog::refresh);

    auto *row = new QHBoxLayout;
    row->addWidget(m_remove);
    row->addStretch(1);
    row->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(m_table, 1);
    layout->addLayout(row);
    resize(900, 360);
    refresh();
}

void PinsManagerDialog::refresh()
{
    const QList<TrustedPin> pins = m_store->pins();
    m_table->setRowCount(int(pins.size()));
    for (int i = 0; i < pins.size(); ++i) {
        const TrustedPin &p = pins[i];
        m_table->setItem(i, 0, new QTableWidgetItem(p.host));
        m_table->setItem(i, 1, new QTableWidgetItem(p.subject));
        m_table->setItem(i, 2, new QTableWidgetItem(p.pin));
        m_table->setItem(i, 3, new QTableWidgetItem(p.added.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s)));
    }
    m_remove->setEnabled(!m_table->selectedItems().isEmpty());
    if (pins.isEmpty())
        m_table->setToolTip(tr("No trusted pins yet"));
}

void PinsManagerDialog::removeSelected()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    QString error;
    if (!m_store->remove(m_table->item(row, 0)->text(), m_table->item(row, 2)->text(), &error))
        m_note->setText(error);
}

} // namespace Wsw::Ui
