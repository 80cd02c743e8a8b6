namespace Alteran.Net.Firehose;

/// <summary>Outcome of <see cref="FrameRing.TryRead"/>.</summary>
public enum RingReadStatus
{
    /// <summary>The frame for the requested seq was read.</summary>
    Ok,

    /// <summary>The requested seq has not been published yet.</summary>
    NotYet,

    /// <summary>The requested seq is older than the ring holds (the reader was lapped): read it from the event log.</summary>
    Lapped,

    /// <summary>The seq is known to have no event (a hole the sequencer could not fill): skip it.</summary>
    Hole,
}
