#pragma once

#include <QMainWindow>

#include "api/messagewebsocket.h"

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace Wsw::Ui {

class BuiltInEchoServer;
class Composer;
class ControlEditor;
class HandshakeView;
class InformationView;
class MessageDetailView;
class FrameInspector;
class MessageLogPanel;
class PinStore;
class RequestHeadersEditor;
class Session;

/**
 * The workbench window for one Session: the URL bar with history, Connect/Disconnect and the
 * state; the Control editor and request headers; the message log with filters; the composer;
 * and the inspectors (message detail, frames, handshake, information). Every panel is made by
 * its own build function; what is enabled follows from the session's state in one place,
 * updateEnabledState(). Errors show inline, never in a modal box.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /**
     * echoServer may be null (no built-in server, e.g. in tests that bring their own); pins null
     * means the trusted pins in the app's config folder.
     */
    explicit MainWindow(BuiltInEchoServer *echoServer = nullptr, PinStore *pins = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    /** Fills the URL field and connects. */
    void connectTo(const QUrl &url);
    Session &session() { return *m_session; }
    ControlEditor &controlEditor() { return *m_controlEditor; }
    /** The inline error panel's text; empty when it is hidden. */
    QString errorText() const;

private:
    QWidget *buildConnectionBar();
    QWidget *buildErrorPanel();
    QWidget *buildSettingsPanel();
    QWidget *buildInspectors();
    void buildMenus();
    void connectSession();

    void onConnectClicked();
    void useBuiltInServer(bool tls);
    void onSendRequested(const QByteArray &payload);
    void onErrorChanged(const WebSocketError &error);
    void onValidationRequested(const MessageWebSocketInformation &certificate, std::chrono::milliseconds timeLeft);
    void showCertificate(const MessageWebSocketInformation &info);
    void showPinsManager();
    /** A line that says plainly when trust comes from a pin, an ignored error or a manual acceptance. */
    void updateTrustNote();
    void rememberUrl(const QString &url);
    void refreshInformation();
    /** The one place that decides what is enabled and what the state indicator says. */
    void updateEnabledState();
    void showProblem(const QString &text);
    void clearProblem();

    BuiltInEchoServer *m_echoServer;
    PinStore *m_pins;
    Session *m_session;
    // connection bar
    QComboBox *m_url = nullptr;
    QPushButton *m_connectButton = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_serverNote = nullptr;
    QLabel *m_trustNote = nullptr;
    QPushButton *m_errorCertificateButton = nullptr;
    // inline error
    QFrame *m_errorPanel = nullptr;
    QLabel *m_errorText = nullptr;
    // settings
    ControlEditor *m_controlEditor = nullptr;
    RequestHeadersEditor *m_headersEditor = nullptr;
    MessageLogPanel *m_logPanel = nullptr;
    // inspectors
    QTabWidget *m_inspectors = nullptr;
    MessageDetailView *m_detail = nullptr;
    FrameInspector *m_frameInspector = nullptr;
    HandshakeView *m_handshakeView = nullptr;
    InformationView *m_informationView = nullptr;
    Composer *m_composer = nullptr;
};

} // namespace Wsw::Ui
