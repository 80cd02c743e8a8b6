using Alteran.Protocol;
using Alteran.Protocol.Mst;
using Alteran.Protocol.Repo;
using BenchmarkDotNet.Attributes;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Benchmarks.Protocol.Mst;

/// <summary>Building a whole tree (all inserts, then one hash pass that returns every node block).</summary>
[MemoryDiagnoser]
public class MstBuildBenchmarks
{
    private byte[][] _keys = null!;
    private Cid[] _values = null!;

    [Params(10_000, 100_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = MstBenchData.PostKeys(Keys, 1);
        _values = new Cid[Keys];
        for (int i = 0; i < Keys; i++)
            _values[i] = MstBenchData.RecordCid(i);
    }

    [Benchmark]
    public Cid BuildAndComputeRoot()
    {
        var tree = MstTree.Create();
        for (int i = 0; i < _keys.Length; i++)
            tree.Add(_keys[i], _values[i]);
        var blocks = new BlockMap(Keys / 2);
        return tree.ComputeRoot(blocks);
    }
}

/// <summary>One edit in a 100k-key in-memory tree, including re-hashing and collecting the new node blocks.</summary>
[MemoryDiagnoser]
public class MstEditBenchmarks
{
    private MstTree _tree = null!;
    private Random _rng = null!;
    private long _n;
    private long _clock;
    private Random _appendRng = null!;

    [GlobalSetup]
    public void Setup()
    {
        var keys = MstBenchData.PostKeys(100_000, 1);
        _tree = MstTree.Create();
        for (int i = 0; i < keys.Length; i++)
            _tree.Add(keys[i], MstBenchData.RecordCid(i));
        _tree.ComputeRoot();
        _rng = new Random(2);
        _appendRng = new Random(3);
        _clock = 400_000_000_000_000; // after every setup key
    }

    /// <summary>Insert at a random position, then hash: the tree grows slowly during the run (100k + invocations).</summary>
    [Benchmark]
    public int InsertRandomKey()
    {
        _tree.Add(MstBenchData.RandomPostKey(_rng), MstBenchData.RecordCid(++_n));
        var blocks = new BlockMap(16);
        _tree.ComputeRoot(blocks);
        return blocks.Count;
    }

    /// <summary>Insert a new post key (latest TID, so at the right edge), then hash.</summary>
    [Benchmark]
    public int InsertNewestKey()
    {
        _tree.Add(MstBenchData.PostKey(_appendRng, ref _clock), MstBenchData.RecordCid(++_n));
        var blocks = new BlockMap(16);
        _tree.ComputeRoot(blocks);
        return blocks.Count;
    }

    /// <summary>Insert + hash, then delete + hash (size stays constant); the time is per edit.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public int InsertThenDelete()
    {
        byte[] key = MstBenchData.RandomPostKey(_rng);
        _tree.Add(key, MstBenchData.RecordCid(++_n));
        var blocks = new BlockMap(16);
        _tree.ComputeRoot(blocks);
        _tree.Delete(key);
        _tree.ComputeRoot(blocks);
        return blocks.Count;
    }
}

/// <summary>Diff of two 100k-key trees that differ in 10 keys, both read from a block store (cold: nodes decoded).</summary>
[MemoryDiagnoser]
public class MstDiffBenchmarks
{
    private BlockMap _store = null!;
    private Cid _a, _b;

    [GlobalSetup]
    public void Setup()
    {
        var keys = MstBenchData.PostKeys(100_000, 1);
        var tree = MstTree.Create();
        for (int i = 0; i < keys.Length; i++)
            tree.Add(keys[i], MstBenchData.RecordCid(i));
        _store = new BlockMap();
        _a = tree.ComputeRoot(_store);
        var rng = new Random(5);
        for (int i = 0; i < 10; i++)
        {
            switch (i % 3)
            {
                case 0: tree.Add(MstBenchData.RandomPostKey(rng), MstBenchData.RecordCid(-1 - i)); break;
                case 1: tree.Update(keys[rng.Next(keys.Length)], MstBenchData.RecordCid(-1 - i)); break;
                default: tree.Delete(keys[rng.Next(keys.Length)]); break;
            }
        }
        _b = tree.ComputeRoot(_store);
        if (MstDiff.Compute(MstTree.Load(_store, _a), MstTree.Load(_store, _b)).Changes.Count != 10)
            throw new InvalidOperationException("expected 10 changes");
    }

    [Benchmark]
    public int Diff10Keys() => MstDiff.Compute(MstTree.Load(_store, _a), MstTree.Load(_store, _b)).Changes.Count;
}
