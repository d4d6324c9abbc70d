#include "dialogs/servervalidationprompt.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "api/chainvalidation.h"
#include "dialogs/certificatedialog.h"
#include "theme.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

ServerValidationPrompt::ServerValidationPrompt(const MessageWebSocketInformation &certificate,
                                               const MessageWebSocketControl &control, const QString &hostKey,
                                               std::chrono::milliseconds timeLeft, QWidget *parent)
    : QDialog(parent)
    , m_certificate(certificate)
    , m_timeLeft(new QLabel)
    , m_timeout(timeLeft)
{
    setWindowTitle(tr("Certificate problem: %1").arg(hostKey));
    setAttribute(Qt::WA_DeleteOnClose);
    setAccessibleName(tr("Certificate problem"));

    auto *heading = new QLabel(tr("<b>The certificate of %1 failed validation.</b> The connection waits for your "
                                  "answer; nothing has been sent to the server yet.").arg(hostKey.toHtmlEscaped()));
    heading->setWordWrap(true);
    auto *summary = new QLabel(CertificateDialog::summaryOf(certificate, control));
    summary->setAccessibleName(tr("Summary"));
    summary->setWordWrap(true);
    summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QStringList lines;
    for (ChainValidationResult r : certificate.serverCertificateErrors)
        lines << u"• <b>%1</b> — %2"_s.arg(ChainValidation::name(r), ChainValidation::explanation(r).toHtmlEscaped());
    auto *errors = new QLabel(lines.join(u"<br>"_s));
    errors->setAccessibleName(tr("Certificate errors"));
    errors->setWordWrap(true);
    errors->setStyleSheet(Theme::warningPanelStyle());
    const QString pin = certificate.tls.presentedPins.value(0);
    auto *pinLabel = new QLabel(tr("Its key: %1").arg(pin));
    pinLabel->setAccessibleName(tr("Key pin"));
    pinLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timeLeft->setAccessibleName(tr("Time left"));

    auto *details = new QPushButton(tr("Details…"));
    details->setAccessibleName(tr("Details"));
    details->setToolTip(tr("The whole chain, every field of each certificate, and each error explained"));
    auto *acceptOnce = new QPushButton(tr("Accept once"));
    acceptOnce->setAccessibleName(tr("Accept once"));
    acceptOnce->setToolTip(tr("Go on with this connection only; the next one asks again"));
    auto *trust = new QPushButton(tr("Trust this certificate for this host"));
    trust->setAccessibleName(tr("Trust this certificate for this host"));
    trust->setToolTip(tr("Keep its key's pin for %1: later connections there pass on the pin "
                         "(Connection ▸ Trusted certificates lists and removes pins)").arg(hostKey));
    trust->setEnabled(!pin.isEmpty());
    auto *reject = new QPushButton(tr("Reject"));
    reject->setAccessibleName(tr("Reject"));
    reject->setDefault(true); // Enter keeps the safe answer
    connect(details, &QPushButton::clicked, this, &ServerValidationPrompt::detailsRequested);
    connect(acceptOnce, &QPushButton::clicked, this, [this] { answer(Answer::AcceptOnce); });
    connect(trust, &QPushButton::clicked, this, [this] { answer(Answer::TrustHost); });
    connect(reject, &QPushButton::clicked, this, [this] { answer(Answer::Reject); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(details);
    buttons->addStretch(1);
    buttons->addWidget(acceptOnce);
    buttons->addWidget(trust);
    buttons->addWidget(reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(summary);
    layout->addWidget(errors);
    layout->addWidget(pinLabel);
    layout->addWidget(m_timeLeft);
    layout->addLayout(buttons);
    setMinimumWidth(620);

    m_clock.start();
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &ServerValidationPrompt::onTick);
    m_tick.start();
    onTick();
}

QString ServerValidationPrompt::timeLeftText() const
{
    return m_timeLeft->text();
}

void ServerValidationPrompt::onTick()
{
    const qint64 left = m_timeout.count() - m_clock.elapsed();
    if (left <= 0) {
        answer(Answer::Reject); // the engine gives up at the same moment: fail closed
        return;
    }
    m_timeLeft->setText(tr("Rejected automatically in %1 s unless you answer.").arg((left + 999) / 1000));
}

void ServerValidationPrompt::answer(Answer answer)
{
    if (m_answered)
        return;
    m_answered = true;
    m_tick.stop();
    Q_EMIT answered(answer);
    QDialog::done(answer == Answer::Reject ? Rejected : Accepted);
}

void ServerValidationPrompt::done(int result)
{
    if (!m_answered) {
        answer(Answer::Reject); // Esc or the window's close button
        return;
    }
    QDialog::done(result);
}

} // namespace Wsw::Ui
