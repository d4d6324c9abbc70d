#include "mainwindow.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QStatusBar>
#include <QCloseEvent>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QStringListModel>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>

#include "builtinechoserver.h"
#include "dialogs/pinsmanagerdialog.h"
#include "models/messagelogmodel.h"
#include "persistence/workbenchsettings.h"
#include "pinstore.h"
#include "export/sessionfile.h"
#include "widgets/importedsessionview.h"
#include "session.h"
#include "sessionview.h"
#include "theme.h"
#include "widgets/composer.h"
#include "widgets/controleditor.h"
#include "widgets/messagelogpanel.h"
#include "widgets/requestheaderseditor.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {


/** A dot in the state's colour: the tab bar shows every connection's state at a glance. */
QIcon stateIcon(ConnectionState state)
{
    QColor color;
    switch (state) {
    case ConnectionState::Open:
        color = Theme::openState().foreground;
        break;
    case ConnectionState::Failed:
        color = Theme::failedState().foreground;
        break;
    case ConnectionState::Idle:
    case ConnectionState::Closed:
        color = Theme::idleState().background.darker(140);
        break;
    default:
        color = QColor(0xd0, 0x9a, 0x00); // busy: amber
        break;
    }
    QPixmap dot(16, 16);
    dot.fill(Qt::transparent);
    QPainter painter(&dot);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(3, 3, 10, 10));
    return QIcon(dot);
}

QString stateWord(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Open:
        return MainWindow::tr("open");
    case ConnectionState::Failed:
        return MainWindow::tr("failed");
    case ConnectionState::Idle:
        return MainWindow::tr("not connected");
    case ConnectionState::Closed:
        return MainWindow::tr("closed");
    case ConnectionState::Closing:
        return MainWindow::tr("closing");
    default:
        return MainWindow::tr("connecting");
    }
}

} // namespace

MainWindow::MainWindow(BuiltInEchoServer *echoServer, PinStore *pins, WorkbenchSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_echoServer(echoServer)
    , m_pins(pins ? pins : new PinStore({}, this))
    , m_settings(settings)
    , m_urlHistory(new QStringListModel(this))
    , m_tabs(new QTabWidget)
{
    setWindowTitle(tr("WebSocket Workbench"));
    setWindowIcon(QIcon(u":/icons/wsworkbench.svg"_s));
    m_tabs->setAccessibleName(tr("Connections"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->tabBar()->setExpanding(false);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeConnection);
    connect(m_tabs, &QTabWidget::tabBarDoubleClicked, this, [this](int index) {
        if (index >= 0)
            renameConnection(index);
        else
            newConnection();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateWindowTitle);
    auto *add = new QToolButton;
    add->setText(tr("+"));
    add->setAccessibleName(tr("New connection"));
    add->setToolTip(tr("New connection (Ctrl+T); double-click a tab to rename it"));
    add->setAutoRaise(true);
    connect(add, &QToolButton::clicked, this, &MainWindow::newConnection);
    m_tabs->setCornerWidget(add, Qt::TopRightCorner);
    setCentralWidget(m_tabs);
    resize(1400, 900);
    if (m_settings)
        restoreSettings();
    if (m_tabs->count() == 0)
        newConnection();
    buildMenus();
}

MainWindow::~MainWindow() = default;

// --- tabs ------------------------------------------------------------------------------------

SessionView *MainWindow::currentView() const
{
    return qobject_cast<SessionView *>(m_tabs->currentWidget());
}

int MainWindow::viewCount() const
{
    return m_tabs->count();
}

SessionView *MainWindow::view(int index) const
{
    return qobject_cast<SessionView *>(m_tabs->widget(index));
}

Session &MainWindow::session()
{
    return currentView()->session();
}

ControlEditor &MainWindow::controlEditor()
{
    return currentView()->controlEditor();
}

QString MainWindow::errorText() const
{
    return currentView()->errorText();
}

void MainWindow::connectTo(const QUrl &url)
{
    currentView()->connectTo(url);
}

SessionView *MainWindow::newConnection()
{
    return addView(new SessionView(m_echoServer, m_pins, m_urlHistory));
}

SessionView *MainWindow::duplicateConnection()
{
    SessionView *source = currentView();
    auto *copy = new SessionView(m_echoServer, m_pins, m_urlHistory);
    copy->setUrlText(source->urlText());
    QString error;
    if (const std::optional<MessageWebSocketControl> control = source->controlEditor().control(&error))
        copy->controlEditor().setControl(*control);
    else
        copy->showProblem(tr("The Control of “%1” is not valid (%2): this copy starts from the defaults.")
                                  .arg(source->title(), error));
    if (const std::optional<Codec::HeaderList> headers = source->headersEditor().headers(&error))
        copy->headersEditor().setHeaders(*headers);
    if (!source->customName().isEmpty())
        copy->setCustomName(tr("%1 (copy)").arg(source->customName()));
    return addView(copy);
}

SessionView *MainWindow::addView(SessionView *view)
{
    connect(view, &SessionView::titleChanged, this, [this, view] { updateTab(view); });
    connect(view, &SessionView::stateChanged, this, [this, view] { updateTab(view); });
    connect(view, &SessionView::urlConnected, this, &MainWindow::rememberUrl);
    const int index = m_tabs->addTab(view, view->title());
    updateTab(view);
    m_tabs->setCurrentIndex(index);
    view->focusUrl();
    return view;
}

void MainWindow::closeConnection(int index)
{
    QWidget *closing = m_tabs->widget(index);
    if (!closing)
        return;
    if (m_tabs->count() == 1)
        newConnection(); // the window always offers a connection to make
    m_tabs->removeTab(m_tabs->indexOf(closing));
    if (auto *connection = qobject_cast<SessionView *>(closing))
        connection->session().disconnectNow();
    closing->deleteLater();
}

void MainWindow::renameConnection(int index)
{
    SessionView *renamed = view(index);
    if (!renamed)
        return; // an imported log is named after its file
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename connection"),
                                               tr("Name of this connection (empty: named after its URL):"),
                                               QLineEdit::Normal, renamed->customName(), &ok);
    if (ok)
        renamed->setCustomName(name);
}

void MainWindow::updateTab(SessionView *view)
{
    const int index = m_tabs->indexOf(view);
    if (index < 0)
        return;
    const ConnectionState state = view->session().state();
    m_tabs->setTabText(index, view->title());
    m_tabs->setTabIcon(index, stateIcon(state));
    m_tabs->setTabToolTip(index, u"%1 — %2"_s.arg(view->urlText(), stateWord(state)));
    if (QWidget *close = m_tabs->tabBar()->tabButton(index, QTabBar::RightSide)) {
        close->setAccessibleName(tr("Close connection %1").arg(view->title()));
        close->setToolTip(tr("Close this connection (Ctrl+W)"));
    }
    if (index == m_tabs->currentIndex())
        updateWindowTitle();
}

void MainWindow::updateWindowTitle()
{
    const QString tab = m_tabs->tabText(m_tabs->currentIndex());
    setWindowTitle(tab.isEmpty() ? tr("WebSocket Workbench") : tr("%1 — WebSocket Workbench").arg(tab));
}

void MainWindow::onCurrentView(const std::function<void(SessionView *)> &action)
{
    if (SessionView *current = currentView())
        action(current);
    else
        statusBar()->showMessage(tr("This tab is an imported log: open or choose a connection's tab for that."), 6000);
}

void MainWindow::rememberUrl(const QString &url)
{
    if (m_settings)
        m_settings->addUrlToHistory(url);
    QStringList urls = m_urlHistory->stringList();
    urls.removeAll(url);
    urls.prepend(url);
    while (urls.size() > WorkbenchSettings::MaxUrlHistory) // the bound the settings keep
        urls.removeLast();
    // every tab's combo box shares the model: keep each one's text as typed
    QList<QPair<SessionView *, QString>> texts;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (SessionView *tab = view(i))
            texts.append({tab, tab->urlText()});
    m_urlHistory->setStringList(urls);
    for (const auto &[v, text] : texts)
        v->setUrlText(text);
}

QStringList MainWindow::urlHistory() const
{
    return m_urlHistory->stringList();
}

// --- settings and profiles -------------------------------------------------------------------

void MainWindow::restoreSettings()
{
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_urlHistory->setStringList(m_settings->urlHistory());
    const WorkbenchSettings::OpenTabs open = m_settings->openTabs();
    const QByteArray layout = m_settings->viewState(u"connection"_s);
    for (const ConnectionProfile &profile : open.tabs) {
        auto *restored = new SessionView(m_echoServer, m_pins, m_urlHistory);
        restored->applyProfile(profile);
        restored->restoreLayout(layout);
        addView(restored);
    }
    if (open.current >= 0 && open.current < m_tabs->count())
        m_tabs->setCurrentIndex(open.current);
    if (m_tabs->count() == 0) {
        newConnection()->restoreLayout(layout);
    }
    for (const QString &note : m_settings->takeNotes())
        currentView()->session().note(note);
}

void MainWindow::saveSettings()
{
    if (!m_settings)
        return;
    QList<ConnectionProfile> tabs;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (SessionView *tab = view(i))
            tabs << tab->profile();
    m_settings->setOpenTabs(tabs, m_tabs->currentIndex());
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    if (SessionView *current = currentView())
        m_settings->setViewState(u"connection"_s, current->saveLayout());
    m_settings->sync();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

bool MainWindow::openProfile(const QString &path)
{
    return showOpenedProfile(ProfileFileDialogs::openProfileFile(this, path));
}

bool MainWindow::showOpenedProfile(const ProfileFileDialogs::OpenOutcome &outcome)
{
    if (!outcome.profile) {
        if (!outcome.error.isEmpty())
            onCurrentView([&](SessionView *v) {
                v->showProblem(tr("The profile %1 was not opened: %2").arg(outcome.path, outcome.error));
            });
        return false;
    }
    // a fresh tab, unless the current one is untouched (not connected, nothing logged, no name)
    SessionView *target = currentView();
    if (!target || target->session().isActive() || target->session().messageLog()->rowCount() > 0
        || !target->customName().isEmpty())
        target = newConnection();
    target->applyProfile(*outcome.profile);
    if (target->customName().isEmpty() && !outcome.profile->name.isEmpty())
        target->setCustomName(outcome.profile->name);
    target->session().note(tr("opened the profile %1").arg(outcome.path));
    for (const QString &warning : outcome.warnings)
        target->session().note(tr("profile: %1").arg(warning));
    return true;
}

// --- session logs ----------------------------------------------------------------------------

bool MainWindow::exportLog(const QString &path, QString *error)
{
    SessionView *current = currentView();
    if (!current) {
        if (error)
            *error = tr("the current tab is an imported log, not a connection");
        return false;
    }
    const SessionLogFormat format = path.endsWith(u".har"_s, Qt::CaseInsensitive) ? SessionLogFormat::Har
                                                                                  : SessionLogFormat::JsonLines;
    return exportSessionLog(current->session(), path, format, error);
}

void MainWindow::exportLogAs(bool har)
{
    onCurrentView([this, har](SessionView *v) {
        const SessionLogFormat format = har ? SessionLogFormat::Har : SessionLogFormat::JsonLines;
        const QString directory = m_settings ? m_settings->lastProfileDirectory() : QString();
        const QString suggested = suggestedSessionLogFileName(v->session().url(), QDateTime::currentMSecsSinceEpoch(), format);
        const QString path = QFileDialog::getSaveFileName(this, har ? tr("Export log as HAR") : tr("Export log as JSON Lines"),
                                                          QDir(directory).filePath(suggested), sessionLogFileFilter(format));
        if (path.isEmpty())
            return;
        QString error;
        if (exportSessionLog(v->session(), path, format, &error))
            v->session().note(tr("log exported to %1").arg(path));
        else
            v->showProblem(tr("The log was not exported: %1").arg(error));
    });
}

bool MainWindow::importLog(const QString &path, QString *error)
{
    SessionImport imported = importSessionLog(path);
    if (!imported.ok()) {
        if (error)
            *error = imported.error;
        return false;
    }
    auto *view = new ImportedSessionView(*imported.record, path);
    view->setImportWarnings(imported.skipped, imported.warnings);
    const int index = m_tabs->addTab(view, view->title());
    m_tabs->setTabToolTip(index, tr("%1 — read-only").arg(path));
    m_tabs->setCurrentIndex(index);
    if (QWidget *close = m_tabs->tabBar()->tabButton(index, QTabBar::RightSide))
        close->setAccessibleName(tr("Close %1").arg(view->title()));
    return true;
}

void MainWindow::chooseLogToImport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import log"), {}, sessionLogImportFilter());
    if (path.isEmpty())
        return;
    QString error;
    if (!importLog(path, &error)) {
        const QString text = tr("The log %1 was not imported: %2").arg(path, error);
        if (SessionView *current = currentView())
            current->showProblem(text);
        else
            statusBar()->showMessage(text, 15000);
    }
}

// --- menus -----------------------------------------------------------------------------------

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("New connection"), QKeySequence::AddTab, this, &MainWindow::newConnection);
    file->addAction(tr("Duplicate connection"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this,
                    &MainWindow::duplicateConnection);
    file->addAction(tr("Rename connection…"), QKeySequence(Qt::Key_F2), this,
                    [this] { renameConnection(m_tabs->currentIndex()); });
    file->addAction(tr("Close connection"), QKeySequence::Close, this, [this] { closeConnection(m_tabs->currentIndex()); });
    file->addSeparator();
    file->addAction(tr("Open connection profile…"), QKeySequence::Open, this,
                    [this] { showOpenedProfile(ProfileFileDialogs::openProfile(this, m_settings)); });
    file->addAction(tr("Save connection profile…"), QKeySequence::Save, this, [this] {
        onCurrentView([this](SessionView *v) { ProfileFileDialogs::saveProfile(this, v->profile(), m_settings); });
    });
    file->addSeparator();
    file->addAction(tr("Export log as JSON Lines…"), this, [this] { exportLogAs(false); });
    file->addAction(tr("Export log as HAR…"), this, [this] { exportLogAs(true); });
    file->addAction(tr("Import log…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, &MainWindow::chooseLogToImport);
    file->addSeparator();
    file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    QAction *connectAction = connection->addAction(tr("Connect / Disconnect"), this, [this] { onCurrentView([](SessionView *v) { v->toggleConnection(); }); });
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connection->addAction(tr("Go to the URL"), QKeySequence(Qt::CTRL | Qt::Key_U), this, [this] { onCurrentView([](SessionView *v) { v->focusUrl(); }); });
    connection->addAction(tr("Use the built-in echo server (ws://)"), this, [this] { onCurrentView([](SessionView *v) { v->useBuiltInServer(false); }); })
            ->setEnabled(m_echoServer && m_echoServer->isRunning());
    connection->addAction(tr("Use the built-in echo server (wss://)"), this, [this] { onCurrentView([](SessionView *v) { v->useBuiltInServer(true); }); })
            ->setEnabled(m_echoServer && m_echoServer->tlsUrl().isValid());
    connection->addSeparator();
    connection->addAction(tr("Server certificate…"), this, [this] { onCurrentView([](SessionView *v) { v->showServerCertificate(); }); });
    connection->addAction(tr("Trusted certificates…"), this, &MainWindow::showPinsManager);

    QMenu *log = menuBar()->addMenu(tr("&Log"));
    log->addAction(tr("Find"), QKeySequence::Find, this, [this] { onCurrentView([](SessionView *v) { v->logPanel().focusFilter(); }); });
    log->addAction(tr("Clear"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] { onCurrentView([](SessionView *v) { v->session().clearLogs(); }); });
    log->addAction(tr("Compose a message"), QKeySequence(Qt::CTRL | Qt::Key_M), this,
                   [this] { onCurrentView([](SessionView *v) { v->composer().focusMessage(); }); });
}

void MainWindow::showPinsManager()
{
    auto *dialog = new PinsManagerDialog(m_pins, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace Wsw::Ui
