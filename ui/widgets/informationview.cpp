#include "widgets/informationview.h"

#include <QHeaderView>
#include <QHBoxLayout>
#include <QMetaEnum>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "api/chainvalidation.h"
#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

QString endpoint(const QHostAddress &address, quint16 port)
{
    if (address.isNull())
        return InformationView::tr("—");
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]:%2"_s.arg(address.toString()).arg(port)
                                                               : u"%1:%2"_s.arg(address.toString()).arg(port);
}

QString bitsPerSecond(quint64 bits)
{
    return InformationView::tr("%1/s").arg(Format::byteSize(bits / 8));
}

QString stateName(ConnectionState state)
{
    const char *key = QMetaEnum::fromType<ConnectionState>().valueToKey(int(state));
    return key ? QString::fromLatin1(key) : QString::number(int(state));
}

QString yesNo(bool value)
{
    return value ? InformationView::tr("yes") : InformationView::tr("no");
}

} // namespace

InformationView::InformationView(QWidget *parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget)
    , m_certificateButton(new QPushButton(tr("Certificate…")))
{
    m_certificateButton->setAccessibleName(tr("Show certificate"));
    m_certificateButton->setToolTip(tr("The server's certificate chain, every field, and each validation error explained"));
    m_certificateButton->setEnabled(false);
    connect(m_certificateButton, &QPushButton::clicked, this, &InformationView::certificateRequested);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Property"), tr("Value")});
    m_tree->setAccessibleName(tr("Connection information"));
    m_tree->setRootIsDecorated(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_certificateButton);
    layout->addLayout(buttons);
    showInformation({}, ConnectionState::Idle);
    m_tree->expandAll();
}

QTreeWidgetItem *InformationView::section(const QString &name)
{
    QTreeWidgetItem *&item = m_sections[name];
    if (!item) {
        item = new QTreeWidgetItem(m_tree, {name});
        QFont bold = item->font(0);
        bold.setBold(true);
        item->setFont(0, bold);
        item->setExpanded(true);
    }
    return item;
}

void InformationView::setRow(const QString &sectionName, const QString &row, const QString &value,
                             const QString &toolTip)
{
    QTreeWidgetItem *&item = m_rows[sectionName + u'/' + row];
    if (!item)
        item = new QTreeWidgetItem(section(sectionName), {row});
    if (item->text(1) != value)
        item->setText(1, value);
    item->setToolTip(1, toolTip.isEmpty() ? value : toolTip);
}

QString InformationView::value(const QString &sectionName, const QString &row) const
{
    const QTreeWidgetItem *item = m_rows.value(sectionName + u'/' + row);
    return item ? item->text(1) : QString();
}

void InformationView::showInformation(const MessageWebSocketInformation &info, ConnectionState state)
{
    const QString connection = tr("Connection");
    setRow(connection, tr("State"), stateName(state));
    setRow(connection, tr("Local address"), endpoint(info.localAddress, info.localPort));
    setRow(connection, tr("Server address"), endpoint(info.peerAddress, info.peerPort));
    QString proxy = tr("none (direct)");
    if (info.proxy.type != ProxyType::None) {
        proxy = u"%1 %2:%3"_s.arg(info.proxy.type == ProxyType::Socks5 ? u"SOCKS5"_s : u"HTTP CONNECT"_s, info.proxy.host)
                        .arg(info.proxy.port);
        if (info.proxy.fromSystem)
            proxy += tr(" (from the system settings)");
        if (info.proxy.authenticated)
            proxy += tr(", authenticated");
    }
    setRow(connection, tr("Proxy"), proxy);
    setRow(connection, tr("Server login"), info.authentication.scheme.isEmpty()
                                                   ? tr("not asked")
                                                   : info.authentication.note.isEmpty() ? info.authentication.scheme
                                                                                         : info.authentication.note);
    setRow(connection, tr("Subprotocol"), info.protocol.isNull() ? tr("—") : info.protocol.isEmpty() ? tr("none") : info.protocol);
    setRow(connection, tr("Unsolicited pong interval"),
           info.actualUnsolicitedPongInterval.count() == 0 ? tr("off") : Format::duration(info.actualUnsolicitedPongInterval.count()));
    setRow(connection, tr("Last ping round trip"),
           info.lastPingRoundTrip.count() < 0 ? tr("—") : tr("%1 ms").arg(info.lastPingRoundTrip.count()));

    const QString compression = tr("Compression");
    const CompressionInformation &c = info.compression;
    setRow(compression, tr("permessage-deflate"), c.negotiated ? c.extension : tr("not negotiated"));
    setRow(compression, tr("Our messages compressed"), yesNo(c.outgoingCompressed));
    setRow(compression, tr("Window bits (ours / server's)"), c.negotiated ? u"%1 / %2"_s.arg(c.clientMaxWindowBits).arg(c.serverMaxWindowBits) : tr("—"));
    setRow(compression, tr("No context takeover (ours / server's)"),
           c.negotiated ? u"%1 / %2"_s.arg(yesNo(c.clientNoContextTakeover), yesNo(c.serverNoContextTakeover)) : tr("—"));
    setRow(compression, tr("Note"), c.note.isEmpty() ? tr("—") : c.note);

    const QString traffic = tr("Traffic");
    const TrafficCounters &n = info.counters;
    setRow(traffic, tr("Messages sent"), QString::number(n.messagesSent));
    setRow(traffic, tr("Messages received"), QString::number(n.messagesReceived));
    setRow(traffic, tr("Frames sent / received"), u"%1 / %2"_s.arg(n.framesSent).arg(n.framesReceived));
    setRow(traffic, tr("Message bytes sent / received"),
           u"%1 / %2"_s.arg(Format::byteSize(n.messageBytesSent), Format::byteSize(n.messageBytesReceived)));
    setRow(traffic, tr("Payload bytes sent / received"),
           u"%1 / %2"_s.arg(Format::byteSize(n.payloadBytesSent), Format::byteSize(n.payloadBytesReceived)),
           tr("Frame payload as on the wire (compressed when compressed)"));
    setRow(traffic, tr("Wire bytes sent / received"),
           u"%1 / %2"_s.arg(Format::byteSize(n.wireBytesSent), Format::byteSize(n.wireBytesReceived)),
           tr("Everything written to and read from the socket, handshake and frame headers included"));
    setRow(traffic, tr("Compressed messages sent / received"),
           u"%1 / %2"_s.arg(n.compressedMessagesSent).arg(n.compressedMessagesReceived));
    setRow(traffic, tr("Pings sent / pongs received"), u"%1 / %2"_s.arg(n.pingsSent).arg(n.pongsReceived));

    const QString bandwidth = tr("Bandwidth");
    const BandwidthStatistics &b = info.bandwidthStatistics;
    setRow(bandwidth, tr("Outbound"), bitsPerSecond(b.outboundBitsPerSecond) + (b.outboundBandwidthPeaked ? tr(" (peaked)") : QString()));
    setRow(bandwidth, tr("Inbound"), bitsPerSecond(b.inboundBitsPerSecond) + (b.inboundBandwidthPeaked ? tr(" (peaked)") : QString()));

    const QString tls = tr("TLS");
    const TlsInformation &t = info.tls;
    setRow(tls, tr("Encrypted"), t.encrypted ? u"%1, %2 (%3 bits)"_s.arg(t.protocol, t.cipher).arg(t.cipherBits) : tr("no"));
    QString trust = tr("—");
    if (t.acceptedByOverride)
        trust = tr("accepted by hand despite certificate errors");
    else if (!t.matchedPin.isEmpty() && !info.serverCertificateErrors.isEmpty())
        trust = tr("trusted because of a pinned key, not the certificate chain");
    else if (t.defaultValidationPassed && !info.serverCertificateErrors.isEmpty())
        trust = tr("trusted although the chain has errors that Control ignores");
    else if (t.defaultValidationPassed)
        trust = tr("trusted: valid chain for %1").arg(t.peerVerifyName);
    else if (info.serverCertificate)
        trust = tr("not trusted");
    setRow(tls, tr("Trust"), trust);
    setRow(tls, tr("Matched pin"), t.matchedPin.isEmpty() ? tr("—") : t.matchedPin);
    if (info.serverCertificate) {
        const QSslCertificate &leaf = *info.serverCertificate;
        setRow(tls, tr("Certificate subject"), leaf.subjectDisplayName());
        setRow(tls, tr("Certificate issuer"), leaf.issuerDisplayName());
        setRow(tls, tr("Valid until"), leaf.expiryDate().toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s));
        setRow(tls, tr("Server's key pin"), t.presentedPins.value(0, tr("—")));
    } else {
        for (const QString &row : {tr("Certificate subject"), tr("Certificate issuer"), tr("Valid until"), tr("Server's key pin")})
            setRow(tls, row, tr("—"));
    }
    m_certificateButton->setEnabled(info.serverCertificate.has_value());
    QStringList errors;
    for (ChainValidationResult r : info.serverCertificateErrors)
        errors << ChainValidation::name(r);
    setRow(tls, tr("Certificate errors"), errors.isEmpty() ? tr("none") : errors.join(u", "_s));
}

} // namespace Wsw::Ui
