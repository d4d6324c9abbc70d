#pragma once

#include <QGroupBox>

#include "api/messagewebsocketcontrol.h"
#include "widgets/formrows.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace Wsw::Ui {

/**
 * The "Proxy and server login" section of the Control editor: none, the system's, HTTP CONNECT or
 * SOCKS5 with host and port, the proxy credential, and the server credential for a 401. Passwords
 * stay in their password-echo line edits only: they are read when applyToControl() builds the
 * Control and are never logged, shown in an error or saved.
 */
class ProxySettingsEditor final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxySettingsEditor)

public:
    explicit ProxySettingsEditor(QWidget *parent = nullptr);

    /** Shows the proxy fields of a Control; emits nothing. */
    void setFromControl(const MessageWebSocketControl &control);
    /** Writes the proxy fields into *control; false and *error ("<row label>: …") for a wrong row. */
    bool applyToControl(MessageWebSocketControl *control, QString *error = nullptr) const;
    void setLocked(bool locked);
    const FormRows &rows() const { return m_rows; }

Q_SIGNALS:
    void edited();

private:
    void updateEnabledState();

    FormRows m_rows;
    QComboBox *m_type;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_serverUser;
    QLineEdit *m_serverPassword;
    bool m_locked = false;
    bool m_settingValues = false;
};

} // namespace Wsw::Ui
