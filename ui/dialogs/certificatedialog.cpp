#include "dialogs/certificatedialog.h"

#include <algorithm>
#include <iterator>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSplitter>
#include <QSslConfiguration>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "theme.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

using R = ChainValidationResult;

// The field names: each is the row's label and its value label's accessible name.
QString fieldSubject()
{
    return CertificateDialog::tr("Subject");
}
QString fieldIssuer()
{
    return CertificateDialog::tr("Issuer");
}
QString fieldSerial()
{
    return CertificateDialog::tr("Serial number");
}
QString fieldVersion()
{
    return CertificateDialog::tr("Version");
}
QString fieldNotBefore()
{
    return CertificateDialog::tr("Valid from");
}
QString fieldNotAfter()
{
    return CertificateDialog::tr("Valid until");
}
QString fieldDaysRemaining()
{
    return CertificateDialog::tr("Days remaining");
}
QString fieldSans()
{
    return CertificateDialog::tr("Subject alternative names");
}
QString fieldKeyUsage()
{
    return CertificateDialog::tr("Key usage");
}
QString fieldExtendedKeyUsage()
{
    return CertificateDialog::tr("Extended key usage");
}
QString fieldBasicConstraints()
{
    return CertificateDialog::tr("Basic constraints");
}
QString fieldPublicKey()
{
    return CertificateDialog::tr("Public key");
}
QString fieldSignature()
{
    return CertificateDialog::tr("Signature algorithm");
}
QString fieldSha1()
{
    return CertificateDialog::tr("SHA-1 fingerprint");
}
QString fieldSha256()
{
    return CertificateDialog::tr("SHA-256 fingerprint");
}
QString fieldPin()
{
    return CertificateDialog::tr("SPKI pin");
}
// What the chain was checked against (under the chain).
QString connectionHost()
{
    return CertificateDialog::tr("Host name");
}
QString connectionTls()
{
    return CertificateDialog::tr("TLS session");
}
QString connectionAnchors()
{
    return CertificateDialog::tr("Trusted CAs");
}
QString connectionIgnored()
{
    return CertificateDialog::tr("Ignored errors");
}
QString connectionPins()
{
    return CertificateDialog::tr("Pinned keys");
}
QString connectionOverride()
{
    return CertificateDialog::tr("Manual override");
}

// The columns of the chain tree and of the error table.
enum ChainColumn { ChainName, ChainStatus, ChainColumnCount };
enum ErrorColumn {
    ErrorName,
    ErrorSeverity,
    ErrorExplanation,
    ErrorCertificate,
    ErrorIgnored,
    ErrorColumnCount
};

/** The role holding a chain item's index into m_chain (-1 for the "missing issuer" row). */
constexpr int ChainIndexRole = Qt::UserRole;
/** The property holding the text a field's "Copy" action copies (the shown text may be wrapped). */
constexpr const char *CopyTextProperty = "wswCopyText";

/** What the current Control does about one error of the chain. */
enum class Disposition {
    IgnoredByControl, // listed in ignorableServerCertificateErrors
    WaivedByPin,      // a trust error, and the leaf's key is pinned
    NeverIgnorable,   // Fatal: nothing may waive it
    NotIgnored,
};

bool isTrustError(R result)
{
    return result == R::Untrusted || result == R::IncompleteChain;
}

bool pinListHas(const QStringList &pins, const QSslCertificate &certificate)
{
    const QByteArray digest = SpkiPin::digestOf(certificate);
    if (digest.isEmpty())
        return false;
    return std::any_of(pins.cbegin(), pins.cend(),
                       [&](const QString &pin) { return SpkiPin::digestOf(pin) == digest; });
}

/** The leaf of the connection, or a null certificate. */
QSslCertificate leafOf(const MessageWebSocketInformation &info)
{
    return info.serverCertificate.value_or(QSslCertificate());
}

/** Whether the server's leaf key is among Control's pins (what waives Untrusted and IncompleteChain). */
bool leafIsPinned(const MessageWebSocketInformation &info, const MessageWebSocketControl &control)
{
    return !control.pinnedPublicKeys.isEmpty() && pinListHas(control.pinnedPublicKeys, leafOf(info));
}

Disposition dispositionOf(R result, const MessageWebSocketInformation &info,
                          const MessageWebSocketControl &control)
{
    if (!ChainValidation::isIgnorable(result))
        return Disposition::NeverIgnorable;
    if (control.ignorableServerCertificateErrors.contains(result))
        return Disposition::IgnoredByControl;
    if (isTrustError(result) && leafIsPinned(info, control))
        return Disposition::WaivedByPin;
    return Disposition::NotIgnored;
}

/**
 * The pin that makes Control's pins hold: info.tls.matchedPin when the engine found one,
 * otherwise the first presented key on the list (only the leaf when the chain has trust errors,
 * as the engine decides). Empty when nothing matches.
 */
QString matchingPin(const MessageWebSocketInformation &info, const MessageWebSocketControl &control)
{
    if (!info.tls.matchedPin.isEmpty())
        return info.tls.matchedPin;
    QList<QSslCertificate> presented;
    if (info.serverCertificate)
        presented.append(*info.serverCertificate);
    const bool leafOnly =
        std::any_of(info.serverCertificateErrors.cbegin(), info.serverCertificateErrors.cend(), isTrustError);
    if (!leafOnly)
        presented += info.serverIntermediateCertificates;
    for (const QSslCertificate &certificate : std::as_const(presented)) {
        if (pinListHas(control.pinnedPublicKeys, certificate))
            return SpkiPin::of(certificate);
    }
    return {};
}

QStringList names(const QList<R> &results)
{
    QStringList list;
    for (R result : results)
        list.append(ChainValidation::name(result));
    return list;
}

/** "1 day", "3 days" (English plurals without a translation file). */
QString dayCount(qint64 days)
{
    return days == 1 || days == -1 ? CertificateDialog::tr("%1 day").arg(days)
                                   : CertificateDialog::tr("%1 days").arg(days);
}

QString quoted(const QString &text)
{
    return u"“"_s + text + u"”"_s;
}

QString dateText(const QDateTime &dateTime)
{
    return dateTime.isValid() ? dateTime.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s)
                              : CertificateDialog::tr("—");
}

/** The trust store a chain is completed from: Control's additional CAs, then the system's. */
QList<QSslCertificate> trustStore(const MessageWebSocketControl &control)
{
    // Read once: parsing the system's bundle takes a moment, and it does not change while we run.
    static const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    return control.additionalCaCertificates + system;
}

/** Why one error is there, naming the certificate and the host where that helps. */
QString reasonFor(R result, const QList<ChainEntry> &chain, const QString &host)
{
    const auto entryWith = [&](R r) -> const ChainEntry * {
        for (const ChainEntry &entry : chain) {
            if (entry.results.contains(r))
                return &entry;
        }
        return chain.isEmpty() ? nullptr : &chain.constFirst();
    };
    const ChainEntry *entry = entryWith(result);
    if (!entry)
        return ChainValidation::explanation(result);
    const CertificateDetails d = certificateDetails(entry->certificate);
    switch (result) {
    case R::Expired:
        if (d.isNotYetValid())
            return CertificateDialog::tr("%1 is not valid before %2 (in %3).")
                .arg(quoted(d.subjectDisplayName), dateText(d.notBefore),
                     dayCount(QDateTime::currentDateTimeUtc().daysTo(d.notBefore)));
        if (d.isExpired())
            return CertificateDialog::tr("%1 expired on %2 (%3 ago).")
                .arg(quoted(d.subjectDisplayName), dateText(d.notAfter), dayCount(-d.daysRemaining()));
        break;
    case R::InvalidName: {
        const QString named = d.subjectAlternativeNames.isEmpty() ? u"CN="_s + d.subjectDisplayName
                                                                  : d.subjectAlternativeNames.join(u", "_s);
        return CertificateDialog::tr("The certificate is for %1, not for %2.")
            .arg(named, host.isEmpty() ? CertificateDialog::tr("the host connected to") : quoted(host));
    }
    case R::Untrusted: {
        const CertificateDetails last = certificateDetails(chain.constLast().certificate);
        if (chain.size() == 1 && last.selfIssued)
            return CertificateDialog::tr("%1 is self-signed and is not among the trusted CAs.")
                .arg(quoted(last.subjectDisplayName));
        return CertificateDialog::tr("The chain ends at %1, which is not a trusted root.")
            .arg(quoted(last.subjectDisplayName));
    }
    case R::IncompleteChain: {
        const CertificateDetails last = certificateDetails(chain.constLast().certificate);
        if (!last.selfIssued)
            return CertificateDialog::tr(
                       "The issuer of %1, %2, was not sent by the server and is not in the trust "
                       "store.")
                .arg(quoted(last.subjectDisplayName), quoted(last.issuerDisplayName));
        break;
    }
    default:
        break;
    }
    return ChainValidation::explanation(result);
}

enum class Trust { Unknown, Trusted, TrustedOtherwise, NotTrusted };

struct Verdict
{
    Trust trust = Trust::Unknown;
    QString text;
};

Verdict judge(const MessageWebSocketInformation &info, const MessageWebSocketControl &control,
              const QList<ChainEntry> &chain, const QString &host)
{
    if (!info.serverCertificate || info.serverCertificate->isNull())
        return {Trust::Unknown,
                CertificateDialog::tr("No server certificate: this is not a wss:// connection, or its "
                                      "TLS handshake did not get as far as the certificate.")};
    const QList<R> &errors = info.serverCertificateErrors;
    const QString hostText = host.isEmpty() ? CertificateDialog::tr("this host") : host;

    if (info.tls.acceptedByOverride)
        return {
            Trust::TrustedOtherwise,
            CertificateDialog::tr(
                "Trusted by a manual acceptance, not by the certificate chain: it was accepted "
                "despite %1.")
                .arg(errors.isEmpty() ? CertificateDialog::tr("its errors") : names(errors).join(u", "_s))};

    const bool pinsGiven = !control.pinnedPublicKeys.isEmpty();
    const QString pin = pinsGiven ? matchingPin(info, control) : QString();
    const bool pinsHold = !pinsGiven || !pin.isEmpty();

    if (info.tls.defaultValidationPassed && pinsHold) {
        if (errors.isEmpty()) {
            QString text =
                CertificateDialog::tr("Trusted: the certificate chain is valid for %1.").arg(hostText);
            if (!pin.isEmpty())
                text += u'\n' +
                        CertificateDialog::tr("The server's key also matches the pinned key %1.").arg(pin);
            return {Trust::Trusted, text};
        }
        QStringList lines{CertificateDialog::tr("Trusted, but not by the normal certificate chain:")};
        for (R result : errors) {
            const QString name = ChainValidation::name(result);
            switch (dispositionOf(result, info, control)) {
            case Disposition::IgnoredByControl:
                lines << CertificateDialog::tr(
                             "• %1 is ignored by Control (ignorableServerCertificateErrors).")
                             .arg(name);
                break;
            case Disposition::WaivedByPin:
                lines << CertificateDialog::tr(
                             "• %1 is waived because the server's key matches the pinned key %2.")
                             .arg(name, pin.isEmpty() ? SpkiPin::of(leafOf(info)) : pin);
                break;
            default:
                lines << CertificateDialog::tr("• %1 was accepted.").arg(name);
                break;
            }
        }
        return {Trust::TrustedOtherwise, lines.join(u'\n')};
    }

    QList<R> unresolved;
    for (R result : errors) {
        const Disposition disposition = dispositionOf(result, info, control);
        if (disposition == Disposition::NotIgnored || disposition == Disposition::NeverIgnorable)
            unresolved.append(result);
    }
    if (!unresolved.isEmpty()) {
        QStringList lines{CertificateDialog::tr("Not trusted: %1.").arg(names(unresolved).join(u", "_s))};
        for (R result : std::as_const(unresolved))
            lines << u"• "_s + reasonFor(result, chain, host);
        QList<R> fatal;
        std::copy_if(unresolved.cbegin(), unresolved.cend(), std::back_inserter(fatal),
                     [](R r) { return !ChainValidation::isIgnorable(r); });
        if (!fatal.isEmpty())
            lines << CertificateDialog::tr("%1 can never be ignored.").arg(names(fatal).join(u", "_s));
        else
            lines << (unresolved.size() == 1
                          ? CertificateDialog::tr(
                                "Control could ignore it (ignorableServerCertificateErrors), or a "
                                "validation handler could accept it.")
                          : CertificateDialog::tr(
                                "Control could ignore them (ignorableServerCertificateErrors), or "
                                "a validation handler could accept them."));
        return {Trust::NotTrusted, lines.join(u'\n')};
    }
    if (!pinsHold)
        return {
            Trust::NotTrusted,
            CertificateDialog::tr("Not trusted: no key the server presented matches a pinned key "
                                  "(pinnedPublicKeys).%1")
                .arg(std::any_of(errors.cbegin(), errors.cend(), isTrustError)
                         ? CertificateDialog::tr(" The chain is not trusted, so only the leaf's key counts.")
                         : QString())};
    if (!errors.isEmpty())
        return {Trust::NotTrusted,
                CertificateDialog::tr("Not trusted: Control ignores every certificate error (%1), "
                                      "but the TLS handshake did not complete.")
                    .arg(names(errors).join(u", "_s))};
    return {Trust::NotTrusted,
            CertificateDialog::tr("The certificate chain is valid for %1, but the TLS handshake "
                                  "did not complete.")
                .arg(hostText)};
}

/** Hex with colons broken into lines of bytesPerLine bytes, so a long fingerprint fits the column. */
QString wrapHex(const QString &hex, int bytesPerLine)
{
    const QStringList bytes = hex.split(u':');
    QStringList lines;
    for (qsizetype i = 0; i < bytes.size(); i += bytesPerLine)
        lines << bytes.mid(i, bytesPerLine).join(u':');
    return lines.join(u":\n"_s);
}

QString attributeName(const QString &key)
{
    static const QHash<QString, QString> longNames{
        {u"CN"_s, CertificateDialog::tr("Common name")},
        {u"O"_s, CertificateDialog::tr("Organization")},
        {u"OU"_s, CertificateDialog::tr("Organizational unit")},
        {u"C"_s, CertificateDialog::tr("Country")},
        {u"L"_s, CertificateDialog::tr("Locality")},
        {u"ST"_s, CertificateDialog::tr("State or province")},
        {u"emailAddress"_s, CertificateDialog::tr("Email address")},
        {u"serialNumber"_s, CertificateDialog::tr("Serial number")},
        {u"DC"_s, CertificateDialog::tr("Domain component")},
    };
    const QString name = longNames.value(key);
    return name.isEmpty() ? key : name + u" ("_s + key + u')';
}

QString distinguishedName(const QList<QPair<QString, QString>> &attributes)
{
    QStringList lines;
    for (const auto &[key, value] : attributes)
        lines << attributeName(key) + u": "_s + value;
    return lines.isEmpty() ? CertificateDialog::tr("(empty)") : lines.join(u'\n');
}

QString listOrNone(const QStringList &list, const QString &none)
{
    return list.isEmpty() ? none : list.join(u'\n');
}

QString roleOf(int index, const ChainEntry &entry, const CertificateDetails &details, int count)
{
    if (index == 0)
        return CertificateDialog::tr("Server certificate");
    if (details.selfIssued)
        return CertificateDialog::tr("Root CA");
    if (index == count - 1 && !entry.sentByServer)
        return CertificateDialog::tr("Issuer CA");
    return details.isCertificateAuthority ? CertificateDialog::tr("Intermediate CA")
                                          : CertificateDialog::tr("Not a CA");
}

QFont monospaceFont()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

} // namespace

CertificateDialog::CertificateDialog(QWidget *parent)
    : QDialog(parent)
    , m_summaryFrame(new QFrame)
    , m_summaryIcon(new QLabel)
    , m_summaryLabel(new QLabel)
    , m_chainTree(new QTreeWidget)
    , m_detailTabs(new QTabWidget)
    , m_detailTitle(new QLabel)
    , m_pem(new QPlainTextEdit)
    , m_errorTable(new QTableWidget(0, ErrorColumnCount))
    , m_noErrorsLabel(new QLabel)
    , m_pinNote(new QLabel)
    , m_statusLabel(new QLabel)
    , m_exportButton(new QPushButton(tr("&Export chain…")))
    , m_copySha256Button(new QPushButton(tr("Copy &SHA-256")))
    , m_copyPinButton(new QPushButton(tr("Copy &pin")))
    , m_closeButton(new QPushButton(tr("&Close")))
{
    setWindowTitle(tr("Server certificate"));
    setAccessibleName(tr("Server certificate"));
    setSizeGripEnabled(true);

    // --- the summary: trusted or not, and why ---
    m_summaryFrame->setObjectName(u"trustSummary"_s);
    m_summaryIcon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    m_summaryLabel->setAccessibleName(tr("Trust summary"));
    m_summaryLabel->setTextFormat(Qt::PlainText);
    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *summaryLayout = new QHBoxLayout(m_summaryFrame);
    summaryLayout->setContentsMargins(10, 8, 10, 8);
    summaryLayout->setSpacing(10);
    summaryLayout->addWidget(m_summaryIcon, 0, Qt::AlignTop);
    summaryLayout->addWidget(m_summaryLabel, 1);

    // --- the chain, leaf first ---
    m_chainTree->setAccessibleName(tr("Certificate chain"));
    m_chainTree->setColumnCount(ChainColumnCount);
    m_chainTree->setHeaderLabels({tr("Certificate (leaf to root)"), tr("Status")});
    m_chainTree->setRootIsDecorated(false);
    m_chainTree->setUniformRowHeights(true);
    m_chainTree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_chainTree->header()->setStretchLastSection(false);
    m_chainTree->header()->setSectionResizeMode(ChainName, QHeaderView::Stretch);
    m_chainTree->header()->setSectionResizeMode(ChainStatus, QHeaderView::ResizeToContents);
    m_chainTree->setTextElideMode(Qt::ElideMiddle);
    auto *chainLabel = new QLabel(tr("C&hain"));
    chainLabel->setBuddy(m_chainTree);
    auto *chainPane = new QWidget;
    auto *chainLayout = new QVBoxLayout(chainPane);
    chainLayout->setContentsMargins(0, 0, 0, 0);
    chainLayout->addWidget(chainLabel);
    chainLayout->addWidget(m_chainTree, 1);
    auto *checkedLabel = new QLabel(tr("Checked against"));
    QFont boldLabel = checkedLabel->font();
    boldLabel.setBold(true);
    checkedLabel->setFont(boldLabel);
    chainLayout->addWidget(checkedLabel);
    auto *connectionForm = new QFormLayout;
    connectionForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    connectionForm->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    connectionForm->setVerticalSpacing(4);
    for (const QString &name : {connectionHost(), connectionTls(), connectionAnchors(), connectionIgnored(),
                                connectionPins(), connectionOverride()})
        addConnectionField(connectionForm, name);
    chainLayout->addLayout(connectionForm);

    // --- the selected certificate: its fields, and its PEM ---
    auto *fieldsWidget = new QWidget;
    auto *form = new QFormLayout(fieldsWidget);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setVerticalSpacing(5);
    m_detailTitle->setAccessibleName(tr("Selected certificate"));
    QFont titleFont = m_detailTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_detailTitle->setFont(titleFont);
    m_detailTitle->setWordWrap(true);
    form->addRow(m_detailTitle);
    addSection(tr("Names"));
    addField(fieldSubject());
    addField(fieldIssuer());
    addField(fieldSans());
    addSection(tr("Validity"));
    addField(fieldNotBefore());
    addField(fieldNotAfter());
    addField(fieldDaysRemaining());
    addSection(tr("Certificate"));
    addField(fieldSerial(), true);
    addField(fieldVersion());
    addField(fieldSignature());
    addField(fieldPublicKey());
    addField(fieldKeyUsage());
    addField(fieldExtendedKeyUsage());
    addField(fieldBasicConstraints());
    addSection(tr("Fingerprints (right-click a value to copy it)"));
    addField(fieldSha1(), true);
    addField(fieldSha256(), true);
    addField(fieldPin(), true);
    auto *scroll = new QScrollArea;
    scroll->setWidget(fieldsWidget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Certificate fields"));

    m_pem->setReadOnly(true);
    m_pem->setAccessibleName(tr("PEM"));
    m_pem->setFont(monospaceFont());
    m_pem->setLineWrapMode(QPlainTextEdit::NoWrap);

    m_detailTabs->setAccessibleName(tr("Certificate details"));
    m_detailTabs->addTab(scroll, tr("&Details"));
    m_detailTabs->addTab(m_pem, tr("PE&M"));

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(chainPane);
    splitter->addWidget(m_detailTabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({400, 640});

    // --- the connection's errors ---
    m_errorTable->setAccessibleName(tr("Certificate errors"));
    m_errorTable->setHorizontalHeaderLabels(
        {tr("Error"), tr("Severity"), tr("Explanation"), tr("Certificate"), tr("Ignored by Control")});
    m_errorTable->verticalHeader()->hide();
    m_errorTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_errorTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_errorTable->setWordWrap(true);
    m_errorTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_errorTable->horizontalHeader()->setSectionResizeMode(ErrorExplanation, QHeaderView::Stretch);
    auto *errorsLabel = new QLabel(tr("E&rrors of this connection"));
    errorsLabel->setBuddy(m_errorTable);
    m_noErrorsLabel->setAccessibleName(tr("No certificate errors"));
    m_noErrorsLabel->setText(tr("None: OpenSSL found nothing wrong with the chain."));
    m_pinNote->setAccessibleName(tr("Pin note"));
    m_pinNote->setWordWrap(true);
    m_pinNote->setStyleSheet(Theme::warningPanelStyle());
    m_pinNote->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // --- buttons ---
    m_exportButton->setAccessibleName(tr("Export chain…"));
    m_exportButton->setToolTip(tr("Save every certificate of the chain, leaf first, as one PEM file"));
    m_copySha256Button->setAccessibleName(tr("Copy SHA-256"));
    m_copySha256Button->setToolTip(tr("Copy the SHA-256 fingerprint of the selected certificate"));
    m_copyPinButton->setAccessibleName(tr("Copy pin"));
    m_copyPinButton->setToolTip(
        tr("Copy the public-key pin (sha256/BASE64) of the selected certificate, for pinnedPublicKeys"));
    m_closeButton->setAccessibleName(tr("Close"));
    m_statusLabel->setAccessibleName(tr("Status"));
    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_exportButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_copySha256Button, QDialogButtonBox::ActionRole);
    buttons->addButton(m_copyPinButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_closeButton, QDialogButtonBox::RejectRole);
    m_closeButton->setDefault(true);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_statusLabel, 1);
    bottom->addWidget(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summaryFrame);
    layout->addWidget(splitter, 1);
    layout->addSpacing(4);
    layout->addWidget(errorsLabel);
    layout->addWidget(m_errorTable);
    layout->addWidget(m_noErrorsLabel);
    layout->addWidget(m_pinNote);
    layout->addLayout(bottom);

    connect(m_chainTree, &QTreeWidget::currentItemChanged, this, [this] {
        showCertificate(selectedChainIndex());
        updateEnabledState();
    });
    connect(m_copySha256Button, &QPushButton::clicked, this, [this] {
        const int index = selectedChainIndex();
        if (index >= 0)
            copyToClipboard(m_details.at(index).sha256Fingerprint, tr("SHA-256 fingerprint"));
    });
    connect(m_copyPinButton, &QPushButton::clicked, this, [this] {
        const int index = selectedChainIndex();
        if (index >= 0)
            copyToClipboard(m_details.at(index).spkiPin, tr("Pin"));
    });
    connect(m_exportButton, &QPushButton::clicked, this, &CertificateDialog::startExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    resize(1060, 800);
    showConnection({}, {}, {});
}

CertificateDialog::~CertificateDialog() = default;

void CertificateDialog::addSection(const QString &title)
{
    auto *form = qobject_cast<QFormLayout *>(m_detailTitle->parentWidget()->layout());
    auto *label = new QLabel(title);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    label->setContentsMargins(0, 8, 0, 0);
    label->setStyleSheet(u"QLabel { color: #38424c; border-bottom: 1px solid #c8ced4; }"_s);
    form->addRow(label);
}

QLabel *CertificateDialog::addField(const QString &name, bool monospace)
{
    auto *form = qobject_cast<QFormLayout *>(m_detailTitle->parentWidget()->layout());
    auto *value = new QLabel;
    value->setAccessibleName(name);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(!monospace);
    value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    if (monospace)
        value->setFont(monospaceFont());
    // the whole value, unwrapped, whatever part of it is selected
    value->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(tr("Copy %1").arg(name), value);
    connect(copy, &QAction::triggered, this,
            [this, value, name] { copyToClipboard(value->property(CopyTextProperty).toString(), name); });
    value->addAction(copy);
    auto *label = new QLabel(name + u':');
    label->setBuddy(value);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->addRow(label, value);
    m_fields.insert(name, value);
    return value;
}

QLabel *CertificateDialog::addConnectionField(QFormLayout *form, const QString &name)
{
    auto *value = new QLabel;
    value->setAccessibleName(name);
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    // a long word (a cipher name) must not widen the chain pane: it is cut, its tooltip has it all
    value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *label = new QLabel(name + u':');
    label->setBuddy(value);
    form->addRow(label, value);
    m_connectionFields.insert(name, value);
    return value;
}

void CertificateDialog::fillConnectionFields()
{
    const auto set = [this](const QString &name, const QString &text) {
        QLabel *label = m_connectionFields.value(name);
        label->setText(text);
        label->setToolTip(text);
    };
    const QString host = m_host.isEmpty() ? m_info.tls.peerVerifyName : m_host;
    set(connectionHost(), host.isEmpty() ? tr("—") : host);
    const TlsInformation &tls = m_info.tls;
    QString session = tr("not established");
    if (tls.encrypted && tls.protocol.isEmpty())
        session = tr("established");
    else if (tls.encrypted)
        session = tr("%1, %2 (%3 bits)").arg(tls.protocol, tls.cipher).arg(tls.cipherBits);
    set(connectionTls(), session);
    const qsizetype extra = m_control.additionalCaCertificates.size();
    set(connectionAnchors(),
        extra == 0 ? tr("the system's only")
                   : tr("the system's + %1 from Control (additionalCaCertificates)").arg(extra));
    set(connectionIgnored(), m_control.ignorableServerCertificateErrors.isEmpty()
                                 ? tr("none")
                                 : names(m_control.ignorableServerCertificateErrors).join(u", "_s));
    QString pins = tr("none");
    if (!m_control.pinnedPublicKeys.isEmpty()) {
        // name the certificate whose key matched; the pin itself is in its SPKI pin field
        const QString matched = matchingPin(m_info, m_control);
        QString matchedName;
        for (const CertificateDetails &d : std::as_const(m_details)) {
            if (!matched.isEmpty() && d.spkiPin == matched) {
                matchedName = d.subjectDisplayName;
                break;
            }
        }
        const qsizetype count = m_control.pinnedPublicKeys.size();
        pins = (count == 1 ? tr("1 key") : tr("%1 keys").arg(count)) + u", "_s +
               (matched.isEmpty()       ? tr("none presented by the server")
                : matchedName.isEmpty() ? tr("matched")
                                        : tr("matched the key of %1").arg(quoted(matchedName)));
    }
    set(connectionPins(), pins);
    set(connectionOverride(), tls.acceptedByOverride                    ? tr("used: accepted by hand")
                              : m_control.allowCustomValidationOverride ? tr("allowed, not used")
                                                                        : tr("off"));
}

void CertificateDialog::setField(const QString &name, const QString &value, bool highlighted)
{
    QLabel *label = m_fields.value(name);
    Q_ASSERT(label);
    QString shown = value;
    if (name == fieldSha256())
        shown = wrapHex(value, 16);
    else if (name == fieldSha1() || name == fieldSerial())
        shown = wrapHex(value, 10);
    label->setText(shown);
    label->setProperty(CopyTextProperty, value);
    // colour and weight only: a box or padding would push the text out of the value column
    label->setStyleSheet(highlighted
                             ? u"QLabel { color: %1; font-weight: bold; }"_s.arg(Theme::errorColor().name())
                             : QString());
}

void CertificateDialog::showConnection(const MessageWebSocketInformation &info,
                                       const MessageWebSocketControl &control, const QString &host)
{
    m_info = info;
    m_control = control;
    m_host = host;
    m_chain.clear();
    m_details.clear();
    if (info.serverCertificate && !info.serverCertificate->isNull())
        m_chain = buildDisplayChain(*info.serverCertificate, info.serverIntermediateCertificates,
                                    info.sslErrors, trustStore(control));
    for (const ChainEntry &entry : std::as_const(m_chain))
        m_details.append(certificateDetails(entry.certificate));
    setWindowTitle(host.isEmpty() ? tr("Server certificate") : tr("Server certificate — %1").arg(host));

    // summary
    const Verdict verdict = judge(info, control, m_chain, host.isEmpty() ? info.tls.peerVerifyName : host);
    m_summary = verdict.text;
    m_summaryLabel->setText(m_summary);
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    Theme::StateColors colors = Theme::idleState();
    switch (verdict.trust) {
    case Trust::Trusted:
        icon = QStyle::SP_DialogApplyButton;
        colors = Theme::openState();
        break;
    case Trust::TrustedOtherwise:
        icon = QStyle::SP_MessageBoxWarning;
        colors = Theme::busyState();
        break;
    case Trust::NotTrusted:
        icon = QStyle::SP_MessageBoxCritical;
        colors = Theme::failedState();
        break;
    case Trust::Unknown:
        break;
    }
    m_summaryIcon->setPixmap(style()->standardIcon(icon).pixmap(32, 32));
    m_summaryFrame->setStyleSheet(
        u"QFrame#trustSummary { background: %1; border: 1px solid %2; border-radius: 4px; }"
        u" QFrame#trustSummary QLabel { color: %2; font-weight: bold; }"_s.arg(colors.background.name(),
                                                                               colors.foreground.name()));

    // chain
    m_chainTree->clear();
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon ignoredIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon okIcon = style()->standardIcon(QStyle::SP_DialogApplyButton);
    for (int i = 0; i < m_chain.size(); ++i) {
        const ChainEntry &entry = m_chain.at(i);
        const CertificateDetails &d = m_details.at(i);
        QList<R> results;
        for (R r : entry.results) {
            if (!results.contains(r))
                results.append(r);
        }
        QStringList status;
        bool unresolved = false;
        for (R r : std::as_const(results)) {
            const Disposition disposition = dispositionOf(r, info, control);
            unresolved = unresolved || disposition == Disposition::NotIgnored ||
                         disposition == Disposition::NeverIgnorable;
            status << (disposition == Disposition::IgnoredByControl
                           ? tr("%1 (ignored)").arg(ChainValidation::name(r))
                       : disposition == Disposition::WaivedByPin
                           ? tr("%1 (waived by pin)").arg(ChainValidation::name(r))
                           : ChainValidation::name(r));
        }
        QString name = d.subjectDisplayName;
        if (!entry.sentByServer)
            name += u' ' + tr("(from the trust store, not sent)");
        auto *item =
            new QTreeWidgetItem(m_chainTree, {name, status.isEmpty() ? tr("OK") : status.join(u", "_s)});
        item->setData(ChainName, ChainIndexRole, i);
        const QString role = roleOf(i, entry, d, int(m_chain.size()));
        QStringList tip{role, tr("Subject: %1").arg(d.subjectDisplayName),
                        tr("Issuer: %1").arg(d.issuerDisplayName)};
        for (const QSslError &error : entry.sslErrors)
            tip << tr("OpenSSL: %1").arg(error.errorString());
        item->setToolTip(ChainName, tip.join(u'\n'));
        item->setToolTip(ChainStatus, tip.join(u'\n'));
        if (!results.isEmpty()) {
            item->setIcon(ChainName, unresolved ? errorIcon : ignoredIcon);
            const QColor color = unresolved ? Theme::errorColor() : Theme::busyState().foreground;
            item->setForeground(ChainName, color);
            item->setForeground(ChainStatus, color);
            QFont bold = item->font(ChainStatus);
            bold.setBold(true);
            item->setFont(ChainStatus, bold);
        } else {
            item->setIcon(ChainName, okIcon);
        }
        if (!entry.sentByServer) {
            QFont italic = item->font(ChainName);
            italic.setItalic(true);
            item->setFont(ChainName, italic);
        }
    }
    // The issuer of the last certificate, when it is neither sent nor trusted: what IncompleteChain means.
    if (!m_details.isEmpty() && !m_details.constLast().selfIssued) {
        auto *missing =
            new QTreeWidgetItem(m_chainTree, {m_details.constLast().issuerDisplayName, tr("Missing")});
        missing->setData(ChainName, ChainIndexRole, -1);
        missing->setFlags(Qt::ItemIsEnabled);
        missing->setIcon(ChainName, style()->standardIcon(QStyle::SP_MessageBoxQuestion));
        missing->setForeground(ChainName, Theme::eventColor());
        missing->setForeground(ChainStatus, Theme::eventColor());
        QFont italic = missing->font(ChainName);
        italic.setItalic(true);
        missing->setFont(ChainName, italic);
        const QString why = tr("The server did not send this issuer, and no trusted CA has this name.");
        missing->setToolTip(ChainName, why);
        missing->setToolTip(ChainStatus, why);
    }
    if (m_chainTree->topLevelItemCount() > 0 && !m_chain.isEmpty())
        m_chainTree->setCurrentItem(m_chainTree->topLevelItem(0));
    else
        showCertificate(-1);

    fillErrors();
    fillConnectionFields();
    setStatus({});
    updateEnabledState();
}

void CertificateDialog::fillErrors()
{
    struct Row
    {
        R result;
        int chainIndex; // -1: not attached to a certificate
    };
    QList<Row> rows;
    QList<R> covered;
    for (int i = 0; i < m_chain.size(); ++i) {
        for (R r : m_chain.at(i).results) {
            if (r == R::Success)
                continue;
            const bool dup = std::any_of(rows.cbegin(), rows.cend(), [&](const Row &row) {
                return row.result == r && row.chainIndex == i;
            });
            if (!dup)
                rows.append({r, i});
            covered.append(r);
        }
    }
    for (R r : std::as_const(m_info.serverCertificateErrors)) {
        if (r != R::Success && !covered.contains(r)) {
            rows.append({r, -1});
            covered.append(r);
        }
    }

    m_errorTable->setRowCount(int(rows.size()));
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon ignoredIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int row = 0; row < rows.size(); ++row) {
        const R result = rows.at(row).result;
        const int index = rows.at(row).chainIndex;
        const Disposition disposition = dispositionOf(result, m_info, m_control);
        const bool fatal = ChainValidation::severityOf(result) == SocketSslErrorSeverity::Fatal;
        QString ignored;
        switch (disposition) {
        case Disposition::IgnoredByControl:
            ignored = tr("Yes (ignorableServerCertificateErrors)");
            break;
        case Disposition::WaivedByPin:
            ignored = tr("Waived: the leaf's key is pinned");
            break;
        case Disposition::NeverIgnorable:
            ignored = tr("No: can never be ignored");
            break;
        case Disposition::NotIgnored:
            ignored = tr("No");
            break;
        }
        QString certificate = tr("—");
        QStringList openSsl;
        if (index >= 0) {
            certificate = m_details.at(index).subjectDisplayName;
            for (const QSslError &error : m_chain.at(index).sslErrors) {
                if (ChainValidation::resultFor(error.error()) == result)
                    openSsl << error.errorString();
            }
        }
        const QString explanation =
            reasonFor(result, m_chain, m_host.isEmpty() ? m_info.tls.peerVerifyName : m_host);
        const QStringList cells{ChainValidation::name(result), fatal ? tr("Fatal") : tr("Ignorable"),
                                explanation, certificate, ignored};
        const bool resolved =
            disposition == Disposition::IgnoredByControl || disposition == Disposition::WaivedByPin;
        for (int column = 0; column < ErrorColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            QStringList tip{cells.at(column)};
            if (column == ErrorExplanation) {
                tip = {ChainValidation::explanation(result)};
                for (const QString &text : std::as_const(openSsl))
                    tip << tr("OpenSSL: %1").arg(text);
            }
            item->setToolTip(tip.join(u'\n'));
            if (column == ErrorName) {
                item->setIcon(resolved ? ignoredIcon : errorIcon);
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            if ((column == ErrorSeverity && fatal) || (column == ErrorIgnored && !resolved))
                item->setForeground(Theme::errorColor());
            m_errorTable->setItem(row, column, item);
        }
    }
    m_errorTable->resizeRowsToContents();
    // as tall as its rows (up to five, then it scrolls), so the details above keep the room
    int height = m_errorTable->horizontalHeader()->sizeHint().height() + 2 * m_errorTable->frameWidth();
    for (int row = 0; row < std::min<int>(int(rows.size()), 5); ++row)
        height += m_errorTable->rowHeight(row);
    m_errorTable->setFixedHeight(height);
    m_errorTable->setVisible(!rows.isEmpty());
    m_noErrorsLabel->setVisible(rows.isEmpty());
    m_noErrorsLabel->setText(m_chain.isEmpty() ? tr("No certificate to check.")
                                               : tr("None: OpenSSL found nothing wrong with the chain."));

    // what the pins do (or would do) for trust errors
    QString note;
    if (!m_control.pinnedPublicKeys.isEmpty() && !m_chain.isEmpty()) {
        const QString leafPin = m_details.constFirst().spkiPin;
        if (leafIsPinned(m_info, m_control))
            note =
                tr("The server's key is pinned (%1): a pinned leaf key waives Untrusted and IncompleteChain, "
                   "nothing else.")
                    .arg(leafPin);
        else
            note = tr("Control pins %n key(s), none of them the server's (%1): no trust error is waived, and "
                      "the "
                      "connection needs one of the pinned keys in the chain.",
                      nullptr, int(m_control.pinnedPublicKeys.size()))
                       .arg(leafPin);
    }
    m_pinNote->setText(note);
    m_pinNote->setVisible(!note.isEmpty());
}

void CertificateDialog::showCertificate(int chainIndex)
{
    const bool valid = chainIndex >= 0 && chainIndex < m_details.size();
    const CertificateDetails d = valid ? m_details.at(chainIndex) : CertificateDetails();
    const QString none = tr("—");
    if (!valid) {
        m_detailTitle->setText(tr("No certificate"));
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
            setField(it.key(), none);
        m_pem->clear();
        return;
    }
    const ChainEntry &entry = m_chain.at(chainIndex);
    m_detailTitle->setText(roleOf(chainIndex, entry, d, int(m_chain.size())) + u": "_s +
                           d.subjectDisplayName +
                           (entry.sentByServer ? QString() : u' ' + tr("(from the trust store, not sent)")));

    setField(fieldSubject(), distinguishedName(d.subject));
    setField(fieldIssuer(),
             distinguishedName(d.issuer) + (d.selfIssued ? u'\n' + tr("(self-issued)") : QString()));
    setField(fieldSans(), listOrNone(d.subjectAlternativeNames, tr("none")));

    const bool expired = d.isExpired();
    const bool notYetValid = d.isNotYetValid();
    setField(fieldNotBefore(),
             dateText(d.notBefore) + (notYetValid ? u" — "_s + tr("not valid yet") : QString()), notYetValid);
    setField(fieldNotAfter(), dateText(d.notAfter) + (expired ? u" — "_s + tr("expired") : QString()),
             expired);
    const qint64 days = d.daysRemaining();
    QString daysText = QString::number(days);
    if (expired)
        daysText += u" ("_s + tr("expired %1 ago").arg(dayCount(-days)) + u')';
    else if (notYetValid)
        daysText += u" ("_s + tr("not valid yet") + u')';
    setField(fieldDaysRemaining(), daysText, expired || notYetValid || days < 0);

    setField(fieldSerial(), d.serialNumber.isEmpty() ? none : d.serialNumber);
    setField(fieldVersion(), d.version > 0 ? tr("%1 (X.509v%1)").arg(d.version) : none);
    setField(fieldSignature(), d.signatureAlgorithm.isEmpty() ? none : d.signatureAlgorithm);
    setField(fieldPublicKey(), d.publicKeyBits > 0
                                   ? tr("%1, %2 bits").arg(d.publicKeyAlgorithm).arg(d.publicKeyBits)
                                   : (d.publicKeyAlgorithm.isEmpty() ? none : d.publicKeyAlgorithm));
    setField(fieldKeyUsage(),
             d.keyUsage.isEmpty()
                 ? tr("none (no extension)")
                 : d.keyUsage.join(u", "_s) + (d.keyUsageCritical ? u" "_s + tr("(critical)") : QString()));
    setField(fieldExtendedKeyUsage(), listOrNone(d.extendedKeyUsage, tr("none (no extension)")));
    QString constraints = tr("none (no extension)");
    if (d.hasBasicConstraints) {
        constraints = d.isCertificateAuthority ? tr("CA: yes") : tr("CA: no (end entity)");
        if (d.isCertificateAuthority && d.pathLength)
            constraints += u", "_s + tr("path length ≤ %1").arg(*d.pathLength);
    }
    setField(fieldBasicConstraints(), constraints);

    setField(fieldSha1(), d.sha1Fingerprint);
    setField(fieldSha256(), d.sha256Fingerprint);
    setField(fieldPin(), d.spkiPin);
    m_pem->setPlainText(d.pem);
}

int CertificateDialog::selectedChainIndex() const
{
    const QTreeWidgetItem *item = m_chainTree->currentItem();
    if (!item)
        return -1;
    const int index = item->data(ChainName, ChainIndexRole).toInt();
    return index < m_chain.size() ? index : -1;
}

void CertificateDialog::updateEnabledState()
{
    const bool selected = selectedChainIndex() >= 0;
    m_copySha256Button->setEnabled(selected);
    m_copyPinButton->setEnabled(selected);
    m_exportButton->setEnabled(!m_chain.isEmpty());
    for (QLabel *label : std::as_const(m_fields))
        label->setContextMenuPolicy(selected ? Qt::ActionsContextMenu : Qt::NoContextMenu);
}

void CertificateDialog::copyToClipboard(const QString &text, const QString &what)
{
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    setStatus(tr("%1 copied.").arg(what));
}

void CertificateDialog::setStatus(const QString &text)
{
    m_statusLabel->setText(text);
}

QList<QSslCertificate> CertificateDialog::chainCertificates() const
{
    QList<QSslCertificate> certificates;
    for (const ChainEntry &entry : m_chain)
        certificates.append(entry.certificate);
    return certificates;
}

bool CertificateDialog::exportChain(const QString &path, QString *error) const
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (m_chain.isEmpty())
        return fail(tr("There is no certificate to export."));
    QByteArray pem;
    for (const ChainEntry &entry : m_chain)
        pem += entry.certificate.toPem();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(tr("Cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(pem) != pem.size() || !file.commit())
        return fail(tr("Cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

void CertificateDialog::startExport()
{
    // Non-modal: the picker is opened with open(), never exec(), and reports back through a signal.
    auto *picker = new QFileDialog(this, tr("Export certificate chain"));
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setAcceptMode(QFileDialog::AcceptSave);
    picker->setNameFilters({tr("PEM certificates (*.pem *.crt)"), tr("All files (*)")});
    picker->setDefaultSuffix(u"pem"_s);
    const QString base = m_host.isEmpty() ? u"server"_s : QString(m_host).replace(u':', u'_');
    picker->selectFile(base + u"-chain.pem"_s);
    connect(picker, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (exportChain(path, &error)) {
            setStatus(tr("Saved %n certificate(s) to %1.", nullptr, int(m_chain.size())).arg(path));
            return;
        }
        setStatus(error);
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export chain"), error, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    picker->open();
}

QString CertificateDialog::summary() const
{
    return m_summary;
}

QString CertificateDialog::summaryOf(const MessageWebSocketInformation &info,
                                     const MessageWebSocketControl &control)
{
    QList<ChainEntry> chain;
    if (info.serverCertificate && !info.serverCertificate->isNull())
        chain = buildDisplayChain(*info.serverCertificate, info.serverIntermediateCertificates,
                                  info.sslErrors, trustStore(control));
    return judge(info, control, chain, info.tls.peerVerifyName).text;
}

} // namespace Wsw::Ui
