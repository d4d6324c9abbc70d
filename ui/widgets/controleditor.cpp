#include "widgets/controleditor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "api/websocketerror.h"
#include "codec/handshake.h"
#include "codec/permessagedeflate.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace Wsw::Ui {

namespace {

constexpr int MaxMilliseconds = std::numeric_limits<int>::max(); // QSpinBox is int: about 24 days
constexpr double MaxUInt32 = 4294967295.0;
constexpr double MaxExactBytes = 9007199254740992.0; // 2^53: a double holds every integer up to here
constexpr double DefaultMaxMessageSizeSuggestion = 16.0 * 1024 * 1024; // one step down from "Unlimited"
constexpr double DefaultSendBufferSuggestion = 256.0 * 1024;           // one step up from "OS default"
constexpr int MinWindowBits = 8;
constexpr int MaxWindowBits = 15;
constexpr char BaseToolTipProperty[] = "wswBaseToolTip";

QString listSeparatorsHelp()
{
    return ControlEditor::tr("separate them with commas or spaces");
}

/** "64 KiB" beside a byte count, so a long number reads at a glance; empty below 1 KiB. */
QString byteHint(double bytes)
{
    if (bytes < 1024)
        return {};
    return u"= "_s + QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

int clampMs(std::chrono::milliseconds ms, int minimum)
{
    return int(std::clamp<qint64>(ms.count(), minimum, MaxMilliseconds));
}

QString certificateName(const QSslCertificate &certificate)
{
    const QStringList cn = certificate.subjectInfo(QSslCertificate::CommonName);
    if (!cn.isEmpty() && !cn.constFirst().isEmpty())
        return cn.constFirst();
    const QString display = certificate.subjectDisplayName();
    return display.isEmpty() ? ControlEditor::tr("(no subject name)") : display;
}

QString certificateDetails(const QSslCertificate &certificate)
{
    return ControlEditor::tr("Subject: %1\nIssuer: %2\nValid: %3 to %4\nSHA-256: %5")
            .arg(certificate.subjectDisplayName(), certificate.issuerDisplayName(),
                 certificate.effectiveDate().toString(Qt::ISODate), certificate.expiryDate().toString(Qt::ISODate),
                 QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')));
}

/** Sets the tooltip of an editor and of its label, and remembers it for validation messages. */
void setRowToolTip(QLabel *label, QWidget *editor, const QString &text)
{
    label->setToolTip(text);
    editor->setToolTip(text);
    editor->setProperty(BaseToolTipProperty, text);
}

/** Marks a free-text editor as wrong (tinted, the reason in its tooltip) or as fine again. */
void markInvalid(QWidget *editor, const QString &problem)
{
    QPalette palette = editor->parentWidget() ? editor->parentWidget()->palette() : QPalette();
    if (!problem.isEmpty())
        palette.setColor(QPalette::Base, QColor(0xfd, 0xe7, 0xe9));
    editor->setPalette(palette);
    const QString base = editor->property(BaseToolTipProperty).toString();
    editor->setToolTip(problem.isEmpty() ? base : problem + u"\n\n"_s + base);
}

/**
 * A byte count up to 2^53 (QSpinBox stops at 2^31 - 1; a double holds every integer up to 2^53),
 * shown with group separators and " B". It may give one end of its range a name: "OS default"
 * at -1 (Qt's special value text) or "Unlimited" at the maximum; the first step away from the
 * named value goes to a sensible number instead of the neighbouring one.
 */
class ByteSpinBox final : public QDoubleSpinBox
{
public:
    ByteSpinBox(double maximum, QWidget *parent)
        : QDoubleSpinBox(parent)
    {
        setDecimals(0);
        setRange(0, maximum);
        setSingleStep(1024);
        setGroupSeparatorShown(true);
        setAccelerated(true);
    }

    /** Names the value -1, below every count ("OS default"). */
    void setMinimumName(const QString &text, double leaveTo)
    {
        setMinimum(-1);
        setSpecialValueText(text);
        m_leaveMinimumTo = leaveTo;
    }
    /** Names the maximum ("Unlimited"). */
    void setMaximumName(const QString &text, double leaveTo)
    {
        m_maximumName = text;
        m_leaveMaximumTo = leaveTo;
        lineEdit()->setText(textFromValue(value()));
    }
    bool isNamedValue() const
    {
        return (!specialValueText().isEmpty() && value() <= minimum())
                || (!m_maximumName.isEmpty() && value() >= maximum());
    }
    quint64 bytes() const { return quint64(std::llround(std::max(0.0, value()))); }

    void stepBy(int steps) override
    {
        if (steps > 0 && !specialValueText().isEmpty() && value() <= minimum() && m_leaveMinimumTo > 0)
            setValue(m_leaveMinimumTo);
        else if (steps < 0 && !m_maximumName.isEmpty() && value() >= maximum() && m_leaveMaximumTo > 0)
            setValue(m_leaveMaximumTo);
        else
            QDoubleSpinBox::stepBy(steps);
    }

    QSize sizeHint() const override { return widen(QDoubleSpinBox::sizeHint()); }
    QSize minimumSizeHint() const override { return widen(QDoubleSpinBox::minimumSizeHint()); }

protected:
    QString textFromValue(double value) const override
    {
        if (!m_maximumName.isEmpty() && value >= maximum())
            return m_maximumName;
        return QDoubleSpinBox::textFromValue(value) + u" B"_s;
    }

    double valueFromText(const QString &text) const override
    {
        const QString t = text.trimmed();
        if (!m_maximumName.isEmpty() && t.compare(m_maximumName, Qt::CaseInsensitive) == 0)
            return maximum();
        if (!specialValueText().isEmpty() && t.compare(specialValueText(), Qt::CaseInsensitive) == 0)
            return minimum();
        return digitsOf(t).toDouble();
    }

    QValidator::State validate(QString &input, int &) const override
    {
        const QString t = input.trimmed();
        for (const QString &name : {m_maximumName, specialValueText()}) {
            if (!name.isEmpty() && !t.isEmpty() && !t.front().isDigit() && name.startsWith(t, Qt::CaseInsensitive))
                return t.size() == name.size() ? QValidator::Acceptable : QValidator::Intermediate;
        }
        const QString digits = digitsOf(t);
        if (digits.isEmpty())
            return QValidator::Intermediate;
        if (!std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
            return QValidator::Invalid;
        return digits.toDouble() <= maximum() ? QValidator::Acceptable : QValidator::Invalid;
    }

private:
    /** "4,294,967,295 B" -> "4294967295" */
    QString digitsOf(QString text) const
    {
        if (text.endsWith(u'B', Qt::CaseInsensitive))
            text.chop(1);
        text.remove(locale().groupSeparator());
        text.remove(u' ');
        return text;
    }
    /** Qt measures only the range's ends; "Unlimited" is shorter than the largest number. */
    QSize widen(QSize hint) const
    {
        if (!m_maximumName.isEmpty()) {
            const QFontMetrics fm = fontMetrics();
            hint.rwidth() += std::max(0, fm.horizontalAdvance(QDoubleSpinBox::textFromValue(maximum()) + u" B"_s)
                                                 - fm.horizontalAdvance(m_maximumName));
        }
        return hint;
    }

    QString m_maximumName;
    double m_leaveMinimumTo = 0;
    double m_leaveMaximumTo = 0;
};

QStringList splitProtocols(const QString &text)
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}

/** The first problem of the protocol list, as setControl() would see it; empty when fine. */
QString protocolsProblem(const QStringList &protocols)
{
    QStringList seen;
    for (const QString &protocol : protocols) {
        if (Codec::validateSubprotocol(protocol) != ErrorDetail::None)
            return ControlEditor::tr("\"%1\" is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~ only)")
                    .arg(protocol);
        if (seen.contains(protocol))
            return ControlEditor::tr("\"%1\" is listed twice").arg(protocol);
        seen.append(protocol);
    }
    return {};
}

/** The pins, one a line, or the first problem. */
QStringList parsePins(const QString &text, QString *problem)
{
    QStringList pins;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString pin = lines.at(i).trimmed();
        if (pin.isEmpty())
            continue;
        if (SpkiPin::digestOf(pin).isEmpty()) {
            *problem = ControlEditor::tr("line %1 is not a pin; write sha256/ and the base64 of 32 bytes").arg(i + 1);
            return {};
        }
        pins.append(pin);
    }
    problem->clear();
    return pins;
}

} // namespace

struct ControlEditor::Rows
{
    QLabel *lockNote = nullptr;
    QScrollArea *scroll = nullptr;

    // Messages
    QComboBox *messageType = nullptr;
    QComboBox *receiveMode = nullptr;
    ByteSpinBox *maxMessageSize = nullptr;
    ByteSpinBox *outboundFrameSize = nullptr;
    ByteSpinBox *maxBufferedAmount = nullptr;
    QLineEdit *supportedProtocols = nullptr;
    // Connection & timeouts
    QCheckBox *noDelay = nullptr;
    ByteSpinBox *outboundBufferSize = nullptr;
    QSpinBox *pongInterval = nullptr;
    QSpinBox *connectTimeout = nullptr;
    QSpinBox *handshakeTimeout = nullptr;
    QSpinBox *closeTimeout = nullptr;
    QSpinBox *idleTimeout = nullptr;
    QSpinBox *validationTimeout = nullptr;
    // Compression
    QCheckBox *deflateEnabled = nullptr;
    QCheckBox *offerClientMaxWindowBits = nullptr;
    QComboBox *clientMaxWindowBits = nullptr;
    QComboBox *serverMaxWindowBits = nullptr;
    QCheckBox *clientNoContextTakeover = nullptr;
    QCheckBox *serverNoContextTakeover = nullptr;
    QSpinBox *compressionLevel = nullptr;
    ByteSpinBox *compressionThreshold = nullptr;
    // TLS
    QListWidget *ignorableErrors = nullptr;
    QListWidget *caCertificates = nullptr;
    QPushButton *addCa = nullptr;
    QPushButton *removeCa = nullptr;
    QLabel *caStatus = nullptr;
    QPlainTextEdit *pinnedPublicKeys = nullptr;
    QLineEdit *certificateFile = nullptr;
    QPushButton *browseCertificate = nullptr;
    QLineEdit *keyFile = nullptr;
    QPushButton *browseKey = nullptr;
    QLineEdit *keyPassword = nullptr;
    QPushButton *clearClientCertificate = nullptr;
    QLabel *clientCertificateStatus = nullptr;
    QCheckBox *allowCustomValidationOverride = nullptr;

    /** Every editor and button the lock disables (everything but the message type). */
    QList<QWidget *> lockable;
    /** Keyboard order, top to bottom. */
    QList<QWidget *> focusOrder;
    /** A byte count and the "= 64.0 MiB" label beside it. */
    QList<QPair<ByteSpinBox *, QLabel *>> byteHints;
    /** The row labels, given one width so that every section's editors line up. */
    QList<QLabel *> labels;
};

ControlEditor::ControlEditor(QWidget *parent)
    : QWidget(parent)
    , m_rows(std::make_unique<Rows>())
{
    buildUi();
    setControl(MessageWebSocketControl{});
    connectEdits();
    updateEnabledState();
}

ControlEditor::~ControlEditor() = default;

// --- building the form -------------------------------------------------------------------------

void ControlEditor::buildUi()
{
    Rows &r = *m_rows;
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(4);

    r.lockNote = new QLabel(tr("Fixed while connected: only the message type can change until the connection ends."),
                            this);
    r.lockNote->setObjectName(u"lockNote"_s);
    r.lockNote->setWordWrap(true);
    r.lockNote->setStyleSheet(u"QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e8d28a;"
                              " border-radius: 3px; padding: 4px 6px; }"_s);
    r.lockNote->setVisible(false);
    outer->addWidget(r.lockNote);

    r.scroll = new QScrollArea(this);
    r.scroll->setWidgetResizable(true);
    r.scroll->setFrameShape(QFrame::NoFrame);
    r.scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(r.scroll);

    auto *content = new QWidget(r.scroll);
    auto *sections = new QVBoxLayout(content);
    sections->setContentsMargins(6, 6, 6, 6);
    r.scroll->setWidget(content);

    auto section = [&](const QString &title) {
        auto *box = new QGroupBox(title, content);
        auto *form = new QFormLayout(box);
        form->setRowWrapPolicy(QFormLayout::DontWrapRows);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        sections->addWidget(box);
        return form;
    };
    // qBittorrent's addRow: a label (the editor's buddy and accessible name) plus a real typed editor.
    auto label = [&](QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip) {
        auto *l = new QLabel(text, form->parentWidget());
        l->setBuddy(editor);
        r.labels.append(l);
        QString name = text;
        name.remove(u'&');
        editor->setAccessibleName(name);
        setRowToolTip(l, editor, toolTip);
        r.focusOrder.append(editor);
        if (editor != r.messageType)
            r.lockable.append(editor);
        return l;
    };
    auto addRow = [&](QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip,
                      QWidget *field = nullptr) {
        form->addRow(label(form, text, editor, toolTip), field ? field : editor);
    };
    // Lists and text areas take the whole width: the label above, the editor below.
    auto addWideRow = [&](QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip,
                          QWidget *field) {
        form->addRow(label(form, text, editor, toolTip));
        form->addRow(field);
    };
    // [spin] [= 64.0 MiB], as one field
    auto bytesField = [&](QWidget *parent, ByteSpinBox *spin) {
        auto *field = new QWidget(parent);
        auto *row = new QHBoxLayout(field);
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(spin);
        auto *hint = new QLabel(field);
        QPalette palette = hint->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
        palette.setColor(QPalette::Disabled, QPalette::WindowText, palette.color(QPalette::Disabled, QPalette::Text));
        hint->setPalette(palette);
        row->addWidget(hint, 1);
        r.byteHints.append({spin, hint});
        return field;
    };
    auto msSpin = [&](QWidget *parent, int minimum, const QString &special = {}) {
        auto *spin = new QSpinBox(parent);
        spin->setRange(minimum, MaxMilliseconds);
        spin->setSuffix(tr(" ms"));
        spin->setSingleStep(1000);
        spin->setGroupSeparatorShown(true);
        spin->setAccelerated(true);
        if (!special.isEmpty())
            spin->setSpecialValueText(special);
        return spin;
    };
    auto bareCheck = [&](QWidget *parent) { return new QCheckBox(parent); };

    // ---- Messages
    {
        QFormLayout *form = section(tr("Messages"));
        QWidget *box = form->parentWidget();

        r.messageType = new QComboBox(box);
        r.messageType->addItem(tr("Text"), int(SocketMessageType::Utf8));
        r.messageType->addItem(tr("Binary"), int(SocketMessageType::Binary));
        addRow(form, tr("Message &type"), r.messageType,
               tr("The type of the messages Send sends: Text (checked to be UTF-8) or Binary. It may change at any "
                  "time, even while connected. Default: Binary."));

        r.receiveMode = new QComboBox(box);
        r.receiveMode->addItem(tr("Full message"), int(MessageWebSocketReceiveMode::FullMessage));
        r.receiveMode->addItem(tr("Partial message"), int(MessageWebSocketReceiveMode::PartialMessage));
        addRow(form, tr("Receive mode"), r.receiveMode,
               tr("Full message: one received message per WebSocket message. Partial message: one per piece as it "
                  "arrives, the last marked complete. Default: Full message."));

        r.maxMessageSize = new ByteSpinBox(MaxUInt32, box);
        r.maxMessageSize->setMaximumName(tr("Unlimited"), DefaultMaxMessageSizeSuggestion);
        addRow(form, tr("Max message size"), r.maxMessageSize,
               tr("The largest incoming message in bytes (up to 4 GiB - 2; the largest value is Unlimited); a larger "
                  "one fails the connection with close code 1009. Default: Unlimited."),
               bytesField(box, r.maxMessageSize));

        r.outboundFrameSize = new ByteSpinBox(MaxUInt32, box);
        r.outboundFrameSize->setSpecialValueText(tr("One frame"));
        addRow(form, tr("Outbound frame size"), r.outboundFrameSize,
               tr("Splits each outgoing message into frames of at most this many payload bytes (our own setting; "
                  "compressed messages are split before compression). Default: One frame (0)."),
               bytesField(box, r.outboundFrameSize));

        r.maxBufferedAmount = new ByteSpinBox(MaxExactBytes, box);
        r.maxBufferedAmount->setSpecialValueText(tr("No limit"));
        addRow(form, tr("Max buffered amount"), r.maxBufferedAmount,
               tr("Sends are refused (SendBufferFull) while the send queue holds this many bytes or more; one "
                  "larger message is still accepted when the queue holds less. Default: 64 MiB; 0 = no limit."),
               bytesField(box, r.maxBufferedAmount));

        r.supportedProtocols = new QLineEdit(box);
        r.supportedProtocols->setPlaceholderText(tr("none, e.g. chat, superchat"));
        r.supportedProtocols->setClearButtonEnabled(true);
        addRow(form, tr("Supported protocols"), r.supportedProtocols,
               tr("Subprotocols offered in Sec-WebSocket-Protocol, in order of preference (%1); each must be an "
                  "HTTP token. Default: none.")
                       .arg(listSeparatorsHelp()));
    }

    // ---- Connection & timeouts
    {
        QFormLayout *form = section(tr("Connection && timeouts"));
        QWidget *box = form->parentWidget();

        r.noDelay = bareCheck(box);
        addRow(form, tr("No delay (TCP_NODELAY)"), r.noDelay,
               tr("Turns Nagle's algorithm off so small messages leave at once, as browsers do. Default: on."));

        r.outboundBufferSize = new ByteSpinBox(MaxUInt32, box);
        r.outboundBufferSize->setMinimumName(tr("OS default"), DefaultSendBufferSuggestion);
        addRow(form, tr("Outbound buffer size"), r.outboundBufferSize,
               tr("The TCP send buffer (SO_SNDBUF, Windows' meaning; not a frame size). Setting it turns the OS's "
                  "send auto-tuning off, so leave it at OS default unless you test exactly that. Default: OS default."),
               bytesField(box, r.outboundBufferSize));

        r.pongInterval = msSpin(box, 0, tr("Off"));
        addRow(form, tr("Unsolicited pong interval"), r.pongInterval,
               tr("Sends an unsolicited Pong this often as a one-way heartbeat (RFC 6455 §5.5.3); 0 is off, "
                  "otherwise at least 1000 ms. Default: Off."));

        r.connectTimeout = msSpin(box, 1);
        addRow(form, tr("Connect timeout"), r.connectTimeout,
               tr("TCP connect and, for wss://, the TLS handshake must finish within this time together. "
                  "Default: 60,000 ms."));
        r.handshakeTimeout = msSpin(box, 1);
        addRow(form, tr("Handshake timeout"), r.handshakeTimeout,
               tr("From sending the upgrade request to a complete 101 answer. Default: 30,000 ms."));
        r.closeTimeout = msSpin(box, 1);
        addRow(form, tr("Close timeout"), r.closeTimeout,
               tr("From our close frame (sent or answered) to the end of the TCP connection. Default: 10,000 ms."));
        r.idleTimeout = msSpin(box, 0, tr("Off"));
        addRow(form, tr("Idle timeout"), r.idleTimeout,
               tr("Fails an open connection that has received nothing for this long. Default: Off (0)."));
        r.validationTimeout = msSpin(box, 1);
        addRow(form, tr("Validation timeout"), r.validationTimeout,
               tr("wss:// only: how long a custom certificate validation may take; when it runs out the certificate "
                  "counts as rejected. Default: 10,000 ms."));
        // Proxy and server/proxy credential rows (spec §3 ServerCredential, ProxyCredential) go here
        // once the engine has them.
    }

    // ---- Compression
    {
        QFormLayout *form = section(tr("Compression"));
        QWidget *box = form->parentWidget();

        r.deflateEnabled = bareCheck(box);
        addRow(form, tr("Offer permessage-deflate"), r.deflateEnabled,
               tr("Offers permessage-deflate compression (RFC 7692) in the upgrade request, as browsers do. "
                  "Default: on."));
        r.offerClientMaxWindowBits = bareCheck(box);
        addRow(form, tr("Offer client_max_window_bits"), r.offerClientMaxWindowBits,
               tr("Offers client_max_window_bits, so the server may ask for a smaller window for our messages. "
                  "Default: on."));

        r.clientMaxWindowBits = new QComboBox(box);
        r.clientMaxWindowBits->addItem(tr("No value"), 0);
        r.serverMaxWindowBits = new QComboBox(box);
        r.serverMaxWindowBits->addItem(tr("Not requested"), 0);
        for (int bits = MinWindowBits; bits <= MaxWindowBits; ++bits) {
            const QString text = tr("%1 (%2 KiB window)").arg(bits).arg((1 << bits) / 1024.0, 0, 'g', 3);
            r.clientMaxWindowBits->addItem(text, bits);
            r.serverMaxWindowBits->addItem(text, bits);
        }
        addRow(form, tr("Client max window bits"), r.clientMaxWindowBits,
               tr("No value: client_max_window_bits is offered without a value, as browsers do; 8-15: offered with "
                  "this value, and our window is never larger. Default: No value."));
        addRow(form, tr("Server max window bits"), r.serverMaxWindowBits,
               tr("8-15 asks the server to compress with at most this window (server_max_window_bits). "
                  "Default: Not requested."));

        r.clientNoContextTakeover = bareCheck(box);
        addRow(form, tr("Client no context takeover"), r.clientNoContextTakeover,
               tr("Offers to reset our compressor after every message: less memory, less compression. "
                  "Default: off."));
        r.serverNoContextTakeover = bareCheck(box);
        addRow(form, tr("Server no context takeover"), r.serverNoContextTakeover,
               tr("Asks the server to reset its compressor after every message. Default: off."));

        r.compressionLevel = new QSpinBox(box);
        r.compressionLevel->setRange(-1, 9);
        r.compressionLevel->setSpecialValueText(tr("zlib default (6)"));
        addRow(form, tr("Compression level"), r.compressionLevel,
               tr("zlib level for our messages, 0 (stored, no compression) to 9 (smallest). Default: zlib's "
                  "default, 6."));

        r.compressionThreshold = new ByteSpinBox(MaxUInt32, box);
        r.compressionThreshold->setSingleStep(64);
        addRow(form, tr("Compression threshold"), r.compressionThreshold,
               tr("Outgoing messages shorter than this are sent uncompressed (RFC 7692 allows it per message). "
                  "Default: 0 B (compress every message)."),
               bytesField(box, r.compressionThreshold));
    }

    // ---- TLS
    {
        QFormLayout *form = section(tr("TLS (wss://)"));
        QWidget *box = form->parentWidget();

        r.ignorableErrors = new QListWidget(box);
        for (int value = int(ChainValidationResult::Success); value <= int(ChainValidationResult::OtherErrors);
             ++value) {
            const auto result = ChainValidationResult(value);
            if (!ChainValidation::isIgnorable(result))
                continue;
            auto *item = new QListWidgetItem(ChainValidation::name(result), r.ignorableErrors);
            item->setData(Qt::UserRole, value);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
            item->setToolTip(ChainValidation::explanation(result));
        }
        // every value visible at once: a list to scan, not to scroll
        r.ignorableErrors->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
        r.ignorableErrors->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        r.ignorableErrors->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        r.ignorableErrors->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        addWideRow(form, tr("Ignorable certificate errors"), r.ignorableErrors,
                   tr("Certificate errors that default validation tolerates. Only the errors that may be ignored are "
                      "listed (Revoked, InvalidSignature and the like never can). Default: none."),
                   r.ignorableErrors);

        r.caCertificates = new QListWidget(box);
        r.caCertificates->setMaximumHeight(r.caCertificates->fontMetrics().height() * 5);
        r.addCa = new QPushButton(tr("Add…"), box);
        r.addCa->setAccessibleName(tr("Add CA certificate"));
        r.removeCa = new QPushButton(tr("Remove"), box);
        r.removeCa->setAccessibleName(tr("Remove CA certificate"));
        r.caStatus = new QLabel(box);
        r.caStatus->setWordWrap(true);
        r.caStatus->setVisible(false);
        r.caStatus->setStyleSheet(u"color: #b00020;"_s);
        {
            auto *field = new QWidget(box);
            auto *grid = new QGridLayout(field);
            grid->setContentsMargins(0, 0, 0, 0);
            grid->addWidget(r.caCertificates, 0, 0, 3, 1);
            grid->addWidget(r.addCa, 0, 1);
            grid->addWidget(r.removeCa, 1, 1);
            grid->setRowStretch(2, 1);
            grid->addWidget(r.caStatus, 3, 0, 1, 2);
            addWideRow(form, tr("Additional CA certificates"), r.caCertificates,
                       tr("CA certificates trusted for this connection besides the system's, read from PEM or DER "
                          "files. Default: none."),
                       field);
        }
        r.focusOrder << r.addCa << r.removeCa;
        r.lockable << r.addCa << r.removeCa;

        r.pinnedPublicKeys = new QPlainTextEdit(box);
        r.pinnedPublicKeys->setPlaceholderText(tr("sha256/… one pin per line"));
        r.pinnedPublicKeys->setTabChangesFocus(true);
        r.pinnedPublicKeys->setLineWrapMode(QPlainTextEdit::NoWrap);
        r.pinnedPublicKeys->setMaximumHeight(r.pinnedPublicKeys->fontMetrics().height() * 4 + 12);
        addWideRow(form, tr("Pinned public keys"), r.pinnedPublicKeys,
                   tr("One \"sha256/BASE64\" pin per line, as curl --pinnedpubkey writes them. When any is given the "
                      "server must present a pinned key, even with a trusted chain. Default: none."),
                   r.pinnedPublicKeys);

        auto fileField = [&](QLineEdit *edit, QPushButton *browse) {
            auto *field = new QWidget(box);
            auto *row = new QHBoxLayout(field);
            row->setContentsMargins(0, 0, 0, 0);
            row->addWidget(edit, 1);
            row->addWidget(browse);
            return field;
        };
        r.certificateFile = new QLineEdit(box);
        r.certificateFile->setPlaceholderText(tr("none (PEM or .p12)"));
        r.browseCertificate = new QPushButton(tr("Browse…"), box);
        r.browseCertificate->setAccessibleName(tr("Browse for client certificate"));
        addRow(form, tr("Client certificate"), r.certificateFile,
               tr("Offered when the server asks for one (mutual TLS): a PEM certificate (its key in the key file or "
                  "in the same file) or a PKCS#12 file. Default: none."),
               fileField(r.certificateFile, r.browseCertificate));
        r.focusOrder << r.browseCertificate;
        r.lockable << r.browseCertificate;

        r.keyFile = new QLineEdit(box);
        r.keyFile->setPlaceholderText(tr("in the certificate file"));
        r.browseKey = new QPushButton(tr("Browse…"), box);
        r.browseKey->setAccessibleName(tr("Browse for client key"));
        addRow(form, tr("Client key"), r.keyFile,
               tr("The PEM private key of the client certificate; leave it empty when the certificate file holds the "
                  "key or is PKCS#12."),
               fileField(r.keyFile, r.browseKey));
        r.focusOrder << r.browseKey;
        r.lockable << r.browseKey;

        r.keyPassword = new QLineEdit(box);
        r.keyPassword->setEchoMode(QLineEdit::Password);
        r.keyPassword->setPlaceholderText(tr("none"));
        addRow(form, tr("Key password"), r.keyPassword,
               tr("Opens an encrypted key or PKCS#12 file. It is used when the settings are applied and is never "
                  "stored or logged."));

        // the loader's verdict (inline, never a message box), and the way back to "no certificate"
        r.clientCertificateStatus = new QLabel(box);
        r.clientCertificateStatus->setObjectName(u"clientCertificateStatus"_s);
        r.clientCertificateStatus->setWordWrap(true);
        r.clientCertificateStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
        r.clientCertificateStatus->setVisible(false);
        r.clearClientCertificate = new QPushButton(tr("Clear certificate"), box);
        r.clearClientCertificate->setAccessibleName(tr("Clear client certificate"));
        r.clearClientCertificate->setToolTip(tr("Offer no client certificate: empties the three rows above."));
        {
            auto *field = new QWidget(box);
            auto *row = new QHBoxLayout(field);
            row->setContentsMargins(0, 0, 0, 0);
            row->addWidget(r.clientCertificateStatus, 1);
            row->addWidget(r.clearClientCertificate, 0, Qt::AlignRight | Qt::AlignTop);
            form->addRow(field); // the whole width: an error names a file and OpenSSL's reason
        }
        r.focusOrder << r.clearClientCertificate;
        r.lockable << r.clearClientCertificate;

        r.allowCustomValidationOverride = bareCheck(box);
        addRow(form, tr("Allow custom validation override"), r.allowCustomValidationOverride,
               tr("Lets a custom validation handler accept a chain that failed default validation (a \"trust this "
                  "certificate\" prompt); fatal errors stay fatal. Default: off."));
    }
    sections->addStretch(1);

    int labelWidth = 0;
    for (const QLabel *l : std::as_const(r.labels)) {
        // labels of full-width rows (lists) sit above their editor and do not set the column
        if (!qobject_cast<QListWidget *>(l->buddy()) && !qobject_cast<QPlainTextEdit *>(l->buddy()))
            labelWidth = std::max(labelWidth, l->sizeHint().width());
    }
    for (QLabel *l : std::as_const(r.labels)) {
        if (!qobject_cast<QListWidget *>(l->buddy()) && !qobject_cast<QPlainTextEdit *>(l->buddy()))
            l->setMinimumWidth(labelWidth);
    }

    // one width for the short editors, so the field column reads as a column
    int fieldWidth = 0;
    for (QWidget *editor : std::as_const(r.focusOrder)) {
        if (qobject_cast<QAbstractSpinBox *>(editor) || qobject_cast<QComboBox *>(editor))
            fieldWidth = std::max(fieldWidth, editor->sizeHint().width());
    }
    for (QWidget *editor : std::as_const(r.focusOrder)) {
        if (qobject_cast<QAbstractSpinBox *>(editor) || qobject_cast<QComboBox *>(editor))
            editor->setMinimumWidth(fieldWidth);
    }

    for (qsizetype i = 1; i < r.focusOrder.size(); ++i)
        QWidget::setTabOrder(r.focusOrder.at(i - 1), r.focusOrder.at(i));
}

void ControlEditor::connectEdits()
{
    Rows &r = *m_rows;
    connect(r.messageType, &QComboBox::currentIndexChanged, this, [this] {
        if (m_settingValues)
            return;
        Q_EMIT messageTypeChanged(messageType());
        Q_EMIT edited();
    });
    const auto edit = [this] { onUserEdit(); };
    for (QComboBox *combo : {r.receiveMode, r.clientMaxWindowBits, r.serverMaxWindowBits})
        connect(combo, &QComboBox::currentIndexChanged, this, edit);
    for (ByteSpinBox *spin :
         {r.maxMessageSize, r.outboundFrameSize, r.maxBufferedAmount, r.outboundBufferSize, r.compressionThreshold})
        connect(spin, &QDoubleSpinBox::valueChanged, this, edit);
    for (QSpinBox *spin : {r.pongInterval, r.connectTimeout, r.handshakeTimeout, r.closeTimeout, r.idleTimeout,
                           r.validationTimeout, r.compressionLevel})
        connect(spin, &QSpinBox::valueChanged, this, edit);
    for (QCheckBox *check : {r.noDelay, r.deflateEnabled,
                             r.offerClientMaxWindowBits, r.clientNoContextTakeover, r.serverNoContextTakeover,
                             r.allowCustomValidationOverride})
        connect(check, &QCheckBox::toggled, this, edit);
    connect(r.ignorableErrors, &QListWidget::itemChanged, this, edit);
    connect(r.supportedProtocols, &QLineEdit::textChanged, this, edit);
    connect(r.pinnedPublicKeys, &QPlainTextEdit::textChanged, this, edit);
    for (QLineEdit *line : {r.certificateFile, r.keyFile, r.keyPassword})
        connect(line, &QLineEdit::textEdited, this, [this] { onClientCertificateFilesEdited(); });
    connect(r.caCertificates, &QListWidget::currentRowChanged, this, [this] { updateEnabledState(); });
    connect(r.addCa, &QPushButton::clicked, this, &ControlEditor::onAddCaClicked);
    connect(r.removeCa, &QPushButton::clicked, this, &ControlEditor::onRemoveCaClicked);
    connect(r.browseCertificate, &QPushButton::clicked, this, &ControlEditor::onBrowseCertificateClicked);
    connect(r.browseKey, &QPushButton::clicked, this, &ControlEditor::onBrowseKeyClicked);
    connect(r.clearClientCertificate, &QPushButton::clicked, this, &ControlEditor::onClearClientCertificateClicked);
}

// --- values ------------------------------------------------------------------------------------

void ControlEditor::setControl(const MessageWebSocketControl &control)
{
    Rows &r = *m_rows;
    const QScopedValueRollback guard(m_settingValues, true);

    r.messageType->setCurrentIndex(r.messageType->findData(int(control.messageType)));
    r.receiveMode->setCurrentIndex(r.receiveMode->findData(int(control.receiveMode)));
    r.maxMessageSize->setValue(control.maxMessageSize); // InfiniteMessageSize is the maximum: "Unlimited"
    r.outboundFrameSize->setValue(control.outboundFrameSizeInBytes);
    r.maxBufferedAmount->setValue(double(std::min<quint64>(control.maxBufferedAmountBytes, quint64(MaxExactBytes))));
    r.supportedProtocols->setText(control.supportedProtocols.join(u", "));
    r.supportedProtocols->setCursorPosition(0); // show the first (preferred) protocol

    r.noDelay->setChecked(control.noDelay);
    r.outboundBufferSize->setValue(control.outboundBufferSizeInBytes ? double(*control.outboundBufferSizeInBytes)
                                                                     : r.outboundBufferSize->minimum());
    r.pongInterval->setValue(clampMs(control.desiredUnsolicitedPongInterval, 0));
    r.connectTimeout->setValue(clampMs(control.timeouts.connect, 1));
    r.handshakeTimeout->setValue(clampMs(control.timeouts.handshake, 1));
    r.closeTimeout->setValue(clampMs(control.timeouts.close, 1));
    r.idleTimeout->setValue(clampMs(control.timeouts.idle, 0));
    r.validationTimeout->setValue(clampMs(control.timeouts.validation, 1));

    const DeflateOptions &d = control.compression;
    r.deflateEnabled->setChecked(d.enabled);
    r.offerClientMaxWindowBits->setChecked(d.offerClientMaxWindowBits);
    r.clientMaxWindowBits->setCurrentIndex(std::max(0, r.clientMaxWindowBits->findData(d.clientMaxWindowBits)));
    r.serverMaxWindowBits->setCurrentIndex(std::max(0, r.serverMaxWindowBits->findData(d.serverMaxWindowBits)));
    r.clientNoContextTakeover->setChecked(d.clientNoContextTakeover);
    r.serverNoContextTakeover->setChecked(d.serverNoContextTakeover);
    r.compressionLevel->setValue(std::clamp(d.compressionLevel, -1, 9));
    r.compressionThreshold->setValue(d.thresholdBytes);

    m_ignorableOrder.clear();
    for (ChainValidationResult result : control.ignorableServerCertificateErrors) {
        if (ChainValidation::isIgnorable(result) && !m_ignorableOrder.contains(result))
            m_ignorableOrder.append(result);
    }
    for (int i = 0; i < r.ignorableErrors->count(); ++i) {
        QListWidgetItem *item = r.ignorableErrors->item(i);
        const auto result = ChainValidationResult(item->data(Qt::UserRole).toInt());
        item->setCheckState(m_ignorableOrder.contains(result) ? Qt::Checked : Qt::Unchecked);
    }

    m_caCertificates.clear();
    r.caCertificates->clear();
    r.caStatus->setVisible(false);
    for (const QSslCertificate &certificate : control.additionalCaCertificates) {
        if (certificate.isNull())
            continue;
        m_caCertificates.append(certificate);
        auto *item = new QListWidgetItem(certificateName(certificate), r.caCertificates);
        item->setToolTip(certificateDetails(certificate));
    }

    r.pinnedPublicKeys->setPlainText(control.pinnedPublicKeys.join(u'\n'));

    r.certificateFile->clear();
    r.keyFile->clear();
    r.keyPassword->clear();
    m_programCertificate = control.clientCertificate;
    if (m_programCertificate && !m_programCertificate->isNull())
        showClientCertificateStatus(tr("Set by the program: %1. Choose files to replace it, or Clear.")
                                            .arg(certificateName(m_programCertificate->certificate)),
                                    false);
    else
        showClientCertificateStatus({}, false);
    r.allowCustomValidationOverride->setChecked(control.allowCustomValidationOverride);

    validateLiveText();
    updateEnabledState();
}

std::optional<MessageWebSocketControl> ControlEditor::control(QString *error) const
{
    const Rows &r = *m_rows;
    const auto fail = [error](const QWidget *row, const QString &problem) -> std::optional<MessageWebSocketControl> {
        if (error)
            *error = row->accessibleName() + u": "_s + problem;
        return std::nullopt;
    };

    MessageWebSocketControl c;
    c.messageType = messageType();
    c.receiveMode = MessageWebSocketReceiveMode(r.receiveMode->currentData().toInt());
    c.maxMessageSize = quint32(r.maxMessageSize->bytes());
    c.outboundFrameSizeInBytes = quint32(r.outboundFrameSize->bytes());
    c.maxBufferedAmountBytes = r.maxBufferedAmount->bytes();
    c.supportedProtocols = splitProtocols(r.supportedProtocols->text());
    if (const QString problem = protocolsProblem(c.supportedProtocols); !problem.isEmpty())
        return fail(r.supportedProtocols, problem);

    c.noDelay = r.noDelay->isChecked();
    if (!r.outboundBufferSize->isNamedValue())
        c.outboundBufferSizeInBytes = quint32(r.outboundBufferSize->bytes());
    c.desiredUnsolicitedPongInterval = std::chrono::milliseconds(r.pongInterval->value());
    if (c.desiredUnsolicitedPongInterval > 0ms && c.desiredUnsolicitedPongInterval < 1000ms)
        return fail(r.pongInterval, tr("either Off (0) or at least 1,000 ms"));
    c.timeouts.connect = std::chrono::milliseconds(r.connectTimeout->value());
    c.timeouts.handshake = std::chrono::milliseconds(r.handshakeTimeout->value());
    c.timeouts.close = std::chrono::milliseconds(r.closeTimeout->value());
    c.timeouts.idle = std::chrono::milliseconds(r.idleTimeout->value());
    c.timeouts.validation = std::chrono::milliseconds(r.validationTimeout->value());

    DeflateOptions &d = c.compression;
    d.enabled = r.deflateEnabled->isChecked();
    d.offerClientMaxWindowBits = r.offerClientMaxWindowBits->isChecked();
    // Without the offer the value cannot be sent; the row is disabled then and counts as "No value".
    d.clientMaxWindowBits = d.offerClientMaxWindowBits ? r.clientMaxWindowBits->currentData().toInt() : 0;
    d.serverMaxWindowBits = r.serverMaxWindowBits->currentData().toInt();
    d.clientNoContextTakeover = r.clientNoContextTakeover->isChecked();
    d.serverNoContextTakeover = r.serverNoContextTakeover->isChecked();
    d.compressionLevel = r.compressionLevel->value();
    d.thresholdBytes = quint32(r.compressionThreshold->bytes());
    if (QString problem; Codec::validateDeflateOptions(d, &problem) != ErrorDetail::None)
        return fail(r.deflateEnabled, problem);

    // Checked errors in the order setControl() gave them, then the newly ticked ones in list order.
    QList<ChainValidationResult> checked;
    for (int i = 0; i < r.ignorableErrors->count(); ++i) {
        const QListWidgetItem *item = r.ignorableErrors->item(i);
        if (item->checkState() == Qt::Checked)
            checked.append(ChainValidationResult(item->data(Qt::UserRole).toInt()));
    }
    for (ChainValidationResult result : m_ignorableOrder) {
        if (checked.contains(result))
            c.ignorableServerCertificateErrors.append(result);
    }
    for (ChainValidationResult result : std::as_const(checked)) {
        if (!c.ignorableServerCertificateErrors.contains(result))
            c.ignorableServerCertificateErrors.append(result);
    }

    c.additionalCaCertificates = m_caCertificates;

    QString pinProblem;
    c.pinnedPublicKeys = parsePins(r.pinnedPublicKeys->toPlainText(), &pinProblem);
    if (!pinProblem.isEmpty())
        return fail(r.pinnedPublicKeys, pinProblem);

    const QString certificateFile = r.certificateFile->text().trimmed();
    const QString keyFile = r.keyFile->text().trimmed();
    if (!certificateFile.isEmpty()) {
        WebSocketError loadError;
        const QString password = r.keyPassword->text();
        std::optional<ClientCertificate> loaded =
                ClientCertificate::load(certificateFile, keyFile, password.toUtf8(), &loadError);
        if (!loaded) {
            // The loader names the file and OpenSSL's reason, never the passphrase (tested).
            const QString message = loadError.message();
            showClientCertificateStatus(message, true);
            return fail(r.certificateFile, message);
        }
        showClientCertificateStatus(tr("Loaded: %1, valid until %2")
                                            .arg(certificateName(loaded->certificate),
                                                 loaded->certificate.expiryDate().date().toString(Qt::ISODate)),
                                    false);
        c.clientCertificate = std::move(loaded);
    } else if (!keyFile.isEmpty()) {
        const QString message = tr("choose the certificate file too; a key alone is not a certificate");
        showClientCertificateStatus(message, true);
        return fail(r.certificateFile, message);
    } else {
        c.clientCertificate = m_programCertificate;
    }
    c.allowCustomValidationOverride = r.allowCustomValidationOverride->isChecked();

    if (error)
        error->clear();
    return c;
}

void ControlEditor::setLocked(bool locked)
{
    if (m_locked == locked)
        return;
    m_locked = locked;
    updateEnabledState();
}

void ControlEditor::setMessageType(SocketMessageType type)
{
    const QScopedValueRollback guard(m_settingValues, true);
    m_rows->messageType->setCurrentIndex(m_rows->messageType->findData(int(type)));
}

SocketMessageType ControlEditor::messageType() const
{
    return SocketMessageType(m_rows->messageType->currentData().toInt());
}

bool ControlEditor::addCaCertificatesFromFile(const QString &path, QString *error)
{
    Rows &r = *m_rows;
    QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, QSsl::Pem);
    if (certificates.isEmpty())
        certificates = QSslCertificate::fromPath(path, QSsl::Der);
    certificates.removeIf([](const QSslCertificate &certificate) { return certificate.isNull(); });
    if (certificates.isEmpty()) {
        const QString message = tr("%1 holds no PEM or DER certificate").arg(QFileInfo(path).fileName());
        r.caStatus->setText(message);
        r.caStatus->setVisible(true);
        if (error)
            *error = r.caCertificates->accessibleName() + u": "_s + message;
        return false;
    }
    r.caStatus->setVisible(false);
    for (const QSslCertificate &certificate : std::as_const(certificates)) {
        if (m_caCertificates.contains(certificate))
            continue;
        m_caCertificates.append(certificate);
        auto *item = new QListWidgetItem(certificateName(certificate), r.caCertificates);
        item->setToolTip(certificateDetails(certificate));
    }
    r.caCertificates->setCurrentRow(r.caCertificates->count() - 1);
    onUserEdit();
    return true;
}

// --- user actions ------------------------------------------------------------------------------

void ControlEditor::onUserEdit()
{
    validateLiveText();
    updateEnabledState();
    if (!m_settingValues)
        Q_EMIT edited();
}

void ControlEditor::onAddCaClicked()
{
    const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Add CA certificates"), {},
            tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"));
    for (const QString &file : files)
        addCaCertificatesFromFile(file);
}

void ControlEditor::onRemoveCaClicked()
{
    Rows &r = *m_rows;
    const int row = r.caCertificates->currentRow();
    if (row < 0 || row >= m_caCertificates.size())
        return;
    delete r.caCertificates->takeItem(row);
    m_caCertificates.removeAt(row);
    onUserEdit();
}

void ControlEditor::onBrowseCertificateClicked()
{
    const QString file = QFileDialog::getOpenFileName(
            this, tr("Client certificate"), {},
            tr("Certificates (*.pem *.crt *.cer *.p12 *.pfx);;All files (*)"));
    if (file.isEmpty())
        return;
    m_rows->certificateFile->setText(file);
    onClientCertificateFilesEdited();
}

void ControlEditor::onBrowseKeyClicked()
{
    const QString file =
            QFileDialog::getOpenFileName(this, tr("Client key"), {}, tr("Keys (*.key *.pem);;All files (*)"));
    if (file.isEmpty())
        return;
    m_rows->keyFile->setText(file);
    onClientCertificateFilesEdited();
}

void ControlEditor::onClearClientCertificateClicked()
{
    Rows &r = *m_rows;
    r.certificateFile->clear();
    r.keyFile->clear();
    r.keyPassword->clear();
    m_programCertificate.reset();
    showClientCertificateStatus({}, false);
    onUserEdit();
}

void ControlEditor::onClientCertificateFilesEdited()
{
    const Rows &r = *m_rows;
    if (!r.certificateFile->text().trimmed().isEmpty())
        showClientCertificateStatus(tr("Loaded and checked when the settings are applied."), false);
    else if (m_programCertificate)
        showClientCertificateStatus(tr("Set by the program: %1. Choose files to replace it, or Clear.")
                                            .arg(certificateName(m_programCertificate->certificate)),
                                    false);
    else
        showClientCertificateStatus({}, false);
    onUserEdit();
}

void ControlEditor::validateLiveText()
{
    const Rows &r = *m_rows;
    markInvalid(r.supportedProtocols, protocolsProblem(splitProtocols(r.supportedProtocols->text())));
    QString pinProblem;
    parsePins(r.pinnedPublicKeys->toPlainText(), &pinProblem);
    markInvalid(r.pinnedPublicKeys, pinProblem);
}

void ControlEditor::showClientCertificateStatus(const QString &text, bool isError) const
{
    QLabel *status = m_rows->clientCertificateStatus;
    status->setText(text);
    status->setProperty("isError", isError);
    status->setStyleSheet(isError ? u"color: #b00020;"_s : QString());
    status->setVisible(!text.isEmpty());
}

void ControlEditor::updateEnabledState()
{
    Rows &r = *m_rows;
    const bool editable = !m_locked;
    for (QWidget *widget : std::as_const(r.lockable))
        widget->setEnabled(editable);
    r.messageType->setEnabled(true);
    r.lockNote->setVisible(m_locked);

    // rows that only mean something when another row allows them
    const bool deflate = editable && r.deflateEnabled->isChecked();
    for (QWidget *widget : {static_cast<QWidget *>(r.offerClientMaxWindowBits),
                            static_cast<QWidget *>(r.serverMaxWindowBits),
                            static_cast<QWidget *>(r.clientNoContextTakeover),
                            static_cast<QWidget *>(r.serverNoContextTakeover),
                            static_cast<QWidget *>(r.compressionLevel),
                            static_cast<QWidget *>(r.compressionThreshold)})
        widget->setEnabled(deflate);
    r.clientMaxWindowBits->setEnabled(deflate && r.offerClientMaxWindowBits->isChecked());
    r.removeCa->setEnabled(editable && r.caCertificates->currentRow() >= 0);

    for (const auto &[spin, hint] : std::as_const(r.byteHints)) {
        hint->setText(spin->isNamedValue() ? QString() : byteHint(spin->value()));
        hint->setEnabled(spin->isEnabled());
    }
}

} // namespace Wsw::Ui
