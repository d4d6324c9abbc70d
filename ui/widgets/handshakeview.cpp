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

namespace {

/** One request and its answer as text; which is the attempt's heading. */
QString attemptText(const QString &which, const QByteArray &request, const QByteArray &responseHeaders,
                    const QByteArray &responseBody, int httpStatus)
{
    QString text = HandshakeView::tr("── %1: request as sent ──").arg(which) + u'\n'
            + HandshakeView::redacted(request).trimmed() + u"\n\n"_s;
    if (responseHeaders.isEmpty())
        return text + HandshakeView::tr("── No answer (yet) ──");
    text += HandshakeView::tr("── Answer as received (HTTP %1) ──").arg(httpStatus) + u'\n'
            + HandshakeView::redacted(responseHeaders).trimmed();
    if (!responseBody.isEmpty()) {
        text += u"\n\n"_s + HandshakeView::tr("── Body (%1) ──").arg(Format::byteSize(quint64(responseBody.size()))) + u'\n';
        text += Format::utf8Problem(responseBody).isEmpty() ? QString::fromUtf8(responseBody) : Format::hexDump(responseBody);
    }
    return text;
}

} // namespace

void HandshakeView::showTranscript(const HandshakeTranscript &t)
{
    if (t.request.isEmpty() && t.earlierAttempts.isEmpty()) {
        m_text->clear();
        return;
    }
    QStringList parts;
    const qsizetype attempts = t.earlierAttempts.size() + 1;
    for (qsizetype i = 0; i < t.earlierAttempts.size(); ++i) {
        const HandshakeAttempt &a = t.earlierAttempts[i];
        parts << attemptText(tr("Attempt %1 of %2").arg(i + 1).arg(attempts), a.request, a.responseHeaders, a.responseBody,
                             a.httpStatus);
    }
    parts << attemptText(attempts > 1 ? tr("Attempt %1 of %1").arg(attempts) : tr("Handshake"), t.request,
                         t.responseHeaders, t.responseBody, t.httpStatus);
    m_text->setPlainText(parts.join(u"\n\n"_s));
}

QString HandshakeView::text() const
{
    return m_text->toPlainText();
}

} // namespace Wsw::Ui
