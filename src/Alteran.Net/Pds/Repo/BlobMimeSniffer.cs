namespace Alteran.Net.Pds.Repo;

/// <summary>
/// Recognises the media types the PDS hosts from their leading bytes ("magic numbers"). The client's
/// Content-Type is never trusted: a blob is served back with the type found here, so a mislabelled HTML or SVG
/// upload cannot become an active document on the PDS origin.
/// </summary>
public static class BlobMimeSniffer
{
    /// <summary>Bytes needed to recognise every supported type.</summary>
    public const int PrefixLength = 16;

    /// <summary>The media type of content starting with <paramref name="prefix"/>, or null when unrecognised.</summary>
    public static string? Sniff(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "image/jpeg";
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
            return "image/png";
        if (prefix.StartsWith("GIF87a"u8) || prefix.StartsWith("GIF89a"u8))
            return "image/gif";
        if (prefix.Length >= 12 && prefix.StartsWith("RIFF"u8) && prefix.Slice(8, 4).SequenceEqual("WEBP"u8))
            return "image/webp";
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
            return "video/webm"; // EBML (Matroska family); WebM is the only one browsers play
        if (prefix.Length >= 12 && prefix.Slice(4, 4).SequenceEqual("ftyp"u8))
            return IsoBrand(prefix.Slice(8, 4));
        return null;
    }

    // ISO base media file: the major brand names the profile.
    private static string IsoBrand(ReadOnlySpan<byte> brand)
    {
        if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            return "image/avif";
        if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
            return "image/heic";
        if (brand.SequenceEqual("qt  "u8))
            return "video/quicktime";
        return "video/mp4"; // isom, iso2, mp41, mp42, avc1, dash, M4V ...
    }
}
