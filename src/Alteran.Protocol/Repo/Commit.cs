using System.Buffers;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Repo;

/// <summary>
/// A signed repository commit, version 3: <c>{did, version: 3, data: CID of the MST root, rev: TID, prev: null, sig}</c>.
/// The signature covers the DAG-CBOR encoding of the same map without <c>sig</c>; <c>prev</c> is always present
/// (normally null), since leaving it out would change the signed bytes. Instances are immutable.
/// </summary>
public sealed class Commit
{
    /// <summary>The only commit version written and accepted.</summary>
    public const int CurrentVersion = 3;

    /// <summary>Length of a compact ECDSA signature.</summary>
    public const int SignatureLength = 64;

    private readonly byte[]? _sig;

    /// <summary>Creates an unsigned commit.</summary>
    /// <exception cref="ArgumentException">The DID or rev is malformed, or the data CID is empty.</exception>
    public Commit(string did, in Cid data, string rev, Cid? prev = null)
        : this(did, data, rev, prev, null)
    {
    }

    private Commit(string did, in Cid data, string rev, Cid? prev, byte[]? sig)
    {
        ArgumentNullException.ThrowIfNull(did);
        ArgumentNullException.ThrowIfNull(rev);
        if (!Syntax.Did.IsValid(did))
            throw new ArgumentException($"Invalid DID '{did}'.", nameof(did));
        if (!Tid.IsValid(rev))
            throw new ArgumentException($"Invalid rev (not a TID): '{rev}'.", nameof(rev));
        if (data.IsEmpty)
            throw new ArgumentException("The data CID is required.", nameof(data));
        if (prev is { IsEmpty: true })
            throw new ArgumentException("Use null for no prev.", nameof(prev));
        Did = did;
        Data = data;
        Rev = rev;
        Prev = prev;
        _sig = sig;
    }

    /// <summary>The repository's DID.</summary>
    public string Did { get; }

    /// <summary>Always <see cref="CurrentVersion"/>.</summary>
    public int Version => CurrentVersion;

    /// <summary>CID of the MST root node.</summary>
    public Cid Data { get; }

    /// <summary>Revision: a TID that increases with every commit of the repository.</summary>
    public string Rev { get; }

    /// <summary>Previous commit (legacy, normally null; encoded as an explicit null).</summary>
    public Cid? Prev { get; }

    /// <summary>The 64-byte signature, or empty for an unsigned commit.</summary>
    public ReadOnlySpan<byte> Sig => _sig;

    /// <summary>True if the commit carries a signature.</summary>
    public bool IsSigned => _sig is not null;

    /// <summary>DAG-CBOR of the commit without <c>sig</c>: the bytes that are signed.</summary>
    public byte[] EncodeUnsigned()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        Write(buffer, includeSig: false);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>DAG-CBOR of the signed commit (the commit block).</summary>
    /// <exception cref="InvalidOperationException">The commit is not signed.</exception>
    public byte[] Encode()
    {
        if (_sig is null)
            throw new InvalidOperationException("The commit is not signed.");
        var buffer = new ArrayBufferWriter<byte>(240);
        Write(buffer, includeSig: true);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A copy of this commit signed with <paramref name="key"/>.</summary>
    public Commit Sign(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] sig = key.Sign(EncodeUnsigned());
        return new Commit(Did, Data, Rev, Prev, sig);
    }

    /// <summary>True if the commit is signed and the signature verifies under <paramref name="key"/>.</summary>
    public bool VerifySignature(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _sig is not null && key.Verify(EncodeUnsigned(), _sig);
    }

    // Canonical key order (length first, then bytewise): did, rev, sig, data, prev, version.
    private void Write(IBufferWriter<byte> output, bool includeSig)
    {
        var w = new DagCborWriter(output);
        w.WriteMapHeader(includeSig ? 6 : 5);
        w.WriteText("did"u8);
        w.WriteText(Did);
        w.WriteText("rev"u8);
        w.WriteText(Rev);
        if (includeSig)
        {
            w.WriteText("sig"u8);
            w.WriteBytes(_sig);
        }
        w.WriteText("data"u8);
        w.WriteCid(Data);
        w.WriteText("prev"u8);
        if (Prev is { } prev)
            w.WriteCid(prev);
        else
            w.WriteNull();
        w.WriteText("version"u8);
        w.WriteInt(CurrentVersion);
        w.Flush();
    }

    /// <summary>
    /// Decodes a signed commit block strictly: exactly the six fields, <c>version</c> 3, <c>prev</c> present (null or
    /// a CID), a 64-byte <c>sig</c>, a valid DID and TID, canonical DAG-CBOR and nothing after it.
    /// </summary>
    /// <exception cref="RepoException">The block is not a valid v3 commit.</exception>
    public static Commit Decode(ReadOnlySpan<byte> block)
    {
        try
        {
            var r = new DagCborReader(block, new DagCborLimits { MaxDepth = 2 });
            if (r.ReadMapHeader() != 6)
                throw Invalid("must be a map of exactly {did, rev, sig, data, prev, version}");
            Expect(ref r, "did"u8);
            string did = r.ReadTextString();
            Expect(ref r, "rev"u8);
            string rev = r.ReadTextString();
            Expect(ref r, "sig"u8);
            byte[] sig = r.ReadBytes().ToArray();
            Expect(ref r, "data"u8);
            Cid data = r.ReadCid();
            Expect(ref r, "prev"u8);
            Cid? prev = r.TryReadNull() ? null : r.ReadCid();
            Expect(ref r, "version"u8);
            long version = r.ReadInt();
            r.EnsureEnd();
            if (version != CurrentVersion)
                throw Invalid($"has version {version}, expected {CurrentVersion}");
            if (sig.Length != SignatureLength)
                throw Invalid($"signature is {sig.Length} bytes, expected {SignatureLength}");
            if (!Syntax.Did.IsValid(did))
                throw Invalid("has an invalid DID");
            if (!Tid.IsValid(rev))
                throw Invalid("rev is not a TID");
            return new Commit(did, data, rev, prev, sig);
        }
        catch (DagCborException ex)
        {
            throw new RepoException($"Commit block is not valid DAG-CBOR: {ex.Message}", ex);
        }
    }

    private static void Expect(ref DagCborReader r, ReadOnlySpan<byte> name)
    {
        if (!r.ReadMapKey().SequenceEqual(name))
            throw Invalid($"must be a map of exactly {{did, rev, sig, data, prev, version}}; expected '{System.Text.Encoding.ASCII.GetString(name)}'");
    }

    private static RepoException Invalid(string why) => new($"Commit {why}.");
}
