#pragma once

#include <QWidget>

#include "savedmessage.h"

class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace Wsw::Ui {

class ByteSpinBox;
class RepeatSender;
class SavedMessagesModel;
class Session;

/**
 * The saved messages of one session's tab: a table (double-click or Enter sends the selected
 * one), Add…/Edit…/Send/Rename/Delete/Move up/Move down, a Repeat row (every N ms, a count or
 * until stopped) and a Fragmented row (send the selected message in frames of a chosen size).
 * The model may be shared by several panels (one list for every tab); each panel sends on its
 * own session and has its own RepeatSender. It has no composer: the window connects the
 * composer's "Save message" to addMessage().
 */
class SavedMessagesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SavedMessagesPanel)

public:
    /** Default "Frame size" of the Fragmented row. */
    static constexpr quint64 DefaultFrameSizeBytes = 16 * 1024;

    SavedMessagesPanel(SavedMessagesModel *model, Session *session, QWidget *parent = nullptr);

    SavedMessagesModel *model() const { return m_model; }
    RepeatSender *repeatSender() const { return m_repeat; }
    /** The selected row, or -1. */
    int currentRow() const;
    void setCurrentRow(int row);
    /** The last line of the status (what was sent, or why not). */
    QString statusText() const;

public Q_SLOTS:
    /** Adds the message (e.g. the composer's "Save message") and selects it. */
    void addMessage(const Wsw::Ui::SavedMessage &message);
    /** Sends the selected message with its own type; false (and the status says why) when refused. */
    bool sendSelected();
    /** Sends the selected message in frames of the Frame size row. */
    bool sendSelectedInFrames();
    /** Starts repeating the selected message with the Repeat row's interval and count. */
    bool startRepeat();
    void stopRepeat();

private:
    QWidget *buildButtonRow();
    QWidget *buildRepeatAndFragmentRows();
    void openAddDialog();
    void openEditDialog();
    void renameSelected();
    void deleteSelected();
    void moveSelected(int delta);
    void showStatus(const QString &text, bool isProblem);
    void updateEnabledState();

    SavedMessagesModel *m_model;
    Session *m_session;
    RepeatSender *m_repeat;
    QTableView *m_view;
    QPushButton *m_addButton;
    QPushButton *m_editButton;
    QPushButton *m_sendButton;
    QPushButton *m_renameButton;
    QPushButton *m_deleteButton;
    QPushButton *m_upButton;
    QPushButton *m_downButton;
    QSpinBox *m_interval;
    QSpinBox *m_count;
    QPushButton *m_startButton;
    QPushButton *m_stopButton;
    QLabel *m_repeatStatus;
    ByteSpinBox *m_frameSize;
    QLabel *m_frameSizeReadable;
    QPushButton *m_fragmentButton;
    QLabel *m_status;
};

} // namespace Wsw::Ui
