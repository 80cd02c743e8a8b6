namespace Alteran.Net.Jetstream;

/// <summary>
/// A few compressors shared by threads that compress rarely (log replay, events encoded before the first
/// compressing subscriber arrived): a zstd context with the digested dictionary is large, so subscribers must not
/// own one each.
/// </summary>
internal static class JetstreamSharedCompressor
{
    private static readonly JetstreamCompressor?[] Pool = new JetstreamCompressor?[Math.Clamp(Environment.ProcessorCount, 1, 8)];

    public static byte[] Compress(ReadOnlySpan<byte> json)
    {
        JetstreamCompressor compressor = Rent();
        try
        {
            return compressor.Compress(json);
        }
        finally
        {
            Return(compressor);
        }
    }

    private static JetstreamCompressor Rent()
    {
        for (int i = 0; i < Pool.Length; i++)
        {
            JetstreamCompressor? c = Interlocked.Exchange(ref Pool[i], null);
            if (c is not null)
                return c;
        }
        return new JetstreamCompressor();
    }

    private static void Return(JetstreamCompressor compressor)
    {
        for (int i = 0; i < Pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref Pool[i], compressor, null) is null)
                return;
        }
        compressor.Dispose();
    }
}
