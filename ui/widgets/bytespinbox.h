#pragma once

#include <QDoubleSpinBox>

namespace Wsw::Ui {

/**
 * A byte count up to 2^53 (QSpinBox stops at 2^31 - 1; a double holds every integer up to 2^53),
 * shown with group separators and " B". It may give one end of its range a name: "OS default"
 * at -1 (Qt's special value text) or "Unlimited" at the maximum; the first step away from the
 * named value goes to a sensible number instead of the neighbouring one.
 */
class ByteSpinBox final : public QDoubleSpinBox
{
    Q_DISABLE_COPY_MOVE(ByteSpinBox)

public:
    ByteSpinBox(double maximum, QWidget *parent);

    /** Names the value -1, below every count ("OS default"). */
    void setMinimumName(const QString &text, double leaveTo);
    /** Names the maximum ("Unlimited"). */
    void setMaximumName(const QString &text, double leaveTo);
    bool isNamedValue() const;
    quint64 bytes() const;
    /** "= 64 KiB", so a long number reads at a glance; empty below 1 KiB and for a named value. */
    QString readableSize() const;

    void stepBy(int steps) override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    QString textFromValue(double value) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &input, int &pos) const override;

private:
    /** "4,294,967,295 B" -> "4294967295" */
    QString digitsOf(QString text) const;
    /** Qt measures only the range's ends; "Unlimited" is shorter than the largest number. */
    QSize widen(QSize hint) const;

    QString m_maximumName;
    double m_leaveMinimumTo = 0;
    double m_leaveMaximumTo = 0;
};

} // namespace Wsw::Ui
