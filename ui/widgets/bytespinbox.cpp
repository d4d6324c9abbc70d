#include "widgets/bytespinbox.h"

#include <algorithm>
#include <cmath>

#include <QLineEdit>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

ByteSpinBox::ByteSpinBox(double maximum, QWidget *parent)
    : QDoubleSpinBox(parent)
{
    setDecimals(0);
    setRange(0, maximum);
    setSingleStep(1024);
    setGroupSeparatorShown(true);
    setAccelerated(true);
}

void ByteSpinBox::setMinimumName(const QString &text, double leaveTo)
{
    setMinimum(-1);
    setSpecialValueText(text);
    m_leaveMinimumTo = leaveTo;
}

void ByteSpinBox::setMaximumName(const QString &text, double leaveTo)
{
    m_maximumName = text;
    m_leaveMaximumTo = leaveTo;
    lineEdit()->setText(textFromValue(value()));
}

bool ByteSpinBox::isNamedValue() const
{
    return (!specialValueText().isEmpty() && value() <= minimum())
            || (!m_maximumName.isEmpty() && value() >= maximum());
}

quint64 ByteSpinBox::bytes() const
{
    return quint64(std::llround(std::max(0.0, value())));
}

QString ByteSpinBox::readableSize() const
{
    if (isNamedValue() || value() < 1024)
        return {};
    return u"= "_s + QLocale().formattedDataSize(qint64(value()), 1, QLocale::DataSizeIecFormat);
}

void ByteSpinBox::stepBy(int steps)
{
    if (steps > 0 && !specialValueText().isEmpty() && value() <= minimum() && m_leaveMinimumTo > 0)
        setValue(m_leaveMinimumTo);
    else if (steps < 0 && !m_maximumName.isEmpty() && value() >= maximum() && m_leaveMaximumTo > 0)
        setValue(m_leaveMaximumTo);
    else
        QDoubleSpinBox::stepBy(steps);
}

QSize ByteSpinBox::sizeHint() const
{
    return widen(QDoubleSpinBox::sizeHint());
}

QSize ByteSpinBox::minimumSizeHint() const
{
    return widen(QDoubleSpinBox::minimumSizeHint());
}

QString ByteSpinBox::textFromValue(double value) const
{
    if (!m_maximumName.isEmpty() && value >= maximum())
        return m_maximumName;
    return QDoubleSpinBox::textFromValue(value) + u" B"_s;
}

double ByteSpinBox::valueFromText(const QString &text) const
{
    const QString t = text.trimmed();
    if (!m_maximumName.isEmpty() && t.compare(m_maximumName, Qt::CaseInsensitive) == 0)
        return maximum();
    if (!specialValueText().isEmpty() && t.compare(specialValueText(), Qt::CaseInsensitive) == 0)
        return minimum();
    return digitsOf(t).toDouble();
}

QValidator::State ByteSpinBox::validate(QString &input, int &) const
{
    const QString t = input.trimmed();
    for (const QString &name : {m_maximumName, specialValueText()}) {
        if (!name.isEmpty() && !t.isEmpty() && !t.front().isDigit() && name.startsWith(t, Qt::CaseInsensitive))
            return t.size() == name.size() ? QValidator::Acceptable : QValidator::Intermediate;
    }
    const QString digits = digitsOf(t);
    if (digits.isEmpty())
        return QValidator::Intermediate;
    if (!std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return QValidator::Invalid;
    return digits.toDouble() <= maximum() ? QValidator::Acceptable : QValidator::Invalid;
}

QString ByteSpinBox::digitsOf(QString text) const
{
    if (text.endsWith(u'B', Qt::CaseInsensitive))
        text.chop(1);
    text.remove(locale().groupSeparator());
    text.remove(u' ');
    return text;
}

QSize ByteSpinBox::widen(QSize hint) const
{
    if (!m_maximumName.isEmpty()) {
        const QFontMetrics fm = fontMetrics();
        hint.rwidth() += std::max(0, fm.horizontalAdvance(QDoubleSpinBox::textFromValue(maximum()) + u" B"_s)
                                             - fm.horizontalAdvance(m_maximumName));
    }
    return hint;
}

} // namespace Wsw::Ui
