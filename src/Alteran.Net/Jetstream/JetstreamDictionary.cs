namespace Alteran.Net.Jetstream;

/// <summary>
/// Jetstream's zstd dictionary for <c>compress=true</c> (<c>legacy_subscribe.zdict</c>, embedded; origin and
/// licence in NOTICE.md beside this file). Clients decompress each binary frame with this same dictionary.
/// </summary>
public static class JetstreamDictionary
{
    private const string ResourceName = "Alteran.Net.Jetstream.legacy_subscribe.zdict";

    // Loaded once; ~110 KiB. The array never leaves this assembly, so it cannot be mutated by callers.
    internal static readonly byte[] LegacyBytes = Load();

    /// <summary>The dictionary's bytes, as shipped by Jetstream.</summary>
    public static ReadOnlyMemory<byte> Legacy => LegacyBytes;

    private static byte[] Load()
    {
        using Stream stream = typeof(JetstreamDictionary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
