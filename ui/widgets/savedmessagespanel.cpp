#include "widgets/savedmessagespanel.h"

#include <functional>

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include "dialogs/savedmessagedialog.h"
#include "format/messageformat.h"
#include "models/savedmessagesmodel.h"
#include "repeatsender.h"
#include "session.h"
#include "theme.h"
#include "widgets/buddylabel.h"
#include "widgets/bytespinbox.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

QPushButton *newButton(const QString &text, const QString &accessibleName, const QString &toolTip, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setAccessibleName(accessibleName);
    button->setToolTip(toolTip);
    return button;
}

/**
 * The list: Enter sends the current message. Not through activated(), which a single click
 * emits under styles that activate on one click; and not while a name is edited (the editor
 * passes Enter on to the view after taking it).
 */
class SavedMessagesView final : public QTableView
{
public:
    SavedMessagesView(std::function<void()> onEnter, QWidget *parent)
        : QTableView(parent)
        , m_onEnter(std::move(onEnter))
    {
    }

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
        if (enter && state() != EditingState && (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier) {
            m_onEnter();
            event->accept();
            return;
        }
        QTableView::keyPressEvent(event);
    }

private:
    std::function<void()> m_onEnter;
};

/** Largest frame size offered: a frame larger than any message is one frame anyway. */
constexpr double MaxFrameSizeBytes = 1024.0 * 1024 * 1024;

} // namespace

SavedMessagesPanel::SavedMessagesPanel(SavedMessagesModel *model, Session *session, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_session(session)
    , m_repeat(new RepeatSender(session, this))
    , m_view(new SavedMessagesView([this] { sendSelected(); }, this))
    , m_status(new QLabel(this))
{
    setAccessibleName(tr("Saved messages"));
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Saved messages list"));
    m_view->setToolTip(tr("Double-click or Enter sends a message with its own type; F2 renames it"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed); // double-click sends
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false); // a long preview is elided on its one line
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6); // as the logs' rows
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(SavedMessagesModel::Type, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SavedMessagesModel::Size, QHeaderView::ResizeToContents);
    m_view->setColumnWidth(SavedMessagesModel::Name, 180);

    m_status->setAccessibleName(tr("Saved messages status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(buildButtonRow());
    layout->addWidget(buildRepeatAndFragmentRows());
    layout->addWidget(m_status);

    connect(m_view, &QAbstractItemView::doubleClicked, this, [this] { sendSelected(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SavedMessagesPanel::updateEnabledState);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SavedMessagesPanel::updateEnabledState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &SavedMessagesPanel::updateEnabledState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SavedMessagesPanel::updateEnabledState);
    connect(m_model, &QAbstractItemModel::rowsMoved, this, &SavedMessagesPanel::updateEnabledState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SavedMessagesPanel::updateEnabledState);
    connect(m_model, &SavedMessagesModel::editRefused, this, [this](const QString &why) { showStatus(why, true); });
    connect(m_session, &Session::stateChanged, this, &SavedMessagesPanel::updateEnabledState);

    connect(m_repeat, &RepeatSender::started, this, [this] {
        m_repeatStatus->setText(tr("Repeating “%1”…").arg(m_repeat->message().name));
        updateEnabledState();
    });
    connect(m_repeat, &RepeatSender::progress, this,
            [this](int sent, int total) { m_repeatStatus->setText(RepeatSender::progressText(sent, total)); });
    connect(m_repeat, &RepeatSender::waitingToDrain, this, [this](qint64 buffered) {
        m_repeatStatus->setText(tr("%1: waiting for the server to read (%2 queued)")
                                        .arg(RepeatSender::progressText(m_repeat->sentCount(), m_repeat->totalCount()),
                                             Format::byteSize(quint64(buffered))));
    });
    connect(m_repeat, &RepeatSender::finished, this, [this](const QString &reason) {
        m_repeatStatus->setText(reason);
        updateEnabledState();
    });
    if (m_model->rowCount() == 0)
        showStatus(tr("No saved messages yet: Add… one, or save what the composer holds"), false);
    updateEnabledState();
}

QWidget *SavedMessagesPanel::buildButtonRow()
{
    auto *row = new QWidget(this);
    m_addButton = newButton(tr("&Add…"), tr("Add a saved message"),
                            tr("Type a new message to keep: a name, its type and its content"), row);
    m_editButton = newButton(tr("&Edit…"), tr("Edit the saved message"),
                             tr("Change the selected message's name, type or content"), row);
    m_sendButton = newButton(tr("&Send"), tr("Send the saved message"),
                             tr("Send the selected message with its own type (Enter or double-click does the same)"), row);
    m_renameButton = newButton(tr("&Rename"), tr("Rename the saved message"), tr("Rename the selected message (F2)"), row);
    m_deleteButton = newButton(tr("&Delete"), tr("Delete the saved message"), tr("Remove the selected message from the list"), row);
    m_upButton = newButton(tr("Move &up"), tr("Move the saved message up"), tr("Move the selected message one place up"), row);
    m_downButton = newButton(tr("Move do&wn"), tr("Move the saved message down"), tr("Move the selected message one place down"), row);

    // two rows, so the panel fits the settings column beside the log
    auto *layout = new QGridLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sendButton, 0, 0);
    layout->addWidget(m_addButton, 0, 1);
    layout->addWidget(m_editButton, 0, 2);
    layout->addWidget(m_renameButton, 0, 3);
    layout->addWidget(m_deleteButton, 1, 0);
    layout->addWidget(m_upButton, 1, 1);
    layout->addWidget(m_downButton, 1, 2);

    connect(m_addButton, &QPushButton::clicked, this, &SavedMessagesPanel::openAddDialog);
    connect(m_editButton, &QPushButton::clicked, this, &SavedMessagesPanel::openEditDialog);
    connect(m_sendButton, &QPushButton::clicked, this, &SavedMessagesPanel::sendSelected);
    connect(m_renameButton, &QPushButton::clicked, this, &SavedMessagesPanel::renameSelected);
    connect(m_deleteButton, &QPushButton::clicked, this, &SavedMessagesPanel::deleteSelected);
    connect(m_upButton, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { moveSelected(+1); });
    return row;
}

QWidget *SavedMessagesPanel::buildRepeatAndFragmentRows()
{
    auto *rows = new QWidget(this);
    m_interval = new QSpinBox(rows);
    m_interval->setRange(int(RepeatSender::MinInterval.count()), int(RepeatSender::MaxInterval.count()));
    m_interval->setValue(1000);
    m_interval->setSuffix(tr(" ms"));
    m_interval->setGroupSeparatorShown(true);
    m_interval->setAccelerated(true);
    m_interval->setAccessibleName(tr("Repeat every"));
    m_interval->setToolTip(tr("Milliseconds between two sends (at least %1 ms). When the server reads slower, "
                              "sends wait for the send queue to drain.").arg(RepeatSender::MinInterval.count()));
    m_count = new QSpinBox(rows);
    m_count->setRange(0, 1'000'000'000);
    m_count->setValue(10);
    m_count->setSpecialValueText(tr("until stopped"));
    m_count->setGroupSeparatorShown(true);
    m_count->setAccessibleName(tr("Repeat times"));
    m_count->setToolTip(tr("How many times to send it; 0 = until stopped (or until the connection ends)"));
    m_startButton = newButton(tr("Start re&peat"), tr("Start repeating"),
                              tr("Send the selected message again and again as set here"), rows);
    m_stopButton = newButton(tr("S&top"), tr("Stop repeating"), tr("Stop repeating now"), rows);
    m_repeatStatus = new QLabel(rows);
    m_repeatStatus->setAccessibleName(tr("Repeat status"));
    m_repeatStatus->setWordWrap(true); // a narrow panel wraps the reason instead of cutting it

    m_frameSize = new ByteSpinBox(MaxFrameSizeBytes, rows);
    m_frameSize->setMinimum(1);
    m_frameSize->setValue(double(DefaultFrameSizeBytes));
    m_frameSize->setAccessibleName(tr("Frame size"));
    m_frameSize->setToolTip(tr("Payload bytes per frame: the message goes out as a first frame, continuation frames "
                               "and a last one with FIN set"));
    m_frameSizeReadable = new QLabel(m_frameSize->readableSize(), rows);
    m_fragmentButton = newButton(tr("Send in &frames"), tr("Send the saved message in frames"),
                                 tr("Send the selected message with its own type, split into frames of the size set here"),
                                 rows);

    // one grid, so the two rows' editors line up
    auto *grid = new QGridLayout(rows);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(buddyLabel(tr("Repeat e&very:"), m_interval), 0, 0);
    grid->addWidget(m_interval, 0, 1);
    grid->addWidget(buddyLabel(tr("ti&mes:"), m_count), 0, 2);
    grid->addWidget(m_count, 0, 3);
    grid->addWidget(m_startButton, 0, 4);
    grid->addWidget(m_stopButton, 0, 5);
    grid->addWidget(m_repeatStatus, 2, 0, 1, 6); // its own line: "Stopped: the connection closed" is long
    grid->addWidget(buddyLabel(tr("&Frame size:"), m_frameSize), 1, 0);
    grid->addWidget(m_frameSize, 1, 1);
    grid->addWidget(m_frameSizeReadable, 1, 2, 1, 2);
    grid->addWidget(m_fragmentButton, 1, 4);
    grid->setColumnStretch(6, 1);

    connect(m_startButton, &QPushButton::clicked, this, &SavedMessagesPanel::startRepeat);
    connect(m_stopButton, &QPushButton::clicked, this, &SavedMessagesPanel::stopRepeat);
    connect(m_frameSize, &QDoubleSpinBox::valueChanged, this,
            [this] { m_frameSizeReadable->setText(m_frameSize->readableSize()); });
    connect(m_fragmentButton, &QPushButton::clicked, this, &SavedMessagesPanel::sendSelectedInFrames);
    return rows;
}

int SavedMessagesPanel::currentRow() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() && m_view->selectionModel()->isRowSelected(current.row()) ? current.row() : -1;
}

void SavedMessagesPanel::setCurrentRow(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_view->selectionModel()->clear();
        return;
    }
    m_view->selectionModel()->setCurrentIndex(m_model->index(row, SavedMessagesModel::Name),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString SavedMessagesPanel::statusText() const
{
    return m_status->text();
}

void SavedMessagesPanel::addMessage(const SavedMessage &message)
{
    const int row = m_model->add(message);
    if (row < 0)
        return; // editRefused() has said why
    setCurrentRow(row);
    showStatus(tr("Saved “%1”").arg(m_model->message(row).name), false);
}

bool SavedMessagesPanel::sendSelected()
{
    const int row = currentRow();
    if (row < 0) {
        showStatus(tr("Select a saved message to send"), true);
        return false;
    }
    const SavedMessage &message = m_model->message(row);
    if (!m_session->sendAs(message.type, message.payload)) {
        showStatus(tr("“%1” was not sent: %2").arg(message.name, m_session->lastError().message()), true);
        return false;
    }
    showStatus(tr("Sent “%1” (%2, %3)")
                       .arg(message.name, SavedMessagesModel::typeName(message.type),
                            Format::byteSize(quint64(message.payload.size()))),
               false);
    return true;
}

bool SavedMessagesPanel::sendSelectedInFrames()
{
    const int row = currentRow();
    if (row < 0) {
        showStatus(tr("Select a saved message to send in frames"), true);
        return false;
    }
    const SavedMessage &message = m_model->message(row);
    const quint64 frameSize = m_frameSize->bytes();
    if (!m_session->sendFragmented(message.type, message.payload, frameSize)) {
        showStatus(tr("“%1” was not sent in frames: %2").arg(message.name, m_session->lastError().message()), true);
        return false;
    }
    const quint64 size = quint64(message.payload.size());
    const quint64 frames = size == 0 ? 1 : (size + frameSize - 1) / frameSize;
    showStatus(frames == 1 ? tr("Sent “%1” in one frame (frame size %2)").arg(message.name, Format::byteSize(frameSize))
                           : tr("Sent “%1” in %2 frames of at most %3")
                                     .arg(message.name)
                                     .arg(frames)
                                     .arg(Format::byteSize(frameSize)),
               false);
    return true;
}

bool SavedMessagesPanel::startRepeat()
{
    const int row = currentRow();
    if (row < 0) {
        m_repeatStatus->setText(tr("Select a saved message to repeat"));
        return false;
    }
    if (!m_repeat->start(m_model->message(row), std::chrono::milliseconds(m_interval->value()), m_count->value())) {
        m_repeatStatus->setText(m_repeat->errorString());
        return false;
    }
    return true;
}

void SavedMessagesPanel::stopRepeat()
{
    m_repeat->stop();
}

void SavedMessagesPanel::openAddDialog()
{
    auto *dialog = new SavedMessageDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const std::optional<SavedMessage> message = dialog->message())
            addMessage(*message);
    });
    dialog->open();
}

void SavedMessagesPanel::openEditDialog()
{
    const int row = currentRow();
    if (row < 0)
        return;
    auto *dialog = new SavedMessageDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMessage(m_model->message(row));
    // the row may move while the dialog is open (another tab shares the list): follow the message
    const QPersistentModelIndex index = m_model->index(row, 0);
    connect(dialog, &QDialog::accepted, this, [this, dialog, index] {
        const std::optional<SavedMessage> message = dialog->message();
        if (!message)
            return;
        if (!index.isValid()) {
            showStatus(tr("The message was deleted meanwhile: saved as a new one"), true);
            addMessage(*message);
        } else if (m_model->replace(index.row(), *message)) {
            showStatus(tr("Saved “%1”").arg(message->name), false);
        }
    });
    dialog->open();
}

void SavedMessagesPanel::renameSelected()
{
    const int row = currentRow();
    if (row >= 0)
        m_view->edit(m_model->index(row, SavedMessagesModel::Name));
}

void SavedMessagesPanel::deleteSelected()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const QString name = m_model->message(row).name;
    m_model->remove(row);
    setCurrentRow(std::min(row, m_model->rowCount() - 1));
    showStatus(tr("Deleted “%1”").arg(name), false);
}

void SavedMessagesPanel::moveSelected(int delta)
{
    const int row = currentRow();
    if (row < 0)
        return;
    if (delta < 0 ? m_model->moveUp(row) : m_model->moveDown(row))
        setCurrentRow(row + delta);
}

void SavedMessagesPanel::showStatus(const QString &text, bool isProblem)
{
    QPalette palette = this->palette();
    if (isProblem)
        palette.setColor(QPalette::WindowText, Theme::errorColor());
    m_status->setPalette(palette);
    m_status->setText(text);
}

void SavedMessagesPanel::updateEnabledState()
{
    const int row = currentRow();
    const bool selected = row >= 0;
    const bool open = m_session->state() == ConnectionState::Open;
    const bool running = m_repeat->isRunning();
    m_editButton->setEnabled(selected);
    m_sendButton->setEnabled(open && selected);
    m_renameButton->setEnabled(selected);
    m_deleteButton->setEnabled(selected);
    m_upButton->setEnabled(selected && row > 0);
    m_downButton->setEnabled(selected && row < m_model->rowCount() - 1);
    m_startButton->setEnabled(open && selected && !running);
    m_stopButton->setEnabled(running);
    m_interval->setEnabled(!running);
    m_count->setEnabled(!running);
    m_fragmentButton->setEnabled(open && selected);
}

} // namespace Wsw::Ui
