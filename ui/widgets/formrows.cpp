#include "widgets/formrows.h"

#include <algorithm>

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

constexpr char BaseToolTipProperty[] = "wswBaseToolTip";

/** Labels of full-width rows (lists, text areas) sit above their editor and do not set the column. */
bool isBesideItsEditor(const QLabel *label)
{
    return !qobject_cast<QListWidget *>(label->buddy()) && !qobject_cast<QPlainTextEdit *>(label->buddy());
}

bool isShortEditor(const QWidget *editor)
{
    return qobject_cast<const QAbstractSpinBox *>(editor) || qobject_cast<const QComboBox *>(editor);
}

} // namespace

QFormLayout *FormRows::newForm(QGroupBox *section)
{
    auto *form = new QFormLayout(section);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return form;
}

void FormRows::addRow(QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip, QWidget *field)
{
    form->addRow(addLabel(form, text, editor, toolTip), field ? field : editor);
}

void FormRows::addWideRow(QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip,
                          QWidget *field)
{
    form->addRow(addLabel(form, text, editor, toolTip));
    form->addRow(field);
}

void FormRows::addButton(QWidget *button)
{
    m_editors.append(button);
}

void FormRows::append(const FormRows &other)
{
    m_editors.append(other.m_editors);
    m_labels.append(other.m_labels);
}

QLabel *FormRows::addLabel(QFormLayout *form, const QString &text, QWidget *editor, const QString &toolTip)
{
    auto *label = new QLabel(text, form->parentWidget());
    label->setBuddy(editor);
    m_labels.append(label);
    QString name = text;
    name.remove(u'&');
    editor->setAccessibleName(name);
    label->setToolTip(toolTip);
    editor->setToolTip(toolTip);
    editor->setProperty(BaseToolTipProperty, toolTip); // what markInvalid() puts the reason before
    m_editors.append(editor);
    return label;
}

void FormRows::alignColumns() const
{
    int labelWidth = 0;
    for (const QLabel *label : m_labels) {
        if (isBesideItsEditor(label))
            labelWidth = std::max(labelWidth, label->sizeHint().width());
    }
    for (QLabel *label : m_labels) {
        if (isBesideItsEditor(label))
            label->setMinimumWidth(labelWidth);
    }

    int fieldWidth = 0;
    for (const QWidget *editor : m_editors) {
        if (isShortEditor(editor))
            fieldWidth = std::max(fieldWidth, editor->sizeHint().width());
    }
    for (QWidget *editor : m_editors) {
        if (isShortEditor(editor))
            editor->setMinimumWidth(fieldWidth);
    }
}

void FormRows::chainTabOrder() const
{
    for (qsizetype i = 1; i < m_editors.size(); ++i)
        QWidget::setTabOrder(m_editors.at(i - 1), m_editors.at(i));
}

void FormRows::markInvalid(QWidget *editor, const QString &problem)
{
    QPalette palette = editor->parentWidget() ? editor->parentWidget()->palette() : QPalette();
    if (!problem.isEmpty())
        palette.setColor(QPalette::Base, QColor(0xfd, 0xe7, 0xe9));
    editor->setPalette(palette);
    const QString base = editor->property(BaseToolTipProperty).toString();
    editor->setToolTip(problem.isEmpty() ? base : problem + u"\n\n"_s + base);
}

} // namespace Wsw::Ui
