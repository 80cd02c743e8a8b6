using System.Buffers;
using Alteran.Protocol.Car;
using Alteran.Protocol.Sync;
using Alteran.Protocol.Tests.Cbor;
using static Alteran.Protocol.Tests.Sync.FirehoseTestData;

namespace Alteran.Protocol.Tests.Sync;

public class CarRootTests
{
    [Fact]
    public void ReadsTheFirstRootOfARealCar()
    {
        (byte[] car, Cid commit) = CarOf(1, extraBlocks: 2);
        Assert.True(CarRoot.TryReadFirst(car, out Cid root));
        Assert.Equal(commit, root);

        var buffer = new ArrayBufferWriter<byte>();
        new CarWriter(buffer).WriteHeader([CidOf(2), CidOf(3)]);
        Assert.True(CarRoot.TryReadFirst(buffer.WrittenSpan, out root));
        Assert.Equal(CidOf(2), root);
    }

    [Fact]
    public void RejectsEveryHeaderPrefix()
    {
        (byte[] car, _) = CarOf(1, extraBlocks: 0);
        int headerEnd = 1 + car[0]; // one-byte varint for a one-root header
        for (int n = 0; n < headerEnd; n++)
            Assert.False(CarRoot.TryReadFirst(car.AsSpan(0, n), out _));
    }

    private static byte[] WithHeader(object header)
    {
        byte[] h = CborTestValues.Encode(header);
        return [(byte)h.Length, .. h];
    }

    [Fact]
    public void RejectsMalformedHeaders()
    {
        var noRoots = CborTestValues.NewMap();
        noRoots["roots"] = new List<object>();
        noRoots["version"] = 1L;
        Assert.False(CarRoot.TryReadFirst(WithHeader(noRoots), out _));

        var v2 = CborTestValues.NewMap();
        v2["roots"] = new List<object> { CidOf(1) };
        v2["version"] = 2L;
        Assert.False(CarRoot.TryReadFirst(WithHeader(v2), out _));

        var extra = CborTestValues.NewMap();
        extra["roots"] = new List<object> { CidOf(1) };
        extra["version"] = 1L;
        extra["x"] = 1L;
        Assert.False(CarRoot.TryReadFirst(WithHeader(extra), out _));

        var notCid = CborTestValues.NewMap();
        notCid["roots"] = new List<object> { "bafy" };
        notCid["version"] = 1L;
        Assert.False(CarRoot.TryReadFirst(WithHeader(notCid), out _));

        Assert.False(CarRoot.TryReadFirst(WithHeader(new List<object>()), out _));
        Assert.False(CarRoot.TryReadFirst([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], out _));
        Assert.False(CarRoot.TryReadFirst([0x7f, 0xa0], out _)); // declared length beyond the input
    }
}
