namespace Alteran.Protocol.Mst;

/// <summary>
/// In-order cursor over a tree that stops at every subtree before entering it, so a caller can skip a whole
/// subtree (<see cref="StepOver"/>) or descend (<see cref="StepInto"/>). The root itself is the first item.
/// Checks that leaves come out in strictly increasing order.
/// </summary>
internal sealed class MstWalker
{
    private readonly Mst _tree;
    private readonly Stack<(MstNode Node, int Index)> _stack = new();
    private MstNode? _pendingRoot;
    private byte[]? _lastKey;

    public MstWalker(Mst tree, MstNode root)
    {
        _tree = tree;
        _pendingRoot = root;
    }

    public bool Done => _pendingRoot is null && _stack.Count == 0;

    /// <summary>The current subtree (or the root), or null when the current item is a leaf.</summary>
    public MstNode? Node => _pendingRoot ?? CurrentEntry().Child;

    /// <summary>The current leaf (key and value); only valid when <see cref="Node"/> is null.</summary>
    public MstEntry Leaf => CurrentEntry();

    private MstEntry CurrentEntry()
    {
        var (node, index) = _stack.Peek();
        return node.Entries![index];
    }

    /// <summary>Moves past the current item (a whole subtree, if it is one).</summary>
    public void StepOver()
    {
        if (_pendingRoot is not null)
        {
            _pendingRoot = null;
            return;
        }
        var (node, index) = _stack.Pop();
        if (node.Entries![index].Key is { } key)
        {
            if (_lastKey is not null && key.AsSpan().SequenceCompareTo(_lastKey) <= 0)
                throw new MstException("MST keys are out of order across nodes.");
            _lastKey = key;
        }
        _stack.Push((node, index + 1));
        Normalize();
    }

    /// <summary>Enters the current subtree (which must be one); its first item becomes current.</summary>
    public void StepInto()
    {
        MstNode node;
        if (_pendingRoot is not null)
        {
            node = _pendingRoot;
            _pendingRoot = null;
        }
        else
        {
            var (parent, index) = _stack.Pop();
            node = parent.Entries![index].Child ?? throw new InvalidOperationException("Not at a subtree.");
            _stack.Push((parent, index + 1));
        }
        if (_stack.Count > 256)
            throw new MstException("MST is deeper than any valid tree.");
        _tree.Load(node);
        _stack.Push((node, 0));
        Normalize();
    }

    private void Normalize()
    {
        while (_stack.Count > 0)
        {
            var (node, index) = _stack.Peek();
            if (index < node.Entries!.Count)
                return;
            _stack.Pop();
        }
    }
}
