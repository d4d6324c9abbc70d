// The statistics of a connection: the sampler's rates, the automatic ping and the charts that
// show them, against our own echo server (LocalEchoServer) and, for one-way traffic and a peer
// that never answers a ping, a ScriptedServer.
#include "widgets/statisticsview.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include "framebuilder.h"
#include "models/messagelogmodel.h"
#include "scriptedserver.h"
#include "server/localechoserver.h"
#include "session.h"
#include "statistics/autopinger.h"
#include "statistics/trafficsampler.h"
#include "widgetlookup.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int Bound = 15000; // generous: the machine is shared

/** The series called name in the chart whose view has accessibleName. */
template <typename Series = QLineSeries>
Series *series(QWidget *root, const QString &accessibleName, const QString &name)
{
    auto *view = named<QChartView>(root, accessibleName);
    if (!view)
        return nullptr;
    for (QAbstractSeries *s : view->chart()->series())
        if (s->name() == name)
            return qobject_cast<Series *>(s);
    return nullptr;
}

double largestY(const QXYSeries *s)
{
    double largest = 0;
    for (int i = 0; i < s->count(); ++i)
        largest = std::max(largest, s->at(i).y());
    return largest;
}

bool logHas(Ui::Session &session, const QString &text)
{
    QAbstractItemModel *model = session.messageLog();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, Ui::MessageLogModel::Preview).data(Qt::AccessibleTextRole).toString().contains(text))
            return true;
    return false;
}

/** Sends a message every few milliseconds while the session is open (from the event loop). */
class Chatter
{
public:
    Chatter(Ui::Session &session, const QByteArray &payload)
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, &session, [&session, payload] {
            if (session.state() == ConnectionState::Open)
                session.send(payload);
        });
        m_timer.start();
    }

private:
    QTimer m_timer;
};

} // namespace

class tst_Statistics final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<LocalEchoServer> m_echo;

    bool connectTo(Ui::Session &session, const QUrl &url)
    {
        MessageWebSocketControl control;
        control.messageType = SocketMessageType::Utf8;
        if (!session.connectTo(url.toString(), control, {}))
            return false;
        return QTest::qWaitFor([&] { return session.state() == ConnectionState::Open; }, Bound);
    }

    static bool closeAndWait(Ui::Session &session)
    {
        if (!session.close(1000, {}))
            return false;
        return QTest::qWaitFor([&] { return !session.isActive(); }, Bound);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_echo = std::make_unique<LocalEchoServer>();
        QString error;
        QVERIFY2(m_echo->listen(0, &error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_echo->close();
        m_echo.reset();
    }

    void controlsHaveNamesAndBuddies()
    {
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.show();
        auto *autoPing = named<QCheckBox>(&view, u"Ping automatically"_s);
        auto *interval = named<QDoubleSpinBox>(&view, u"Automatic ping interval"_s);
        auto *window = named<QComboBox>(&view, u"Time window"_s);
        QVERIFY(autoPing);
        QVERIFY(interval);
        QVERIFY(window);
        for (QWidget *editor : {static_cast<QWidget *>(interval), static_cast<QWidget *>(window)}) {
            bool hasBuddy = false;
            for (QLabel *label : view.findChildren<QLabel *>())
                hasBuddy = hasBuddy || label->buddy() == editor;
            QVERIFY2(hasBuddy, qPrintable(editor->accessibleName()));
        }
        for (const QString &chart : {u"Messages per second chart"_s, u"Bytes per second chart"_s, u"Round trip chart"_s})
            QVERIFY2(named<QChartView>(&view, chart), qPrintable(chart));

        // off by default; the controls drive the pinger
        QVERIFY(!autoPing->isChecked());
        QVERIFY(!view.pinger()->isEnabled());
        QCOMPARE(view.pinger()->interval(), 5000ms);
        autoPing->setChecked(true);
        QVERIFY(view.pinger()->isEnabled());
        interval->setValue(0.3);
        QCOMPARE(view.pinger()->interval(), 300ms);
        interval->setValue(0); // below the range: the spin box holds its minimum
        QCOMPARE(view.pinger()->interval(), Ui::AutoPinger::MinimumInterval);
        QVERIFY(!view.pinger()->isActive()); // nothing to ping: not connected
        view.pinger()->setInterval(2500ms); // and the controls follow the pinger
        QCOMPARE(interval->value(), 2.5);
        view.pinger()->setEnabled(false);
        QVERIFY(!autoPing->isChecked());

        QCOMPARE(view.timeWindow(), 300s);
        window->setCurrentIndex(0);
        QCOMPARE(view.timeWindow(), 60s);
        view.setTimeWindow(900s);
        QCOMPARE(window->currentIndex(), 2);
    }

    void echoedTrafficFillsTheCharts()
    {
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.sampler()->setInterval(50ms);
        view.resize(1000, 360);
        view.show();
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        Chatter chatter(session, QByteArray(200, 'x'));

        const auto &samples = view.sampler()->samples();
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(samples.begin(), samples.end(), [](const Ui::TrafficSample &s) {
            return s.messagesOutPerSecond > 0 && s.messagesInPerSecond > 0 && s.bytesOutPerSecond > 0
                    && s.bytesInPerSecond > 0 && s.wireBytesOutPerSecond > 0 && s.wireBytesInPerSecond > 0;
        }), Bound);
        QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 4, Bound);
        for (const Ui::TrafficSample &s : samples)
            QVERIFY(s.seconds > 0);
        for (size_t i = 1; i < samples.size(); ++i)
            QVERIFY(samples[i].seconds > samples[i - 1].seconds);

        QLineSeries *messagesSent = series(&view, u"Messages per second chart"_s, u"Sent"_s);
        QLineSeries *messagesReceived = series(&view, u"Messages per second chart"_s, u"Received"_s);
        QLineSeries *bytesSent = series(&view, u"Bytes per second chart"_s, u"Sent"_s);
        QLineSeries *bytesReceived = series(&view, u"Bytes per second chart"_s, u"Received"_s);
        QVERIFY(messagesSent && messagesReceived && bytesSent && bytesReceived);
        QTRY_VERIFY_WITH_TIMEOUT(largestY(messagesSent) > 0 && largestY(messagesReceived) > 0, Bound);
        QTRY_VERIFY_WITH_TIMEOUT(largestY(bytesSent) > 0 && largestY(bytesReceived) > 0, Bound);
        QCOMPARE(messagesSent->count(), int(samples.size()));
        view.setTimeWindow(60s); // rebuilt from the history: nothing is older than a minute yet
        QCOMPARE(messagesSent->count(), int(samples.size()));
        QCOMPARE(messagesSent->at(messagesSent->count() - 1).y(), samples.back().messagesOutPerSecond);

        // the counters beside the charts follow the sampler
        auto *sentCount = named<QLabel>(&view, u"Messages sent"_s);
        QVERIFY(sentCount);
        QTRY_VERIFY_WITH_TIMEOUT(sentCount->text().toULongLong() > 0, Bound);
        QCOMPARE(sentCount->text(), QString::number(view.sampler()->counters().messagesSent));
        QVERIFY(closeAndWait(session));
        QVERIFY(!view.sampler()->isSampling());
    }

    void ratesAddUpToTheCounters()
    {
        // no widget: the sampler alone; every sample's rate times its interval is what moved
        Ui::Session session;
        Ui::TrafficSampler sampler(&session);
        sampler.setInterval(30ms);
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QTRY_VERIFY_WITH_TIMEOUT(sampler.isSampling(), Bound);
        constexpr int Messages = 50;
        for (int i = 0; i < Messages; ++i) {
            QVERIFY(session.send(QByteArray(100 + i, 'm')));
            if (i % 10 == 9)
                QTest::qWait(40); // spread over several samples
        }
        QTRY_COMPARE_WITH_TIMEOUT(session.socket().information().counters.messagesReceived, quint64(Messages), Bound);
        QVERIFY(closeAndWait(session));
        QVERIFY(!sampler.isSampling());

        double messagesOut = 0, messagesIn = 0, bytesOut = 0, bytesIn = 0;
        double previous = 0;
        for (const Ui::TrafficSample &s : sampler.samples()) {
            const double dt = s.seconds - previous;
            previous = s.seconds;
            messagesOut += s.messagesOutPerSecond * dt;
            messagesIn += s.messagesInPerSecond * dt;
            bytesOut += s.bytesOutPerSecond * dt;
            bytesIn += s.bytesInPerSecond * dt;
        }
        const quint64 payload = Messages * 100 + Messages * (Messages - 1) / 2;
        QCOMPARE(qRound64(messagesOut), qint64(Messages));
        QCOMPARE(qRound64(messagesIn), qint64(Messages));
        QCOMPARE(qRound64(bytesOut), qint64(payload));
        QCOMPARE(qRound64(bytesIn), qint64(payload));
        QCOMPARE(sampler.counters().messagesSent, quint64(Messages)); // the final counters, after the end
        QCOMPARE(sampler.counters().messageBytesReceived, payload);
        QVERIFY(sampler.secondsSinceOpen() >= previous);
    }

    void historyIsBounded()
    {
        Ui::Session session;
        Ui::TrafficSampler sampler(&session);
        QCOMPARE(sampler.historyLength(), 15min);
        sampler.setHistoryLength(1s);
        sampler.setInterval(30ms);
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QVERIFY(session.ping("x"));
        QTRY_VERIFY_WITH_TIMEOUT(!sampler.roundTrips().empty(), Bound);
        QTRY_VERIFY_WITH_TIMEOUT(!sampler.samples().empty() && sampler.samples().front().seconds > 1.5, Bound);
        const auto &samples = sampler.samples();
        QVERIFY(samples.back().seconds - samples.front().seconds <= 1.0);
        QVERIFY(samples.size() < 2000 / 30); // not the two seconds and more taken
        QVERIFY(sampler.roundTrips().empty()); // the pong at the start has gone too
        QCOMPARE(sampler.roundTripSummary().count, 1); // the summary is the connection's
        QVERIFY(closeAndWait(session));
    }

    void ratesHaveTheRightDirection_data()
    {
        QTest::addColumn<bool>("outbound");
        QTest::newRow("only sent (a server that reads and never answers)") << true;
        QTest::newRow("only received (a server that talks unasked)") << false;
    }

    void ratesHaveTheRightDirection()
    {
        QFETCH(bool, outbound);
        ScriptedServer server;
        server.setWaitBound(30s);
        if (outbound) {
            server.acceptUpgrade().waitForFrames(100000);
        } else {
            server.acceptUpgrade();
            for (int i = 0; i < 40; ++i)
                server.pause(20ms).send(FrameBuilder::text(QByteArray(300, 'r')));
            server.waitForClose();
        }
        QVERIFY(server.listen());
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.sampler()->setInterval(50ms);
        view.show();
        QVERIFY(connectTo(session, server.url()));
        std::optional<Chatter> chatter;
        if (outbound)
            chatter.emplace(session, QByteArray(100, 's'));

        const auto &samples = view.sampler()->samples();
        const auto busy = [&](const Ui::TrafficSample &s) {
            return outbound ? s.messagesOutPerSecond > 0 && s.bytesOutPerSecond > 0
                            : s.messagesInPerSecond > 0 && s.bytesInPerSecond > 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(std::count_if(samples.begin(), samples.end(), busy) >= 3, Bound);
        for (const Ui::TrafficSample &s : samples) {
            QCOMPARE(outbound ? s.messagesInPerSecond : s.messagesOutPerSecond, 0.0);
            QCOMPARE(outbound ? s.bytesInPerSecond : s.bytesOutPerSecond, 0.0);
        }
        QLineSeries *busySeries = series(&view, u"Messages per second chart"_s, outbound ? u"Sent"_s : u"Received"_s);
        QLineSeries *quietSeries = series(&view, u"Messages per second chart"_s, outbound ? u"Received"_s : u"Sent"_s);
        QVERIFY(busySeries && quietSeries);
        QVERIFY(largestY(busySeries) > 0);
        QVERIFY(quietSeries->count() > 0);
        QCOMPARE(largestY(quietSeries), 0.0);
        session.disconnectNow();
    }

    void autoPingIsOffByDefault()
    {
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.sampler()->setInterval(50ms);
        view.show();
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QTRY_VERIFY_WITH_TIMEOUT(view.sampler()->samples().size() >= 10, Bound); // half a second open
        QCOMPARE(session.socket().information().counters.pingsSent, 0u);
        QCOMPARE(view.pinger()->sentCount(), 0);
        QVERIFY(view.sampler()->roundTrips().empty());
        QVERIFY(closeAndWait(session));
    }

    void autoPingFeedsTheRoundTripChart()
    {
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.sampler()->setInterval(50ms);
        view.show();
        view.pinger()->setInterval(100ms);
        QSignalSpy active(view.pinger(), &Ui::AutoPinger::activeChanged);
        named<QCheckBox>(&view, u"Ping automatically"_s)->setChecked(true);
        QCOMPARE(active.size(), 0); // switched on, but nothing to ping yet
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QTRY_COMPARE_WITH_TIMEOUT(active.size(), 1, Bound);
        QVERIFY(view.pinger()->isActive());

        QTRY_VERIFY_WITH_TIMEOUT(view.sampler()->roundTrips().size() >= 3, Bound);
        QLineSeries *trips = series(&view, u"Round trip chart"_s, u"Round trip"_s);
        QVERIFY(trips);
        QTRY_VERIFY_WITH_TIMEOUT(trips->count() >= 3, Bound);
        const Ui::RoundTripSummary summary = view.sampler()->roundTripSummary();
        QVERIFY(summary.count >= 3);
        QVERIFY(summary.min <= summary.mean && summary.mean <= summary.max);
        QVERIFY(session.socket().information().counters.pingsSent >= 3);
        QCOMPARE(view.pinger()->missedCount(), 0);
        QVERIFY(named<QLabel>(&view, u"Last round trip"_s)->text().endsWith(u" ms"_s));
        // automatic pings are counted, not logged one by one
        QVERIFY(!logHas(session, u"ping sent"_s));
        QVERIFY(!logHas(session, u"pong after"_s));
        QVERIFY(session.ping("by hand"));
        QTRY_VERIFY_WITH_TIMEOUT(logHas(session, u"pong after"_s), Bound); // a typed ping still is
        QVERIFY(closeAndWait(session));
    }

    void pingerStopsOnClose()
    {
        Ui::Session session;
        Ui::AutoPinger pinger(&session);
        pinger.setInterval(100ms);
        pinger.setEnabled(true);
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QTRY_VERIFY_WITH_TIMEOUT(pinger.isActive(), Bound);
        QTRY_VERIFY_WITH_TIMEOUT(pinger.sentCount() >= 2, Bound);
        QVERIFY(closeAndWait(session));
        QVERIFY(!pinger.isActive());
        const int sent = pinger.sentCount();
        QSignalSpy pings(&pinger, &Ui::AutoPinger::pingSent);
        QTest::qWait(500); // five intervals: none of them may ping
        QCOMPARE(pings.size(), 0);
        QCOMPARE(pinger.sentCount(), sent);
        QVERIFY(pinger.isEnabled()); // still on for the next connection

        // switched off while open: stops at once
        QSignalSpy again(&pinger, &Ui::AutoPinger::pingSent);
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QTRY_VERIFY_WITH_TIMEOUT(pinger.isActive(), Bound);
        QTRY_VERIFY_WITH_TIMEOUT(!again.isEmpty(), Bound);
        QCOMPARE(again.first().at(0).toInt(), 1); // counts are per connection
        pinger.setEnabled(false);
        QVERIFY(!pinger.isActive());
        QVERIFY(closeAndWait(session));
    }

    void unansweredPingsAreCountedAndShown()
    {
        ScriptedServer server; // never answers a ping
        server.setWaitBound(30s);
        server.acceptUpgrade().waitForClose();
        QVERIFY(server.listen());
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.show();
        view.pinger()->setInterval(100ms);
        view.pinger()->setEnabled(true);
        QSignalSpy missed(view.pinger(), &Ui::AutoPinger::pingMissed);
        QVERIFY(connectTo(session, server.url()));
        QTRY_VERIFY_WITH_TIMEOUT(missed.size() >= 3, Bound);
        QCOMPARE(missed.last().at(0).toInt(), view.pinger()->missedCount());
        QVERIFY(view.sampler()->roundTrips().empty());
        auto *noPong = series<QScatterSeries>(&view, u"Round trip chart"_s, u"No pong"_s);
        QVERIFY(noPong);
        QVERIFY(noPong->count() >= 3);
        QTRY_COMPARE_WITH_TIMEOUT(named<QLabel>(&view, u"Missed automatic pings"_s)->text(),
                                  QString::number(view.pinger()->missedCount()), Bound);
        // the log says it once, not once per miss
        int notes = 0;
        QAbstractItemModel *log = session.messageLog();
        for (int row = 0; row < log->rowCount(); ++row)
            notes += log->index(row, Ui::MessageLogModel::Preview).data(Qt::AccessibleTextRole).toString().contains(u"no pong"_s);
        QCOMPARE(notes, 1);
        session.disconnectNow();
    }

    void historyResetsOnReconnect()
    {
        Ui::Session session;
        Ui::StatisticsView view(&session);
        view.sampler()->setInterval(50ms);
        view.pinger()->setInterval(100ms);
        view.pinger()->setEnabled(true);
        view.show();
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        QVERIFY(session.send("hello"));
        QTRY_VERIFY_WITH_TIMEOUT(view.sampler()->samples().size() >= 10 && view.sampler()->roundTrips().size() >= 2, Bound);
        QVERIFY(closeAndWait(session));
        // after the end the last connection stays on show
        const size_t kept = view.sampler()->samples().size();
        const double lastSeconds = view.sampler()->samples().back().seconds;
        QTest::qWait(200);
        QCOMPARE(view.sampler()->samples().size(), kept);
        QVERIFY(view.sampler()->counters().messagesSent >= 1);
        QLineSeries *sent = series(&view, u"Messages per second chart"_s, u"Sent"_s);
        QCOMPARE(sent->count(), int(kept));

        QSignalSpy cleared(view.sampler(), &Ui::TrafficSampler::historyCleared);
        MessageWebSocketControl control;
        QVERIFY(session.connectTo(m_echo->serverUrl().toString(), control, {}));
        QCOMPARE(cleared.size(), 0); // the engine's state change comes from the event loop
        QTRY_COMPARE_WITH_TIMEOUT(cleared.size(), 1, Bound);
        QVERIFY(view.sampler()->samples().empty());
        QCOMPARE(view.sampler()->counters().messagesSent, 0u);
        QCOMPARE(view.sampler()->roundTripSummary().count, 0);
        QCOMPARE(sent->count(), 0);
        QCOMPARE(series(&view, u"Round trip chart"_s, u"Round trip"_s)->count(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!view.sampler()->samples().empty(), Bound);
        QVERIFY(view.sampler()->samples().front().seconds < lastSeconds); // time starts again
        QCOMPARE(cleared.size(), 1);
        QVERIFY(closeAndWait(session));
    }

    void hiddenViewLeavesTheChartsAlone()
    {
        Ui::Session session;
        Ui::StatisticsView view(&session); // never shown yet
        view.sampler()->setInterval(50ms);
        QVERIFY(connectTo(session, m_echo->serverUrl()));
        Chatter chatter(session, "hidden");
        QTRY_VERIFY_WITH_TIMEOUT(view.sampler()->samples().size() >= 5, Bound);
        QLineSeries *sent = series(&view, u"Messages per second chart"_s, u"Sent"_s);
        QCOMPARE(sent->count(), 0);
        view.show(); // the history arrives in one go
        QVERIFY(sent->count() >= 5);
        QVERIFY(largestY(sent) > 0);
        view.hide();
        const int shown = sent->count();
        QTRY_VERIFY_WITH_TIMEOUT(int(view.sampler()->samples().size()) >= shown + 3, Bound);
        QCOMPARE(sent->count(), shown);
        view.show();
        QCOMPARE(sent->count(), int(view.sampler()->samples().size()));
        session.disconnectNow();
    }
};

QTEST_MAIN(tst_Statistics)
#include "tst_statistics.moc"
