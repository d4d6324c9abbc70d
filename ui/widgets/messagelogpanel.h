#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Wsw::Ui {

class LogTableView;
class MessageLogFilterModel;
class MessageLogModel;
struct LogEntry;

/**
 * The message log as people read it: filters (direction, type, text or regex), auto-scroll that
 * can be paused, how many rows are kept with a note when older ones go, and the table itself.
 */
class MessageLogPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageLogPanel)

public:
    explicit MessageLogPanel(MessageLogModel *model, QWidget *parent = nullptr);

    void focusFilter();
    bool isAutoScrolling() const;
    /**
     * Read-only (an imported log): hides Clear and Keep, which would throw rows away for good,
     * and Auto-scroll (no rows arrive).
     */
    void setReadOnly(bool readOnly);

Q_SIGNALS:
    void entrySelected(const Wsw::Ui::LogEntry &entry);
    void selectionCleared();
    void clearRequested();
    void autoScrollChanged(bool on);

private:
    QLayout *buildFilterRow();
    void onCurrentRowChanged();
    void onTextFilterEdited();
    void onRowsDiscarded(quint64 total);

    MessageLogModel *m_model;
    MessageLogFilterModel *m_filter;
    LogTableView *m_view;
    QCheckBox *m_showSent;
    QCheckBox *m_showReceived;
    QCheckBox *m_showEvents;
    QComboBox *m_typeFilter;
    QLineEdit *m_textFilter;
    QCheckBox *m_regexFilter;
    QCheckBox *m_autoScroll;
    QSpinBox *m_capacity;
    QLabel *m_note;
    QList<QWidget *> m_liveOnly; // Auto-scroll, Keep (with its label), Clear
};

} // namespace Wsw::Ui
