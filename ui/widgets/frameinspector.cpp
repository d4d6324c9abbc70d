#include "widgets/frameinspector.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QVBoxLayout>

#include "api/frameinfo.h"
#include "format/messageformat.h"
#include "models/framelogmodel.h"
#include "widgets/logtableview.h"

namespace Wsw::Ui {

FrameInspector::FrameInspector(FrameLogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new LogTableView)
    , m_payload(new QLabel(tr("Select a frame to see the start of its payload.")))
{
    m_view->setAccessibleName(tr("Frames"));
    m_view->setModel(m_model);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FrameInspector::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_following)
            m_view->scrollToBottom();
    });
    m_payload->setAccessibleName(tr("Frame payload"));
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_payload->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_payload);
}

void FrameInspector::onCurrentRowChanged()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const FrameInfo &frame = m_model->frame(current.row());
    if (frame.payloadHead.isEmpty()) {
        m_payload->setText(tr("No payload."));
        return;
    }
    QString text = Format::hexDump(frame.payloadHead);
    if (frame.payloadLength > quint64(frame.payloadHead.size()))
        text += u'\n' + tr("(the first %1 of %2 payload bytes)").arg(frame.payloadHead.size()).arg(frame.payloadLength);
    m_payload->setText(text);
}

} // namespace Wsw::Ui
