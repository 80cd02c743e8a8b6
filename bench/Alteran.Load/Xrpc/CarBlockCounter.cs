using Alteran.Protocol;

namespace Alteran.Load.Xrpc;

/// <summary>
/// Counts the blocks of a CARv1 stream fed in arbitrary chunks: the varint-prefixed header, then varint-prefixed
/// sections (CID + block). Only lengths are read; contents are skipped, so memory stays constant.
/// </summary>
internal sealed class CarBlockCounter
{
    private readonly byte[] _varint = new byte[Varint.MaxLength];
    private int _varintLength;
    private long _skip;
    private bool _headerSeen;

    public long Blocks { get; private set; }

    public bool Invalid { get; private set; }

    /// <summary>True when the stream ended on a section boundary.</summary>
    public bool Complete => _skip == 0 && _varintLength == 0 && _headerSeen && !Invalid;

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && !Invalid)
        {
            if (_skip > 0)
            {
                int n = (int)Math.Min(_skip, data.Length);
                _skip -= n;
                data = data[n..];
                continue;
            }

            _varint[_varintLength++] = data[0];
            data = data[1..];
            switch (Varint.TryRead(_varint.AsSpan(0, _varintLength), out ulong length, out _))
            {
                case VarintStatus.Ok:
                    _varintLength = 0;
                    _skip = (long)Math.Min(length, long.MaxValue);
                    if (_headerSeen)
                    {
                        Blocks++;
                    }

                    _headerSeen = true;
                    break;
                case VarintStatus.NeedMore when _varintLength < Varint.MaxLength:
                    break;
                default:
                    Invalid = true;
                    break;
            }
        }
    }
}
