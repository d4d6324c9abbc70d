#pragma once

#include <QStringList>

namespace Wsw::Cli {

/**
 * `wscli autobahn`: the Autobahn|Testsuite fuzzingserver client flow (getCaseCount, runCase
 * with every message echoed back unchanged, getCaseStatus, updateReports) with a summary of
 * the verdicts. Returns the exit status (0 when no case FAILED).
 */
int runAutobahn(const QStringList &arguments);

/** Parses "1-5,9,12-13" into case numbers within 1..count; empty list on a syntax error. */
QList<int> parseCaseList(const QString &list, int count, QString *error);

} // namespace Wsw::Cli
