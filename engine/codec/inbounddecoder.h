#pragma once

#include <QByteArrayView>

#include "codec/framereader.h"
#include "codec/messageassembler.h"

namespace Wsw::Codec {

/**
 * FrameReader and MessageAssembler run together over received bytes: the whole inbound
 * direction of the protocol for one role. The connection feeds it what the socket read.
 */
class InboundDecoder final
{
public:
    /** Optional observer of every frame (for counters and the frame inspector). */
    class FrameObserver
    {
    public:
        virtual ~FrameObserver() = default;
        /** A frame begins (its payload is still to come). */
        virtual void onFrameHeader(const FrameHeader &header) = 0;
        /**
         * The frame's payload is complete, before a message it ends is handed over.
         * uncompressedLength: what it inflated to, or -1 when it is not part of a compressed message.
         */
        virtual void onFrameComplete(const FrameHeader &header, qint64 uncompressedLength) = 0;
        /** A piece of the frame's payload as on the wire, unmasked; offset counts from the payload's start. */
        virtual void onFramePayload(QByteArrayView /*chunk*/, quint64 /*offset*/) {}
        /**
         * A one-frame message that lay complete in the received bytes and passed every check:
         * the three calls above at once (one virtual call per small message instead of three),
         * before the sink's onWholeMessage() for it. Only while wantsWholeFrames().
         */
        virtual void onWholeFrame(const FrameHeader &header, QByteArrayView payload)
        {
            onFrameHeader(header);
            onFramePayload(payload, 0);
            onFrameComplete(header, -1);
        }
        /**
         * Whether onWholeFrame() is wanted, asked once per run of whole one-frame messages (what
         * one feed() finds in a row). When not, such a frame's only call is the sink's
         * onWholeMessage(), whose data is the frame's whole payload: an observer that only counts
         * can count there and spare a call per small message.
         */
        virtual bool wantsWholeFrames() const { return true; }
    };

    explicit InboundDecoder(Role role = Role::Client) : m_reader(role) {}

    MessageAssembler &assembler() { return m_assembler; }
    FrameReader &reader() { return m_reader; }
    void setFrameObserver(FrameObserver *observer) { m_observer = observer; }
    /** permessage-deflate in force: RSV1 allowed, compressed messages inflated with this window (8-15). */
    void enableDeflate(int serverWindowBits, bool serverNoContextTakeover);

    /**
     * Processes bytes until they are used up, the sink asks to stop, or a rule is broken.
     * Returns the broken rule (None otherwise); *consumed tells how much of bytes was used.
     */
    ErrorDetail feed(QByteArrayView bytes, MessageAssembler::Sink &sink, qsizetype *consumed = nullptr);

    /**
     * A large payload need not pass through a read buffer: when the current frame is a data frame
     * of an uncompressed message in full mode with at least minBytes of payload still to come,
     * returns up to maxBytes writable bytes at the end of the message (*target), else 0. Write
     * the payload's next bytes there, then call commitInPlace() with how many (0 too) before
     * anything else. The frame's rules were checked at its header; text is validated at commit.
     */
    qsizetype reserveInPlace(quint64 minBytes, qsizetype maxBytes, char **target);
    /** The bytes written at reserveInPlace()'s target; a message they complete goes to sink. */
    ErrorDetail commitInPlace(qsizetype written, MessageAssembler::Sink &sink);

    ErrorDetail error() const { return m_error; }
    void reset();

private:
    enum class FastPath : quint8 { NotApplicable, Stop, Failed };
    /**
     * The run of whole one-frame data messages at the front of bytes (the usual burst of small
     * messages), each handed over as a view without the event machinery; the same rules as the
     * general path (FrameReader + MessageAssembler) are checked. Stops at the first frame that
     * needs the general path (NotApplicable: a fragment, a control frame, compression, a frame
     * not yet complete, a broken header), when the sink says stop, or at a broken rule (Failed,
     * that frame not consumed). bytes is left at what was not taken.
     */
    FastPath takeWholeFrames(QByteArrayView &bytes, MessageAssembler::Sink &sink, ErrorDetail *error);

    FrameReader m_reader;
    MessageAssembler m_assembler;
    FrameObserver *m_observer = nullptr;
    ErrorDetail m_error = ErrorDetail::None;
    QByteArray m_unmaskBuf; // server role only
    qsizetype m_inPlaceReserved = 0; // reserveInPlace() awaits its commitInPlace()
};

} // namespace Wsw::Codec
