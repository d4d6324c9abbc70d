#include "benchpayload.h"

namespace Wsw::Cli {

QByteArray benchPayload(quint64 size, bool text)
{
    QByteArray out;
    out.reserve(qsizetype(size));
    if (!text) {
        out.resize(qsizetype(size));
        for (quint64 i = 0; i < size; ++i)
            out[qsizetype(i)] = char(i * 131 + (i >> 9));
        return out;
    }
    // the same mix as the harness's text, so both ends validate comparable UTF-8
    static const QByteArray sample = QByteArrayLiteral(
            "The quick brown fox jumps over the lazy dog. "
            "Gr\xc3\xb6\xc3\x9f" "e, \xc3\x96l\xc3\xa7\xc3\xbcm, \xc3\x87" "a va? "
            "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1 \xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5. "
            "\xd0\x97\xd0\xb4\xd1\x80\xd0\xb0\xd0\xb2\xd1\x81\xd1\x82\xd0\xb2\xd1\x83\xd0\xb9, \xd0\xbc\xd0\xb8\xd1\x80! "
            "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe3\x80\x81"
            "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6\xe3\x80\x82 "
            "\xf0\x9f\x99\x82\xf0\x9f\x9a\x80\xf0\x9f\x8e\x89 0123456789 ");
    qsizetype i = 0;
    while (quint64(out.size()) < size) {
        const auto c = quint8(sample[i]);
        const qsizetype len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (quint64(out.size() + len) > size) {
            out.append(qsizetype(size - quint64(out.size())), '.');
            break;
        }
        out.append(sample.constData() + i, len);
        i = (i + len) % sample.size();
    }
    return out;
}

} // namespace Wsw::Cli
