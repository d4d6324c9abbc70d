#include "widgets/controleditor.h"

#include <algorithm>
#include <limits>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "codec/handshake.h"
#include "codec/permessagedeflate.h"
#include "widgets/bytespinbox.h"
#include "widgets/formrows.h"
#include "widgets/proxysettingseditor.h"
#include "widgets/tlssettingseditor.h"

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

QString listSeparatorsHelp()
{
    return ControlEditor::tr("separate them with commas or spaces");
}

int clampMs(std::chrono::milliseconds ms, int minimum)
{
    return int(std::clamp<qint64>(ms.count(), minimum, MaxMilliseconds));
}

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

/** A titled section at the end of the column, and its form. */
QFormLayout *newSection(QVBoxLayout *sections, const QString &title)
{
    auto *box = new QGroupBox(title, sections->parentWidget());
    QFormLayout *form = FormRows::newForm(box);
    sections->addWidget(box);
    return form;
}

/** A duration in milliseconds; `special` names the minimum ("Off"). */
QSpinBox *msSpin(QWidget *parent, int minimum, const QString &special = {})
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(minimum, MaxMilliseconds);
    spin->setSuffix(ControlEditor::tr(" ms"));
    spin->setSingleStep(1000);
    spin->setGroupSeparatorShown(true);
    spin->setAccelerated(true);
    if (!special.isEmpty())
        spin->setSpecialValueText(special);
    return spin;
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
    // Proxy, TLS
    ProxySettingsEditor *proxy = nullptr;
    TlsSettingsEditor *tls = nullptr;

    /** The rows of the first three sections (the TLS section keeps its own), top to bottom. */
    FormRows form;
    /** A byte count and the "= 64.0 MiB" label beside it. */
    QList<QPair<ByteSpinBox *, QLabel *>> byteHints;

    /** [spin] [= 64.0 MiB], as one field */
    QWidget *bytesField(QWidget *parent, ByteSpinBox *spin)
    {
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
        byteHints.append({spin, hint});
        return field;
    }
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

    buildMessagesSection(sections);
    buildConnectionSection(sections);
    buildCompressionSection(sections);
    r.proxy = new ProxySettingsEditor(sections->parentWidget());
    sections->addWidget(r.proxy);
    buildTlsSection(sections);
    sections->addStretch(1);

    // one label column and one field width across every section, and one keyboard order
    FormRows all = r.form;
    all.append(r.proxy->rows());
    all.append(r.tls->rows());
    all.alignColumns();
    all.chainTabOrder();
}

void ControlEditor::buildMessagesSection(QVBoxLayout *sections)
{
    Rows &r = *m_rows;
    QFormLayout *form = newSection(sections, tr("Messages"));
    QWidget *box = form->parentWidget();

    r.messageType = new QComboBox(box);
    r.messageType->addItem(tr("Text"), int(SocketMessageType::Utf8));
    r.messageType->addItem(tr("Binary"), int(SocketMessageType::Binary));
    r.form.addRow(form, tr("Message &type"), r.messageType,
                  tr("The type of the messages Send sends: Text (checked to be UTF-8) or Binary. It may change at "
                     "any time, even while connected. Default: Binary."));

    r.receiveMode = new QComboBox(box);
    r.receiveMode->addItem(tr("Full message"), int(MessageWebSocketReceiveMode::FullMessage));
    r.receiveMode->addItem(tr("Partial message"), int(MessageWebSocketReceiveMode::PartialMessage));
    r.form.addRow(form, tr("Receive mode"), r.receiveMode,
                  tr("Full message: one received message per WebSocket message. Partial message: one per piece as "
                     "it arrives, the last marked complete. Default: Full message."));

    r.maxMessageSize = new ByteSpinBox(MaxUInt32, box);
    r.maxMessageSize->setMaximumName(tr("Unlimited"), DefaultMaxMessageSizeSuggestion);
    r.form.addRow(form, tr("Max message size"), r.maxMessageSize,
                  tr("The largest incoming message in bytes (up to 4 GiB - 2; the largest value is Unlimited); a "
                     "larger one fails the connection with close code 1009. Default: Unlimited."),
                  r.bytesField(box, r.maxMessageSize));

    r.outboundFrameSize = new ByteSpinBox(MaxUInt32, box);
    r.outboundFrameSize->setSpecialValueText(tr("One frame"));
    r.form.addRow(form, tr("Outbound frame size"), r.outboundFrameSize,
                  tr("Splits each outgoing message into frames of at most this many payload bytes (our own setting; "
                     "compressed messages are split before compression). Default: One frame (0)."),
                  r.bytesField(box, r.outboundFrameSize));

    r.maxBufferedAmount = new ByteSpinBox(MaxExactBytes, box);
    r.maxBufferedAmount->setSpecialValueText(tr("No limit"));
    r.form.addRow(form, tr("Max buffered amount"), r.maxBufferedAmount,
                  tr("Sends are refused (SendBufferFull) while the send queue holds this many bytes or more; one "
                     "larger message is still accepted when the queue holds less. Default: 64 MiB; 0 = no limit."),
                  r.bytesField(box, r.maxBufferedAmount));

    r.supportedProtocols = new QLineEdit(box);
    r.supportedProtocols->setPlaceholderText(tr("none, e.g. chat, superchat"));
    r.supportedProtocols->setClearButtonEnabled(true);
    r.form.addRow(form, tr("Supported protocols"), r.supportedProtocols,
                  tr("Subprotocols offered in Sec-WebSocket-Protocol, in order of preference (%1); each must be an "
                     "HTTP token. Default: none.")
                          .arg(listSeparatorsHelp()));
}

void ControlEditor::buildConnectionSection(QVBoxLayout *sections)
{
    Rows &r = *m_rows;
    QFormLayout *form = newSection(sections, tr("Connection && timeouts"));
    QWidget *box = form->parentWidget();

    r.noDelay = new QCheckBox(box);
    r.form.addRow(form, tr("No delay (TCP_NODELAY)"), r.noDelay,
                  tr("Turns Nagle's algorithm off so small messages leave at once, as browsers do. Default: on."));

    r.outboundBufferSize = new ByteSpinBox(MaxUInt32, box);
    r.outboundBufferSize->setMinimumName(tr("OS default"), DefaultSendBufferSuggestion);
    r.form.addRow(form, tr("Outbound buffer size"), r.outboundBufferSize,
                  tr("The TCP send buffer (SO_SNDBUF, Windows' meaning; not a frame size). Setting it turns the OS's "
                     "send auto-tuning off, so leave it at OS default unless you test exactly that. Default: OS "
                     "default."),
                  r.bytesField(box, r.outboundBufferSize));

    r.pongInterval = msSpin(box, 0, tr("Off"));
    r.form.addRow(form, tr("Unsolicited pong interval"), r.pongInterval,
                  tr("Sends an unsolicited Pong this often as a one-way heartbeat (RFC 6455 §5.5.3); 0 is off, "
                     "otherwise at least 1000 ms. Default: Off."));

    r.connectTimeout = msSpin(box, 1);
    r.form.addRow(form, tr("Connect timeout"), r.connectTimeout,
                  tr("TCP connect and, for wss://, the TLS handshake must finish within this time together. "
                     "Default: 60,000 ms."));
    r.handshakeTimeout = msSpin(box, 1);
    r.form.addRow(form, tr("Handshake timeout"), r.handshakeTimeout,
                  tr("From sending the upgrade request to a complete 101 answer. Default: 30,000 ms."));
    r.closeTimeout = msSpin(box, 1);
    r.form.addRow(form, tr("Close timeout"), r.closeTimeout,
                  tr("From our close frame (sent or answered) to the end of the TCP connection. Default: 10,000 ms."));
    r.idleTimeout = msSpin(box, 0, tr("Off"));
    r.form.addRow(form, tr("Idle timeout"), r.idleTimeout,
                  tr("Fails an open connection that has received nothing for this long. Default: Off (0)."));
    r.validationTimeout = msSpin(box, 1);
    r.form.addRow(form, tr("Validation timeout"), r.validationTimeout,
                  tr("wss:// only: how long a custom certificate validation may take; when it runs out the "
                     "certificate counts as rejected. Default: 10,000 ms."));
    // the server credential (spec §3 ServerCredential) joins the proxy section once the engine has it
}

void ControlEditor::buildCompressionSection(QVBoxLayout *sections)
{
    Rows &r = *m_rows;
    QFormLayout *form = newSection(sections, tr("Compression"));
    QWidget *box = form->parentWidget();

    r.deflateEnabled = new QCheckBox(box);
    r.form.addRow(form, tr("Offer permessage-deflate"), r.deflateEnabled,
                  tr("Offers permessage-deflate compression (RFC 7692) in the upgrade request, as browsers do. "
                     "Default: on."));
    r.offerClientMaxWindowBits = new QCheckBox(box);
    r.form.addRow(form, tr("Offer client_max_window_bits"), r.offerClientMaxWindowBits,
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
    r.form.addRow(form, tr("Client max window bits"), r.clientMaxWindowBits,
                  tr("No value: client_max_window_bits is offered without a value, as browsers do; 8-15: offered "
                     "with this value, and our window is never larger. Default: No value."));
    r.form.addRow(form, tr("Server max window bits"), r.serverMaxWindowBits,
                  tr("8-15 asks the server to compress with at most this window (server_max_window_bits). "
                     "Default: Not requested."));

    r.clientNoContextTakeover = new QCheckBox(box);
    r.form.addRow(form, tr("Client no context takeover"), r.clientNoContextTakeover,
                  tr("Offers to reset our compressor after every message: less memory, less compression. "
                     "Default: off."));
    r.serverNoContextTakeover = new QCheckBox(box);
    r.form.addRow(form, tr("Server no context takeover"), r.serverNoContextTakeover,
                  tr("Asks the server to reset its compressor after every message. Default: off."));

    r.compressionLevel = new QSpinBox(box);
    r.compressionLevel->setRange(-1, 9);
    r.compressionLevel->setSpecialValueText(tr("zlib default (6)"));
    r.form.addRow(form, tr("Compression level"), r.compressionLevel,
                  tr("zlib level for our messages, 0 (stored, no compression) to 9 (smallest). Default: zlib's "
                     "default, 6."));

    r.compressionThreshold = new ByteSpinBox(MaxUInt32, box);
    r.compressionThreshold->setSingleStep(64);
    r.form.addRow(form, tr("Compression threshold"), r.compressionThreshold,
                  tr("Outgoing messages shorter than this are sent uncompressed (RFC 7692 allows it per message). "
                     "Default: 0 B (compress every message)."),
                  r.bytesField(box, r.compressionThreshold));
}

void ControlEditor::buildTlsSection(QVBoxLayout *sections)
{
    m_rows->tls = new TlsSettingsEditor(sections->parentWidget());
    sections->addWidget(m_rows->tls);
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
    for (QCheckBox *check :
         {r.noDelay, r.deflateEnabled, r.offerClientMaxWindowBits, r.clientNoContextTakeover, r.serverNoContextTakeover})
        connect(check, &QCheckBox::toggled, this, edit);
    connect(r.supportedProtocols, &QLineEdit::textChanged, this, edit);
    connect(r.tls, &TlsSettingsEditor::edited, this, edit);
    connect(r.proxy, &ProxySettingsEditor::edited, this, edit);
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

    r.proxy->setFromControl(control);
    r.tls->setFromControl(control);

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

    if (!r.proxy->applyToControl(&c, error) || !r.tls->applyToControl(&c, error))
        return std::nullopt;

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
    return m_rows->tls->addCaCertificatesFromFile(path, error);
}

// --- user actions ------------------------------------------------------------------------------

void ControlEditor::onUserEdit()
{
    validateLiveText();
    updateEnabledState();
    if (!m_settingValues)
        Q_EMIT edited();
}

void ControlEditor::validateLiveText()
{
    const Rows &r = *m_rows;
    FormRows::markInvalid(r.supportedProtocols, protocolsProblem(splitProtocols(r.supportedProtocols->text())));
}

void ControlEditor::updateEnabledState()
{
    Rows &r = *m_rows;
    const bool editable = !m_locked;
    for (QWidget *widget : r.form.editors()) {
        if (widget != r.messageType)
            widget->setEnabled(editable);
    }
    r.proxy->setLocked(m_locked);
    r.tls->setLocked(m_locked);
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

    for (const auto &[spin, hint] : std::as_const(r.byteHints)) {
        hint->setText(spin->readableSize());
        hint->setEnabled(spin->isEnabled());
    }
}

} // namespace Wsw::Ui
