// wsw_maskkey_bench: nanoseconds per 32-bit mask key from each candidate source, on this CPU.
// A benchmark, not a test: it prints one Markdown table (and the CPU) for scripts/benchmark.sh.
//
//   QRandomGenerator::system()  one key per call, as a frame would ask (RDRAND where the CPU has it)
//   QRandomGenerator::system()  in blocks of 256 keys (fillRange), what the engine did before
//   QRandomGenerator::global()  for reference only: a seeded Mersenne Twister, not a CSPRNG
//   getrandom() in 4 KiB blocks SystemMaskKeySource without a primary source: the engine's over ws://
//   RAND_bytes() in 4 KiB blocks SystemMaskKeySource with OpenSSL's DRBG: the engine's over wss://
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include <QFile>
#include <QRandomGenerator>
#include <QString>

#include "codec/maskkeysource.h"
#include "connection/opensslrandom.h"

namespace {

volatile quint32 g_sink; // keeps the keys alive so nothing is optimised away

/** Best of `rounds` runs of `keys` keys: the least disturbed by other processes on a shared machine. */
double nsPerKey(const std::function<quint32()> &next, int keys, int rounds)
{
    double best = 1e30;
    for (int r = 0; r < rounds; ++r) {
        quint32 x = 0;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < keys; ++i)
            x ^= next();
        const auto stop = std::chrono::steady_clock::now();
        g_sink = x;
        best = std::min(best, std::chrono::duration<double, std::nano>(stop - start).count() / keys);
    }
    return best;
}

/** Keys handed out of a block that a fill function refills when used up. */
template<int BlockKeys, typename Fill>
class Blocked
{
public:
    explicit Blocked(Fill fill) : m_fill(fill) {}
    quint32 operator()()
    {
        if (m_next == BlockKeys) {
            m_fill(m_keys.data(), BlockKeys);
            m_next = 0;
        }
        return m_keys[m_next++];
    }

private:
    Fill m_fill;
    std::vector<quint32> m_keys = std::vector<quint32>(BlockKeys);
    int m_next = BlockKeys;
};

QString cpuModel(bool *rdrand)
{
    QFile f(QStringLiteral("/proc/cpuinfo"));
    QString model = QStringLiteral("unknown CPU");
    *rdrand = false;
    if (!f.open(QIODevice::ReadOnly))
        return model;
    // /proc files have no size: read them whole rather than asking atEnd()
    bool haveModel = false, haveFlags = false;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray key = line.first(colon).trimmed();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (key == "model name" && !haveModel) {
            model = QString::fromUtf8(value);
            haveModel = true;
        } else if (key == "flags" && !haveFlags) {
            *rdrand = value.split(' ').contains("rdrand");
            haveFlags = true;
        }
    }
    return model;
}

} // namespace

int main(int argc, char **argv)
{
    // --quick: fewer keys (for a smoke run); the defaults take about two seconds
    const bool quick = argc > 1 && QByteArrayView(argv[1]) == "--quick";
    const int keys = quick ? 20000 : 500000; // the send 16 B row's 500k messages
    const int rounds = quick ? 2 : 5;

    bool rdrand = false;
    const QString cpu = cpuModel(&rdrand);
    QRandomGenerator *system = QRandomGenerator::system();
    QRandomGenerator *global = QRandomGenerator::global();

    struct Row {
        const char *source;
        const char *note;
        double ns;
    };
    std::vector<Row> rows;
    rows.push_back({"QRandomGenerator::system(), one key per call", "CSPRNG (RDRAND where the CPU has it)",
                    nsPerKey([&] { return system->generate(); }, keys / 5, rounds)});
    Blocked<256, std::function<void(quint32 *, int)>> systemBlocks(
            [&](quint32 *p, int n) { system->fillRange(p, n); });
    rows.push_back({"QRandomGenerator::system(), blocks of 256 keys", "CSPRNG; the engine's source before",
                    nsPerKey(std::ref(systemBlocks), keys, rounds)});
    rows.push_back({"QRandomGenerator::global()", "not a CSPRNG: reference only",
                    nsPerKey([&] { return global->generate(); }, keys, rounds)});
    Wsw::Codec::SystemMaskKeySource kernel;
    rows.push_back({"getrandom(), 4 KiB blocks", "CSPRNG (the kernel's ChaCha20); the engine's over ws://",
                    nsPerKey([&] { return kernel.nextMaskKey(); }, keys, rounds)});
    Wsw::Codec::SystemMaskKeySource engine(&Wsw::fillFromOpenSslDrbg);
    rows.push_back({"OpenSSL RAND_bytes(), 4 KiB blocks", "CSPRNG (OpenSSL's DRBG); the engine's over wss://",
                    nsPerKey([&] { return engine.nextMaskKey(); }, keys, rounds)});

    const auto originName = [](Wsw::Codec::SecureRandomOrigin o) {
        return o == Wsw::Codec::SecureRandomOrigin::Primary ? "RAND_bytes()"
                : o == Wsw::Codec::SecureRandomOrigin::Kernel ? "getrandom()"
                                                               : "QRandomGenerator::system() (fallback)";
    };
    std::printf("CPU: %s; RDRAND: %s; keys came from %s (ws://) and %s (wss://)\n\n", qPrintable(cpu),
                rdrand ? "yes" : "no", originName(kernel.lastOrigin()), originName(engine.lastOrigin()));
    std::printf("| key source | kind | ns per 32-bit key |\n|---|---|---|\n");
    for (const Row &r : rows)
        std::printf("| %s | %s | %.1f |\n", r.source, r.note, r.ns);
    std::printf("\nBest of %d rounds of %d keys (%d for one key per call).\n", rounds, keys, keys / 5);
    return 0;
}
