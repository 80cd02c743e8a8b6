using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Tests.Cbor;

/// <summary>
/// A tiny value model for tests: long, byte[], string, bool, null (CborNull), Cid, List&lt;object&gt;,
/// and maps as SortedDictionary&lt;string, object&gt; in canonical key order. Encode/Decode go through the real
/// writer and reader; Decode is recursive, which is fine for test inputs within the depth limit.
/// </summary>
internal static class CborTestValues
{
    public sealed class CborNull
    {
        public static readonly CborNull Value = new();
    }

    public static SortedDictionary<string, object> NewMap() => new(DagCborKeyOrder.StringComparer);

    public static byte[] Encode(object value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buffer);
        Write(ref w, value);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(ref DagCborWriter w, object value)
    {
        switch (value)
        {
            case long l: w.WriteInt(l); break;
            case byte[] b: w.WriteBytes(b); break;
            case string s: w.WriteText(s.AsSpan()); break;
            case bool b: w.WriteBool(b); break;
            case CborNull: w.WriteNull(); break;
            case Cid c: w.WriteCid(c); break;
            case List<object> list:
                w.WriteArrayHeader(list.Count);
                foreach (var item in list)
                    Write(ref w, item);
                break;
            case SortedDictionary<string, object> map:
                w.WriteMapHeader(map.Count);
                foreach (var (k, v) in map)
                {
                    w.WriteText(k.AsSpan());
                    Write(ref w, v);
                }
                break;
            default: throw new ArgumentException(value.GetType().Name);
        }
    }

    public static object Decode(ReadOnlySpan<byte> data)
    {
        var r = new DagCborReader(data);
        object v = Read(ref r);
        r.EnsureEnd();
        return v;
    }

    public static object Read(ref DagCborReader r)
    {
        switch (r.PeekKind())
        {
            case CborKind.Integer: return r.ReadInt();
            case CborKind.Bytes: return r.ReadBytes().ToArray();
            case CborKind.Text: return r.ReadTextString();
            case CborKind.Bool: return r.ReadBool();
            case CborKind.Null: r.ReadNull(); return CborNull.Value;
            case CborKind.Cid: return r.ReadCid();
            case CborKind.Array:
            {
                int n = r.ReadArrayHeader();
                var list = new List<object>(n);
                for (int i = 0; i < n; i++)
                    list.Add(Read(ref r));
                return list;
            }
            default:
            {
                int n = r.ReadMapHeader();
                var map = NewMap();
                for (int i = 0; i < n; i++)
                {
                    string k = System.Text.Encoding.UTF8.GetString(r.ReadMapKey());
                    map.Add(k, Read(ref r));
                }
                return map;
            }
        }
    }

    public static bool DeepEquals(object a, object b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (string x, string y) => x == y,
        (bool x, bool y) => x == y,
        (CborNull, CborNull) => true,
        (Cid x, Cid y) => x == y,
        (List<object> x, List<object> y) => x.Count == y.Count && x.Zip(y).All(p => DeepEquals(p.First, p.Second)),
        (SortedDictionary<string, object> x, SortedDictionary<string, object> y) =>
            x.Count == y.Count && x.Zip(y).All(p => p.First.Key == p.Second.Key && DeepEquals(p.First.Value, p.Second.Value)),
        _ => false,
    };

    /// <summary>A random value tree from a seeded generator; depth-bounded.</summary>
    public static object RandomValue(Random rng, int depth)
    {
        int kind = rng.Next(depth <= 0 ? 7 : 9);
        switch (kind)
        {
            case 0:
                return rng.Next(6) switch
                {
                    0 => (long)rng.Next(-30, 30),
                    1 => rng.NextInt64(),
                    2 => -rng.NextInt64() - 1,
                    3 => long.MaxValue,
                    4 => long.MinValue,
                    _ => (long)rng.Next(-70000, 70000),
                };
            case 1:
            {
                var b = new byte[rng.Next(3) == 0 ? rng.Next(300) : rng.Next(30)];
                rng.NextBytes(b);
                return b;
            }
            case 2: return RandomString(rng, rng.Next(3) == 0 ? 300 : 30);
            case 3: return rng.Next(2) == 0;
            case 4: return CborNull.Value;
            case 5:
            {
                var b = new byte[8];
                rng.NextBytes(b);
                return rng.Next(2) == 0 ? Cid.ForDagCbor(b) : Cid.ForRaw(b);
            }
            case 6: return (long)rng.Next();
            case 7:
            {
                int n = rng.Next(6);
                var list = new List<object>(n);
                for (int i = 0; i < n; i++)
                    list.Add(RandomValue(rng, depth - 1));
                return list;
            }
            default:
            {
                int n = rng.Next(6);
                var map = NewMap();
                for (int i = 0; i < n; i++)
                    map[RandomString(rng, 6)] = RandomValue(rng, depth - 1);
                return map;
            }
        }
    }

    private static string RandomString(Random rng, int maxLength)
    {
        int n = rng.Next(maxLength + 1);
        var sb = new System.Text.StringBuilder(n);
        for (int i = 0; i < n; i++)
        {
            switch (rng.Next(10))
            {
                case 0: sb.Append((char)rng.Next(0x80, 0x800)); break;
                case 1: sb.Append((char)rng.Next(0x800, 0xd800)); break;
                case 2: sb.Append(char.ConvertFromUtf32(rng.Next(0x10000, 0x10ffff))); break;
                default: sb.Append((char)rng.Next(0x20, 0x7f)); break;
            }
        }
        return sb.ToString();
    }
}
