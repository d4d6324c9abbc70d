#pragma once

#include <functional>

#include <QMainWindow>

#include "api/messagewebsocket.h"
#include "dialogs/profilefiledialogs.h"

class QStringListModel;
class QTabWidget;

namespace Wsw::Ui {

class BuiltInEchoServer;
class ControlEditor;
class PinStore;
class Session;
class SessionView;
class WorkbenchSettings;

/**
 * The workbench window: one tab per connection (a SessionView with its own Session, Control,
 * log, inspectors and statistics), the menus that act on the current tab, and what all tabs
 * share: the URL history, the trusted pins and the built-in echo server. Tabs are created,
 * duplicated, renamed and closed here; each tab's icon shows its connection state.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /**
     * echoServer may be null (no built-in server, e.g. in tests that bring their own); pins null
     * means the trusted pins in the app's config folder. settings, when given, restores the tabs,
     * the URL history and the layout now and keeps them when the window closes (saveSettings()).
     */
    explicit MainWindow(BuiltInEchoServer *echoServer = nullptr, PinStore *pins = nullptr,
                        WorkbenchSettings *settings = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    /** Fills the current tab's URL field and connects. */
    void connectTo(const QUrl &url);
    /** The current tab's session, Control editor and inline error (empty when hidden). */
    Session &session();
    ControlEditor &controlEditor();
    QString errorText() const;

    SessionView *currentView() const;
    int viewCount() const;
    SessionView *view(int index) const;
    /** Opens a new tab (on the built-in server's URL when there is one) and makes it current. */
    SessionView *newConnection();
    /** A new tab with the current tab's URL, Control, headers and name. */
    SessionView *duplicateConnection();
    /** Closes a tab, dropping its connection; the window always keeps one tab. */
    void closeConnection(int index);
    /** Asks for a new name for a tab (empty: named after its URL again). */
    void renameConnection(int index);
    /** The URLs connected to, most recent first (shared by every tab). */
    QStringList urlHistory() const;
    /** Keeps the tabs (never their passwords), the URL history and the layout in the settings. */
    void saveSettings();
    /** Opens a connection profile file in a new tab; false with the reason shown in the tab. */
    bool openProfile(const QString &path);
    /** Writes the current connection's log (JSON Lines or HAR by the name's suffix .har); false + error. */
    bool exportLog(const QString &path, QString *error = nullptr);
    /** Opens a session log file (JSON Lines or HAR) in a read-only tab; false + error. */
    bool importLog(const QString &path, QString *error = nullptr);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    SessionView *addView(SessionView *view);
    void rememberUrl(const QString &url);
    void updateTab(SessionView *view);
    void updateWindowTitle();
    void showPinsManager();
    void restoreSettings();
    void exportLogAs(bool har);
    void chooseLogToImport();
    /** Runs action on the current tab when it is a connection (not an imported log). */
    void onCurrentView(const std::function<void(SessionView *)> &action);
    bool showOpenedProfile(const ProfileFileDialogs::OpenOutcome &outcome);

    BuiltInEchoServer *m_echoServer;
    PinStore *m_pins;
    WorkbenchSettings *m_settings;
    QStringListModel *m_urlHistory;
    QTabWidget *m_tabs;
};

} // namespace Wsw::Ui
