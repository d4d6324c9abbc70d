#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QWidget>

#include "api/messagewebsocketcontrol.h"

class QVBoxLayout;

namespace Wsw::Ui {

/**
 * Edits a MessageWebSocketControl: a scrollable form in sections (Messages, Connection &
 * timeouts, Compression, TLS), one row per Control property, each a label plus a typed editor
 * whose accessible name is the label's text. It checks what MessageWebSocket::setControl()
 * would refuse before the window calls it, and names the row that is wrong. It never connects
 * anything: the window decides when a Control is applied and when the editor is locked.
 *
 * The client certificate's passphrase stays in its (password-echo) line edit only: it is read
 * when control() loads the files, and is never copied, logged or shown in an error.
 */
class ControlEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlEditor)

public:
    explicit ControlEditor(QWidget *parent = nullptr);
    ~ControlEditor() override;

    /**
     * Shows a Control. A client certificate given here has no file names: it is shown as "set
     * by the program" and returned by control() until files are chosen or it is cleared. Values
     * the editor cannot hold (non-ignorable certificate errors, timeouts beyond 24 days) are
     * dropped or clamped: setControl() would refuse them anyway. Emits nothing.
     */
    void setControl(const MessageWebSocketControl &control);
    /**
     * The Control the rows describe, checked as MessageWebSocket::setControl() checks it (and
     * the client certificate loaded from its files with ClientCertificate::load()); nullopt and
     * *error ("<row label>: <what is wrong>") for the first wrong row. A certificate loading
     * error is also shown under the certificate rows.
     */
    std::optional<MessageWebSocketControl> control(QString *error = nullptr) const;

    /**
     * While connected every property except the message type is fixed (MessageWebSocket
     * refuses the change): locking disables every other row and shows "Fixed while connected".
     */
    void setLocked(bool locked);
    bool isLocked() const { return m_locked; }

    /** Follows the window's Text/Binary switch; emits nothing, so the two never loop. */
    void setMessageType(SocketMessageType type);
    SocketMessageType messageType() const;

    /** What Add… does with each file the picker returns: PEM or DER, every certificate in it. */
    bool addCaCertificatesFromFile(const QString &path, QString *error = nullptr);

Q_SIGNALS:
    /** The user changed the message type (not setControl() or setMessageType()). */
    void messageTypeChanged(Wsw::SocketMessageType type);
    /** The user changed any row (the message type included). */
    void edited();

private:
    struct Rows;

    void buildUi();
    /** One builder per section; each adds its group box to the column of sections. */
    void buildMessagesSection(QVBoxLayout *sections);
    void buildConnectionSection(QVBoxLayout *sections);
    void buildCompressionSection(QVBoxLayout *sections);
    void buildTlsSection(QVBoxLayout *sections);
    void connectEdits();
    /** The one place that decides what is enabled: the lock, and rows that depend on a checkbox. */
    void updateEnabledState();
    void onUserEdit();
    void validateLiveText();

    std::unique_ptr<Rows> m_rows; // pointers to the editors; Qt's parent tree owns the widgets
    bool m_locked = false;
    bool m_settingValues = false; // true while setControl()/setMessageType() fill the rows
};

} // namespace Wsw::Ui
