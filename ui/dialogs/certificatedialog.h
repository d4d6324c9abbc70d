#pragma once

#include <QDialog>
#include <QHash>
#include <QList>
#include <QString>

#include "api/certificatedetails.h"
#include "api/messagewebsocketcontrol.h"
#include "api/messagewebsocketinformation.h"

class QDialogButtonBox;
class QFormLayout;
class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTreeWidget;

namespace Wsw::Ui {

/**
 * Why a wss:// connection is, or is not, trusted (Qt's securesocketclient certificateinfo shape:
 * a chain picker plus the details of the selected certificate): a summary at the top that says
 * plainly when trust comes from a pin, an ignored error or a manual acceptance rather than the
 * chain; the chain from the leaf to the root; every field of the selected certificate and its
 * PEM; and the connection's errors, each with what the current Control does about it.
 *
 * Works as well for a failed connection (the engine keeps the chain after a failure). Meant for
 * non-modal use with open() or show(); it never runs an event loop of its own.
 */
class CertificateDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateDialog)

public:
    explicit CertificateDialog(QWidget *parent = nullptr);
    ~CertificateDialog() override;

    /** Shows a connection's chain and errors; control says which errors would be ignored / which pins are
     * set; host is the URL's host. */
    void showConnection(const MessageWebSocketInformation &info, const MessageWebSocketControl &control,
                        const QString &host);
    /** The summary line(s) shown at the top (also used by the validation prompt): trusted or not and why. */
    QString summary() const;
    /** The same summary for any connection; the host is info.tls.peerVerifyName. */
    static QString summaryOf(const MessageWebSocketInformation &info, const MessageWebSocketControl &control);

    /** Writes every certificate of the shown chain (leaf first) as PEM; false and *error on failure. */
    bool exportChain(const QString &path, QString *error = nullptr) const;
    /** The certificates of the shown chain, leaf first (what exportChain() writes). */
    QList<QSslCertificate> chainCertificates() const;

private:
    void showCertificate(int chainIndex);
    void fillErrors();
    void fillConnectionFields();
    QLabel *addConnectionField(QFormLayout *form, const QString &name);
    void updateEnabledState();
    void copyToClipboard(const QString &text, const QString &what);
    void startExport();
    void setStatus(const QString &text);
    int selectedChainIndex() const;
    QLabel *addField(const QString &name, bool monospace = false);
    void addSection(const QString &title);
    void setField(const QString &name, const QString &value, bool highlighted = false);

    // what is shown
    MessageWebSocketInformation m_info;
    MessageWebSocketControl m_control;
    QString m_host;
    QList<ChainEntry> m_chain;
    QList<CertificateDetails> m_details; // one per m_chain entry
    QString m_summary;

    // widgets
    QFrame *m_summaryFrame;
    QLabel *m_summaryIcon;
    QLabel *m_summaryLabel;
    QTreeWidget *m_chainTree;
    QTabWidget *m_detailTabs;
    QLabel *m_detailTitle;
    QHash<QString, QLabel *> m_fields;           // by field name (also the label's accessible name)
    QHash<QString, QLabel *> m_connectionFields; // what the chain was checked against, by name
    QPlainTextEdit *m_pem;
    QTableWidget *m_errorTable;
    QLabel *m_noErrorsLabel;
    QLabel *m_pinNote;
    QLabel *m_statusLabel;
    QPushButton *m_exportButton;
    QPushButton *m_copySha256Button;
    QPushButton *m_copyPinButton;
    QPushButton *m_closeButton;
};

} // namespace Wsw::Ui
