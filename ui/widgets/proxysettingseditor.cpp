#include "widgets/proxysettingseditor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace Wsw::Ui {

ProxySettingsEditor::ProxySettingsEditor(QWidget *parent)
    : QGroupBox(tr("Proxy and server login"), parent)
    , m_type(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_serverUser(new QLineEdit(this))
    , m_serverPassword(new QLineEdit(this))
{
    QFormLayout *form = FormRows::newForm(this);
    m_type->addItem(tr("None (direct)"), int(ProxyType::None));
    m_type->addItem(tr("System settings"), int(ProxyType::System));
    m_type->addItem(tr("HTTP CONNECT"), int(ProxyType::Http));
    m_type->addItem(tr("SOCKS5"), int(ProxyType::Socks5));
    m_rows.addRow(form, tr("Proxy"), m_type,
                  tr("How the connection reaches the server: directly; through the system's proxy (http_proxy, "
                     "https_proxy, no_proxy); or through an HTTP CONNECT or SOCKS5 proxy. wss:// stays TLS end to "
                     "end to the server; a proxy failure never falls back to a direct connection. Default: None."));
    m_host->setPlaceholderText(tr("proxy.example.org"));
    m_rows.addRow(form, tr("Proxy host"), m_host, tr("The HTTP or SOCKS5 proxy's host name or address. Default: none."));
    m_port->setRange(1, 65535);
    m_port->setValue(3128);
    m_rows.addRow(form, tr("Proxy port"), m_port, tr("The proxy's TCP port (1-65535). Default: 3128."));
    m_user->setPlaceholderText(tr("none"));
    m_rows.addRow(form, tr("Proxy user"), m_user,
                  tr("ProxyCredential: answered once when the proxy asks (Basic over HTTP CONNECT, "
                     "username/password for SOCKS5); a wrong one ends in ProxyAuthenticationRequired (407). "
                     "Default: none."));
    m_password->setEchoMode(QLineEdit::Password);
    m_rows.addRow(form, tr("Proxy password"), m_password,
                  tr("The proxy credential's password: never shown, logged or saved. Default: none."));

    m_serverUser->setPlaceholderText(tr("none"));
    m_rows.addRow(form, tr("Server user"), m_serverUser,
                  tr("ServerCredential: when the upgrade is answered 401, the workbench retries once on a fresh "
                     "connection with Digest (SHA-256, MD5) or Basic; a second 401 fails with Unauthorized. Basic "
                     "over ws:// sends the password readable by anyone, and the log says so. Default: none."));
    m_serverPassword->setEchoMode(QLineEdit::Password);
    m_rows.addRow(form, tr("Server password"), m_serverPassword,
                  tr("The server credential's password: never shown, logged or saved. Default: none."));

    for (QLineEdit *edit : {m_host, m_user, m_password, m_serverUser, m_serverPassword})
        connect(edit, &QLineEdit::textEdited, this, &ProxySettingsEditor::edited);
    connect(m_port, &QSpinBox::valueChanged, this, [this] {
        if (!m_settingValues)
            Q_EMIT edited();
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabledState();
        if (!m_settingValues)
            Q_EMIT edited();
    });
    updateEnabledState();
}

void ProxySettingsEditor::setFromControl(const MessageWebSocketControl &control)
{
    m_settingValues = true;
    m_type->setCurrentIndex(m_type->findData(int(control.proxy.type)));
    m_host->setText(control.proxy.host);
    if (control.proxy.port != 0)
        m_port->setValue(control.proxy.port);
    m_user->setText(control.proxyCredential ? control.proxyCredential->userName : QString());
    m_password->setText(control.proxyCredential ? control.proxyCredential->password : QString());
    m_serverUser->setText(control.serverCredential ? control.serverCredential->userName : QString());
    m_serverPassword->setText(control.serverCredential ? control.serverCredential->password : QString());
    m_settingValues = false;
    updateEnabledState();
}

bool ProxySettingsEditor::applyToControl(MessageWebSocketControl *control, QString *error) const
{
    const auto type = ProxyType(m_type->currentData().toInt());
    const bool explicitProxy = type == ProxyType::Http || type == ProxyType::Socks5;
    control->proxy.type = type;
    control->proxy.host = explicitProxy ? m_host->text().trimmed() : QString();
    control->proxy.port = explicitProxy ? quint16(m_port->value()) : 0;
    if (explicitProxy && control->proxy.host.isEmpty()) {
        FormRows::markInvalid(m_host, tr("An HTTP or SOCKS5 proxy needs its host"));
        if (error)
            *error = tr("Proxy host: an HTTP or SOCKS5 proxy needs its host name or address");
        return false;
    }
    FormRows::markInvalid(m_host, {});
    control->proxyCredential.reset();
    if (type != ProxyType::None && !m_user->text().isEmpty())
        control->proxyCredential = PasswordCredential{m_user->text(), m_password->text()};
    else if (type != ProxyType::None && !m_password->text().isEmpty()) {
        if (error)
            *error = tr("Proxy user: a proxy password needs a user name");
        return false;
    }
    control->serverCredential.reset();
    if (!m_serverUser->text().isEmpty()) {
        control->serverCredential = PasswordCredential{m_serverUser->text(), m_serverPassword->text()};
    } else if (!m_serverPassword->text().isEmpty()) {
        if (error)
            *error = tr("Server user: a server password needs a user name");
        return false;
    }
    return true;
}

void ProxySettingsEditor::setLocked(bool locked)
{
    m_locked = locked;
    updateEnabledState();
}

void ProxySettingsEditor::updateEnabledState()
{
    const auto type = ProxyType(m_type->currentData().toInt());
    const bool explicitProxy = type == ProxyType::Http || type == ProxyType::Socks5;
    m_type->setEnabled(!m_locked);
    m_host->setEnabled(!m_locked && explicitProxy);
    m_port->setEnabled(!m_locked && explicitProxy);
    m_user->setEnabled(!m_locked && type != ProxyType::None);
    m_password->setEnabled(!m_locked && type != ProxyType::None);
    m_serverUser->setEnabled(!m_locked);
    m_serverPassword->setEnabled(!m_locked);
}

} // namespace Wsw::Ui
