#include "connection/certificatepolicy.h"

#include "api/chainvalidation.h"
#include "api/spkipin.h"

namespace Wsw {

namespace {
bool isTrustError(ChainValidationResult result)
{
    return result == ChainValidationResult::Untrusted || result == ChainValidationResult::IncompleteChain;
}
} // namespace

bool hasTrustError(const QList<ChainValidationResult> &results)
{
    return std::any_of(results.cbegin(), results.cend(), isTrustError);
}

ChainJudgement judgeChain(const QList<QSslError> &errors, const QSslCertificate &leaf,
                          const TrustPolicy &policy)
{
    ChainJudgement judgement;
    judgement.results = ChainValidation::resultsFor(errors);
    judgement.severity = ChainValidation::severityOf(judgement.results);
    const bool leafPinned =
        !policy.pinDigests.isEmpty() && policy.pinDigests.contains(SpkiPin::digestOf(leaf));
    for (ChainValidationResult result : std::as_const(judgement.results)) {
        if (policy.ignorable.contains(result))
            continue;
        if (leafPinned && isTrustError(result))
            continue;
        judgement.unresolved.append(result);
    }
    if (judgement.unresolved.isEmpty())
        judgement.outcome = ChainJudgement::Outcome::Accepted;
    else if (policy.overridable &&
             ChainValidation::severityOf(judgement.unresolved) == SocketSslErrorSeverity::Ignorable)
        judgement.outcome = ChainJudgement::Outcome::NeedsOverride;
    else
        judgement.outcome = ChainJudgement::Outcome::Rejected;
    return judgement;
}

QString matchPin(const QList<QSslCertificate> &presented, const QList<QByteArray> &pinDigests, bool leafOnly)
{
    for (qsizetype i = 0; i < presented.size() && !(leafOnly && i > 0); ++i) {
        if (pinDigests.contains(SpkiPin::digestOf(presented[i])))
            return SpkiPin::of(presented[i]);
    }
    return {};
}

} // namespace Wsw
