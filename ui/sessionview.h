#pragma once

#include <QWidget>

#include "api/messagewebsocket.h"
#include "persistence/connectionprofile.h"

class QAbstractItemModel;
class QComboBox;
class QFrame;
class QLabel;
class QPushButton;
class QSplitter;
class QTabWidget;
class QVBoxLayout;

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
class SavedMessagesModel;
class SavedMessagesPanel;
class Session;

/**
 * Everything of one connection in the window (a tab): the URL bar with Connect/Disconnect and
 * the state; the Control editor and request headers; the message log with filters; the composer;
 * the inspectors (message detail, frames, handshake, information). It owns its Session; what is
 * enabled follows from that session's state in one place, updateEnabledState(). Errors show
 * inline, never in a modal box.
 */
class SessionView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionView)

public:
    /**
     * echoServer may be null (no built-in server); pins is the window's store of trusted keys;
     * urlHistory is the window's list of URLs, shared by every tab (a QStringListModel).
     */
    SessionView(BuiltInEchoServer *echoServer, PinStore *pins, QAbstractItemModel *urlHistory, QWidget *parent = nullptr);
    ~SessionView() override;

    Session &session() { return *m_session; }
    ControlEditor &controlEditor() { return *m_controlEditor; }
    RequestHeadersEditor &headersEditor() { return *m_headersEditor; }
    MessageLogPanel &logPanel() { return *m_logPanel; }
    Composer &composer() { return *m_composer; }
    SavedMessagesPanel &savedMessages() { return *m_savedPanel; }

    /** The URL as typed (not necessarily connected to). */
    QString urlText() const;
    void setUrlText(const QString &url);
    /** The name the user gave the tab; empty means "named after the URL". */
    QString customName() const { return m_customName; }
    void setCustomName(const QString &name);
    /** The tab's title: the custom name, else host:port and path of the URL, else "New connection". */
    QString title() const;

    /** The inline error panel's text; empty when it is hidden. */
    QString errorText() const;
    void showProblem(const QString &text);
    void clearProblem();

    /** Connect when not connected, drop the connection (no close frame) when it is. */
    void toggleConnection();
    /** Fills the URL field and connects. */
    void connectTo(const QUrl &url);
    void useBuiltInServer(bool tls);
    void showServerCertificate();
    void focusUrl();

    /**
     * The tab as a profile: its name, URL as typed, Control (the last one applied when the editor's
     * rows are not valid now), request headers and saved messages.
     */
    ConnectionProfile profile() const;
    /** Fills the tab from a profile (only while not connected). */
    void applyProfile(const ConnectionProfile &profile);

    /** Layout of the splitters, for the window's settings. */
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

Q_SIGNALS:
    /** title() may have changed. */
    void titleChanged();
    /** The session's state changed (the tab shows it). */
    void stateChanged(Wsw::ConnectionState state);
    /** A URL was connected to: the window's history should hold it first. */
    void urlConnected(const QString &url);
    /** The trusted pins were changed by the validation prompt (other tabs may show them). */
    void showPinsRequested();

private:
    QWidget *buildConnectionBar(QAbstractItemModel *urlHistory);
    QWidget *buildErrorPanel();
    QWidget *buildSettingsPanel();
    QWidget *buildInspectors();
    void connectSession();

    void onSendRequested(const QByteArray &payload);
    void onErrorChanged(const WebSocketError &error);
    void onValidationRequested(const MessageWebSocketInformation &certificate, std::chrono::milliseconds timeLeft);
    void showCertificate(const MessageWebSocketInformation &info);
    /** A line that says plainly when trust comes from a pin, an ignored error or a manual acceptance. */
    void updateTrustNote();
    void refreshInformation();
    /** The one place that decides what is enabled and what the state indicator says. */
    void updateEnabledState();

    BuiltInEchoServer *m_echoServer;
    PinStore *m_pins;
    Session *m_session;
    QString m_customName;
    SavedMessagesModel *m_savedMessages = nullptr;
    SavedMessagesPanel *m_savedPanel = nullptr;
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
    QTabWidget *m_settingsTabs = nullptr;
    ControlEditor *m_controlEditor = nullptr;
    RequestHeadersEditor *m_headersEditor = nullptr;
    MessageLogPanel *m_logPanel = nullptr;
    // layout
    QSplitter *m_body = nullptr;
    QSplitter *m_center = nullptr;
    QVBoxLayout *m_workLayout = nullptr;
    // inspectors
    QTabWidget *m_inspectors = nullptr;
    MessageDetailView *m_detail = nullptr;
    FrameInspector *m_frameInspector = nullptr;
    HandshakeView *m_handshakeView = nullptr;
    InformationView *m_informationView = nullptr;
    Composer *m_composer = nullptr;
};

} // namespace Wsw::Ui
