#include "widgets/statisticsview.h"

#include <algorithm>
#include <cmath>

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFrame>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalBlocker>
#include <QValueAxis>
#include <QVBoxLayout>

#include "format/messageformat.h"
#include "session.h"
#include "statistics/autopinger.h"
#include "statistics/trafficsampler.h"
#include "theme.h"
#include "widgets/buddylabel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

/** The smallest of 1, 2 and 5 times a power of ten that is at least value (1 for nothing). */
double niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0})
        if (value <= step * magnitude * 1.000001)
            return step * magnitude;
    return 10 * magnitude;
}

/** Sets 0..max with ticks on round numbers (4 or 5 intervals). */
void setValueRange(QValueAxis *axis, double largest)
{
    const double top = niceCeiling(largest * 1.05);
    const double first = top / std::pow(10.0, std::floor(std::log10(top) + 1e-9));
    const double interval = top / (first == 2.0 ? 4 : 5);
    if (axis->max() != top || axis->tickInterval() != interval) {
        axis->setRange(0, top);
        axis->setTickInterval(interval);
    }
}

QString bitsPerSecond(quint64 bits)
{
    return StatisticsView::tr("%1/s").arg(Format::byteSize(bits / 8));
}

/** The engine times pongs in whole milliseconds: 0 means under one. */
QString milliseconds(double ms)
{
    if (ms < 1)
        return ms == 0 ? StatisticsView::tr("< 1 ms") : StatisticsView::tr("%1 ms").arg(ms, 0, 'f', 1);
    return ms < 10 ? StatisticsView::tr("%1 ms").arg(ms, 0, 'f', 1) : StatisticsView::tr("%1 ms").arg(std::lround(ms));
}

QLabel *valueLabel(const QString &accessibleName)
{
    auto *label = new QLabel(u"0"_s);
    label->setAccessibleName(accessibleName);
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *headerLabel(const QString &text, Qt::Alignment alignment = Qt::AlignRight)
{
    auto *label = new QLabel(text);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    label->setAlignment(alignment | Qt::AlignVCenter);
    return label;
}

} // namespace

StatisticsView::StatisticsView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_sampler(new TrafficSampler(session, this))
    , m_pinger(new AutoPinger(session, this))
{
    QWidget *controls = buildControls();

    m_messages = buildChart(tr("Messages per second"), tr("Messages per second chart"));
    // received first, wide and light, sent over it, thin: an echo's two equal lines stay both visible
    m_messagesIn = addLine(m_messages, tr("Received"), Theme::receivedColor(), LineStyle::Under);
    m_messagesOut = addLine(m_messages, tr("Sent"), Theme::sentColor(), LineStyle::Over);
    m_bytes = buildChart(tr("Bytes per second"), tr("Bytes per second chart"));
    m_bytes.view->setToolTip(tr("Message bytes: application data before compression (sent) and after inflation (received)"));
    m_bytesIn = addLine(m_bytes, tr("Received"), Theme::receivedColor(), LineStyle::Under);
    m_bytesOut = addLine(m_bytes, tr("Sent"), Theme::sentColor(), LineStyle::Over);
    m_roundTrip = buildChart(tr("Ping round trip"), tr("Round trip chart"));
    m_roundTrips = addLine(m_roundTrip, tr("Round trip"), Theme::roundTripColor(), LineStyle::Over);
    m_roundTrips->setMarkerSize(5);
    m_missed = new QScatterSeries;
    m_missed->setName(tr("No pong"));
    m_missed->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_missed->setMarkerSize(8);
    m_missed->setColor(Theme::errorColor());
    m_missed->setBorderColor(Theme::errorColor());
    m_roundTrip.chart->addSeries(m_missed);
    m_missed->attachAxis(m_roundTrip.x);
    m_missed->attachAxis(m_roundTrip.y);
    m_roundTrip.y->setTitleText(tr("ms"));
    m_messages.y->setTitleText(tr("msg/s"));

    m_chartArea = new QWidget;
    m_chartGrid = new QGridLayout(m_chartArea);
    m_chartGrid->setContentsMargins(0, 0, 0, 0);
    m_chartGrid->setSpacing(4);
    m_chartArea->installEventFilter(this);
    m_messages.view->installEventFilter(this);
    arrangeCharts();

    auto *body = new QHBoxLayout;
    body->addWidget(m_chartArea, 1);
    body->addWidget(buildCounters(), 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(controls);
    layout->addLayout(body, 1);

    connect(m_sampler, &TrafficSampler::sampleAdded, this, &StatisticsView::onSampleAdded);
    connect(m_sampler, &TrafficSampler::roundTripAdded, this, &StatisticsView::onRoundTripAdded);
    connect(m_sampler, &TrafficSampler::historyCleared, this, &StatisticsView::onHistoryCleared);
    connect(m_pinger, &AutoPinger::pingMissed, this, &StatisticsView::onPingMissed);
    connect(m_pinger, &AutoPinger::pingSent, this, [this] {
        if (isVisible())
            updateCounters();
    });
    updateAxes();
    updateCounters();
}

StatisticsView::~StatisticsView() = default;

QWidget *StatisticsView::buildControls()
{
    m_autoPing = new QCheckBox(tr("&Ping automatically"));
    m_autoPing->setAccessibleName(tr("Ping automatically"));
    m_autoPing->setToolTip(tr("Send a ping on an interval while the connection is open; the round trips fill the chart"));
    m_pingInterval = new QDoubleSpinBox;
    m_pingInterval->setAccessibleName(tr("Automatic ping interval"));
    m_pingInterval->setDecimals(1);
    m_pingInterval->setRange(double(AutoPinger::MinimumInterval.count()) / 1000.0, 3600);
    m_pingInterval->setSingleStep(1);
    m_pingInterval->setSuffix(tr(" s"));
    m_pingInterval->setValue(double(m_pinger->interval().count()) / 1000.0);
    m_pingInterval->setToolTip(tr("Time between automatic pings; a ping still unanswered when the next is due counts as missed"));
    m_windowCombo = new QComboBox;
    m_windowCombo->setAccessibleName(tr("Time window"));
    m_windowCombo->addItems({tr("Last minute"), tr("Last 5 minutes"), tr("Last 15 minutes")});
    m_windowCombo->setCurrentIndex(1);
    m_windowCombo->setToolTip(tr("How far back the charts look"));

    connect(m_autoPing, &QCheckBox::toggled, m_pinger, &AutoPinger::setEnabled);
    connect(m_pinger, &AutoPinger::enabledChanged, m_autoPing, &QCheckBox::setChecked);
    connect(m_pingInterval, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        m_pinger->setInterval(std::chrono::milliseconds(std::llround(seconds * 1000)));
    });
    connect(m_pinger, &AutoPinger::intervalChanged, this, [this](std::chrono::milliseconds interval) {
        const QSignalBlocker quiet(m_pingInterval); // the pinger has it already
        m_pingInterval->setValue(double(interval.count()) / 1000.0);
    });
    connect(m_windowCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && index < int(std::size(TimeWindows)))
            setTimeWindow(TimeWindows[index]);
    });

    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_autoPing);
    layout->addWidget(buddyLabel(tr("&every"), m_pingInterval));
    layout->addWidget(m_pingInterval);
    layout->addStretch(1);
    layout->addWidget(buddyLabel(tr("S&how:"), m_windowCombo));
    layout->addWidget(m_windowCombo);
    return row;
}

QWidget *StatisticsView::buildCounters()
{
    auto *panel = new QFrame;
    panel->setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(panel);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(3);
    int row = 0;
    grid->addWidget(headerLabel(tr("Sent")), row, 1);
    grid->addWidget(headerLabel(tr("Received")), row, 2);
    ++row;
    auto addPair = [&](const QString &name, const QString &toolTip, CounterLabels *labels) {
        auto *title = new QLabel(name);
        title->setToolTip(toolTip);
        grid->addWidget(title, row, 0);
        labels->sent = valueLabel(name + tr(" sent"));
        labels->received = valueLabel(name + tr(" received"));
        grid->addWidget(labels->sent, row, 1);
        grid->addWidget(labels->received, row, 2);
        ++row;
    };
    addPair(tr("Messages"), tr("Whole messages"), &m_messageCount);
    addPair(tr("Message bytes"), tr("Application data, before compression and after inflation"), &m_messageBytes);
    addPair(tr("Payload bytes"), tr("Frame payload as on the wire (compressed when compressed)"), &m_payloadBytes);
    addPair(tr("Wire bytes"), tr("Everything written to and read from the socket, handshake and frame headers included"),
            &m_wireBytes);
    addPair(tr("Compressed messages"), tr("Messages sent or received with permessage-deflate"), &m_compressed);
    addPair(tr("Bandwidth"), tr("Information's bandwidth statistics over the last second"), &m_bandwidth);
    addPair(tr("Pings / pongs"), tr("Pings sent (by hand and automatically) and pongs received"), &m_pings);
    m_pings.sent->setAccessibleName(tr("Pings sent"));
    m_pings.received->setAccessibleName(tr("Pongs received"));

    auto *line = new QFrame;
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    grid->addWidget(line, row++, 0, 1, 3);
    grid->addWidget(headerLabel(tr("Round trip"), Qt::AlignLeft), row++, 0, 1, 3);
    auto addSingle = [&](const QString &name, const QString &accessibleName) {
        grid->addWidget(new QLabel(name), row, 0);
        QLabel *value = valueLabel(accessibleName);
        grid->addWidget(value, row, 1, 1, 2);
        ++row;
        return value;
    };
    m_rttLast = addSingle(tr("Last"), tr("Last round trip"));
    m_rttRange = addSingle(tr("Min / avg / max"), tr("Round trip min, average and max"));
    m_missedCount = addSingle(tr("Missed automatic pings"), tr("Missed automatic pings"));
    m_missedCount->setToolTip(tr("Automatic pings with no pong by the time the next one was due"));
    grid->setRowStretch(row, 1);
    return panel;
}

StatisticsView::Chart StatisticsView::buildChart(const QString &title, const QString &accessibleName)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    QFont titleFont = font();
    titleFont.setBold(true);
    c.chart->setTitleFont(titleFont);
    c.chart->setMargins(QMargins(2, 2, 2, 2));
    c.chart->layout()->setContentsMargins(0, 0, 0, 0);
    c.chart->setBackgroundRoundness(0);
    c.chart->legend()->setAlignment(Qt::AlignTop);
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.9));
    c.chart->legend()->setFont(small);
    c.x = new QValueAxis;
    c.x->setTickType(QValueAxis::TicksDynamic);
    c.x->setTickAnchor(0);
    c.x->setLabelsFont(small);
    c.y = new QValueAxis;
    c.y->setTickType(QValueAxis::TicksDynamic);
    c.y->setTickAnchor(0);
    c.y->setLabelFormat(u"%g"_s);
    c.y->setLabelsFont(small);
    c.y->setTitleFont(small);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    c.view = new QChartView(c.chart);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setAccessibleName(accessibleName);
    c.view->setMinimumSize(180, 140);
    c.view->setFrameShape(QFrame::NoFrame);
    return c;
}

QLineSeries *StatisticsView::addLine(Chart &chart, const QString &name, const QColor &color, LineStyle style)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QColor lineColor = color;
    if (style == LineStyle::Under)
        lineColor.setAlphaF(0.4);
    QPen pen(lineColor);
    pen.setWidthF(style == LineStyle::Under ? 5 : 1.5);
    series->setPen(pen);
    chart.chart->addSeries(series);
    series->attachAxis(chart.x);
    series->attachAxis(chart.y);
    return series;
}

void StatisticsView::setTimeWindow(std::chrono::seconds window)
{
    const auto *found = std::find(std::begin(TimeWindows), std::end(TimeWindows), window);
    if (found == std::end(TimeWindows) || window == m_window)
        return;
    m_window = window;
    m_windowCombo->setCurrentIndex(int(found - std::begin(TimeWindows)));
    if (isLive())
        rebuild();
}

bool StatisticsView::isLive()
{
    if (isVisible())
        return true;
    m_stale = true;
    return false;
}

void StatisticsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        rebuild();
    updateCounters();
}

bool StatisticsView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize) {
        if (watched == m_chartArea)
            arrangeCharts();
        else if (watched == m_messages.view && isVisible())
            updateAxes(); // the number of time ticks follows the charts' width
    }
    return QWidget::eventFilter(watched, event);
}

void StatisticsView::arrangeCharts()
{
    // side by side in a wide, short place (an inspector tab); stacked in a tall one
    const bool inRow = m_chartArea->width() >= m_chartArea->height() * 3 / 2;
    if (inRow == m_chartsInRow && m_chartGrid->count() == 3)
        return;
    m_chartsInRow = inRow;
    const QList<QChartView *> views{m_messages.view, m_bytes.view, m_roundTrip.view};
    for (int i = 0; i < views.size(); ++i) {
        m_chartGrid->removeWidget(views[i]);
        m_chartGrid->addWidget(views[i], inRow ? 0 : i, inRow ? i : 0);
    }
    for (int i = 0; i < 3; ++i) {
        m_chartGrid->setColumnStretch(i, inRow ? 1 : (i == 0 ? 1 : 0));
        m_chartGrid->setRowStretch(i, inRow ? (i == 0 ? 1 : 0) : 1);
    }
}

double StatisticsView::newestSeconds() const
{
    const auto &samples = m_sampler->samples();
    const auto &trips = m_sampler->roundTrips();
    double newest = std::max(samples.empty() ? 0.0 : samples.back().seconds, trips.empty() ? 0.0 : trips.back().seconds);
    if (!m_missedPings.empty())
        newest = std::max(newest, m_missedPings.back());
    return newest;
}

double StatisticsView::oldestShownSeconds() const
{
    return std::max(0.0, newestSeconds() - double(m_window.count()));
}

void StatisticsView::onSampleAdded(const TrafficSample &sample)
{
    if (!isLive())
        return;
    const double x = sample.seconds / m_timeDivisor;
    m_messagesOut->append(x, sample.messagesOutPerSecond);
    m_messagesIn->append(x, sample.messagesInPerSecond);
    m_bytesOut->append(x, sample.bytesOutPerSecond / m_bytesDivisor);
    m_bytesIn->append(x, sample.bytesInPerSecond / m_bytesDivisor);
    updateAxes();
    updateCounters();
}

void StatisticsView::onRoundTripAdded(const RoundTripSample &sample)
{
    if (!isLive())
        return;
    m_roundTrips->append(sample.seconds / m_timeDivisor, sample.milliseconds);
    updateAxes();
    updateCounters();
}

void StatisticsView::onPingMissed()
{
    m_missedPings.push_back(m_sampler->secondsSinceOpen());
    while (!m_missedPings.empty() && m_missedPings.front() < newestSeconds() - double(m_sampler->historyLength().count()))
        m_missedPings.erase(m_missedPings.begin());
    if (!isLive())
        return;
    m_missed->append(m_missedPings.back() / m_timeDivisor, 0);
    updateAxes();
    updateCounters();
}

void StatisticsView::onHistoryCleared()
{
    m_missedPings.clear();
    if (!isLive())
        return;
    rebuild();
    updateCounters();
}

void StatisticsView::rebuild()
{
    m_stale = false;
    const double oldest = oldestShownSeconds();
    const double span = std::max(60.0, newestSeconds() - oldest);
    m_timeDivisor = span > 120 ? 60 : 1;
    double largestBytes = 0;
    for (const TrafficSample &s : m_sampler->samples())
        if (s.seconds >= oldest)
            largestBytes = std::max({largestBytes, s.bytesInPerSecond, s.bytesOutPerSecond});
    m_bytesDivisor = largestBytes >= 1024.0 * 1024.0 ? 1024.0 * 1024.0 : largestBytes >= 1024.0 ? 1024.0 : 1.0;

    QList<QPointF> messagesOut, messagesIn, bytesOut, bytesIn, trips, missed;
    for (const TrafficSample &s : m_sampler->samples()) {
        if (s.seconds < oldest)
            continue;
        const double x = s.seconds / m_timeDivisor;
        messagesOut.append({x, s.messagesOutPerSecond});
        messagesIn.append({x, s.messagesInPerSecond});
        bytesOut.append({x, s.bytesOutPerSecond / m_bytesDivisor});
        bytesIn.append({x, s.bytesInPerSecond / m_bytesDivisor});
    }
    for (const RoundTripSample &s : m_sampler->roundTrips())
        if (s.seconds >= oldest)
            trips.append({s.seconds / m_timeDivisor, s.milliseconds});
    for (double seconds : m_missedPings)
        if (seconds >= oldest)
            missed.append({seconds / m_timeDivisor, 0});
    m_messagesOut->replace(messagesOut);
    m_messagesIn->replace(messagesIn);
    m_bytesOut->replace(bytesOut);
    m_bytesIn->replace(bytesIn);
    m_roundTrips->replace(trips);
    m_missed->replace(missed);
    updateAxes();
}

void StatisticsView::updateAxes()
{
    const double newest = newestSeconds();
    const double oldest = oldestShownSeconds();
    const double span = std::max(60.0, newest - oldest);
    if ((span > 120 ? 60 : 1) != m_timeDivisor) {
        rebuild(); // seconds became minutes (or back, after a window change)
        return;
    }
    // drop what scrolled out on the left (the sampler keeps it for a longer window)
    const double left = oldest / m_timeDivisor;
    for (QXYSeries *series : std::initializer_list<QXYSeries *>{m_messagesOut, m_messagesIn, m_bytesOut, m_bytesIn,
                                                               m_roundTrips, m_missed}) {
        int drop = 0;
        while (drop < series->count() && series->at(drop).x() < left)
            ++drop;
        if (drop > 0)
            series->removePoints(0, drop);
    }

    // time: the first minute fills the width, then the window grows to its length and scrolls
    const double right = std::max(newest, oldest + span) / m_timeDivisor;
    static constexpr double TickSeconds[] = {5, 10, 15, 30, 60, 120, 180, 300};
    // a label ("60 s", "15 min") needs about 55 px: fewer ticks in a narrow chart
    const double maxIntervals = std::clamp(m_messages.view->width() / 55, 2, 6);
    double tick = TickSeconds[std::size(TickSeconds) - 1];
    for (double t : TickSeconds) {
        if (span / t <= maxIntervals) {
            tick = t;
            break;
        }
    }
    const QString timeFormat = m_timeDivisor == 1 ? tr("%d s") : tr("%d min");
    for (Chart *c : {&m_messages, &m_bytes, &m_roundTrip}) {
        c->x->setRange(left, right);
        c->x->setTickInterval(tick / m_timeDivisor);
        if (c->x->labelFormat() != timeFormat)
            c->x->setLabelFormat(timeFormat);
    }

    double largestMessages = 0;
    double largestBytes = 0;
    for (const TrafficSample &s : m_sampler->samples()) {
        if (s.seconds < oldest)
            continue;
        largestMessages = std::max({largestMessages, s.messagesInPerSecond, s.messagesOutPerSecond});
        largestBytes = std::max({largestBytes, s.bytesInPerSecond, s.bytesOutPerSecond});
    }
    const double bytesDivisor = largestBytes >= 1024.0 * 1024.0 ? 1024.0 * 1024.0 : largestBytes >= 1024.0 ? 1024.0 : 1.0;
    if (bytesDivisor != m_bytesDivisor) {
        rebuild(); // the unit changed: every point is rescaled
        return;
    }
    double largestTrip = 0;
    for (const RoundTripSample &s : m_sampler->roundTrips())
        if (s.seconds >= oldest)
            largestTrip = std::max(largestTrip, s.milliseconds);
    setValueRange(m_messages.y, largestMessages);
    setValueRange(m_bytes.y, largestBytes / m_bytesDivisor);
    setValueRange(m_roundTrip.y, largestTrip);
    // a dot per ping while they can be told apart; a line alone when they crowd
    const bool dots = m_roundTrips->count() <= 40;
    if (m_roundTrips->pointsVisible() != dots)
        m_roundTrips->setPointsVisible(dots);
    const QString bytesUnit = m_bytesDivisor == 1 ? tr("B/s") : m_bytesDivisor == 1024 ? tr("KiB/s") : tr("MiB/s");
    if (m_bytes.y->titleText() != bytesUnit)
        m_bytes.y->setTitleText(bytesUnit);
}

void StatisticsView::updateCounters()
{
    // before the first sample of a connection (and before any connection) the sampler holds zeros
    const TrafficCounters &n = m_sampler->counters();
    const auto set = [](QLabel *label, const QString &text) {
        if (label->text() != text)
            label->setText(text);
    };
    set(m_messageCount.sent, QString::number(n.messagesSent));
    set(m_messageCount.received, QString::number(n.messagesReceived));
    set(m_messageBytes.sent, Format::byteSize(n.messageBytesSent));
    set(m_messageBytes.received, Format::byteSize(n.messageBytesReceived));
    set(m_payloadBytes.sent, Format::byteSize(n.payloadBytesSent));
    set(m_payloadBytes.received, Format::byteSize(n.payloadBytesReceived));
    set(m_wireBytes.sent, Format::byteSize(n.wireBytesSent));
    set(m_wireBytes.received, Format::byteSize(n.wireBytesReceived));
    set(m_compressed.sent, QString::number(n.compressedMessagesSent));
    set(m_compressed.received, QString::number(n.compressedMessagesReceived));
    const BandwidthStatistics &b = m_sampler->bandwidth();
    set(m_bandwidth.sent, bitsPerSecond(b.outboundBitsPerSecond));
    set(m_bandwidth.received, bitsPerSecond(b.inboundBitsPerSecond));
    set(m_pings.sent, QString::number(n.pingsSent));
    set(m_pings.received, QString::number(n.pongsReceived));
    const RoundTripSummary rtt = m_sampler->roundTripSummary();
    set(m_rttLast, rtt.count == 0 ? tr("—") : milliseconds(rtt.last));
    set(m_rttRange, rtt.count == 0 ? tr("—")
                                 : u"%1 / %2 / %3"_s.arg(milliseconds(rtt.min), milliseconds(rtt.mean), milliseconds(rtt.max)));
    set(m_missedCount, QString::number(m_pinger->missedCount()));
    const QString missedStyle = m_pinger->missedCount() > 0
                                        ? u"QLabel { color: %1; font-weight: bold; }"_s.arg(Theme::errorColor().name())
                                        : QString();
    if (m_missedCount->styleSheet() != missedStyle)
        m_missedCount->setStyleSheet(missedStyle);
}

} // namespace Wsw::Ui
