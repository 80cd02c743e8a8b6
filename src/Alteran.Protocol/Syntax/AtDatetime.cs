using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// A timestamp in the Lexicon <c>datetime</c> format: RFC 3339 that is also ISO 8601,
/// <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)</c>, upper-case <c>T</c> and <c>Z</c>, 1-20 fraction digits,
/// a time zone required and <c>-00:00</c> refused.
/// <see cref="IsValid(ReadOnlySpan{char})"/> checks that syntax only; <see cref="TryParse(ReadOnlySpan{char}, out AtDatetime)"/>
/// also checks the calendar (month 00, day 31 of a 30-day month, hour 25 ...) and that the UTC instant is not
/// before year 0000 (atproto forbids negative years), which is what a Lexicon validator should use.
/// Held inline as UTC ticks (100 ns) since 0000-01-01T00:00:00Z in the proleptic Gregorian calendar, because
/// <c>0000-01-01T00:00:00.000Z</c> is valid atproto but below <see cref="DateTimeOffset.MinValue"/>; digits past the
/// seventh fraction digit are truncated. UTC instants after year 9999 are refused.
/// </summary>
public readonly struct AtDatetime : IEquatable<AtDatetime>, IComparable<AtDatetime>
{
    /// <summary>Longest accepted text.</summary>
    public const int MaxLength = 64;

    /// <summary>Ticks from 0000-01-01 to 0001-01-01 (year 0 is a leap year in the proleptic calendar).</summary>
    private const long YearZeroTicks = 366 * TimeSpan.TicksPerDay;

    private static ReadOnlySpan<short> DaysBeforeMonthLeap => [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];

    private readonly long _ticks;

    private AtDatetime(long ticks) => _ticks = ticks;

    /// <summary>UTC ticks since 0000-01-01T00:00:00Z.</summary>
    public long TicksSinceYearZero => _ticks;

    /// <summary>True when the instant fits a <see cref="DateTimeOffset"/> (year 1 or later).</summary>
    public bool FitsDateTimeOffset => _ticks >= YearZeroTicks;

    /// <summary>The instant as a UTC <see cref="DateTimeOffset"/>.</summary>
    /// <exception cref="OverflowException">The instant is in year 0000.</exception>
    public DateTimeOffset UtcDateTime =>
        FitsDateTimeOffset ? new DateTimeOffset(_ticks - YearZeroTicks, TimeSpan.Zero) : throw new OverflowException("The datetime is in year 0000.");

    /// <summary>The instant of a <see cref="DateTimeOffset"/>.</summary>
    public static AtDatetime FromDateTimeOffset(DateTimeOffset value) => new(value.UtcTicks + YearZeroTicks);

    /// <summary>True when <paramref name="value"/> has valid datetime syntax (not checking the calendar).</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> has valid datetime syntax (not checking the calendar).</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        // Fixed part: YYYY-MM-DDTHH:MM:SS (positions 0..18), shaped as [0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-9]{2}:[0-9]{2}.
        // Loose on purpose: the vectors treat minute 99 as a parse (calendar) error, not a syntax error.
        if (s.Length < 20 || s.Length > MaxLength)
            return false;
        if (!(IsDigit(At(s, 0)) && IsDigit(At(s, 1)) && IsDigit(At(s, 2)) && IsDigit(At(s, 3)) && At(s, 4) == '-'
              && At(s, 5) is '0' or '1' && IsDigit(At(s, 6)) && At(s, 7) == '-'
              && (uint)(At(s, 8) - '0') <= 3 && IsDigit(At(s, 9)) && At(s, 10) == 'T'
              && (uint)(At(s, 11) - '0') <= 2 && IsDigit(At(s, 12)) && At(s, 13) == ':'
              && IsDigit(At(s, 14)) && IsDigit(At(s, 15)) && At(s, 16) == ':'
              && IsDigit(At(s, 17)) && IsDigit(At(s, 18))))
            return false;
        int i = 19;
        if (At(s, i) == '.')
        {
            int start = ++i;
            while (i < s.Length && IsDigit(At(s, i)))
                i++;
            if (i - start is < 1 or > 20)
                return false;
        }
        int remaining = s.Length - i;
        if (remaining == 1)
            return At(s, i) == 'Z';
        if (remaining != 6)
            return false;
        int sign = At(s, i);
        if (!(sign is '+' or '-' && (uint)(At(s, i + 1) - '0') <= 2 && IsDigit(At(s, i + 2)) && At(s, i + 3) == ':'
              && (uint)(At(s, i + 4) - '0') <= 5 && IsDigit(At(s, i + 5))))
            return false;
        // RFC 3339's "unknown local offset" -00:00 is not ISO 8601.
        return !(sign == '-' && At(s, i + 1) == '0' && At(s, i + 2) == '0' && At(s, i + 4) == '0' && At(s, i + 5) == '0');
    }

    private static bool TryParseCore<T>(ReadOnlySpan<T> s, out long ticks) where T : unmanaged, IBinaryInteger<T>
    {
        ticks = 0;
        if (!IsValidCore(s))
            return false;
        int year = Number(s, 0, 4), month = Number(s, 5, 2), day = Number(s, 8, 2);
        int hour = Number(s, 11, 2), minute = Number(s, 14, 2), second = Number(s, 17, 2);
        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;

        long fraction = 0;
        int i = 19;
        if (At(s, i) == '.')
        {
            i++;
            int digits = 0;
            for (; i < s.Length && IsDigit(At(s, i)); i++, digits++)
            {
                if (digits < 7)
                    fraction = fraction * 10 + (At(s, i) - '0');
            }
            for (; digits < 7; digits++)
                fraction *= 10;
        }

        long offsetMinutes = 0;
        if (At(s, i) != 'Z')
        {
            int offsetHours = Number(s, i + 1, 2);
            if (offsetHours > 23)
                return false;
            offsetMinutes = offsetHours * 60 + Number(s, i + 4, 2);
            if (At(s, i) == '+')
                offsetMinutes = -offsetMinutes;
        }

        long days = year == 0
            ? DaysBeforeMonthLeap[month - 1] + day - 1
            : 366 + new DateTime(year, month, day).Ticks / TimeSpan.TicksPerDay;
        ticks = days * TimeSpan.TicksPerDay + hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute
            + second * TimeSpan.TicksPerSecond + fraction + offsetMinutes * TimeSpan.TicksPerMinute;
        // Negative: the UTC instant is before year 0000. Past year 9999 cannot be written back in this format.
        return ticks >= 0 && ticks <= YearZeroTicks + DateTime.MaxValue.Ticks;
    }

    private static int Number<T>(ReadOnlySpan<T> s, int start, int count) where T : unmanaged, IBinaryInteger<T>
    {
        int n = 0;
        for (int i = start; i < start + count; i++)
            n = n * 10 + (At(s, i) - '0');
        return n;
    }

    private static int DaysInMonth(int year, int month) =>
        year == 0 ? (month == 2 ? 29 : DateTime.DaysInMonth(2000, month)) : DateTime.DaysInMonth(year, month);

    /// <summary>Parses a datetime, checking syntax and calendar; false when either is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out AtDatetime datetime)
    {
        bool ok = TryParseCore(value, out long ticks);
        datetime = new AtDatetime(ticks);
        return ok;
    }

    /// <summary>Parses a UTF-8 datetime, checking syntax and calendar; false when either is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AtDatetime datetime)
    {
        bool ok = TryParseCore(utf8, out long ticks);
        datetime = new AtDatetime(ticks);
        return ok;
    }

    /// <summary>Parses a datetime to a UTC <see cref="DateTimeOffset"/>; false when invalid or in year 0000.</summary>
    public static bool TryParseDateTimeOffset(ReadOnlySpan<char> value, out DateTimeOffset result)
    {
        bool ok = TryParse(value, out AtDatetime dt) && dt.FitsDateTimeOffset;
        result = ok ? dt.UtcDateTime : default;
        return ok;
    }

    /// <summary>Parses a UTF-8 datetime to a UTC <see cref="DateTimeOffset"/>; false when invalid or in year 0000.</summary>
    public static bool TryParseDateTimeOffset(ReadOnlySpan<byte> utf8, out DateTimeOffset result)
    {
        bool ok = TryParse(utf8, out AtDatetime dt) && dt.FitsDateTimeOffset;
        result = ok ? dt.UtcDateTime : default;
        return ok;
    }

    /// <summary>Parses a datetime.</summary>
    /// <exception cref="FormatException">The value is not a valid datetime.</exception>
    public static AtDatetime Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out AtDatetime dt) ? dt : throw new FormatException("Invalid datetime.");

    /// <summary>Parses a UTF-8 datetime.</summary>
    /// <exception cref="FormatException">The value is not a valid datetime.</exception>
    public static AtDatetime Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out AtDatetime dt) ? dt : throw new FormatException("Invalid datetime.");

    /// <summary>Longest text <see cref="FormatTo"/> writes.</summary>
    public const int MaxFormattedLength = 28;

    /// <summary>
    /// Writes the canonical UTC form, <c>YYYY-MM-DDTHH:MM:SS.sssZ</c>, with 6 or 7 fraction digits instead of 3
    /// when the value has sub-millisecond precision. Returns the number of characters written.
    /// </summary>
    public int FormatTo(Span<char> destination)
    {
        long ticks = _ticks;
        int fractionDigits = ticks % TimeSpan.TicksPerMillisecond == 0 ? 3 : ticks % 10 == 0 ? 6 : 7;
        int length = 21 + fractionDigits;
        if (destination.Length < length)
            throw new ArgumentException("Destination too short.", nameof(destination));

        int year, month, day;
        long days = ticks / TimeSpan.TicksPerDay;
        if (days < 366)
        {
            year = 0;
            month = 12;
            while (DaysBeforeMonthLeap[month - 1] > days)
                month--;
            day = (int)(days - DaysBeforeMonthLeap[month - 1]) + 1;
        }
        else
        {
            var date = new DateTime(ticks - YearZeroTicks);
            (year, month, day) = (date.Year, date.Month, date.Day);
        }
        long timeOfDay = ticks % TimeSpan.TicksPerDay;
        Put(destination, 0, year, 4);
        destination[4] = '-';
        Put(destination, 5, month, 2);
        destination[7] = '-';
        Put(destination, 8, day, 2);
        destination[10] = 'T';
        Put(destination, 11, (int)(timeOfDay / TimeSpan.TicksPerHour), 2);
        destination[13] = ':';
        Put(destination, 14, (int)(timeOfDay / TimeSpan.TicksPerMinute % 60), 2);
        destination[16] = ':';
        Put(destination, 17, (int)(timeOfDay / TimeSpan.TicksPerSecond % 60), 2);
        destination[19] = '.';
        long fraction = timeOfDay % TimeSpan.TicksPerSecond;
        for (int d = 7; d > fractionDigits; d--)
            fraction /= 10;
        Put(destination, 20, (int)fraction, fractionDigits);
        destination[20 + fractionDigits] = 'Z';
        return length;
    }

    private static void Put(Span<char> destination, int start, int value, int digits)
    {
        for (int i = start + digits - 1; i >= start; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>The canonical UTC form (see <see cref="FormatTo"/>).</summary>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxFormattedLength];
        return new string(buffer[..FormatTo(buffer)]);
    }

    /// <inheritdoc/>
    public bool Equals(AtDatetime other) => _ticks == other._ticks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AtDatetime other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _ticks.GetHashCode();

    /// <summary>Chronological order.</summary>
    public int CompareTo(AtDatetime other) => _ticks.CompareTo(other._ticks);

    /// <summary>Same instant.</summary>
    public static bool operator ==(AtDatetime left, AtDatetime right) => left._ticks == right._ticks;

    /// <summary>Different instants.</summary>
    public static bool operator !=(AtDatetime left, AtDatetime right) => left._ticks != right._ticks;

    /// <summary>Earlier.</summary>
    public static bool operator <(AtDatetime left, AtDatetime right) => left._ticks < right._ticks;

    /// <summary>Later.</summary>
    public static bool operator >(AtDatetime left, AtDatetime right) => left._ticks > right._ticks;

    /// <summary>Earlier or same.</summary>
    public static bool operator <=(AtDatetime left, AtDatetime right) => left._ticks <= right._ticks;

    /// <summary>Later or same.</summary>
    public static bool operator >=(AtDatetime left, AtDatetime right) => left._ticks >= right._ticks;
}
