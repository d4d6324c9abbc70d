#pragma once

#include <QColor>
#include <QString>

#include "codec/wswenums.h"

// The workbench's colours in one place: the log, the state indicator and the inline error panel.
namespace Wsw::Ui::Theme {

inline QColor sentColor() { return QColor(0x1f, 0x5f, 0x8b); }
inline QColor receivedColor() { return QColor(0x14, 0x5a, 0x2a); }
inline QColor eventColor() { return QColor(0x5f, 0x6b, 0x76); }
inline QColor errorColor() { return QColor(0xa0, 0x1c, 0x1c); }

/** Background and text colour of the state indicator. */
struct StateColors {
    QColor background;
    QColor foreground;
};
inline StateColors idleState() { return {QColor(0xe4, 0xe7, 0xeb), QColor(0x38, 0x42, 0x4c)}; }
inline StateColors busyState() { return {QColor(0xff, 0xf1, 0xc2), QColor(0x6b, 0x50, 0x00)}; }
inline StateColors openState() { return {QColor(0xd3, 0xf0, 0xdc), QColor(0x14, 0x5a, 0x2a)}; }
inline StateColors failedState() { return {QColor(0xf9, 0xd9, 0xd9), QColor(0x8a, 0x1c, 0x1c)}; }

/** The inline error panel. */
inline QString errorPanelStyle()
{
    return QStringLiteral("QFrame#errorPanel { background: #fdecea; border: 1px solid #f1b8b4; border-radius: 4px; }"
                          " QFrame#errorPanel QLabel { color: #8a1c1c; }");
}
/** A note that something is trusted for a reason other than the normal chain. */
inline QString warningPanelStyle()
{
    return QStringLiteral("QLabel { background: #fff4d6; color: #6b5000; border: 1px solid #ecd28b;"
                          " border-radius: 4px; padding: 4px 8px; }");
}
/** The Text/Binary segmented switch. */
inline QString segmentedSwitchStyle()
{
    return QStringLiteral(R"(
        QToolButton { border: 1px solid #7b8794; background: #ffffff; color: #1f2d3a;
                      padding: 4px 16px; font-weight: bold; }
        QToolButton:hover:!checked { background: #e6eef5; }
        QToolButton:checked { background: #1f5f8b; border-color: #1f5f8b; color: #ffffff; }
        QToolButton#textType { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }
        QToolButton#binaryType { border-left: none; border-top-right-radius: 4px; border-bottom-right-radius: 4px; }
    )");
}

} // namespace Wsw::Ui::Theme

namespace Wsw::Ui::Theme {
/** The round-trip series of the statistics (sent and received use sentColor() / receivedColor()). */
inline QColor roundTripColor() { return QColor(0x7a, 0x3e, 0x9d); }
} // namespace Wsw::Ui::Theme
