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
 * messages with millisecond timestamps, ping with round-trip time, close or drop. Errors show
 * inline, never in a modal box. (The full workbench, with the Control editor, inspectors and
 * statistics, comes later.)
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
    void onCloseClicked();
    void onSendClicked();
    void onPingClicked();
    void onMessageTypeToggled();
    void onConnected();
    void onMessageReceived(const MessageWebSocketMessageReceivedEventArgs &args);
    void onPongReceived(std::chrono::milliseconds roundTrip);
    void onClosed(const WebSocketClosedEventArgs &args);
    void onError(const WebSocketError &error);
    /** The one place that decides what is enabled and what the state label says, from the engine's state. */
    void updateEnabledState();
    void appendLog(QStringView direction, const QString &text);
    void showError(const QString &text);
    void clearError();

    MessageWebSocket m_socket;
    QLineEdit *m_url;
    QPushButton *m_connectButton;
    QPushButton *m_closeButton;
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
