#pragma once

#include <QList>
#include <QString>

class QFormLayout;
class QGroupBox;
class QLabel;
class QWidget;

namespace Wsw::Ui {

/**
 * The rows of a settings form, as qBittorrent's addRow makes them: a label (the editor's buddy,
 * its text the editor's accessible name, the editor's tooltip) plus a real typed editor. It keeps
 * the editors in keyboard order and the labels, so a form whose sections live in several widgets
 * can still chain one tab order and line its columns up in one place. It owns no widget.
 */
class FormRows final
{
public:
    /** The form of one section: a label column on the left, the fields growing to the right. */
    static QFormLayout *newForm(QGroupBox *section);

    void addRow(QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip,
                QWidget *field = nullptr);
    /** Lists and text areas take the whole width: the label above, the field below. */
    void addWideRow(QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip,
                    QWidget *field);
    /** A button in a row (Add…, Browse…): next in the tab order; its accessible name is the caller's. */
    void addButton(QWidget *button);
    /** The rows of another part of the same form, after these. */
    void append(const FormRows &other);

    /** Every editor and button, top to bottom. */
    const QList<QWidget *> &editors() const { return m_editors; }

    /**
     * One width for the labels beside their editors and one for the short editors (spin and
     * combo boxes), so that every section's fields read as one column.
     */
    void alignColumns() const;
    /** Chains the keyboard order through editors(). */
    void chainTabOrder() const;

    /** Marks a free-text editor as wrong (tinted, the reason in its tooltip) or as fine again. */
    static void markInvalid(QWidget *editor, const QString &problem);

private:
    QLabel *addLabel(QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip);

    QList<QWidget *> m_editors;
    QList<QLabel *> m_labels;
};

} // namespace Wsw::Ui
