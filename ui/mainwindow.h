#pragma once

#include <QMainWindow>

#include "api/messagewebsocket.h"

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace Wsw::Ui {

/**
 * The first workbench window: connect to a URL, switch the message type live, send and see
 * messages with millisecond timestamps, ping with round-trip time, close. Errors show inline.
 * (The full workbench, with the Control editor, inspectors and statistics, comes later.)
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);

    /** Fills the URL field and connects. */
    void connectTo(const QUrl &url);
    /** The log's text (for tests). */
    QString logText() const;
    MessageWebSocket &socket() { return m_socket; }

private:
    void onConnectClicked();
    void onSendClicked();
    void onMessageTypeToggled();
    void onMessageReceived(const MessageWebSocketMessageReceivedEventArgs &args);
    void onClosed(const WebSocketClosedEventArgs &args);
    void onError(const WebSocketError &error);
    void onStateChanged(ConnectionState state);
    /** The one place that decides what is enabled, from the engine's state. */
    void updateEnabledState();
    void appendLog(const QString &direction, const QString &text);
    void showStatus(const QString &text, bool isError);

    MessageWebSocket m_socket;
    QLineEdit *m_url;
    QPushButton *m_connectButton;
    QLabel *m_stateLabel;
    QToolButton *m_textButton;
    QToolButton *m_binaryButton;
    QButtonGroup *m_typeGroup;
    QPlainTextEdit *m_log;
    QLineEdit *m_composer;
    QPushButton *m_sendButton;
    QPushButton *m_pingButton;
    QLabel *m_status;
};

} // namespace Wsw::Ui
