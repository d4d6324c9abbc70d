#include "widgets/handshakeview.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

bool isCredentialHeader(QByteArrayView name)
{
    const QByteArray lower = name.trimmed().toByteArray().toLower();
    return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie";
}

} // namespace

HandshakeView::HandshakeView(QWidget *parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit)
{
    m_text->setReadOnly(true);
    m_text->setAccessibleName(tr("Handshake transcript"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setPlaceholderText(tr("The opening handshake appears here once a connection is attempted: "
                                  "the request as sent and the answer as received."));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
}

QString HandshakeView::redacted(const QByteArray &headers)
{
    QStringList lines;
    for (const QByteArray &line : headers.split('\n')) {
        const QByteArray bare = line.endsWith('\r') ? line.chopped(1) : line;
        const qsizetype colon = bare.indexOf(':');
        if (colon > 0 && isCredentialHeader(QByteArrayView(bare).first(colon)))
            lines << QString::fromLatin1(bare.first(colon)) + u": ‹redacted›"_s;
        else
            lines << QString::fromUtf8(bare);
    }
    return lines.join(u'\n');
}

void HandshakeView::showTranscript(const HandshakeTranscript &t)
{
    if (t.request.isEmpty()) {
        m_text->clear();
        return;
    }
    QString text = tr("── Request as sent ──") + u'\n' + redacted(t.request).trimmed() + u"\n\n"_s;
    if (t.responseHeaders.isEmpty()) {
        text += tr("── No answer (yet) ──");
    } else {
        text += tr("── Answer as received (HTTP %1) ──").arg(t.httpStatus) + u'\n' + redacted(t.responseHeaders).trimmed();
        if (!t.responseBody.isEmpty()) {
            text += u"\n\n"_s + tr("── Body (%1) ──").arg(Format::byteSize(quint64(t.responseBody.size()))) + u'\n';
            const QString problem = Format::utf8Problem(t.responseBody);
            text += problem.isEmpty() ? QString::fromUtf8(t.responseBody) : Format::hexDump(t.responseBody);
        }
    }
    m_text->setPlainText(text);
}

QString HandshakeView::text() const
{
    return m_text->toPlainText();
}

} // namespace Wsw::Ui
