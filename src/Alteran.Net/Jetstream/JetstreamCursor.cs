using System.Globalization;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Where a subscription starts. Jetstream cursors are unix microseconds (an event's <c>time_us</c>): replay
/// delivers every retained event with <c>time_us ≥ cursor</c>, in order, then continues live. No cursor, or one in
/// the future, means live tail only. A cursor older than the retained history replays from the oldest event.
/// </summary>
public readonly struct JetstreamCursor : IEquatable<JetstreamCursor>
{
    private readonly long _startUs;
    private readonly bool _replay;

    private JetstreamCursor(long startUs)
    {
        _startUs = startUs;
        _replay = true;
    }

    /// <summary>Live tail: no replay.</summary>
    public static JetstreamCursor LiveTail => default;

    /// <summary>Whether this subscription only tails live events.</summary>
    public bool IsLiveTail => !_replay;

    /// <summary>The first <c>time_us</c> to replay; only meaningful when not <see cref="IsLiveTail"/>.</summary>
    public long StartUs => _startUs;

    /// <summary>A cursor at <paramref name="cursorUs"/>, or live tail if it is after <paramref name="nowUs"/>.</summary>
    public static JetstreamCursor From(long cursorUs, long nowUs) => cursorUs > nowUs ? LiveTail : new JetstreamCursor(cursorUs);

    /// <summary>
    /// Parses the <c>cursor</c> query value: empty means live tail; otherwise a base-10 integer with an optional
    /// sign (as Go's <c>strconv.ParseInt</c>). Returns false for anything else.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, long nowUs, out JetstreamCursor cursor)
    {
        cursor = LiveTail;
        if (text.IsEmpty)
            return true;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            return false;
        cursor = From(value, nowUs);
        return true;
    }

    /// <summary>Whether the replay includes an event at <paramref name="timeUs"/> (false for live tail).</summary>
    public bool ReplayIncludes(long timeUs) => _replay && timeUs >= _startUs;

    /// <inheritdoc />
    public bool Equals(JetstreamCursor other) => _replay == other._replay && _startUs == other._startUs;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JetstreamCursor other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_replay, _startUs);

    /// <summary>Equality.</summary>
    public static bool operator ==(JetstreamCursor left, JetstreamCursor right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(JetstreamCursor left, JetstreamCursor right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => _replay ? _startUs.ToString(CultureInfo.InvariantCulture) : "live";
}
