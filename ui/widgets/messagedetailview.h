#pragma once

#include <QWidget>

#include "models/logentry.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace Wsw::Ui {

/**
 * The selected log row in full: its text, its JSON pretty-printed, a hex dump with offsets, and
 * why bytes are not valid UTF-8 when they are not. Copy as text, hex or base64.
 */
class MessageDetailView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageDetailView)

public:
    explicit MessageDetailView(QWidget *parent = nullptr);

    void showEntry(const LogEntry &entry);
    void showNothing();

private:
    void copyText();
    void copyHex();
    void copyBase64();

    QLabel *m_summary;
    QLabel *m_utf8Note;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_text;
    QPlainTextEdit *m_json;
    QPlainTextEdit *m_hex;
    QPushButton *m_copyText;
    QPushButton *m_copyHex;
    QPushButton *m_copyBase64;
    QByteArray m_data;
    QString m_eventText;
};

} // namespace Wsw::Ui
