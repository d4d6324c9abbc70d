#pragma once

#include <chrono>
#include <vector>

#include <QWidget>

class QCheckBox;
class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace Wsw::Ui {

class AutoPinger;
class Session;
class TrafficSampler;
struct RoundTripSample;
struct TrafficSample;

/**
 * Live statistics of one connection: three Qt Charts (messages/s and message bytes/s, each sent
 * and received, and the ping round trip with the pings that got no pong), a grid of counters
 * (Information's counters and bandwidth, round-trip summary) and the automatic ping's controls.
 *
 * It creates and owns a TrafficSampler and an AutoPinger on the session (sampler(), pinger());
 * they run whether the view is shown or not, so create the view with the session. While hidden
 * the charts are not touched; showing the view rebuilds them once from the sampler's history.
 * The charts lie side by side when the view is wide and short (an inspector tab) and one above
 * the other when it is tall.
 */
class StatisticsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatisticsView)

public:
    /** The time windows of the "Show" combo, shortest first. */
    static constexpr std::chrono::seconds TimeWindows[] = {std::chrono::seconds(60), std::chrono::seconds(5 * 60),
                                                           std::chrono::seconds(15 * 60)};

    explicit StatisticsView(Session *session, QWidget *parent = nullptr);
    ~StatisticsView() override;

    TrafficSampler *sampler() const { return m_sampler; }
    AutoPinger *pinger() const { return m_pinger; }
    /** How far back the charts look (one of TimeWindows; default 5 min); the combo follows. */
    std::chrono::seconds timeWindow() const { return m_window; }
    void setTimeWindow(std::chrono::seconds window);

protected:
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /** One chart: a view, its axes, and the unit its values are shown in. */
    struct Chart {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };

    QWidget *buildControls();
    QWidget *buildCounters();
    Chart buildChart(const QString &title, const QString &accessibleName);
    enum class LineStyle { Under, Over };
    QLineSeries *addLine(Chart &chart, const QString &name, const QColor &color, LineStyle style);

    void onSampleAdded(const TrafficSample &sample);
    void onRoundTripAdded(const RoundTripSample &sample);
    void onPingMissed();
    void onHistoryCleared();
    /** Whether the charts may be touched now; otherwise they are marked to be rebuilt on show. */
    bool isLive();
    /** Puts every point of the window into the series again (on show, a window or unit change). */
    void rebuild();
    /** Drops points left of the window, then sets both axes of every chart; rebuilds when a unit changes. */
    void updateAxes();
    void updateCounters();
    void arrangeCharts();
    double newestSeconds() const;
    double oldestShownSeconds() const;

    TrafficSampler *m_sampler;
    AutoPinger *m_pinger;
    std::chrono::seconds m_window = TimeWindows[1];
    bool m_stale = true;      // the charts lag the sampler (hidden, or never shown)
    bool m_chartsInRow = true;
    double m_timeDivisor = 1; // 1: x in seconds, 60: in minutes
    double m_bytesDivisor = 1; // 1, 1024 or 1024²
    std::vector<double> m_missedPings; // seconds since open of the pings that had no pong in time

    QCheckBox *m_autoPing = nullptr;
    QDoubleSpinBox *m_pingInterval = nullptr;
    QComboBox *m_windowCombo = nullptr;
    QWidget *m_chartArea = nullptr;
    QGridLayout *m_chartGrid = nullptr;
    Chart m_messages;
    Chart m_bytes;
    Chart m_roundTrip;
    QLineSeries *m_messagesOut = nullptr;
    QLineSeries *m_messagesIn = nullptr;
    QLineSeries *m_bytesOut = nullptr;
    QLineSeries *m_bytesIn = nullptr;
    QLineSeries *m_roundTrips = nullptr;
    QScatterSeries *m_missed = nullptr;

    struct CounterLabels {
        QLabel *sent = nullptr;
        QLabel *received = nullptr;
    };
    CounterLabels m_messageCount;
    CounterLabels m_messageBytes;
    CounterLabels m_payloadBytes;
    CounterLabels m_wireBytes;
    CounterLabels m_compressed;
    CounterLabels m_bandwidth;
    CounterLabels m_pings;
    QLabel *m_rttLast = nullptr;
    QLabel *m_rttRange = nullptr; // min / avg / max
    QLabel *m_missedCount = nullptr;
};

} // namespace Wsw::Ui
