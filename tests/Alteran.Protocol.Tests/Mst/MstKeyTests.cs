using Alteran.Protocol.Mst;

namespace Alteran.Protocol.Tests.Mst;

public sealed class MstKeyTests
{
    [Fact]
    public void KeyHeightsMatchInteropVectors()
    {
        using var doc = MstFixtures.Json("interop", "mst", "key_heights.json");
        int n = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            string key = c.GetProperty("key").GetString()!;
            Assert.True(c.GetProperty("height").GetInt32() == MstKey.Height(key), key);
            n++;
        }
        Assert.Equal(9, n);
    }

    [Fact]
    public void CommonPrefixMatchesInteropVectors()
    {
        using var doc = MstFixtures.Json("interop", "mst", "common_prefix.json");
        int n = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var left = System.Text.Encoding.UTF8.GetBytes(c.GetProperty("left").GetString()!);
            var right = System.Text.Encoding.UTF8.GetBytes(c.GetProperty("right").GetString()!);
            Assert.Equal(c.GetProperty("len").GetInt32(), MstKey.CommonPrefixLength(left, right));
            n++;
        }
        Assert.Equal(13, n);
    }

    [Fact]
    public void ExampleKeysHaveTheHeightInTheirName()
    {
        var keys = MstFixtures.ExampleKeys();
        Assert.Equal(156, keys.Length);
        foreach (var key in keys)
            Assert.True(key[1] - '0' == MstKey.Height(key), key);
    }

    [Fact]
    public void KeyValidityMatchesVectors()
    {
        using var doc = MstFixtures.Json("atproto", "derived", "mst-root-cid-vectors.json");
        var kv = doc.RootElement.GetProperty("keyValidity");
        int valid = 0, invalid = 0;
        foreach (var k in kv.GetProperty("valid").EnumerateArray())
        {
            string key = k.GetString()!;
            Assert.True(MstKey.IsValid(key), key);
            Assert.True(MstKey.IsValid(System.Text.Encoding.UTF8.GetBytes(key)), key);
            var tree = Alteran.Protocol.Mst.Mst.Create();
            tree.Add(key, MstFixtures.RecordCid(1));
            valid++;
        }
        foreach (var k in kv.GetProperty("invalid").EnumerateArray())
        {
            string key = k.GetString()!;
            Assert.False(MstKey.IsValid(key), key);
            Assert.False(MstKey.IsValid(System.Text.Encoding.UTF8.GetBytes(key)), key);
            var tree = Alteran.Protocol.Mst.Mst.Create();
            Assert.Throws<MstException>(() => tree.Add(key, MstFixtures.RecordCid(1)));
            invalid++;
        }
        Assert.Equal(8, valid);
        Assert.Equal(23, invalid);
    }

    [Fact]
    public void KeyLengthLimitIs1024Bytes()
    {
        string ok = "c/" + new string('a', 1022);
        Assert.True(MstKey.IsValid(ok));
        Assert.False(MstKey.IsValid(ok + "a"));
    }
}
