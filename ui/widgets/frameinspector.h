#pragma once

#include <QWidget>

class QLabel;

namespace Wsw::Ui {

class FrameLogModel;
class LogTableView;

/** Every frame both ways, and the first bytes of the selected frame's payload as a hex dump. */
class FrameInspector final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameInspector)

public:
    explicit FrameInspector(FrameLogModel *model, QWidget *parent = nullptr);

    /** Whether new frames scroll into view (follows the message log's auto-scroll). */
    void setFollowing(bool following) { m_following = following; }

private:
    void onCurrentRowChanged();

    FrameLogModel *m_model;
    LogTableView *m_view;
    QLabel *m_payload;
    bool m_following = true;
};

} // namespace Wsw::Ui
